"""Which files a corpus folder holds, and a fingerprint of them that changes when the corpus does.

Kept apart from the parsers (``bot.ingest.corpus``) so that opening a saved index — which only
needs to know the corpus has not changed — imports none of them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.safetext import clean


@dataclass(frozen=True)
class Problem:
    """A file skipped (``skipped=True``) or ingested with something it could not tell."""

    path: str
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" + ("" if self.skipped else " (warning)")


def walk_corpus(corpus_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file under ``corpus_dir`` (sorted, hidden ones excluded) and the entries
    refused: symbolic links resolving outside the corpus, dangling links, link loops, links to
    folders (not followed), FIFOs, sockets and devices (never opened: reading a FIFO blocks)."""
    root = corpus_dir.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(corpus_dir, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for entry in sorted(filenames) + [d for d in dirnames if (here / d).is_symlink()]:
            if entry.startswith("."):
                continue
            path = here / entry
            name = clean(path.relative_to(corpus_dir).as_posix())
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except RuntimeError:
                    problems.append(Problem(name, "symbolic link loop"))
                    continue
                except OSError as exc:
                    reason = "symbolic link loop" if exc.errno == errno.ELOOP else "dangling symbolic link (its target does not exist)"
                    problems.append(Problem(name, reason))
                    continue
                if target != root and root not in target.parents:
                    problems.append(Problem(name, "symbolic link to outside the corpus folder: refused"))
                    continue
                if target.is_dir():
                    problems.append(Problem(name, "symbolic link to a folder: not followed"))
                    continue
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                problems.append(Problem(name, f"cannot read file ({exc.strerror or exc})"))
                continue
            if not stat.S_ISREG(mode):
                what = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
                problems.append(Problem(name, f"not a regular file ({what}): skipped"))
                continue
            files.append(path)
    files.sort()
    return files, problems


#: A file changed this little before its hash was taken may change again within the same timestamp:
#: its stored hash is not trusted (git's "racily clean" files; 2 s covers FAT's timestamp granularity).
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class CorpusState:
    """A corpus's fingerprint and what it was computed from: each file's size, times and hash (by
    path), so the next fingerprint only reads the files whose size or times changed."""

    digest: str
    files: dict[str, list[Any]]  # path → [size, mtime_ns, ctime_ns, inode, sha256 hex]
    taken_ns: int  # when the files were read (wall clock)

    def to_json(self) -> dict[str, Any]:
        return {"taken_ns": self.taken_ns, "files": self.files}


def corpus_state(corpus_dir: Path, known: Mapping[str, Any] | None = None) -> CorpusState:
    """The fingerprint of ``corpus_dir`` (the same as :func:`fingerprint`), reading only the files
    whose size, modification time, change time or inode differ from ``known`` (a stored
    ``CorpusState.to_json()``), or that changed less than ``RACY_NS`` before ``known`` was taken.
    Any write to a file moves its change time (which, unlike the modification time, cannot be set
    back), so an unchanged stat means unchanged content."""
    taken = time.time_ns()
    old_files: Mapping[str, Any] = {}
    old_taken = 0
    if isinstance(known, Mapping) and isinstance(known.get("files"), Mapping) and isinstance(known.get("taken_ns"), int):
        old_files, old_taken = known["files"], known["taken_ns"]
    digest = hashlib.sha256()
    files: dict[str, list[Any]] = {}
    found, problems = walk_corpus(corpus_dir)
    for path in found:
        rel = path.relative_to(corpus_dir).as_posix()
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        try:
            st = os.stat(path)
        except OSError:
            digest.update(b"unreadable")
            continue
        seen = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        old = old_files.get(rel)
        sha = None
        if (isinstance(old, list) and len(old) == 5 and old[:4] == seen and isinstance(old[4], str)
                and max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS < old_taken):
            try:
                sha = bytes.fromhex(old[4])
            except ValueError:
                sha = None
        if sha is None or len(sha) != 32:
            try:
                sha = hashlib.sha256(path.read_bytes()).digest()
            except OSError:
                digest.update(b"unreadable")
                continue
        digest.update(sha)
        files[rel] = [*seen, sha.hex()]
    for problem in problems:
        digest.update(f"refused {problem}".encode("utf-8", "surrogateescape") + b"\0")
    return CorpusState(digest.hexdigest(), files, taken)


def fingerprint(corpus_dir: Path) -> str:
    """A hash of every corpus file's path and content (and meetings.yaml): changes when the corpus does.
    Only what ``walk_corpus`` accepts is read (no FIFO, no link out of the corpus)."""
    return corpus_state(corpus_dir).digest
