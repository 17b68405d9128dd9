"""Exact BM25Okapi index: rank_bm25's scores, bit for bit, without its per-query corpus scan.

Scores follow ``rank_bm25.BM25Okapi`` (k1, b, epsilon; idf ``log(N-df+0.5) - log(df+0.5)``
with negative idfs floored to ``epsilon * average_idf``) and are computed with the same
float64 operations in the same order, so ``get_scores`` is ``np.array_equal`` to rank_bm25's.

Storage: postings by term in CSR form (int32 passage ids + small-int term frequencies).
Terms that occur in more than about a fifth of the passages are stored as dense tf rows
instead, which is both smaller and gives O(1) lookups. Every posting (dense rows included)
also has an 8-bit impact, an upper bound of its ratio ``tf*(k1+1) / (tf+norm)``. Terms
in at least ``_TIER_MIN_DF`` passages get impact tiers: the passages with the largest ratios,
in tiers of 64, 256, 1024, ... up to df/8, with the best ratio left after each tier.

``top_k`` is exact but scores few passages: a first round takes the rarest terms' postings
and the first tier of the others; the k-th best score then bounds what an unscored passage
must reach, against the sum of the terms' remaining bounds. Further rounds take more tiers
(or whole postings); when that would take too many passages, one float32 pass over the
impacts bounds every passage and leaves only those that might
still reach the k-th score (see ``_top_k_pruned``).

Builds cut the corpus into runs of passages, turn each into postings in worker threads
(while ``from_tokens`` maps the next run's tokens to ids) and merge them term by term.
On large corpora ``from_tokens`` maps the second half's tokens in a forked child process
meanwhile and merges the two vocabularies in first-occurrence order (``_ForkedMap``).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import marshal
import math
import mmap
import os
import select
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

FORMAT_NAME = "cmsbot-bm25okapi"
FORMAT_VERSION = 2

# A filter allowing fewer passages than this (or than N // 64) is scored passage by passage.
_SMALL_FILTER = 4096
# Terms in at least this many passages get impact tiers: their passages with the largest
# tf/length ratio, grouped in tiers of 64, 256, 1024, ... passages, up to df // 8 of them.
_TIER_MIN_DF = 1024
_TIER0 = 64
_PREFIX_DIV = 8
# top_k's first round takes whole postings of the rarest terms up to this many passages.
_ROUND0_POSTINGS = 2048
# A later round takes at most this many passages (or twice those scored, or N / _ROUND_DIV);
# beyond that one bound pass over all passages is cheaper.
_ROUND_PASSAGES = 4096
_ROUND_DIV = 64
_FULL = -1  # level of a term all of whose passages are taken
# Dense rows also come as 8-bit impacts: q = floor(ratio / step) + 1 (<= 255), step = (k1+1)/255,
# so q * step bounds the ratio; a full pass over them bounds every passage's score at once.
_Q_LEVELS = 255
# Relative slack for the float32 bound pass (its rounding is far smaller).
_BOUND_SLACK = 1e-3
# Passages scored first (best bounds) when the bound pass leaves many.
_PROBE = 512
# Builds work on runs of passages of about this many tokens (in a worker thread while
# from_tokens maps the next run's tokens to ids), then merge them term by term. Runs this
# short (~26k passages of 80 tokens) keep the (term, passage) sort keys in 32 bits for
# vocabularies up to ~130k terms: 2M-token runs built in 0.62-0.75 s per 20M tokens
# against 1.07 s for 8M-token runs with 64-bit keys (250k synthetic passages).
_CHUNK_TOKENS = 1 << 21
_MAP_TOKENS = 1 << 16
# from_tokens on at least this many tokens (and 2+ CPUs, Linux fork) maps the second half of
# the corpus in a forked child process meanwhile (see _ForkedMap); smaller corpora never fork.
_PARALLEL_MIN_TOKENS = 1 << 22
# After the parent has mapped its half, it waits for the child at most this many times as long
# (plus _FORK_GRACE_S seconds), then maps the second half itself.
_FORK_WAIT_FACTOR = 2.0
_FORK_GRACE_S = 10.0


class IndexFileError(Exception):
    """A saved index file is missing, unreadable, corrupt, or of another format version."""


def _tf_dtype(max_tf: int) -> np.dtype:
    for dt in (np.uint8, np.uint16, np.uint32):
        if max_tf <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.uint64)


def _length_norm(doc_len: np.ndarray, k1: float, b: float, avgdl: float) -> np.ndarray:
    """``k1 * (1 - b + b * dl / avgdl)`` with rank_bm25's operation order.

    Empty passages get 1.0 when b == 1 (where the formula gives 0): they hold no term,
    so the value only keeps ``0 / (0 + norm)`` from becoming NaN.
    """
    if avgdl == 0.0:
        return np.ones(doc_len.shape[0], dtype=np.float64)
    norm = k1 * (1 - b + b * doc_len.astype(np.int64) / avgdl)
    norm[norm == 0.0] = 1.0
    return norm


def _idf(df: np.ndarray, first_order: np.ndarray, n_docs: int, epsilon: float) -> tuple[np.ndarray, float]:
    """rank_bm25's idf table; ``first_order`` lists terms by first occurrence (its dict order).

    The average is summed sequentially in that order, like rank_bm25, so it matches bit for bit.
    """
    idf = np.zeros(df.shape[0], dtype=np.float64)
    present = first_order[df[first_order] > 0]
    if present.size == 0:
        return idf, 0.0
    udf, inv = np.unique(df[present], return_inverse=True)
    logs = np.array([math.log(n_docs - d + 0.5) - math.log(d + 0.5) for d in udf.tolist()])
    vals = logs[inv]
    total = 0.0
    for v in vals.tolist():
        total += v
    average = total / present.size
    vals[vals < 0] = epsilon * average
    idf[present] = vals
    return idf, average


def _postings(tok: np.ndarray, doc_len: np.ndarray, n_terms: int, need_first: bool):
    """CSR postings (indptr, passage ids, tf) from flat token ids in passage order.

    Sorts one (term, passage) key per token: runs of equal keys are postings, already in
    term-major, passage-ascending order (a plain SIMD sort of integers, much faster than a
    stable argsort of the term ids). With ``need_first`` also each term's first token
    position (``len(tok)`` if absent).
    """
    n_docs = doc_len.shape[0]
    total = tok.shape[0]
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    first_pos = np.full(n_terms, total, dtype=np.int64) if need_first else None
    if total == 0:
        return indptr, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint8), first_pos
    doc_bits = max(1, (n_docs - 1).bit_length())
    key_dtype = np.uint32 if doc_bits + max(1, (n_terms - 1).bit_length()) <= 32 else np.uint64
    key = tok.astype(key_dtype)
    key <<= doc_bits
    doc_of = np.repeat(np.arange(n_docs, dtype=key_dtype), doc_len)
    key |= doc_of
    key.sort()
    flag = np.empty(total, dtype=bool)
    flag[0] = True
    np.not_equal(key[1:], key[:-1], out=flag[1:])
    starts = np.flatnonzero(flag)
    del flag
    run_keys = key[starts]
    del key
    ids = (run_keys & ((1 << doc_bits) - 1)).astype(np.int32)
    run_keys >>= doc_bits  # now each posting's term id, ascending
    indptr[:] = np.searchsorted(run_keys, np.arange(n_terms + 1, dtype=key_dtype))
    del run_keys
    tf = np.empty(starts.shape[0], dtype=np.int64)
    np.subtract(starts[1:], starts[:-1], out=tf[:-1])
    tf[-1] = total - starts[-1]
    del starts
    tf = tf.astype(_tf_dtype(int(tf.max())))
    if first_pos is not None:
        # A term's first posting is its first passage; its first position lies in there.
        present = np.flatnonzero(indptr[1:] > indptr[:-1])
        first_doc = np.full(n_terms, n_docs, dtype=key_dtype)
        first_doc[present] = ids[indptr[present]]
        at_first = np.flatnonzero(first_doc[tok] == doc_of)
        terms_there, first = np.unique(tok[at_first], return_index=True)
        first_pos[terms_there] = at_first[first]
    return indptr, ids, tf, first_pos


class _Chunk(NamedTuple):
    """Postings of a run of passages (passage ids global), term ids local to what it holds."""

    df: np.ndarray  # postings per term id < len(df)
    ids: np.ndarray
    tf: np.ndarray
    q: np.ndarray  # 8-bit impact of each posting (see _impacts)
    max_ratio: np.ndarray  # per term, the largest tf*(k1+1) / (tf+norm)
    first_pos: np.ndarray | None  # per term, first global token position (or a huge value)
    terms: np.ndarray | None = None  # global id of each term id here (None: they are global)

    def columns(self) -> slice | np.ndarray:
        """Where this chunk's per-term arrays go among the global term ids."""
        return slice(0, self.df.shape[0]) if self.terms is None else self.terms


