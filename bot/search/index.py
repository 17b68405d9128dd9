"""Exact BM25Okapi index: rank_bm25's scores, bit for bit, without its per-query corpus scan.

Scores follow ``rank_bm25.BM25Okapi`` (k1, b, epsilon; idf ``log(N-df+0.5) - log(df+0.5)``
with negative idfs floored to ``epsilon * average_idf``) and are computed with the same
float64 operations in the same order, so ``get_scores`` is ``np.array_equal`` to rank_bm25's.

Storage: postings by term in CSR form (int32 passage ids + small-int term frequencies).
Terms that occur in more than about a fifth of the passages are stored as dense tf rows
instead, which is both smaller and gives O(1) lookups. Every posting (dense rows included)
also has an 8-bit impact, an upper bound of its ratio ``tf*(k1+1) / (tf+norm)``. Terms
in at least 1,024 passages get impact tiers: the passages with the largest ratios,
in tiers of 64, 256, 1024, ... up to df/8, with the best ratio left after each tier.

``top_k`` is exact but scores few passages: a first round takes the rarest terms' postings
and the first tier of the others; the k-th best score then bounds what an unscored passage
must reach, against the sum of the terms' remaining bounds. Further rounds take more tiers
(or whole postings); when that would take too many passages, one float32 pass over the
impacts bounds every passage and leaves only those that might
still reach the k-th score (see ``_top_k_pruned``).

Builds (``from_tokens``, ``from_token_ids``) are in ``bot.search.build``.
"""

from __future__ import annotations

import functools
import io
import json
import math
import mmap
import os
import threading
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot import tempfiles
from bot.search import build
from bot.search.build import Q_LEVELS, average_length, length_norm

if TYPE_CHECKING:
    from concurrent.futures import Executor

FORMAT_NAME = "cmsbot-bm25okapi"
FORMAT_VERSION = 2

# A filter allowing fewer passages than this (or than N // 64) is scored passage by passage.
_SMALL_FILTER = 4096
# top_k's first round takes whole postings of the rarest terms up to this many passages.
_ROUND0_POSTINGS = 2048
# A later round takes at most this many passages (or twice those scored, or N / _ROUND_DIV);
# beyond that one bound pass over all passages is cheaper.
_ROUND_PASSAGES = 4096
_ROUND_DIV = 64
_FULL = -1  # level of a term all of whose passages are taken
# Relative slack for the float32 bound pass (its rounding is far smaller).
_BOUND_SLACK = 1e-3
# Passages scored first (best bounds) when the bound pass leaves many.
_PROBE = 512
class IndexFileError(Exception):
    """A saved index file is missing, unreadable, corrupt, or of another format version."""


def _check_params(k1: float, b: float, epsilon: float) -> None:
    if not (k1 > 0 and 0 <= b <= 1 and math.isfinite(epsilon)):
        raise ValueError("need k1 > 0, 0 <= b <= 1 and a finite epsilon")


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
        extra: Mapping[str, np.ndarray] | None = None,
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
        #: Arrays stored beside the index in its file (the engine's passage table).
        self.extra: dict[str, np.ndarray] = dict(extra or {})
        total = int(doc_len.sum(dtype=np.int64))
        self.n_docs = int(doc_len.shape[0])
        self.avgdl = total / self.n_docs if self.n_docs else 0.0
        self._k1p1 = self.k1 + 1
        self._norm = length_norm(doc_len, self.k1, self.b, self.avgdl)
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
        norm = length_norm(doc_len, k1, b, average_length(doc_len))
        chunks, terms = build.chunks_from_tokens(docs, doc_len, norm, k1 + 1)
        return cls._build(chunks, doc_len, norm, terms, np.arange(len(terms)), k1, b, epsilon)

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
        norm = length_norm(lens, k1, b, average_length(lens))
        chunks, first_order = build.chunks_from_ids(tok, lens, norm, k1 + 1, len(terms))
        return cls._build(chunks, lens, norm, list(terms), first_order, k1, b, epsilon)

    @classmethod
    def _build(
        cls,
        chunks: list[build.Chunk],
        doc_len: np.ndarray,
        norm: np.ndarray,
        terms: list[str],
        first_order: np.ndarray,
        k1: float,
        b: float,
        epsilon: float,
    ) -> BM25Index:
        arrays = build.assemble(chunks, norm, len(terms), first_order, k1 + 1, epsilon)
        return cls(terms=terms, doc_len=doc_len.astype(np.int32), k1=k1, b=b, epsilon=epsilon, **arrays)

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

    def holds(self, term: str, ids: np.ndarray) -> np.ndarray:
        """For each passage id in ``ids``, whether that passage holds ``term`` (a dense term's row is
        read directly; a sparse one's postings are searched)."""
        t = self._vocab.get(term)
        if t is None:
            return np.zeros(len(ids), dtype=bool)
        r = int(self._dense_row[t])
        if r >= 0:
            return self._dense_tf[r][ids] > 0
        posting = self._ids[self._indptr[t]:self._indptr[t + 1]]
        at = np.searchsorted(posting, ids)
        return (at < len(posting)) & (posting[np.minimum(at, len(posting) - 1)] == ids)

    def postings(self, term: str) -> np.ndarray:
        """The ids of the passages holding ``term`` (ascending; empty for an unknown term)."""
        t = self._vocab.get(term)
        if t is None:
            return np.empty(0, dtype=np.int64)
        return self._posting(t)[0]

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
        step = self._k1p1 / Q_LEVELS
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
        import asyncio  # only the Discord frontend runs an event loop: not imported by a plain `cmsbot ask`

        loop = asyncio.get_running_loop()
        call = functools.partial(self.top_k, list(query_tokens), k, allowed)
        return await loop.run_in_executor(executor, call)

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | os.PathLike[str], meta: Mapping[str, Any] | None = None,
             extra: Mapping[str, np.ndarray] | None = None) -> None:
        """Write the index to ``path`` atomically (temp file in the same directory, fsync, rename).
        ``meta`` goes into the JSON header; ``extra`` arrays (names outside the index's own) are
        stored beside the index's and come back in ``extra`` on load."""
        if meta is not None:
            self.meta = dict(meta)
        if extra is not None:
            clash = set(extra) & _OWN_ARRAYS
            if clash:
                raise ValueError(f"extra arrays may not be named {sorted(clash)}")
            self.extra = dict(extra)
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
            **self.extra,
        }
        _atomic_write(Path(path), arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BM25Index:
        """Read an index written by :meth:`save`; any problem with the file raises IndexFileError."""
        path = Path(path)
        tempfiles.remove_stale(path)  # left by a writer killed mid-write; the index itself is intact
        try:
            arrays = _read_npz(path)
        except FileNotFoundError:
            raise IndexFileError(f"{path}: no such index file") from None
        except Exception as exc:  # noqa: BLE001 - any failure to read means a bad file
            # numpy's own wording ("load it unsafely using allow_pickle=…") is advice for numpy users, not ours.
            raise IndexFileError(f"{path}: unreadable or corrupt index file") from exc
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
            extra={name: array for name, array in a.items() if name not in _OWN_ARRAYS},
        )


