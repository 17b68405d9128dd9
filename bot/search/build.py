"""Building an index's arrays: postings run by run, merged, with impacts, tiers and dense rows.

A build cuts the corpus into runs of passages of about ``_CHUNK_TOKENS`` tokens and turns
each run into postings with one integer sort of (term, passage) keys (``_chunk_postings``);
the runs are then merged term by term (``_merge``). ``chunks_from_tokens`` maps a run's
tokens to ids while a worker thread builds the previous run's postings; on large corpora a
forked child process takes runs from the back meanwhile (``_SharedRuns``) and the two
vocabularies are joined in first-occurrence order. ``assemble`` then computes rank_bm25's
idf table, the per-term bounds, the impact tiers and the dense rows that ``BM25Index`` holds.
"""

from __future__ import annotations

import itertools
import marshal
import math
import mmap
import os
import select
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np

# Terms in at least this many passages get impact tiers: their passages with the largest
# tf/length ratio, grouped in tiers of 64, 256, 1024, ... passages, up to df // 8 of them.
_TIER_MIN_DF = 1024
_TIER0 = 64
_PREFIX_DIV = 8
# Dense rows also come as 8-bit impacts: q = floor(ratio / step) + 1 (<= 255), step = (k1+1)/255,
# so q * step bounds the ratio; a full pass over them bounds every passage's score at once.
Q_LEVELS = 255
# Builds work on runs of passages of about this many tokens (in a worker thread while
# from_tokens maps the next run's tokens to ids), then merge them term by term. Runs this
# short (~26k passages of 80 tokens) keep the (term, passage) sort keys in 32 bits for
# vocabularies up to ~130k terms: 2M-token runs built in 0.62-0.75 s per 20M tokens
# against 1.07 s for 8M-token runs with 64-bit keys (250k synthetic passages).
_CHUNK_TOKENS = 1 << 21
_MAP_TOKENS = 1 << 16
# from_tokens on at least this many tokens (and 2+ CPUs, Linux fork) shares its runs with a
# forked child process (see _SharedRuns); smaller corpora never fork.
_PARALLEL_MIN_TOKENS = 1 << 22
# When the parent has no run left, it waits for the child at most this many times as long as
# it has worked (plus _FORK_GRACE_S seconds), then builds the child's runs itself.
_FORK_WAIT_FACTOR = 2.0
_FORK_GRACE_S = 10.0


def _tf_dtype(max_tf: int) -> np.dtype:
    for dt in (np.uint8, np.uint16, np.uint32):
        if max_tf <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.uint64)


def length_norm(doc_len: np.ndarray, k1: float, b: float, avgdl: float) -> np.ndarray:
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


class Chunk(NamedTuple):
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
    level = ratio / (k1p1 / Q_LEVELS)
    np.floor(level, out=level)
    level += 1
    np.minimum(level, Q_LEVELS, out=level)
    return level.astype(np.uint8)