def _impacts(ratio: np.ndarray, k1p1: float) -> np.ndarray:
    """``min(255, floor(ratio / step) + 1)`` with step = (k1+1)/255: monotone in the ratio, and
    ``q * step`` bounds it (ratio < k1+1)."""
    level = ratio / (k1p1 / _Q_LEVELS)
    np.floor(level, out=level)
    level += 1
    np.minimum(level, _Q_LEVELS, out=level)
    return level.astype(np.uint8)


def _chunk_postings(tok: np.ndarray, doc_len: np.ndarray, first_doc: int, first_tok: int, norm: np.ndarray,
                    k1p1: float, need_first: bool) -> _Chunk:
    n_local = int(tok.max()) + 1 if tok.size else 0
    indptr, ids, tf, first_pos = _postings(tok, doc_len, n_local, need_first)
    ids = ids.astype(np.int32, copy=False)
    ids += first_doc
    if first_pos is not None:
        first_pos += first_tok
        first_pos[first_pos == first_tok + tok.shape[0]] = np.iinfo(np.int64).max
    df = np.diff(indptr)
    f = tf.astype(np.float64)
    den = norm[ids]
    den += f
    f *= k1p1
    f /= den  # (tf * k1p1) / (tf + norm): the query path's float operations
    ratio = f
    del den
    max_ratio = np.zeros(n_local, dtype=np.float64)
    present = np.flatnonzero(df)
    if present.size:
        max_ratio[present] = np.maximum.reduceat(ratio, indptr[present])
    return _Chunk(df, ids, tf, _impacts(ratio, k1p1), max_ratio, first_pos)


def _chunk_bounds(doc_len: np.ndarray, first_doc: int = 0, first_tok: int = 0) -> list[tuple[int, int, int, int]]:
    """(first passage, end passage, first token, end token) of chunks of about _CHUNK_TOKENS tokens
    (offset by ``first_doc`` / ``first_tok`` when ``doc_len`` is a slice of the corpus)."""
    cum = np.zeros(doc_len.shape[0] + 1, dtype=np.int64)
    np.cumsum(doc_len, out=cum[1:])
    total = int(cum[-1])
    cuts = np.searchsorted(cum, np.arange(_CHUNK_TOKENS, total, _CHUNK_TOKENS))
    edges = sorted({0, doc_len.shape[0], *cuts.tolist()})
    cum_l = cum.tolist()
    return ([(first_doc + a, first_doc + b, first_tok + cum_l[a], first_tok + cum_l[b])
             for a, b in zip(edges[:-1], edges[1:])] or [(first_doc, first_doc, first_tok, first_tok)])


def _can_fork() -> bool:
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return False
    if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN:  # children auto-reaped: no exit status
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def _map_runs(docs: Sequence[Sequence[str]], bounds: list[tuple[int, int, int, int]],
              vocab: defaultdict[str, int], post: Callable[[np.ndarray, int, int, int], Any]) -> list[Any]:
    """Map the tokens of the passages in ``bounds`` to ids through ``vocab``, run by run, and
    hand each run to ``post(tok, first passage, end passage, first token)``."""
    out: list[Any] = []
    if not bounds:
        return out
    ids = map(vocab.__getitem__, itertools.chain.from_iterable(docs[bounds[0][0] : bounds[-1][1]]))
    for a, z, ta, tz in bounds:
        tok = np.empty(tz - ta, dtype=np.int32)
        for i in range(0, tz - ta, _MAP_TOKENS):
            # Short C-level runs: between them a worker thread can take the GIL.
            j = min(tz - ta, i + _MAP_TOKENS)
            tok[i:j] = np.fromiter(ids, dtype=np.int32, count=j - i)
        out.append(post(tok, a, z, ta))
    return out


