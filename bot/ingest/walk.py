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
import numpy as np

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
    found, problems = _scan(corpus_dir)
    return [Path(path) for _parts, path, _st in found], problems


_Found = tuple[tuple[str, ...], str, os.stat_result]


def _scan(corpus_dir: Path) -> tuple[list[_Found], list[Problem]]:
    """``walk_corpus`` as (path parts below the corpus, path, stat) of each file, sorted as paths
    sort: ``os.scandir`` entries and plain strings, no ``Path`` per file (80k files are scanned in
    a fraction of the time), in ``os.walk``'s order (top-down, folders sorted, links not entered)."""
    root = corpus_dir.resolve()
    found: list[_Found] = []
    problems: list[Problem] = []

    def visit(folder: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return  # as os.walk without onerror: an unreadable folder is passed over
        dirs: list[os.DirEntry[str]] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry)
        dirs = sorted((d for d in dirs if not d.name.startswith(".")), key=lambda d: d.name)
        files.sort(key=lambda f: f.name)
        for entry in files + [d for d in dirs if d.is_symlink()]:
            if entry.name.startswith("."):
                continue
            own = (*parts, entry.name)
            st = _checked(entry, root, "/".join(own), problems)
            if st is not None:
                found.append((own, entry.path, st))
        for d in dirs:
            if not d.is_symlink():
                visit(d.path, (*parts, d.name))

    visit(os.fspath(corpus_dir), ())
    found.sort(key=lambda f: f[0])
    return found, problems


def _checked(entry: os.DirEntry[str], root: Path, rel: str, problems: list[Problem]) -> os.stat_result | None:
    """The stat of a usable corpus file; None, with the reason in ``problems``, for anything else."""
    try:
        if entry.is_symlink():
            path = Path(entry.path)
            try:
                target = path.resolve(strict=True)
            except RuntimeError:
                problems.append(Problem(clean(rel), "symbolic link loop"))
                return None
            except OSError as exc:
                reason = "symbolic link loop" if exc.errno == errno.ELOOP else "dangling symbolic link (its target does not exist)"
                problems.append(Problem(clean(rel), reason))
                return None
            if target != root and root not in target.parents:
                problems.append(Problem(clean(rel), "symbolic link to outside the corpus folder: refused"))
                return None
            if target.is_dir():
                problems.append(Problem(clean(rel), "symbolic link to a folder: not followed"))
                return None
            st = os.stat(entry.path)
        else:
            st = entry.stat()
    except OSError as exc:
        problems.append(Problem(clean(rel), f"cannot read file ({exc.strerror or exc})"))
        return None
    mode = st.st_mode
    if not stat.S_ISREG(mode):
        what = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        problems.append(Problem(clean(rel), f"not a regular file ({what}): skipped"))
        return None
    return st


#: A file changed this little before its hash was taken may change again within the same timestamp:
#: its stored hash is not trusted (git's "racily clean" files; 2 s covers FAT's timestamp granularity).
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class CorpusState:
    """A corpus's fingerprint and what it was computed from: each file's size, times, inode and
    hash (by path), so the next fingerprint only reads the files whose size or times changed."""

    digest: str
    files: dict[str, tuple[int, int, int, int, bytes]]  # path → (size, mtime_ns, ctime_ns, inode, sha256)
    taken_ns: int  # when the files were read (wall clock)

    def to_arrays(self, prefix: str = "corpus.") -> dict[str, np.ndarray]:
        """The file table as arrays (stored beside the index: no JSON to parse on open)."""
        names = [name.encode("utf-8", "surrogateescape") + b"\0" for name in self.files]
        offsets = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, names), dtype=np.int64, count=len(names)), out=offsets[1:])
        stats = np.array([entry[:4] for entry in self.files.values()], dtype=np.int64).reshape(-1, 4)
        shas = np.frombuffer(b"".join(entry[4] for entry in self.files.values()), dtype=np.uint8).reshape(-1, 32)
        return {f"{prefix}names": np.frombuffer(b"".join(names), dtype=np.uint8), f"{prefix}names.offsets": offsets,
                f"{prefix}stat": stats, f"{prefix}sha256": shas, f"{prefix}taken_ns": np.array([self.taken_ns], dtype=np.int64)}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str = "corpus.") -> CorpusState | None:
        """The file table ``to_arrays`` stored (digest left empty), or None when it is missing or damaged."""
        try:
            data, offsets = arrays[f"{prefix}names"], arrays[f"{prefix}names.offsets"]
            stats, shas, taken = arrays[f"{prefix}stat"], arrays[f"{prefix}sha256"], arrays[f"{prefix}taken_ns"]
            n = offsets.shape[0] - 1
            if n < 0 or stats.shape != (n, 4) or shas.shape != (n, 32) or taken.shape != (1,) \
                    or int(offsets[-1]) != data.shape[0]:
                return None
            names = data.tobytes()[:-1].decode("utf-8", "surrogateescape").split("\0") if n else []
            if len(names) != n:
                return None
            raw = shas.tobytes()
            files = {name: (*row, raw[32 * k:32 * k + 32]) for k, (name, row) in enumerate(zip(names, stats.tolist()))}
            return cls("", files, int(taken[0]))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError, AttributeError):
            return None