def _chunk_postings(tok: np.ndarray, doc_len: np.ndarray, first_doc: int, first_tok: int, norm: np.ndarray,
                    k1p1: float, need_first: bool) -> Chunk:
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
    return Chunk(df, ids, tf, _impacts(ratio, k1p1), max_ratio, first_pos)


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
    own term ids (first occurrence within the run), turns it into a ``Chunk``, writes the
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

    def result(self, first: int, timeout: float) -> tuple[list[Chunk], list[str], np.ndarray] | None:
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
                chunks.append(Chunk(np.frombuffer(df, dtype=np.int64), ids, tf, q,
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


def _merge(chunks: list[Chunk], n_terms: int, pool: Executor):
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
        hist = np.bincount(q[a:b], minlength=Q_LEVELS + 1)
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


def average_length(doc_len: np.ndarray) -> float:
    return int(doc_len.sum()) / doc_len.shape[0] if doc_len.shape[0] else 0.0


def chunks_from_tokens(docs: Sequence[Sequence[str]], doc_len: np.ndarray, norm: np.ndarray,
                       k1p1: float) -> tuple[list[Chunk], list[str]]:
    """The postings of token-list passages, run by run, and the terms in first-occurrence order
    (rank_bm25's dict order), which are also their ids. ``docs`` must support slicing."""
    bounds = _chunk_bounds(doc_len)
    vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    child: _SharedRuns | None = None
    if int(doc_len.sum()) >= _PARALLEL_MIN_TOKENS and len(bounds) >= 2 and _can_fork():
        try:
            child = _SharedRuns(docs, bounds, doc_len, norm, k1p1)
        except Exception:  # noqa: BLE001 - no fork: build everything here
            child = None
    if child is None:
        with ThreadPoolExecutor(1) as worker:  # postings of one run while the next is mapped
            futures = _map_runs(docs, bounds, vocab, lambda tok, a, z, ta: worker.submit(
                _chunk_postings, tok, doc_len[a:z], a, ta, norm, k1p1, False))
            return [f.result() for f in futures], list(vocab)
    try:
        return _shared_build(child, docs, bounds, doc_len, norm, k1p1, vocab), list(vocab)
    finally:
        child.close()


def _shared_build(child: _SharedRuns, docs: Sequence[Sequence[str]], bounds: list[tuple[int, int, int, int]],
                  doc_len: np.ndarray, norm: np.ndarray, k1p1: float, vocab: defaultdict[str, int]) -> list[Chunk]:
    """The parent's side of a build shared with ``child``: runs from the front, then the child's."""

    def post(tok: np.ndarray, a: int, z: int, ta: int) -> Chunk:  # both CPUs are busy: no worker thread
        return _chunk_postings(tok, doc_len[a:z], a, ta, norm, k1p1, False)

    started = time.monotonic()
    chunks: list[Chunk] = []
    while (i := child.claim_front()) is not None:
        chunks += _map_runs(docs, bounds[i : i + 1], vocab, post)
    done = len(chunks)
    got = None
    if done < len(bounds):
        got = child.result(done, _FORK_WAIT_FACTOR * (time.monotonic() - started) + _FORK_GRACE_S)
    if got is None:  # no runs left for the child, or it failed: the serial path for its runs
        child.close()
        return chunks + _map_runs(docs, bounds[done:], vocab, post)
    child_chunks, child_terms, child_ids = got
    # The child's terms continue the first-occurrence order after the parent's.
    lut = np.empty(len(child_terms), dtype=np.int64)
    lut[child_ids] = np.fromiter(map(vocab.__getitem__, child_terms), dtype=np.int64, count=len(child_terms))
    return chunks + [ch._replace(terms=lut[: ch.df.shape[0]]) for ch in child_chunks]


def chunks_from_ids(tok: np.ndarray, doc_len: np.ndarray, norm: np.ndarray, k1p1: float,
                    n_terms: int) -> tuple[list[Chunk], np.ndarray]:
    """The postings of pre-encoded passages (flat term ids, passage lengths), run by run in
    worker threads, and the term ids in order of first occurrence."""
    with ThreadPoolExecutor(_workers()) as pool:
        chunks = list(pool.map(lambda c: _chunk_postings(tok[c[2] : c[3]], doc_len[c[0] : c[1]], c[0], c[2], norm,
                                                         k1p1, True), _chunk_bounds(doc_len)))
    first_pos = np.full(n_terms, np.iinfo(np.int64).max, dtype=np.int64)
    for ch in chunks:
        assert ch.first_pos is not None
        n = ch.first_pos.shape[0]
        np.minimum(first_pos[:n], ch.first_pos, out=first_pos[:n])
    return chunks, np.argsort(first_pos, kind="stable")


def assemble(chunks: list[Chunk], norm: np.ndarray, n_terms: int, first_order: np.ndarray, k1p1: float,
             epsilon: float) -> dict[str, Any]:
    """Merge the runs' postings and derive what the index holds besides terms and lengths:
    idf and per-term bounds, CSR postings, dense rows, impacts and impact tiers."""
    n_docs = norm.shape[0]
    with ThreadPoolExecutor(_workers()) as pool:
        indptr, ids, tf, q, max_ratio = _merge(chunks, n_terms, pool)
        del chunks
        df = np.diff(indptr)
        idf, average = _idf(df, first_order, n_docs, epsilon)
        upper = idf * max_ratio
        # The dense rows are split off in a worker thread (large copies, GIL released)
        # while this thread computes the impact tiers (many short numpy calls).
        dense = pool.submit(_split_dense, indptr, ids, tf, q, n_docs)
        tier_arrays = _impact_tiers(indptr, ids, tf, q, norm, k1p1)
        dense_row, dense_tf, dense_q, indptr, ids, tf, q = dense.result()
    tiers = dict(zip(("imp_ptr", "imp_ids", "tier_ptr", "tier_end", "tier_rest"), tier_arrays))
    return dict(idf=idf, upper=upper, indptr=indptr, ids=ids, tf=tf, dense_row=dense_row, dense_tf=dense_tf,
                dense_q=dense_q, q=q, average_idf=average, **tiers)