class _SharedRuns:
    """Shares the runs of passages of one build with a forked child process.

    The parent takes runs from the front (mapping tokens through the build's vocabulary), the
    child from the back, each claiming its next run under a lock, until they meet; so neither
    waits long for the other however the two CPUs happen to run. The child gives each run its
    own term ids (first occurrence within the run), turns it into a ``_Chunk``, writes the
    per-posting arrays into an anonymous shared mmap made before the fork (pages are only used
    as written) and sends the per-term arrays and term lists through a pipe. It leaves with
    ``os._exit`` (no atexit handlers, no flushing of inherited buffers). ``result`` gives the
    child's runs or None on any problem; the parent then builds the rest itself.
    """

    def __init__(self, docs: Sequence[Sequence[str]], bounds: list[tuple[int, int, int, int]],
                 doc_len: np.ndarray, norm: np.ndarray, k1p1: float) -> None:
        import multiprocessing  # only for large builds: a process-shared lock

        self.n_runs = len(bounds)
        self.pid = -1
        self.fd = -1
        self.lock = multiprocessing.get_context("fork").Lock()
        self.claims: mmap.mmap | None = mmap.mmap(-1, 16)  # int64: next front run, end of the back runs
        self.front_back = np.frombuffer(self.claims, dtype=np.int64, count=2)
        self.front_back[:] = (0, self.n_runs)
        # Per posting at most an int32 id, an 8-byte tf and a uint8 impact, plus alignment.
        n_tokens = bounds[-1][3] - bounds[0][2]
        self.mm: mmap.mmap | None = mmap.mmap(-1, 13 * n_tokens + 32 * self.n_runs + 8)
        r, w = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            os.close(r)
            os.close(w)
            self.close()
            raise
        if pid == 0:  # child
            code = 1
            try:
                os.close(r)
                import gc

                gc.disable()
                self._child(docs, bounds, doc_len, norm, k1p1, w)
                code = 0
            finally:
                os._exit(code)
        self.pid = pid
        self.fd = r
        os.close(w)

    def _claim(self, front: bool, timeout: float = -1) -> int | None:
        """The next run from the front (parent) or the back (child), or None when none is left."""
        if not self.lock.acquire(timeout=None if timeout < 0 else timeout):
            return None
        try:
            a, z = (int(x) for x in self.front_back)
            if a >= z:
                return None
            if front:
                self.front_back[0] = a + 1
                return a
            self.front_back[1] = z - 1
            return z - 1
        finally:
            self.lock.release()

    def claim_front(self) -> int | None:
        """The parent's next run, or None when the child has the rest (or holds the lock so long
        that it must be stuck; the child is then stopped and ``result`` gives None)."""
        a = self._claim(True, _FORK_GRACE_S)
        if a is None and int(self.front_back[0]) < int(self.front_back[1]):
            self.close()
        return a

    def _child(self, docs: Sequence[Sequence[str]], bounds: list[tuple[int, int, int, int]],
               doc_len: np.ndarray, norm: np.ndarray, k1p1: float, w: int) -> None:
        assert self.mm is not None
        vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        first = np.zeros(0, dtype=np.int64)  # per child term, its first global token position
        offset = 0
        runs = []
        while (j := self._claim(False)) is not None:
            a, z, ta, tz = bounds[j]
            ids = map(vocab.__getitem__, itertools.chain.from_iterable(docs[a:z]))
            tok = np.fromiter(ids, dtype=np.int32, count=tz - ta)
            ch = _chunk_postings(tok, doc_len[a:z], a, ta, norm, k1p1, True)
            assert ch.first_pos is not None
            n = ch.first_pos.shape[0]
            if n > first.shape[0]:
                first = np.concatenate([first, np.full(n - first.shape[0], np.iinfo(np.int64).max)])
            np.minimum(first[:n], ch.first_pos, out=first[:n])
            layout = []
            for arr in (ch.ids, ch.tf, ch.q):
                offset = -(-offset // 8) * 8
                np.frombuffer(self.mm, dtype=arr.dtype, count=arr.shape[0], offset=offset)[:] = arr
                layout.append((arr.dtype.str, offset, arr.shape[0]))
                offset += arr.nbytes
            runs.append((j, ch.df.tobytes(), ch.max_ratio.tobytes(), layout))
        # The child's terms in order of first occurrence (its runs were taken back to front).
        terms = list(vocab)
        order = np.argsort(first[: len(terms)], kind="stable")
        in_order = [terms[i] for i in order.tolist()]
        payload = marshal.dumps((self.n_runs, in_order, order.tobytes(), runs))
        view = memoryview(len(payload).to_bytes(8, "little") + payload)
        while view:
            view = view[os.write(w, view):]
        os.close(w)

    def result(self, first: int, timeout: float) -> tuple[list[_Chunk], list[str], np.ndarray] | None:
        """The chunks of the child's runs ``first``, ``first + 1``, ... to the last, its terms in
        order of first occurrence, and the child's term id of each (the chunks' term ids); None
        if the child failed or took longer than ``timeout`` seconds."""
        try:
            deadline = time.monotonic() + timeout
            data = bytearray()
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    return None
                part = os.read(self.fd, 1 << 20)
                if not part:
                    break
                data += part
            _, status = os.waitpid(self.pid, 0)
            self.pid = -1
            if status != 0 or len(data) < 8 or int.from_bytes(data[:8], "little") != len(data) - 8:
                return None
            n_runs, in_order, order, runs = marshal.loads(bytes(data[8:]))
            runs.sort(key=lambda run: run[0])
            if n_runs != self.n_runs or [run[0] for run in runs] != list(range(first, n_runs)):
                return None
            chunks = []
            for _, df, max_ratio, layout in runs:
                ids, tf, q = (np.frombuffer(self.mm, dtype=np.dtype(dt), count=n, offset=off) for dt, off, n in layout)
                chunks.append(_Chunk(np.frombuffer(df, dtype=np.int64), ids, tf, q,
                                     np.frombuffer(max_ratio, dtype=np.float64), None))
            child_ids = np.frombuffer(order, dtype=np.int64)
            if child_ids.shape[0] != len(in_order):
                return None
            return chunks, in_order, child_ids
        except Exception:  # noqa: BLE001 - any failure: the caller builds the rest itself
            return None

    def close(self) -> None:
        if self.pid > 0:
            try:
                # Kill only a child not yet reaped (never a pid that may have been reused).
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = -1
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        self.front_back = np.zeros(2, dtype=np.int64)  # drops the view of self.claims
        for m in (self.mm, self.claims):
            if m is not None:
                try:
                    m.close()
                except BufferError:  # a view still alive: freed with it
                    pass
        self.mm = self.claims = None


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _merge(chunks: list[_Chunk], n_terms: int, pool: Executor):
    """Concatenate the chunks' postings term by term: (indptr, ids, tf, q, max_ratio)."""
    n_chunks = len(chunks)
    dfs = np.zeros((n_chunks, n_terms), dtype=np.int64)
    max_ratio = np.zeros(n_terms, dtype=np.float64)
    for c, ch in enumerate(chunks):
        cols = ch.columns()
        dfs[c, cols] = ch.df
        max_ratio[cols] = np.maximum(max_ratio[cols], ch.max_ratio)
    df = dfs.sum(axis=0)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    tf_dtype = np.result_type(*[ch.tf.dtype for ch in chunks])
    if n_chunks == 1 and chunks[0].terms is None:
        return indptr, chunks[0].ids, chunks[0].tf.astype(tf_dtype), chunks[0].q, max_ratio
    start = np.cumsum(dfs, axis=0)
    start -= dfs
    start += indptr[:-1]
    total = int(indptr[-1])
    ids = np.empty(total, dtype=np.int32)
    tf = np.empty(total, dtype=tf_dtype)
    q = np.empty(total, dtype=np.uint8)

    def place(c: int) -> None:
        ch = chunks[c]
        n = ch.df.shape[0]
        local = np.zeros(n, dtype=np.int64)
        np.cumsum(ch.df[:-1], out=local[1:])
        dest = np.repeat(start[c, ch.columns()] - local, ch.df)
        dest += np.arange(ch.ids.shape[0], dtype=np.int64)
        ids[dest] = ch.ids
        tf[dest] = ch.tf
        q[dest] = ch.q

    list(pool.map(place, range(n_chunks)))
    return indptr, ids, tf, q, max_ratio


def _tier_ends(df: int) -> list[int]:
    """Cumulative sizes of a term's impact tiers: 64, 256, 1024, ... up to its prefix df // 8."""
    last = min(df, max(_TIER0, df // _PREFIX_DIV))
    ends = []
    p = _TIER0
    while p < last:
        ends.append(p)
        p *= 4
    ends.append(last)
    return ends


def _term_tiers(t: int, indptr: np.ndarray, ids: np.ndarray, tf: np.ndarray, q: np.ndarray, norm: np.ndarray,
                k1p1: float) -> tuple[np.ndarray, list[int], list[float]]:
    """Term t's impact prefix (passage ids, best ratio first by tier), tier ends and rests.

    The 8-bit impacts are monotone in the ratio, so the passages with the largest ratios are
    among those at or above the impact level that more than the prefix reach; only those get
    their exact ratio computed and partitioned at the tier ends.
    """
    a, b = int(indptr[t]), int(indptr[t + 1])
    d = b - a
    ends = _tier_ends(d)
    last = ends[-1]
    if last < d:
        hist = np.bincount(q[a:b], minlength=_Q_LEVELS + 1)
        at_least = np.cumsum(hist[::-1])[::-1]  # at_least[v] = postings with impact >= v
        level = int(np.flatnonzero(at_least > last)[-1])
        cand = np.flatnonzero(q[a:b] >= level)
        cand += a
    else:
        cand = np.arange(a, b)
    f = tf[cand].astype(np.float64)
    neg = -((f * k1p1) / (f + norm[ids[cand]]))
    kth = [e for e in ends if e < cand.shape[0]]
    order = np.argpartition(neg, kth) if kth else np.arange(cand.shape[0])
    rests = [float(-neg[order[e]]) if e < cand.shape[0] else 0.0 for e in ends]
    return ids[cand[order[:last]]], ends, rests


def _impact_tiers(indptr: np.ndarray, ids: np.ndarray, tf: np.ndarray, q: np.ndarray, norm: np.ndarray,
                  k1p1: float):
    """Impact tiers of the terms in at least ``_TIER_MIN_DF`` passages.

    For such a term, its postings are ordered by the ratio ``tf*(k1+1) / (tf+norm)`` (largest
    first; only partially: a partition at each tier end) and the first ``df // 8`` passage ids
    are kept. Per tier it records the tier's end and the largest ratio of the passages after
    it (0.0 when none are left), so ``idf * rest`` bounds the term's weight in any passage
    outside the tiers taken so far. Returns (imp_ptr, imp_ids, tier_ptr, tier_end, tier_rest).
    """
    n_terms = indptr.shape[0] - 1
    df = np.diff(indptr)
    tiered = np.flatnonzero(df >= _TIER_MIN_DF).tolist()
    # One thread: these many short numpy calls mostly hold the GIL, and two threads were
    # slower than one (1.24 s against 0.93 s for the 6,847 tiered terms of 1M passages).
    results = [_term_tiers(t, indptr, ids, tf, q, norm, k1p1) for t in tiered]
    imp_len = np.zeros(n_terms, dtype=np.int64)
    tier_len = np.zeros(n_terms, dtype=np.int64)
    ends_all: list[int] = []
    rests_all: list[float] = []
    for t, (_, ends, rests) in zip(tiered, results):
        imp_len[t] = ends[-1]
        tier_len[t] = len(ends)
        ends_all.extend(ends)
        rests_all.extend(rests)
    imp_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(imp_len, out=imp_ptr[1:])
    tier_ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(tier_len, out=tier_ptr[1:])
    imp_ids = (np.concatenate([r[0] for r in results]).astype(np.int32) if results
               else np.zeros(0, dtype=np.int32))
    return (imp_ptr, imp_ids, tier_ptr, np.array(ends_all, dtype=np.int64),
            np.array(rests_all, dtype=np.float64))


def _split_dense(indptr: np.ndarray, ids: np.ndarray, tf: np.ndarray, q: np.ndarray, n_docs: int):
    """Move the postings of terms whose dense tf row is smaller than their CSR slice
    (df * (4 + s) > N * s for s-byte tfs) into dense tf and impact rows.

    Returns (dense_row, dense_tf, dense_q, indptr, ids, tf, q), the CSR arrays without them.
    """
    n_terms = indptr.shape[0] - 1
    df = np.diff(indptr)
    isz = tf.dtype.itemsize
    dense_terms = np.flatnonzero(df * (4 + isz) > n_docs * isz).tolist()
    dense_row = np.full(n_terms, -1, dtype=np.int32)
    dense_row[dense_terms] = np.arange(len(dense_terms), dtype=np.int32)
    dense_tf = np.zeros((len(dense_terms), n_docs), dtype=tf.dtype)
    dense_q = np.zeros((len(dense_terms), n_docs), dtype=np.uint8)
    for r, t in enumerate(dense_terms):
        a, z = indptr[t], indptr[t + 1]
        dense_tf[r, ids[a:z]] = tf[a:z]
        dense_q[r, ids[a:z]] = q[a:z]
    if dense_terms:
        cut = [0]
        for t in dense_terms:
            cut += [int(indptr[t]), int(indptr[t + 1])]
        cut.append(int(indptr[-1]))
        keep = list(zip(cut[::2], cut[1::2]))
        ids = np.concatenate([ids[a:z] for a, z in keep])
        tf = np.concatenate([tf[a:z] for a, z in keep])
        q = np.concatenate([q[a:z] for a, z in keep])
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.where(dense_row < 0, df, 0), out=indptr[1:])
    return dense_row, dense_tf, dense_q, indptr, ids, tf, q


def _check_params(k1: float, b: float, epsilon: float) -> None:
    if not (k1 > 0 and 0 <= b <= 1 and math.isfinite(epsilon)):
        raise ValueError("need k1 > 0, 0 <= b <= 1 and a finite epsilon")


def _avgdl(doc_len: np.ndarray) -> float:
    return int(doc_len.sum()) / doc_len.shape[0] if doc_len.shape[0] else 0.0


class BM25Index:
    """Exact BM25Okapi over pre-tokenised passages. Build with :meth:`from_tokens`."""

    def __init__(
        self,
        *,
        terms: Sequence[str],
        idf: np.ndarray,
        upper: np.ndarray,
        indptr: np.ndarray,
        ids: np.ndarray,
        tf: np.ndarray,
        dense_row: np.ndarray,
        dense_tf: np.ndarray,
        doc_len: np.ndarray,
        imp_ptr: np.ndarray,
        imp_ids: np.ndarray,
        tier_ptr: np.ndarray,
        tier_end: np.ndarray,
        tier_rest: np.ndarray,
        dense_q: np.ndarray,
        q: np.ndarray,
        k1: float,
        b: float,
        epsilon: float,
        average_idf: float,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.terms = list(terms)
        self._vocab = {t: i for i, t in enumerate(self.terms)}
        self._idf = idf
        self._upper = upper
        self._indptr = indptr
        self._ids = ids
        self._tf = tf
        self._dense_row = dense_row
        self._dense_tf = dense_tf
        self._doc_len = doc_len
        self._imp_ptr = imp_ptr
        self._imp_ids = imp_ids
        self._tier_ptr = tier_ptr
        self._tier_end = tier_end
        self._tier_rest = tier_rest
        self._dense_q = dense_q
        self._q = q
        self._local = threading.local()  # per-thread scratch arrays of top_k (see _scratch)
        self.k1, self.b, self.epsilon = float(k1), float(b), float(epsilon)
        self.average_idf = float(average_idf)
        self.meta: dict[str, Any] = dict(meta or {})
        total = int(doc_len.sum(dtype=np.int64))
        self.n_docs = int(doc_len.shape[0])
        self.avgdl = total / self.n_docs if self.n_docs else 0.0
        self._k1p1 = self.k1 + 1
        self._norm = _length_norm(doc_len, self.k1, self.b, self.avgdl)
        self._df = self._doc_freqs()
        # Python-list copies for the per-token bookkeeping in the query path.
        self._dense_row_l: list[int] = dense_row.tolist()
        self._indptr_l: list[int] = indptr.tolist()
        self._df_l: list[int] = self._df.tolist()
        self._upper_l: list[float] = upper.tolist()
        self._idf_l: list[float] = idf.tolist()
        self._imp_ptr_l: list[int] = imp_ptr.tolist()
        self._tier_ptr_l: list[int] = tier_ptr.tolist()
        self._tier_end_l: list[int] = tier_end.tolist()
        self._tier_rest_l: list[float] = tier_rest.tolist()

    # ------------------------------------------------------------------ build

    @classmethod
    def from_tokens(
        cls, token_lists: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25
    ) -> BM25Index:
        """Index passages given as token lists (same input as ``BM25Okapi(token_lists)``).

        Term ids are given in order of first occurrence (rank_bm25's dict order). The tokens are
        mapped run by run; a worker thread turns each run into postings meanwhile.
        """
        _check_params(k1, b, epsilon)
        docs = token_lists if isinstance(token_lists, (list, tuple)) else list(token_lists)
        doc_len = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        norm = _length_norm(doc_len, k1, b, _avgdl(doc_len))
        bounds = _chunk_bounds(doc_len)
        child: _SharedRuns | None = None
        if int(doc_len.sum()) >= _PARALLEL_MIN_TOKENS and len(bounds) >= 2 and _can_fork():
            try:
                child = _SharedRuns(docs, bounds, doc_len, norm, k1 + 1)
            except Exception:  # noqa: BLE001 - no fork: build everything here
                child = None
        vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        try:
            with ThreadPoolExecutor(1) as worker:

                def post(tok: np.ndarray, a: int, z: int, ta: int) -> Future[_Chunk]:
                    if child is not None:  # both CPUs are busy already: no worker thread
                        f: Future[_Chunk] = Future()
                        f.set_result(_chunk_postings(tok, doc_len[a:z], a, ta, norm, k1 + 1, False))
                        return f
                    return worker.submit(_chunk_postings, tok, doc_len[a:z], a, ta, norm, k1 + 1, False)

                if child is None:
                    chunks = [f.result() for f in _map_runs(docs, bounds, vocab, post)]
                else:
                    started = time.monotonic()
                    chunks = []
                    while (i := child.claim_front()) is not None:
                        chunks += [f.result() for f in _map_runs(docs, bounds[i : i + 1], vocab, post)]
                    done = len(chunks)
                    got = None
                    if done < len(bounds):
                        got = child.result(done, _FORK_WAIT_FACTOR * (time.monotonic() - started) + _FORK_GRACE_S)
                    if got is None:  # the child failed: the serial path for its runs
                        child.close()
                        chunks += [f.result() for f in _map_runs(docs, bounds[done:], vocab, post)]
                    else:
                        child_chunks, child_terms, child_ids = got
                        # The child's terms continue the first-occurrence order after the parent's.
                        lut = np.empty(len(child_terms), dtype=np.int64)
                        lut[child_ids] = np.fromiter(map(vocab.__getitem__, child_terms), dtype=np.int64,
                                                     count=len(child_terms))
                        chunks += [ch._replace(terms=lut[: ch.df.shape[0]]) for ch in child_chunks]
            terms = list(vocab)
            return cls._build(chunks, doc_len, norm, terms, np.arange(len(terms)), k1, b, epsilon)
        finally:
            if child is not None:
                child.close()

    @classmethod
    def from_token_ids(
        cls,
        token_ids: np.ndarray,
        doc_len: np.ndarray,
        terms: Sequence[str],
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> BM25Index:
        """Index pre-encoded passages: flat term ids (passage after passage) and passage lengths.

        Equivalent to ``from_tokens`` on ``[[terms[i] for i in passage] ...]``; terms that never
        occur are kept in the vocabulary but score 0 like unknown tokens.
        """
        _check_params(k1, b, epsilon)
        tok = np.ascontiguousarray(token_ids, dtype=np.int32)
        lens = np.ascontiguousarray(doc_len, dtype=np.int64)
        if tok.ndim != 1 or lens.ndim != 1 or int(lens.sum()) != tok.shape[0]:
            raise ValueError("token_ids must be 1-D and sum(doc_len) == len(token_ids)")
        if tok.size and (int(tok.min()) < 0 or int(tok.max()) >= len(terms)):
            raise ValueError("token id out of range of terms")
        norm = _length_norm(lens, k1, b, _avgdl(lens))
        with ThreadPoolExecutor(_workers()) as pool:
            chunks = list(pool.map(lambda c: _chunk_postings(tok[c[2] : c[3]], lens[c[0] : c[1]], c[0], c[2], norm,
                                                             k1 + 1, True), _chunk_bounds(lens)))
        first_pos = np.full(len(terms), np.iinfo(np.int64).max, dtype=np.int64)
        for ch in chunks:
            assert ch.first_pos is not None
            n = ch.first_pos.shape[0]
            np.minimum(first_pos[:n], ch.first_pos, out=first_pos[:n])
        return cls._build(chunks, lens, norm, list(terms), np.argsort(first_pos, kind="stable"), k1, b, epsilon)

    @classmethod
    def _build(
        cls,
        chunks: list[_Chunk],
        doc_len: np.ndarray,
        norm: np.ndarray,
        terms: list[str],
        first_order: np.ndarray,
        k1: float,
        b: float,
        epsilon: float,
    ) -> BM25Index:
        n_docs, n_terms = doc_len.shape[0], len(terms)
        with ThreadPoolExecutor(_workers()) as pool:
            indptr, ids, tf, q, max_ratio = _merge(chunks, n_terms, pool)
            del chunks
            df = np.diff(indptr)
            idf, average = _idf(df, first_order, n_docs, epsilon)
            upper = idf * max_ratio
            # The dense rows are split off in a worker thread (large copies, GIL released)
            # while this thread computes the impact tiers (many short numpy calls).
            dense = pool.submit(_split_dense, indptr, ids, tf, q, n_docs)
            tiers = _impact_tiers(indptr, ids, tf, q, norm, k1 + 1)
            dense_row, dense_tf, dense_q, indptr, ids, tf, q = dense.result()
        return cls(
            terms=terms,
            idf=idf,
            upper=upper,
            indptr=indptr,
            ids=ids,
            tf=tf,
            dense_row=dense_row,
            dense_tf=dense_tf,
            doc_len=doc_len.astype(np.int32),
            imp_ptr=tiers[0],
            imp_ids=tiers[1],
            tier_ptr=tiers[2],
            tier_end=tiers[3],
            tier_rest=tiers[4],
            dense_q=dense_q,
            q=q,
            k1=k1,
            b=b,
            epsilon=epsilon,
            average_idf=average,
        )

    def _doc_freqs(self) -> np.ndarray:
        df = np.diff(self._indptr)
        dense = np.flatnonzero(self._dense_row >= 0)
        if dense.size:
            df[dense] = np.count_nonzero(self._dense_tf[self._dense_row[dense]], axis=1)
        return df

    # ------------------------------------------------------------------ info

    @property
    def vocab_size(self) -> int:
        return len(self.terms)

    @property
    def n_postings(self) -> int:
        return int(self._df.sum())

    def idf(self, term: str) -> float:
        """The weight rank_bm25 gives ``term`` (0.0 for unknown terms)."""
        t = self._vocab.get(term)
        return 0.0 if t is None else float(self._idf[t])

    def nbytes(self) -> int:
        """Bytes held by the index's numpy arrays (the vocabulary strings not included)."""
        arrays = (self._idf, self._upper, self._indptr, self._ids, self._tf, self._dense_row,
                  self._dense_tf, self._doc_len, self._norm, self._df, self._imp_ptr, self._imp_ids,
                  self._tier_ptr, self._tier_end, self._tier_rest, self._dense_q, self._q)
        return sum(a.nbytes for a in arrays)

    # ------------------------------------------------------------------ scoring

    def _query_terms(self, query_tokens: Iterable[str]) -> list[int]:
        """Known query terms in query order, repeats kept (unknown tokens add exactly 0.0)."""
        get = self._vocab.get
        df = self._df_l
        return [t for t in map(get, query_tokens) if t is not None and df[t] > 0]

    def _posting(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and tfs of term t (computed from the dense row for dense terms)."""
        r = int(self._dense_row[t])
        if r < 0:
            a, b = self._indptr[t], self._indptr[t + 1]
            return self._ids[a:b], self._tf[a:b]
        row = self._dense_tf[r]
        ids = np.flatnonzero(row)
        return ids, row[ids]

    def _contrib(self, t: int, tf: np.ndarray, norm: np.ndarray) -> np.ndarray:
        """``idf * (tf*(k1+1) / (tf + norm))`` — rank_bm25's expression, same operation order."""
        f = tf.astype(np.float64)
        return self._idf[t] * (f * self._k1p1 / (f + norm))

    def get_scores(self, query_tokens: Iterable[str]) -> np.ndarray:
        """Scores of all passages; ``np.array_equal`` to ``BM25Okapi.get_scores``."""
        scores = np.zeros(self.n_docs, dtype=np.float64)
        for t in self._query_terms(query_tokens):
            r = int(self._dense_row[t])
            if r >= 0:
                scores += self._contrib(t, self._dense_tf[r], self._norm)
            else:
                ids, tf = self._posting(t)
                scores[ids] += self._contrib(t, tf, self._norm[ids])
        return scores

    def _score(
        self,
        query: list[int],
        cand: np.ndarray,
        absent: set[int] | frozenset[int] = frozenset(),
        scatter: tuple[list[int], list[np.ndarray], list[np.ndarray]] | None = None,
    ) -> np.ndarray:
        """Exact scores of the distinct passages ``cand``, adding tokens in query order.

        Terms in ``absent`` occur in none of ``cand`` (they would add exactly 0.0). ``scatter``
        is (terms, ids, tfs) for sparse terms whose passages among ``cand`` are all in the given
        ids; ``cand`` must then be sorted. Other terms' tfs are looked up (dense rows: a gather;
        postings: a binary search). The tfs go into one (terms x candidates) matrix so the float
        work is a handful of vectorised operations whatever the query length.
        """
        dense_row = self._dense_row_l
        scat_terms = scatter[0] if scatter else []
        skip = set(scat_terms).union(absent)
        distinct = list(dict.fromkeys(query))
        dense = [t for t in distinct if dense_row[t] >= 0 and t not in absent]
        lookup = [t for t in distinct if dense_row[t] < 0 and t not in skip]
        order = dense + scat_terms + lookup
        n = cand.shape[0]
        freq = np.empty((len(order), n), dtype=np.float64)
        nd, ns = len(dense), len(scat_terms)
        if nd:
            freq[:nd] = self._dense_tf[np.array([dense_row[t] for t in dense])[:, None], cand]
        if ns:
            assert scatter is not None
            freq[nd : nd + ns] = 0.0
            ids, tfs = scatter[1], scatter[2]
            if ns == 1:
                freq[nd, np.searchsorted(cand, ids[0])] = tfs[0]
            else:
                rows = np.repeat(np.arange(nd, nd + ns), [x.shape[0] for x in ids])
                freq[rows, np.searchsorted(cand, np.concatenate(ids))] = np.concatenate(tfs)
        indptr = self._indptr_l
        for j, t in enumerate(lookup, nd + ns):
            a, b = indptr[t], indptr[t + 1]
            ids_t = self._ids[a:b]
            where = ids_t.searchsorted(cand)
            freq[j] = self._tf[a:b].take(where, mode="clip") * (ids_t.take(where, mode="clip") == cand)
        # rank_bm25: idf * (tf * (k1 + 1) / (tf + norm)), the same float operations.
        num = freq * self._k1p1
        freq += self._norm[cand]
        num /= freq
        idf = self._idf_l
        num *= np.array([idf[t] for t in order])[:, None]
        row_of = {t: j for j, t in enumerate(order)}
        scores = None
        for t in query:
            j = row_of.get(t)
            if j is None:
                continue
            if scores is None:
                scores = num[j].copy()  # 0.0 + x == x
            else:
                scores += num[j]
        return scores if scores is not None else np.zeros(n, dtype=np.float64)

    def _check_mask(self, allowed: np.ndarray | None) -> np.ndarray | None:
        if allowed is None:
            return None
        allowed = np.asarray(allowed)
        if allowed.dtype != np.bool_ or allowed.shape != (self.n_docs,):
            raise ValueError(f"allowed must be a boolean array of shape ({self.n_docs},)")
        return allowed

    def top_k(self, query_tokens: Iterable[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """At most k ``(passage_index, score)`` among passages holding a query term.

        Sorted by score descending, then passage index ascending. ``allowed`` is an optional
        boolean mask over passages; only passages where it is True are returned.
        """
        allowed = self._check_mask(allowed)
        query = self._query_terms(query_tokens)
        if k <= 0 or not query:
            return []
        idf = self._idf_l
        if any(idf[t] <= 0 for t in query):
            return self._top_k_exhaustive(query, k, allowed)
        if allowed is not None:
            n_allowed = int(np.count_nonzero(allowed))
            if n_allowed == self.n_docs:
                allowed = None
            elif n_allowed <= max(_SMALL_FILTER, self.n_docs // 64):
                cand = np.flatnonzero(allowed)
                scores = self._score(query, cand)
                hit = scores > 0  # all weights are positive: touched <=> score > 0
                return _select(cand[hit], scores[hit], k)
        return self._top_k_pruned(query, k, allowed)

    def _next_step(self, t: int, level: int) -> tuple[int, int, float]:
        """Term t's next step from ``level`` tiers taken: (new level, passages it adds, new residual ratio).

        The step after the last tier takes all of t's passages (level _FULL, residual 0).
        """
        i0, i1 = self._tier_ptr_l[t], self._tier_ptr_l[t + 1]
        ends = self._tier_end_l
        taken = ends[i0 + level - 1] if level else 0
        if i0 + level < i1:
            return level + 1, ends[i0 + level] - taken, self._tier_rest_l[i0 + level]
        return _FULL, self._df_l[t] - taken, 0.0

    def _step_ids(self, t: int, old: int, new: int, allowed: np.ndarray | None) -> np.ndarray:
        """Passage ids term t adds when going from ``old`` to ``new`` tiers (or to _FULL)."""
        if new == _FULL:
            r = self._dense_row_l[t]
            if r >= 0:
                ids = np.flatnonzero(self._dense_tf[r])
            else:
                ids = self._ids[self._indptr_l[t] : self._indptr_l[t + 1]]
        else:
            i0, base = self._tier_ptr_l[t], self._imp_ptr_l[t]
            lo = self._tier_end_l[i0 + old - 1] if old else 0
            ids = self._imp_ids[base + lo : base + self._tier_end_l[i0 + new - 1]]
        return ids if allowed is None else ids[allowed[ids]]

    def _scratch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """This thread's float32 bound and temp arrays and its all-False passage mask.

        Reused across queries (fresh N-sized arrays cost page faults); the mask is reset by
        its user before returning.
        """
        local = self._local
        bufs = getattr(local, "bufs", None)
        if bufs is None:
            bufs = local.bufs = (np.empty(self.n_docs, dtype=np.float32), np.empty(self.n_docs, dtype=np.float32),
                                 np.zeros(self.n_docs, dtype=bool))
        return bufs

    def _bound_pass(self, query: list[int], theta: float, level: dict[int, int], scored: np.ndarray,
                    allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Unscored passages (and their bounds) whose score may reach ``theta``: a float32 upper bound for every passage.

        Each term adds its 8-bit impacts (dense rows, or per posting) times ``idf * step``. Terms all of whose passages were taken are left out (no
        unscored passage holds them); ``scored`` passages are dropped. The bound is compared with a slack far above float32
        rounding, so a passage is dropped only when its exact score is below ``theta``.
        """
        counts: dict[int, int] = {}
        for t in query:
            if level[t] != _FULL:
                counts[t] = counts.get(t, 0) + 1
        acc, tmp, _ = self._scratch()
        step = self._k1p1 / _Q_LEVELS
        dense = [t for t in counts if self._dense_row_l[t] >= 0]
        for i, t in enumerate(dense):
            w = np.float32(self._idf_l[t] * counts[t] * step)
            if i == 0:
                np.multiply(self._dense_q[self._dense_row_l[t]], w, out=acc)
            else:
                np.multiply(self._dense_q[self._dense_row_l[t]], w, out=tmp)
                acc += tmp
        if not dense:
            acc.fill(0.0)
        for t, c in counts.items():
            if self._dense_row_l[t] < 0:
                a, b = self._indptr_l[t], self._indptr_l[t + 1]
                acc[self._ids[a:b]] += self._q[a:b] * np.float32(self._idf_l[t] * c * step)
        acc[scored] = 0.0
        limit = _slack(theta)
        ids = np.flatnonzero(acc >= (limit if limit > 0.0 else _TINY))
        if allowed is not None:
            ids = ids[allowed[ids]]
        return ids, acc[ids]

    def _top_k_pruned(self, query: list[int], k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """Exact top k when every query weight is positive, scoring few passages.

        Rounds of candidates: first the whole postings of the rarest terms and the first impact
        tier of the others. A passage not yet scored holds, for each query term, either no
        occurrence or one outside the tiers taken, so its score is at most the float sum (in
        query order; float addition and multiplication by a positive idf are monotone) of the
        terms' residual bounds. Once that sum is below the k-th best score found, no unscored
        passage can enter the top k; until then each round takes further tiers (or whole
        postings), choosing the steps that remove the most bound per passage added.
        """
        df, idf, dense_row = self._df_l, self._idf_l, self._dense_row_l
        distinct = sorted(set(query), key=lambda t: (df[t], t))
        residual = {t: self._upper_l[t] for t in distinct}
        level = dict.fromkeys(distinct, 0)
        parts: list[np.ndarray] = []
        scat: tuple[list[int], list[np.ndarray], list[np.ndarray]] = ([], [], [])
        used = 0
        for t in distinct:
            d = df[t]
            if dense_row[t] < 0 and used + d <= _ROUND0_POSTINGS:
                a, b = self._indptr_l[t], self._indptr_l[t + 1]
                ids, tf = self._ids[a:b], self._tf[a:b]
                if allowed is not None:
                    keep = allowed[ids]
                    ids, tf = ids[keep], tf[keep]
                scat[0].append(t)
                scat[1].append(ids)
                scat[2].append(tf)
                parts.append(ids)
                level[t], residual[t] = _FULL, 0.0
                used += d
            elif self._tier_ptr_l[t + 1] > self._tier_ptr_l[t]:
                lv, _, rest = self._next_step(t, 0)
                parts.append(self._step_ids(t, 0, lv, allowed))
                level[t], residual[t] = lv, idf[t] * rest
        cand = _sorted_unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)
        scores = self._score(query, cand, scatter=scat)
        cands, scs = [cand], [scores]
        try:
            return self._rounds(query, k, allowed, distinct, level, residual, cands, scs)
        finally:
            seen = self._scratch()[2]
            for c in cands:  # leave the scratch mask all False
                seen[c] = False

    def _rounds(self, query: list[int], k: int, allowed: np.ndarray | None, distinct: list[int],
                level: dict[int, int], residual: dict[int, float], cands: list[np.ndarray],
                scs: list[np.ndarray]) -> list[tuple[int, float]]:
        """The rounds of :meth:`_top_k_pruned` after the first (``cands``/``scs`` grow in place)."""
        idf, dense_row = self._idf_l, self._dense_row_l
        cand, scores = cands[0], scs[0]
        top = scores
        n_scored = cand.shape[0]
        seen: np.ndarray | None = None
        while True:
            if top.shape[0] > k:
                top = np.partition(top, top.shape[0] - k)[top.shape[0] - k :]
            theta = float(top.min()) if top.shape[0] >= k else -math.inf
            bound = 0.0
            for t in query:
                bound += residual[t]
            if bound < theta:
                break
            open_terms = [t for t in distinct if level[t] != _FULL]
            if not open_terms:
                break
            plan: dict[int, int] = {}
            planned = dict(residual)
            cost, cap = 0, max(2 * n_scored, _ROUND_PASSAGES, self.n_docs // _ROUND_DIV)
            reached = False
            while not reached and cost < cap:
                best, best_gain, best_step = -1, -1.0, (0, 0, 0.0)
                for t in open_terms:
                    lv = plan.get(t, level[t])
                    if lv == _FULL:
                        continue
                    step = self._next_step(t, lv)
                    if cost + step[1] > cap or (step[0] == _FULL and dense_row[t] >= 0):
                        continue  # too many passages (a whole dense row: left to the bound pass)
                    gain = (planned[t] - idf[t] * step[2]) / max(step[1], 1)
                    if gain > best_gain:
                        best, best_gain, best_step = t, gain, step
                if best < 0:
                    break
                plan[best] = best_step[0]
                planned[best] = idf[best] * best_step[2]
                cost += best_step[1]
                bound = 0.0
                for t in query:
                    bound += planned[t]
                reached = bound < theta
            if seen is None:
                seen = self._scratch()[2]
                seen[cand] = True
            absent = {t for t in distinct if level[t] == _FULL}
            if reached:
                parts = [self._step_ids(t, level[t], lv, allowed) for t, lv in plan.items()]
                level.update(plan)
                residual = planned
                new = np.concatenate(parts) if len(parts) > 1 else parts[0]
                new = _sorted_unique(new[~seen[new]])
            else:
                scored = np.concatenate(cands) if len(cands) > 1 else cand
                new, ub = self._bound_pass(query, theta, level, scored, allowed)
                if new.shape[0] > 2 * _PROBE:
                    # Score the passages with the best bounds first: a higher k-th score
                    # then drops most of the others.
                    probe = np.argpartition(ub, new.shape[0] - _PROBE)[new.shape[0] - _PROBE :]
                    p_ids = new[probe]
                    p_scores = self._score(query, p_ids, absent)
                    cands.append(p_ids)
                    scs.append(p_scores)
                    top = np.concatenate((top, p_scores))
                    if top.shape[0] > k:
                        top = np.partition(top, top.shape[0] - k)[top.shape[0] - k :]
                    theta = float(top.min()) if top.shape[0] >= k else -math.inf
                    rest = np.ones(new.shape[0], dtype=bool)
                    rest[probe] = False
                    rest &= ub >= _slack(theta)
                    new = new[rest]
                level = dict.fromkeys(distinct, _FULL)
                residual = dict.fromkeys(distinct, 0.0)
            if new.shape[0]:
                cands.append(new)  # before marking: the caller unmarks what cands holds
                seen[new] = True
                s_new = self._score(query, new, absent)
                scs.append(s_new)
                top = np.concatenate((top, s_new))
                n_scored += new.shape[0]
        if len(cands) > 1:
            return _select(np.concatenate(cands), np.concatenate(scs), k)
        return _select(cand, scores, k)

    def _top_k_exhaustive(self, query: list[int], k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """Full scoring; used when some query weight is <= 0 so a score says nothing of a hit."""
        scores = self.get_scores(self.terms[t] for t in query)
        touched = np.zeros(self.n_docs, dtype=bool)
        for t in set(query):
            r = int(self._dense_row[t])
            if r >= 0:
                np.logical_or(touched, self._dense_tf[r], out=touched)
            else:
                touched[self._ids[self._indptr[t] : self._indptr[t + 1]]] = True
        if allowed is not None:
            touched &= allowed
        cand = np.flatnonzero(touched)
        return _select(cand, scores[cand], k)

    async def top_k_async(
        self,
        query_tokens: Iterable[str],
        k: int,
        allowed: np.ndarray | None = None,
        executor: Executor | None = None,
    ) -> list[tuple[int, float]]:
        """:meth:`top_k` in an executor (numpy releases the GIL for the heavy parts)."""
        loop = asyncio.get_running_loop()
        call = functools.partial(self.top_k, list(query_tokens), k, allowed)
        return await loop.run_in_executor(executor, call)

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | os.PathLike[str], meta: Mapping[str, Any] | None = None) -> None:
        """Write the index to ``path`` atomically (temp file in the same directory, fsync, rename)."""
        if meta is not None:
            self.meta = dict(meta)
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "k1": self.k1,
            "b": self.b,
            "epsilon": self.epsilon,
            "average_idf": self.average_idf,
            "n_docs": self.n_docs,
            "n_terms": self.vocab_size,
            "meta": self.meta,
        }
        lengths = np.fromiter(map(len, self.terms), dtype=np.int64, count=len(self.terms))
        offsets = np.zeros(len(self.terms) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        arrays = {
            "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
            "vocab": np.frombuffer("".join(self.terms).encode("utf-8", "surrogatepass"), dtype=np.uint8),
            "vocab_offsets": offsets,
            "idf": self._idf,
            "upper": self._upper,
            "indptr": self._indptr,
            "ids": self._ids,
            "tf": self._tf,
            "dense_row": self._dense_row,
            "dense_tf": self._dense_tf,
            "doc_len": self._doc_len,
            "imp_ptr": self._imp_ptr,
            "imp_ids": self._imp_ids,
            "tier_ptr": self._tier_ptr,
            "tier_end": self._tier_end,
            "tier_rest": self._tier_rest,
            "dense_q": self._dense_q,
            "q": self._q,
        }
        _atomic_write(Path(path), arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BM25Index:
        """Read an index written by :meth:`save`; any problem with the file raises IndexFileError."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
        except FileNotFoundError:
            raise IndexFileError(f"{path}: no such index file") from None
        except Exception as exc:  # noqa: BLE001 - any failure to read means a bad file
            raise IndexFileError(f"{path}: unreadable or corrupt index file ({type(exc).__name__}: {exc})") from exc
        try:
            return cls._from_arrays(arrays)
        except IndexFileError as exc:
            raise IndexFileError(f"{path}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - inconsistent content means a bad file
            raise IndexFileError(f"{path}: corrupt index file ({type(exc).__name__}: {exc})") from exc

    @classmethod
    def _from_arrays(cls, a: dict[str, np.ndarray]) -> BM25Index:
        if "header" not in a:
            raise IndexFileError("not a cmsbot BM25 index (no header)")
        header = json.loads(a["header"].tobytes().decode())
        if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
            raise IndexFileError("not a cmsbot BM25 index")
        if header.get("version") != FORMAT_VERSION:
            raise IndexFileError(f"index format version {header.get('version')!r}, expected {FORMAT_VERSION}")
        text = a["vocab"].tobytes().decode("utf-8", "surrogatepass")
        offs = a["vocab_offsets"].tolist()
        terms = [text[i:j] for i, j in zip(offs[:-1], offs[1:])]
        n_terms, n_docs = int(header["n_terms"]), int(header["n_docs"])
        _check_shapes(a, n_terms, n_docs, len(text))
        return cls(
            terms=terms,
            idf=a["idf"],
            upper=a["upper"],
            indptr=a["indptr"],
            ids=a["ids"],
            tf=a["tf"],
            dense_row=a["dense_row"],
            dense_tf=a["dense_tf"],
            doc_len=a["doc_len"],
            imp_ptr=a["imp_ptr"],
            imp_ids=a["imp_ids"],
            tier_ptr=a["tier_ptr"],
            tier_end=a["tier_end"],
            tier_rest=a["tier_rest"],
            dense_q=a["dense_q"],
            q=a["q"],
            k1=header["k1"],
            b=header["b"],
            epsilon=header["epsilon"],
            average_idf=header["average_idf"],
            meta=header.get("meta") or {},
        )


def _check_shapes(a: dict[str, np.ndarray], n_terms: int, n_docs: int, text_len: int) -> None:
    """Cheap consistency checks so a damaged file fails at load, not at query time."""
    problems = []
    offs = a["vocab_offsets"]
    if offs.shape != (n_terms + 1,) or (n_terms and (offs[0] != 0 or offs[-1] != text_len)):
        problems.append("vocabulary")
    for name, dtype, shape in (("idf", np.float64, (n_terms,)), ("upper", np.float64, (n_terms,)),
                               ("indptr", np.int64, (n_terms + 1,)), ("dense_row", np.int32, (n_terms,)),
                               ("doc_len", np.int32, (n_docs,))):
        if a[name].dtype != dtype or a[name].shape != shape:
            problems.append(name)
    ids, tf, indptr, dense = a["ids"], a["tf"], a["indptr"], a["dense_tf"]
    if ids.dtype != np.int32 or ids.ndim != 1 or tf.shape != ids.shape or tf.dtype.kind != "u":
        problems.append("postings")
    elif indptr.shape == (n_terms + 1,) and (indptr[0] != 0 or indptr[-1] != ids.shape[0]
                                             or np.any(np.diff(indptr) < 0)):
        problems.append("indptr")
    elif ids.size and (int(ids.min()) < 0 or int(ids.max()) >= n_docs):
        problems.append("passage ids")
    n_dense = int(np.count_nonzero(a["dense_row"] >= 0)) if a["dense_row"].shape == (n_terms,) else -1
    if dense.ndim != 2 or dense.shape != (n_dense, n_docs) or dense.dtype != tf.dtype:
        problems.append("dense rows")
    if a["dense_q"].shape != dense.shape or a["dense_q"].dtype != np.uint8:
        problems.append("dense impacts")
    if a["q"].shape != ids.shape or a["q"].dtype != np.uint8:
        problems.append("impacts")
    imp_ptr, imp_ids, tier_ptr = a["imp_ptr"], a["imp_ids"], a["tier_ptr"]
    tier_end, tier_rest = a["tier_end"], a["tier_rest"]
    if (imp_ptr.dtype != np.int64 or imp_ptr.shape != (n_terms + 1,) or imp_ids.dtype != np.int32
            or imp_ids.ndim != 1 or imp_ptr[0] != 0 or imp_ptr[-1] != imp_ids.shape[0]
            or np.any(np.diff(imp_ptr) < 0) or (imp_ids.size and (int(imp_ids.min()) < 0
                                                                  or int(imp_ids.max()) >= n_docs))):
        problems.append("impact postings")
    if (tier_ptr.dtype != np.int64 or tier_ptr.shape != (n_terms + 1,) or tier_end.dtype != np.int64
            or tier_rest.dtype != np.float64 or tier_end.ndim != 1 or tier_end.shape != tier_rest.shape
            or tier_ptr[0] != 0 or tier_ptr[-1] != tier_end.shape[0] or np.any(np.diff(tier_ptr) < 0)):
        problems.append("impact tiers")
    elif tier_end.size:
        has = np.diff(tier_ptr) > 0
        imp_len = np.diff(imp_ptr) if "impact postings" not in problems else None
        if (imp_len is None or np.any(imp_len[~has] != 0)
                or not np.array_equal(tier_end[tier_ptr[1:][has] - 1], imp_len[has])):
            problems.append("impact tiers")
    if problems:
        raise IndexFileError("corrupt index file (bad " + ", ".join(problems) + ")")


_TINY = float(np.finfo(np.float32).tiny)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array (a sort and a neighbour test)."""
    if x.shape[0] < 2:
        return x.copy()
    x = np.sort(x)
    keep = np.empty(x.shape[0], dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _slack(theta: float) -> float:
    """The bound a passage must reach (float32 bounds) to possibly score ``theta``."""
    return theta - _BOUND_SLACK * (abs(theta) + 1.0) if theta > -math.inf else -math.inf


def _select(cand: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Top k of (distinct passage ids, scores): score descending, then passage index ascending."""
    n = cand.shape[0]
    if n > k:
        kth = np.partition(scores, n - k)[n - k]
        keep = np.flatnonzero(scores >= kth)
        cand, scores = cand[keep], scores[keep]
    order = np.lexsort((cand, -scores))[:k]
    return list(zip(cand[order].tolist(), scores[order].tolist()))


def _write_arrays(fh: Any, arrays: dict[str, np.ndarray]) -> None:
    np.savez(fh, allow_pickle=False, **arrays)


def _atomic_write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write to a temp file beside ``path``, fsync, then os.replace; never leave a partial file."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_arrays(fh, arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
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