def corpus_state(corpus_dir: Path, known: CorpusState | None = None) -> CorpusState:
    """The fingerprint of ``corpus_dir`` (the same as :func:`fingerprint`), reading only the files
    whose size, modification time, change time or inode differ from ``known`` (a state taken
    before), or that changed less than ``RACY_NS`` before ``known`` was taken. Any write to a file
    moves its change time (which, unlike the modification time, cannot be set back), so an
    unchanged stat means unchanged content."""
    taken = time.time_ns()
    old_files = known.files if known is not None else {}
    old_taken = known.taken_ns if known is not None else 0
    hashed: list[bytes] = []  # what the digest reads, in order (hashed at once: the same digest)
    files: dict[str, tuple[int, int, int, int, bytes]] = {}
    found, problems = _scan(corpus_dir)
    trusted_before = old_taken - RACY_NS
    for parts, path, st in found:
        rel = "/".join(parts)
        hashed.append(rel.encode("utf-8", "surrogateescape") + b"\0")
        seen = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        old = old_files.get(rel)
        if old is not None and old[:4] == seen and max(st.st_mtime_ns, st.st_ctime_ns) < trusted_before:
            sha = old[4]
        else:
            try:
                sha = hashlib.sha256(Path(path).read_bytes()).digest()
            except OSError:
                hashed.append(b"unreadable")
                continue
        hashed.append(sha)
        files[rel] = (*seen, sha)
    for problem in problems:
        hashed.append(f"refused {problem}".encode("utf-8", "surrogateescape") + b"\0")
    return CorpusState(hashlib.sha256(b"".join(hashed)).hexdigest(), files, taken)


def settled(corpus_dir: Path, state: CorpusState) -> CorpusState:
    """``state`` taken again now for its racy files (changed less than ``RACY_NS`` before it was
    taken): a corpus indexed right after it was written (``cmsbot fetch`` then ``index``) would
    otherwise have all its new files read and hashed at every start. When every racy file is now
    older than ``RACY_NS``, has the same size, times and inode and hashes the same, the state is
    dated now (each racy file's hash is then trusted); otherwise ``state`` is returned unchanged."""
    now = time.time_ns()
    racy = {rel for rel, entry in state.files.items() if max(entry[1], entry[2]) + RACY_NS >= state.taken_ns}
    if not racy:
        return state
    found, _problems = _scan(corpus_dir)
    seen = {"/".join(parts): (path, st) for parts, path, st in found}
    if seen.keys() != state.files.keys():
        return state
    for rel, entry in state.files.items():
        path, st = seen[rel]
        now_stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        if now_stat != entry[:4] or max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS >= now:
            return state
        if rel in racy:
            try:
                if hashlib.sha256(Path(path).read_bytes()).digest() != entry[4]:
                    return state
            except OSError:
                return state
    return CorpusState(state.digest, state.files, now)


def fingerprint(corpus_dir: Path) -> str:
    """A hash of every corpus file's path and content (and meetings.yaml): changes when the corpus does.
    Only what ``walk_corpus`` accepts is read (no FIFO, no link out of the corpus)."""
    return corpus_state(corpus_dir).digest
