"""Files on disk: outputs written atomically, inputs hashed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from glob import escape as glob_escape
from pathlib import Path

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
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART_SUFFIX,
                                   dir=target.parent)
    except OSError as ex:  # said of the output, not of a temporary name the user never gave
        raise OSError(ex.errno, ex.strerror, str(target)) from None
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    except BaseException as ex:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(ex, OSError) and ex.filename == tmp:
            raise OSError(ex.errno, ex.strerror, str(target)) from None
        raise


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
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PART_SUFFIX, dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; give it a normal mode
        if target.exists():  # a folder cannot be renamed onto another: the old one steps aside
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=f".old{PART_SUFFIX}",
                                        dir=target.parent))
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
        shutil.rmtree(tmp, ignore_errors=True)
        raise
