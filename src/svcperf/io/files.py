"""Files on disk: outputs written atomically, inputs hashed.

While a temporary output is made (and only then: a few system calls), Ctrl-C and kill are
held back in this thread (signal.pthread_sigmask) and let through inside the `try` that removes
it again, so no stop between the two can leave it behind; the mask is restored at once."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

PART_SUFFIX = ".part"  # a temporary output: `.<name>.<random>.part` beside the target


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only when the block succeeds.

    The temporary file is held under an OS lock while it is written (see `_own`); temporary
    files of this target that no running process holds (a kill -9 left them) are removed first.
    The block must write the temporary file in place (open it for writing), never replace it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_unowned(target.parent.glob(f".{glob_escape(target.name)}.*{PART_SUFFIX}*"))
    tmp, fd = "", -1
    held = _hold_signals()  # a Ctrl-C or kill between making the file and the `try` below that
    try:                    # removes it would leave it: they wait, and are raised inside it
        try:
            fd, tmp = _own(lambda: tempfile.mkstemp(prefix=f".{target.name}.",
                                                    suffix=PART_SUFFIX, dir=target.parent))
        except OSError as ex:  # said of the output, not of a temporary name the user never gave
            raise OSError(ex.errno, ex.strerror, str(target)) from None
        finally:
            _release_signals(held)
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    except BaseException as ex:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(ex, OSError) and tmp and ex.filename in (None, tmp):  # a write's own
            raise OSError(ex.errno, ex.strerror, str(target)) from None  # error names no file
        raise
    finally:
        if fd >= 0:
            os.close(fd)  # the lock goes with it


def _lock(fd: int, wait: bool) -> bool:
    """An exclusive advisory lock (flock) on an open file or folder: False when another process
    holds one, or the file system cannot lock."""
    if sys.platform == "win32":  # no flock; see _own
        return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _same(fd: int, path: str) -> bool:
    """Is `path` still the file (folder) open as `fd`?"""
    try:
        here, there = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _own(make: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """A new temporary file (folder) from `make` (an open fd and its path), locked for as long
    as the fd is open, so that another run's sweep (`remove_unowned`) leaves it alone: two
    runs writing one output each keep their own. The lock is the kernel's, so it goes with the
    process however it ends (kill -9 included), a reused pid cannot keep it, and it holds
    across machines on NFS, where a pid would not. A sweep that locked the file in the moment
    between its making and its locking has removed it: another one is made.

    On Windows (no flock) the fd is closed at once: an open file cannot be renamed there, and
    a sweep cannot remove a file another process has open."""
    while True:
        fd, path = make()
        if sys.platform == "win32":
            if fd >= 0:
                os.close(fd)
            return -1, path
        _lock(fd, wait=True)
        if _same(fd, path):
            return fd, path
        os.close(fd)


def remove_unowned(paths: Iterable[Path]) -> None:
    """Remove the temporary files and folders no running process holds (see `_own`): those a
    run killed hard left behind. One being written, or one that cannot be locked, is kept."""
    import shutil

    for path in paths:
        try:
            folder = path.is_dir()
            fd = os.open(path, os.O_RDONLY) if folder else _open_to_lock(path)
        except OSError:
            continue
        try:
            if _lock(fd, wait=False) and _same(fd, str(path)):
                with contextlib.suppress(OSError):
                    shutil.rmtree(path) if folder else path.unlink()
        finally:
            os.close(fd)


def _open_to_lock(path: Path) -> int:
    """A file opened to be locked: for writing where it may be (NFS locks a file exclusively
    only when it is open for writing), else for reading. Never truncated, never followed."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, os.O_RDWR | nofollow)
    except PermissionError:
        return os.open(path, os.O_RDONLY | nofollow)


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

    Folders of this target that no running process holds (a hard kill left them) are removed
    first; this run's are held (locked, as in atomic_path) while it writes them.
    """
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    remove_unowned(target.parent.glob(f".{glob_escape(target.name)}.*{PART_SUFFIX}"))
    made: list[tuple[int, Path]] = []  # the temporary folders, removed however the block ends

    def new_folder(suffix: str) -> Path:
        held = _hold_signals()  # (as in atomic_path: no stop between making one and its `try`)
        try:
            fd, path = _own(lambda: _open_folder(tempfile.mkdtemp(
                prefix=f".{target.name}.", suffix=suffix, dir=target.parent)))
            made.append((fd, Path(path)))
        finally:
            _release_signals(held)
        return Path(path)

    try:
        tmp = new_folder(PART_SUFFIX)
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; give it a normal mode
        if target.exists():  # a folder cannot be renamed onto another: the old one steps aside
            old = new_folder(f".old{PART_SUFFIX}")
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
    except BaseException as ex:
        for _, folder in made:
            shutil.rmtree(folder, ignore_errors=True)
        named = str(ex.filename) if isinstance(ex, OSError) and ex.filename else None
        if made and isinstance(ex, OSError) and (named is None or named.startswith(
                str(made[0][1]) + os.sep)):  # a group workbook's, said of the folder's own path
            where = str(target) if named is None else str(target) + named[len(str(made[0][1])):]
            raise OSError(ex.errno, ex.strerror, where) from None
        raise
    finally:
        for fd, _ in made:
            if fd >= 0:
                os.close(fd)


def _open_folder(path: str) -> tuple[int, str]:
    """A folder just made, opened (to be locked), and its path; removed if it cannot be opened."""
    if sys.platform == "win32":  # (a folder cannot be opened there; nor locked: see _own)
        return -1, path
    try:
        return os.open(path, os.O_RDONLY), path
    except OSError:
        os.rmdir(path)
        raise
