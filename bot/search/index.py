"""Exact BM25Okapi index: rank_bm25's scores, bit for bit, without its per-query corpus scan.

Scores follow ``rank_bm25.BM25Okapi`` (k1, b, epsilon; idf ``log(N-df+0.5) - log(df+0.5)``
with negative idfs floored to ``epsilon * average_idf``) and are computed with the same
float64 operations in the same order, so ``get_scores`` is ``np.array_equal`` to rank_bm25's.

Storage: postings by term in CSR form (int32 passage ids + small-int term frequencies).
Terms that occur in more than about a fifth of the passages are stored as dense tf rows
instead, which is both smaller and gives O(1) lookups. The only per-passage float array
is the length-norm denominator ``k1 * (1 - b + b * dl / avgdl)``.

``top_k`` is exact but avoids reading the postings of frequent terms when it can (MaxScore):
it scores the passages of the rarest query terms, takes the k-th best score as a threshold,
drops the frequent terms whose summed upper bounds cannot reach it from candidate
generation, and scores only the remaining candidates against every query token.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import math
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_NAME = "cmsbot-bm25okapi"
FORMAT_VERSION = 1

# Candidate sets smaller than this are merged with a sort, larger ones with a passage mask.
_SORT_UNION_FRACTION = 16
# A filter allowing fewer passages than this (or than N // 64) is scored passage by passage.
_SMALL_FILTER = 4096


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


def _term_major(tok: np.ndarray, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable order of token positions by term id (radix sorts on 16-bit keys) + token indptr."""
    counts = np.bincount(tok, minlength=n_terms)
    if n_terms <= 1 << 16:
        perm = np.argsort(tok.astype(np.uint16), kind="stable")
    else:
        perm = np.argsort((tok & 0xFFFF).astype(np.uint16), kind="stable")
        hi = (tok[perm] >> 16).astype(np.uint16)
        perm = perm[np.argsort(hi, kind="stable")]
    tok_indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(counts, out=tok_indptr[1:])
    return perm, tok_indptr


def _postings(tok: np.ndarray, doc_len: np.ndarray, n_terms: int, need_first: bool):
    """CSR postings (indptr, passage ids, tf) from flat token ids in passage order."""
    n_docs = doc_len.shape[0]
    total = tok.shape[0]
    perm, tok_indptr = _term_major(tok, n_terms)
    first_order = None
    if need_first:
        starts_tok = tok_indptr[:-1][tok_indptr[:-1] < tok_indptr[1:]]
        first_pos = np.full(n_terms, total, dtype=np.int64)
        first_pos[tok[perm[starts_tok]]] = perm[starts_tok]
        first_order = np.argsort(first_pos, kind="stable")
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int32), doc_len)
    sd = doc_of[perm]
    del doc_of, perm
    flag = np.empty(total, dtype=bool)
    if total:
        flag[0] = True
        np.not_equal(sd[1:], sd[:-1], out=flag[1:])
        flag[tok_indptr[1:-1][tok_indptr[1:-1] < total]] = True
    starts = np.flatnonzero(flag)
    del flag
    ids = sd[starts]
    del sd
    tf = np.diff(starts, append=total)
    indptr = np.searchsorted(starts, tok_indptr).astype(np.int64)
    tf = tf.astype(_tf_dtype(int(tf.max()) if tf.size else 0))
    return indptr, ids, tf, first_order


