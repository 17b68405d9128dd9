"""Temp files beside a target, written then renamed over it — and swept up after a ``kill -9``.

A writer holds an exclusive ``flock`` on its temp file from creation until the rename; the kernel
drops the lock when the process dies, however it dies. So a temp file whose lock can be taken has
no writer left and is removed (:func:`remove_stale`), while one being written by a live process —
another ``cmsbot index``, a ``/reindex`` in ``serve`` — is left alone. Where ``fcntl`` is missing
(Windows), only temp files untouched for a day count as stale.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

SUFFIX = ".tmp"
_UNLOCKED_STALE_AFTER = 24 * 3600.0


def _prefix(target: Path) -> str:
    return f".{target.name}."


def temp_files(target: Path) -> list[Path]:
    """The temp files beside ``target`` that :func:`writing` makes (live or stale)."""
    directory = target.parent if str(target.parent) else Path(".")
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    prefix = _prefix(target)
    return sorted(directory / n for n in names if n.startswith(prefix) and n.endswith(SUFFIX))


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[union-attr]
    except OSError:
        return False
    return True


def _same_file(path: Path, fd: int) -> bool:
    try:
        st, fst = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (fst.st_dev, fst.st_ino)


def remove_stale(target: Path) -> list[Path]:
    """Remove the temp files beside ``target`` whose writer is gone; the paths removed."""
    removed = []
    for path in temp_files(target):
        try:
            if fcntl is None:  # pragma: no cover - Windows
                if time.time() - path.stat().st_mtime > _UNLOCKED_STALE_AFTER:
                    path.unlink()
                    removed.append(path)
                continue
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue  # renamed or removed meanwhile, or not ours to touch
        try:
            # Locked and still under that name: its writer died (a finished one renamed it first).
            if _try_lock(fd) and _same_file(path, fd):
                path.unlink()
                removed.append(path)
        except OSError:
            pass
        finally:
            os.close(fd)
    if removed:
        log.info("removed %d stale temp file(s) beside %s", len(removed), target)
    return removed


@contextmanager
def writing(target: Path) -> Iterator[BinaryIO]:
    """A locked temp file beside ``target``; on a clean exit it is fsynced and renamed over ``target``,
    on any error removed. Stale temp files of earlier, killed writers are removed first."""
    directory = target.parent if str(target.parent) else Path(".")
    remove_stale(target)
    while True:
        fd, name = tempfile.mkstemp(prefix=_prefix(target), suffix=SUFFIX, dir=directory)
        tmp = Path(name)
        if fcntl is None or (_try_lock(fd) and _same_file(tmp, fd)):
            break
        os.close(fd)  # another process's sweep removed it between mkstemp and the lock: again
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(tmp, target)  # while still locked, so no sweep can take the finished file
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