#: The arrays of the index itself in a saved file; any other is an ``extra``.
_OWN_ARRAYS = frozenset("header vocab vocab_offsets idf upper indptr ids tf dense_row dense_tf doc_len imp_ptr imp_ids "
                        "tier_ptr tier_end tier_rest dense_q q".split())


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


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` file as ``np.load`` gives them, from one mapping of the file: each
    stored (uncompressed) member's CRC is checked and its array is a view of the mapped bytes, not
    a copy (``np.load`` copies every array two or three times on the way). Compressed or odd
    members go through ``np.load``."""
    with open(path, "rb") as fh:
        # Mapped, not read: the CRCs read the file's pages where the page cache holds them, and no
        # copy of the whole file is made (the arrays are views of the mapping, which they keep
        # alive). Index files are only ever replaced whole (``_atomic_write``), never changed in place.
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
    view = memoryview(data)
    arrays: dict[str, np.ndarray] = {}
    if any(m.compress_type != zipfile.ZIP_STORED or m.flag_bits & 0x1 for m in members):
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    for m in members:
        local = view[m.header_offset:m.header_offset + 30]
        if len(local) < 30 or bytes(local[:4]) != b"PK\x03\x04":
            raise ValueError(f"{m.filename}: bad local header")
        name_len, extra_len = int.from_bytes(local[26:28], "little"), int.from_bytes(local[28:30], "little")
        start = m.header_offset + 30 + name_len + extra_len
        body = view[start:start + m.compress_size]
        if len(body) != m.compress_size or m.compress_size != m.file_size or zlib.crc32(body) != m.CRC:
            raise ValueError(f"{m.filename}: bad CRC or size")
        head = io.BytesIO(body[:65536])
        version = np.lib.format.read_magic(head)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(head)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(head)
        else:
            raise ValueError(f"{m.filename}: npy version {version}")
        if dtype.hasobject:
            raise ValueError(f"{m.filename}: object arrays are not allowed")
        count = math.prod(shape)
        offset = head.tell()
        if offset + count * dtype.itemsize != len(body):
            raise ValueError(f"{m.filename}: size does not match its shape")
        array = np.frombuffer(body, dtype=dtype, count=count, offset=offset)
        arrays[m.filename.removesuffix(".npy")] = array.reshape(shape, order="F" if fortran else "C")
    return arrays


def _write_arrays(fh: Any, arrays: dict[str, np.ndarray]) -> None:
    np.savez(fh, allow_pickle=False, **arrays)


def _atomic_write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write to a locked temp file beside ``path``, fsync, then os.replace; never leave a partial file,
    and sweep up the temp files of writers killed mid-write (see bot.tempfiles)."""
    with tempfiles.writing(path) as fh:
        _write_arrays(fh, arrays)