def _max_ratio(indptr: np.ndarray, ids: np.ndarray, tf: np.ndarray, norm: np.ndarray, k1p1: float) -> np.ndarray:
    """Per term, the largest ``tf*(k1+1) / (tf+norm)`` over its postings (chunked for memory)."""
    n_terms = indptr.shape[0] - 1
    out = np.zeros(n_terms, dtype=np.float64)
    chunk = 1 << 23
    total = int(indptr[-1])
    for a in range(0, total, chunk):
        b = min(total, a + chunk)
        t_lo = int(np.searchsorted(indptr, a, side="right")) - 1
        t_hi = int(np.searchsorted(indptr, b, side="left"))
        terms = np.arange(t_lo, t_hi)
        seg = np.clip(indptr[terms], a, b) - a
        keep = seg < (np.clip(indptr[terms + 1], a, b) - a)
        terms, seg = terms[keep], seg[keep]
        f = tf[a:b].astype(np.float64)
        ratio = (f * k1p1) / (f + norm[ids[a:b]])
        part = np.maximum.reduceat(ratio, seg)
        np.maximum(out[terms], part, out=part)
        out[terms] = part
    return out


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

    # ------------------------------------------------------------------ build

    @classmethod
    def from_tokens(
        cls, token_lists: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25
    ) -> BM25Index:
        """Index passages given as token lists (same input as ``BM25Okapi(token_lists)``)."""
        docs = token_lists if isinstance(token_lists, Sequence) else list(token_lists)
        doc_len = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        total = int(doc_len.sum())
        tok = np.fromiter(map(vocab.__getitem__, itertools.chain.from_iterable(docs)), dtype=np.int32, count=total)
        return cls._build(tok, doc_len, list(vocab), k1, b, epsilon, first_occurrence_ids=True)

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
        tok = np.ascontiguousarray(token_ids, dtype=np.int32)
        lens = np.ascontiguousarray(doc_len, dtype=np.int64)
        if tok.ndim != 1 or lens.ndim != 1 or int(lens.sum()) != tok.shape[0]:
            raise ValueError("token_ids must be 1-D and sum(doc_len) == len(token_ids)")
        if tok.size and (int(tok.min()) < 0 or int(tok.max()) >= len(terms)):
            raise ValueError("token id out of range of terms")
        return cls._build(tok, lens, list(terms), k1, b, epsilon, first_occurrence_ids=False)

    @classmethod
    def _build(
        cls,
        tok: np.ndarray,
        doc_len: np.ndarray,
        terms: list[str],
        k1: float,
        b: float,
        epsilon: float,
        first_occurrence_ids: bool,
    ) -> BM25Index:
        if not (k1 > 0 and 0 <= b <= 1 and math.isfinite(epsilon)):
            raise ValueError("need k1 > 0, 0 <= b <= 1 and a finite epsilon")
        n_docs, n_terms = doc_len.shape[0], len(terms)
        indptr, ids, tf, first_order = _postings(tok, doc_len, n_terms, need_first=not first_occurrence_ids)
        if first_order is None:
            first_order = np.arange(n_terms)
        df = np.diff(indptr)
        idf, average = _idf(df, first_order, n_docs, epsilon)
        total = int(doc_len.sum())
        norm = _length_norm(doc_len, k1, b, total / n_docs if n_docs else 0.0)
        ratio = _max_ratio(indptr, ids, tf, norm, k1 + 1)
        upper = idf * ratio
        # Dense tf row when it is smaller than the term's CSR slice: df * (4 + s) > N * s.
        isz = tf.dtype.itemsize
        dense_terms = np.flatnonzero(df * (4 + isz) > n_docs * isz)
        dense_row = np.full(n_terms, -1, dtype=np.int32)
        dense_row[dense_terms] = np.arange(dense_terms.size, dtype=np.int32)
        dense_tf = np.zeros((dense_terms.size, n_docs), dtype=tf.dtype)
        for r, t in enumerate(dense_terms.tolist()):
            dense_tf[r, ids[indptr[t] : indptr[t + 1]]] = tf[indptr[t] : indptr[t + 1]]
        if dense_terms.size:
            keep = np.repeat(dense_row < 0, df)
            ids, tf = ids[keep], tf[keep]
            df = np.where(dense_row < 0, df, 0)
            indptr = np.zeros(n_terms + 1, dtype=np.int64)
            np.cumsum(df, out=indptr[1:])
        return cls(
            terms=terms,
            idf=idf,
            upper=upper,
            indptr=indptr,
            ids=ids.astype(np.int32, copy=False),
            tf=tf,
            dense_row=dense_row,
            dense_tf=dense_tf,
            doc_len=doc_len.astype(np.int32),
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
                  self._dense_tf, self._doc_len, self._norm, self._df)
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

    def _score_candidates(self, query: list[int], cand: np.ndarray) -> np.ndarray:
        """Exact scores of the sorted passage ids ``cand``, adding tokens in query order.

        The tfs of the distinct terms go into one (terms x candidates) matrix so the float
        work is a handful of vectorised operations whatever the query length.
        """
        distinct = list(dict.fromkeys(query))
        row_of = {t: j for j, t in enumerate(distinct)}
        n = cand.shape[0]
        freq = np.zeros((len(distinct), n), dtype=np.float64)
        dense_j = [j for j, t in enumerate(distinct) if self._dense_row_l[t] >= 0]
        if dense_j:
            rows = [self._dense_row_l[distinct[j]] for j in dense_j]
            freq[dense_j] = self._dense_tf[np.ix_(rows, cand)]
        for j, t in enumerate(distinct):
            if self._dense_row_l[t] < 0:
                self._fill_sparse(t, cand, freq[j])
        norm = self._norm[cand]
        contrib = self._idf[distinct][:, None] * (freq * self._k1p1 / (freq + norm))
        scores = np.zeros(n, dtype=np.float64)
        for t in query:
            scores += contrib[row_of[t]]
        return scores

    def _fill_sparse(self, t: int, cand: np.ndarray, out: np.ndarray) -> None:
        """Write term t's tfs for the sorted candidates ``cand`` into ``out`` (others stay 0)."""
        a, b = self._indptr_l[t], self._indptr_l[t + 1]
        ids = self._ids[a:b]
        if b - a <= cand.shape[0]:
            pos = np.searchsorted(cand, ids)
            np.minimum(pos, cand.shape[0] - 1, out=pos)
            hit = cand[pos] == ids
            out[pos[hit]] = self._tf[a:b][hit]
        else:
            where = np.searchsorted(ids, cand)
            np.minimum(where, b - a - 1, out=where)
            hit = ids[where] == cand
            out[hit] = self._tf[a:b][where[hit]]

    def _eligible(self, t: int, allowed: np.ndarray | None) -> np.ndarray:
        ids, _ = self._posting(t)
        return ids if allowed is None else ids[allowed[ids]]

    def _union(self, terms: list[int], allowed: np.ndarray | None) -> np.ndarray:
        """Sorted passage ids holding any of ``terms`` (and allowed by the mask)."""
        size = sum(self._df_l[t] for t in terms)
        if size * _SORT_UNION_FRACTION < self.n_docs and all(self._dense_row_l[t] < 0 for t in terms):
            parts = [self._eligible(t, allowed) for t in terms]
            return np.unique(np.concatenate(parts)) if len(parts) > 1 else parts[0]
        mark = np.zeros(self.n_docs, dtype=bool)
        for t in terms:
            r = int(self._dense_row[t])
            if r >= 0:
                np.logical_or(mark, self._dense_tf[r], out=mark)
            else:
                mark[self._ids[self._indptr[t] : self._indptr[t + 1]]] = True
        if allowed is not None:
            mark &= allowed
        return np.flatnonzero(mark)

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
        if any(self._idf_l[t] <= 0 for t in query):
            return self._top_k_exhaustive(query, k, allowed)
        if allowed is not None:
            n_allowed = int(np.count_nonzero(allowed))
            if n_allowed <= max(_SMALL_FILTER, self.n_docs // 64):
                cand = np.flatnonzero(allowed)
                scores = self._score_candidates(query, cand)
                hit = scores > 0  # all weights are positive: touched <=> score > 0
                return _select(cand[hit], scores[hit], k)
        cand, scores = self._max_score(query, k, allowed)
        return _select(cand, scores, k)

    def _max_score(self, query: list[int], k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Candidates and exact scores containing the top k (all query weights are positive).

        A passage holding only "non-essential" terms scores at most the float sum (in query
        order) of their upper bounds — float addition is monotone — so once that sum is below
        a score reached by k eligible passages, such passages cannot make the top k.
        """
        distinct = sorted(set(query), key=lambda t: (self._df_l[t], t))
        seed_terms: list[int] = []
        seed_parts: list[np.ndarray] = []
        n_seed = 0
        seed = np.zeros(0, dtype=np.int64)
        for t in distinct:  # rarest first, until k distinct eligible passages
            part = self._eligible(t, allowed)
            seed_terms.append(t)
            seed_parts.append(part)
            n_seed += part.shape[0]
            if n_seed >= k:
                seed = np.unique(np.concatenate(seed_parts)) if len(seed_parts) > 1 else part
                seed_parts = [seed]
                n_seed = seed.shape[0]
                if n_seed >= k:
                    break
        else:
            seed = np.unique(np.concatenate(seed_parts)) if len(seed_parts) > 1 else seed_parts[0]
        seed_scores = self._score_candidates(query, seed)
        if seed.shape[0] < k or len(seed_terms) == len(distinct):
            return seed, seed_scores
        threshold = np.partition(seed_scores, seed.shape[0] - k)[seed.shape[0] - k]
        by_bound = sorted(distinct, key=lambda t: (self._upper_l[t], -self._df_l[t], t))
        skipped: set[int] = set()
        for t in by_bound:
            trial = skipped | {t}
            bound = 0.0
            for q in query:
                if q in trial:
                    bound += self._upper_l[q]
            if not bound < threshold:
                break
            skipped = trial
        essential = [t for t in distinct if t not in skipped]
        if set(essential) == set(seed_terms):
            return seed, seed_scores
        cand = self._union(essential, allowed)
        return cand, self._score_candidates(query, cand)

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
    if problems:
        raise IndexFileError("corrupt index file (bad " + ", ".join(problems) + ")")


def _select(cand: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Top k of (sorted passage ids, scores): score descending, then passage index ascending."""
    n = cand.shape[0]
    if n > k:
        kth = np.partition(scores, n - k)[n - k]
        keep = np.flatnonzero(scores >= kth)
        cand, scores = cand[keep], scores[keep]
    order = np.argsort(-scores, kind="stable")[:k]  # stable: ties keep ascending passage order
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
