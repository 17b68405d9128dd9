"""Corpus files from fetched items: rendered, validated through the real ingestion, written atomically.

An item is rendered with the front matter its source told (url, date, and kind, symbol, meeting,
lang where the listing or table row states them; titles, places and the rest are left to the
ingestion, which reads them from the text), ingested from a temporary copy (``load_document``) and
checked for real text. Only a file that passes is written, via a hidden temp file in the target
directory and ``os.replace``, so readers never see half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from bot.fetch.extract import ExtractError
from bot.ingest import frontmatter
from bot.ingest.corpus import load_document
from bot.ingest.errors import IngestError
from bot.cms.meetings import MeetingRegistry
from bot.model import Document


@dataclass(frozen=True)
class Candidate:
    """A validated corpus file (and its sidecar), not yet written."""

    rel_path: str  # the main file, relative to the corpus directory, forward slashes
    files: dict[str, bytes]  # relative path → content; the main file first
    document: Document


def _clean(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if v not in (None, "")}


def render(rel_path: str, meta: dict[str, Any], content: str | bytes) -> dict[str, bytes]:
    """The file(s) for one item: Markdown with front matter, or a PDF with its sidecar ``.yaml``."""
    if isinstance(content, bytes):
        sidecar = str(PurePosixPath(rel_path).with_suffix(".yaml"))
        header = yaml.safe_dump(_clean(meta), sort_keys=False, allow_unicode=True, width=1000)
        return {rel_path: content, sidecar: header.encode("utf-8")}
    return {rel_path: frontmatter.dump(_clean(meta), content).encode("utf-8")}


def validate(files: dict[str, bytes], rel_path: str, meetings: MeetingRegistry) -> Document:
    """Ingest a temporary copy of ``files``; raises ExtractError with the ingestion's reason."""
    with tempfile.TemporaryDirectory(prefix="cmsbot-fetch-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            document, _parsed, _warnings = load_document(root / rel_path, root, meetings)
        except IngestError as exc:
            raise ExtractError(f"does not ingest: {exc.reason}") from None
        except Exception as exc:  # a parser bug must cost this item only
            raise ExtractError(f"does not ingest (internal error {type(exc).__name__}: {exc})") from None
    return document


def prepare(
    rel_path: str,
    told: dict[str, Any],
    content: str | bytes,
    meetings: MeetingRegistry,
    *,
    fallback_kind: str | None = None,
) -> Candidate:
    """The file(s) with the front matter the source told (``told``: url, date, kind, symbol, meeting,
    lang — whichever it stated), checked through the real ingestion and for real text.

    When the ingestion cannot tell the kind on its own, ``fallback_kind`` (the kind the source's
    items are saved as) is written too. Raises ExtractError naming why the item is unusable.
    """
    files = render(rel_path, told, content)
    try:
        document = validate(files, rel_path, meetings)
    except ExtractError as exc:
        if fallback_kind is None or told.get("kind") or "kind" not in exc.reason:
            raise
        files = render(rel_path, {**told, "kind": fallback_kind}, content)
        document = validate(files, rel_path, meetings)
    reason = quality_reason(document.body)
    if reason:
        raise ExtractError(reason)
    return Candidate(rel_path, files, document)


#: Characters of real text: letters, digits, spaces and ordinary punctuation.
_TEXT_CHAR = re.compile(r"[\w\s.,;:!?'\"()\[\]/%&@#*+=<>|~^$€£§°«»“”‘’–—-]")


def quality_reason(text: str) -> str | None:
    """Why ``text`` is not a real document's text (mojibake, random bytes, a few stray words), or None.

    The same test applies to a new file and to a replacement, so garbage never becomes a file, nor
    the copy the next one is compared with.
    """
    sample = text[:200_000]
    stripped = sample.strip()
    if not stripped:
        return "no text"
    bad = sample.count("\ufffd") + sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t")
    if bad > max(2, len(sample) // 200):
        return f"not real text ({bad} undecodable or control characters in {len(sample)})"
    plain = sum(1 for _ in _TEXT_CHAR.finditer(sample))
    if plain < 0.9 * len(sample):
        return f"not real text (only {plain * 100 // len(sample)} % letters, digits and punctuation)"
    words = re.findall(r"[^\W\d_]{2,}", sample)
    if len(words) < 5:
        return f"too little text ({len(words)} words)"
    tokens = sample.split()
    if sum(1 for t in tokens if len(t) > 40) > 0.05 * len(tokens):
        return "not real text (too many over-long tokens)"
    return None


def current_document(corpus_dir: Path, rel_path: str, meetings: MeetingRegistry) -> Document | None:
    """The corpus file now at ``rel_path``, if there is one and it ingests."""
    path = corpus_dir / rel_path
    if not path.is_file():
        return None
    try:
        return load_document(path, corpus_dir, meetings)[0]
    except Exception:
        return None


def worse_reason(new: Document, old: Document | None, min_ratio: float) -> str | None:
    """Why ``new`` must not replace ``old`` (much less text), or None when it may. An ``old`` copy that
    fails the quality test itself is no yardstick: any good copy replaces it."""
    if old is None or quality_reason(old.body) is not None:
        return None
    new_len, old_len = len(new.body.strip()), len(old.body.strip())
    if new_len < min_ratio * old_len:
        return f"new copy has much less text than the current file ({new_len} vs {old_len} characters); kept the current file"
    return None


def same_as_current(corpus_dir: Path, files: dict[str, bytes]) -> bool:
    """Would writing ``files`` change nothing on disk?"""
    for rel, data in files.items():
        path = corpus_dir / rel
        try:
            if path.read_bytes() != data:
                return False
        except OSError:
            return False
    return True


def write_atomic(corpus_dir: Path, files: dict[str, bytes]) -> None:
    """Each file via a hidden temp file beside it + ``os.replace``; the main file (first) last."""
    for rel, data in reversed(list(files.items())):
        target = corpus_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
