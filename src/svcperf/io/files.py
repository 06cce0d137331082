"""Files on disk: outputs written atomically, inputs hashed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import tempfile
from collections.abc import Iterator
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

PART_SUFFIX = ".part"  # a temporary output: `.<name>.<random>.part` beside the target


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only when the block succeeds.

    Temporary files of this target that a hard kill (kill -9) left behind are removed first.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{glob_escape(target.name)}.*{PART_SUFFIX}*"):
        with contextlib.suppress(OSError):
            stale.unlink()
    tmp = ""
    held = _hold_signals()  # a Ctrl-C or kill between making the file and the `try` below that
    try:                    # removes it would leave it: they wait, and are raised inside it
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART_SUFFIX,
                                       dir=target.parent)
        except OSError as ex:  # said of the output, not of a temporary name the user never gave
            raise OSError(ex.errno, ex.strerror, str(target)) from None
        finally:
            _release_signals(held)
        os.close(fd)
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    except BaseException as ex:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(ex, OSError) and tmp and ex.filename == tmp:
            raise OSError(ex.errno, ex.strerror, str(target)) from None
        raise


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # so atomic writes remove their temporary file


def install_term_handler() -> None:
    """Turn SIGTERM (kill) into the same clean stop as Ctrl-C (KeyboardInterrupt)."""
    signal.signal(signal.SIGTERM, _terminate)


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _hold_signals() -> set[int | signal.Signals] | None:
    """Hold Ctrl-C and kill (SIGINT, SIGTERM) back in this thread; the mask to restore."""
    if not hasattr(signal, "pthread_sigmask"):  # (Windows)
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)


def _release_signals(mask: set[int | signal.Signals] | None) -> None:
    """Restore the mask: a signal that came meanwhile is raised here (KeyboardInterrupt)."""
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """A temporary folder beside `target`, put in its place only when the block succeeds;
    on failure it is removed and `target` is as it was. An existing `target` is replaced.

    Folders of this target that a hard kill left behind are removed first.
    """
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{glob_escape(target.name)}.*{PART_SUFFIX}"):
        with contextlib.suppress(OSError):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    made: list[Path] = []  # the temporary folders, removed however the block ends
    held = _hold_signals()  # (as in atomic_path: no stop between making one and its `try`)
    try:
        try:
            made.append(Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PART_SUFFIX,
                                              dir=target.parent)))
        finally:
            _release_signals(held)
        tmp = made[0]
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; give it a normal mode
        if target.exists():  # a folder cannot be renamed onto another: the old one steps aside
            held = _hold_signals()
            try:
                made.append(Path(tempfile.mkdtemp(prefix=f".{target.name}.",
                                                  suffix=f".old{PART_SUFFIX}", dir=target.parent)))
            finally:
                _release_signals(held)
            old = made[1]
            try:  # (a folder it may not write cannot step aside: then nothing is left behind)
                os.replace(target, old / target.name)
                try:
                    os.replace(tmp, target)
                except BaseException:
                    os.replace(old / target.name, target)
                    raise
            finally:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
        raise
