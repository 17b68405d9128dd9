"""Parity of bot.search.index.BM25Index with rank_bm25.BM25Okapi, plus persistence."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import bot.search.build as build_mod
import bot.search.index as index_mod
from bot.search.index import BM25Index, IndexFileError


def zipf_corpus(seed: int, n_docs: int, vocab: int = 400, max_len: int = 40, empty_every: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, vocab + 1)
    p /= p.sum()
    words = [f"w{i}" for i in range(vocab)]
    docs = []
    for i in range(n_docs):
        n = 0 if empty_every and i % empty_every == 0 else int(rng.integers(1, max_len))
        docs.append([words[j] for j in rng.choice(vocab, n, p=p)])
    return docs


def queries_from(docs: list[list[str]], seed: int, n: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    out = []
    nonempty = [d for d in docs if d]
    for i in range(n):
        d = nonempty[int(rng.integers(len(nonempty)))]
        q = [d[j] for j in rng.integers(0, len(d), int(rng.integers(1, 9)))]
        if i % 4 == 0:
            q.append("never-seen")
        out.append(q)
    return out


def expected_top(ref: BM25Okapi, docs: list[list[str]], query: list[str], k: int, allowed=None):
    """Reference top-k: passages holding a query term, by rank_bm25 score desc then index asc."""
    scores = ref.get_scores(query)
    qset = set(query)
    hits = [i for i, d in enumerate(docs) if qset.intersection(d) and (allowed is None or allowed[i])]
    hits.sort(key=lambda i: (-scores[i], i))
    return [(i, float(scores[i])) for i in hits[:k]]


@pytest.fixture(scope="module")
def corpus():
    docs = zipf_corpus(7, 1500, empty_every=97)
    return docs, BM25Okapi(docs), BM25Index.from_tokens(docs)


def test_scores_bit_identical_on_random_queries(corpus):
    docs, ref, idx = corpus
    for q in queries_from(docs, 1, 150):
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q)), q


def test_corpus_has_negative_idf_terms_and_they_use_the_epsilon_floor(corpus):
    docs, ref, idx = corpus
    df = {}
    for d in docs:
        for w in set(d):
            df[w] = df.get(w, 0) + 1
    frequent = [w for w, n in df.items() if n > len(docs) / 2]
    assert frequent, "fixture should contain terms in more than half the passages"
    for w in frequent:
        assert idx.idf(w) == ref.idf[w] == ref.epsilon * ref.average_idf
    assert idx.average_idf == ref.average_idf
    q = frequent + frequent[:1]
    assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
    assert idx.top_k(q, 10) == expected_top(ref, docs, q, 10)


def test_top_k_matches_reference_with_and_without_masks(corpus):
    docs, ref, idx = corpus
    rng = np.random.default_rng(3)
    for i, q in enumerate(queries_from(docs, 2, 120)):
        allowed = None if i % 3 == 0 else rng.random(len(docs)) < (0.02 if i % 3 == 1 else 0.5)
        for k in (1, 10):
            assert idx.top_k(q, k, allowed) == expected_top(ref, docs, q, k, allowed), (q, k)


def test_top_k_agrees_with_argsort_of_reference_scores(corpus):
    docs, ref, idx = corpus
    for q in queries_from(docs, 4, 40):
        scores = ref.get_scores(q)
        order = np.lexsort((np.arange(len(docs)), -scores))
        top = idx.top_k(q, 10)
        assert [i for i, _ in top] == order[: len(top)].tolist()
        assert [s for _, s in top] == scores[order[: len(top)]].tolist()


def test_term_in_exactly_half_the_passages_has_idf_zero():
    docs = [["half", "a"], ["half", "b"], ["c"], ["d", "a"]]
    ref, idx = BM25Okapi(docs), BM25Index.from_tokens(docs)
    assert ref.idf["half"] == 0.0 == idx.idf("half")
    for q in (["half"], ["half", "a"], ["a", "half", "half"]):
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
    # Zero-weight hits are still hits: passages holding "half" come back with score 0.
    assert idx.top_k(["half"], 5) == [(0, 0.0), (1, 0.0)]
    assert idx.top_k(["half", "a"], 5) == expected_top(ref, docs, ["half", "a"], 5)


def test_negative_average_idf_gives_negative_weights():
    docs = [["x", "y"], ["x", "y"], ["x"], ["z", "x", "y"]]
    ref, idx = BM25Okapi(docs), BM25Index.from_tokens(docs)
    assert ref.average_idf < 0
    for q in (["x"], ["y", "z"], ["z", "x", "x"]):
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
        assert idx.top_k(q, 3) == expected_top(ref, docs, q, 3)


def test_repeated_unknown_and_empty_queries(corpus):
    docs, ref, idx = corpus
    q = [docs[5][0]] * 3 + ["nope", docs[9][-1], "nope"]
    assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
    assert idx.top_k(q, 10) == expected_top(ref, docs, q, 10)
    assert np.array_equal(idx.get_scores([]), ref.get_scores([]))
    assert np.array_equal(idx.get_scores(["nope"]), np.zeros(len(docs)))
    assert idx.top_k([], 10) == [] and idx.top_k(["nope"], 10) == []
    assert idx.top_k(q, 0) == []


def test_one_passage_corpus():
    docs = [["only", "one", "one"]]
    ref, idx = BM25Okapi(docs), BM25Index.from_tokens(docs)
    for q in (["one"], ["only", "x"], []):
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
    assert idx.top_k(["one"], 3) == expected_top(ref, docs, ["one"], 3)


def test_empty_passages_in_corpus():
    docs = [[], ["a", "b"], [], ["b", "c", "c"], []]
    ref, idx = BM25Okapi(docs), BM25Index.from_tokens(docs)
    for q in (["a"], ["b", "c"], ["c", "c", "zz"]):
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
        assert idx.top_k(q, 5) == expected_top(ref, docs, q, 5)


def test_ties_break_by_passage_index():
    docs = [["x", "y"], ["q"], ["x", "y"], ["x", "y"], ["z"], ["x", "y"], ["y", "x"]]
    ref, idx = BM25Okapi(docs), BM25Index.from_tokens(docs)
    top = idx.top_k(["y"], 3)
    assert [i for i, _ in top] == [0, 2, 3]
    assert len({s for _, s in top}) == 1
    allowed = np.array([False, True, False, True, True, True, True])
    assert [i for i, _ in idx.top_k(["x"], 2, allowed)] == [3, 5]
    assert idx.top_k(["x"], 10, allowed) == expected_top(ref, docs, ["x"], 10, allowed)


def test_mask_excluding_everything_and_bad_masks(corpus):
    docs, _, idx = corpus
    q = docs[1][:3]
    assert idx.top_k(q, 10, np.zeros(len(docs), dtype=bool)) == []
    with pytest.raises(ValueError):
        idx.top_k(q, 10, np.ones(len(docs) - 1, dtype=bool))
    with pytest.raises(ValueError):
        idx.top_k(q, 10, np.ones(len(docs), dtype=np.int8))


def test_from_token_ids_matches_from_tokens():
    docs = zipf_corpus(11, 300, vocab=120)
    rng = np.random.default_rng(0)
    terms = sorted({w for d in docs for w in d}, key=lambda _: rng.random()) + ["unused"]
    pos = {t: i for i, t in enumerate(terms)}
    flat = np.array([pos[w] for d in docs for w in d], dtype=np.int32)
    idx = BM25Index.from_token_ids(flat, np.array([len(d) for d in docs]), terms)
    ref = BM25Okapi(docs)
    assert idx.average_idf == ref.average_idf
    for q in queries_from(docs, 5, 40) + [["unused", docs[0][0]]]:
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q))
        assert idx.top_k(q, 10) == expected_top(ref, docs, q, 10)


def test_large_term_frequencies_and_big_vocab():
    docs = [["a"] * 300 + ["b"], ["a", "c"], ["b"] * 3] + [[f"t{i}", f"t{i + 1}"] for i in range(70_000)]
    ref_docs = docs[:3] + docs[3:200]
    ref, idx = BM25Okapi(ref_docs), BM25Index.from_tokens(ref_docs)
    assert np.array_equal(idx.get_scores(["a", "b", "t5"]), ref.get_scores(["a", "b", "t5"]))
    big = BM25Index.from_tokens(docs)  # > 65536 terms: the two-pass radix path
    assert big.vocab_size == 70_004
    assert big.top_k(["t69999"], 5) == [(70_001, big.get_scores(["t69999"])[70_001]),
                                        (70_002, big.get_scores(["t69999"])[70_002])]


def test_invalid_parameters():
    with pytest.raises(ValueError):
        BM25Index.from_tokens([["a"]], k1=0)
    with pytest.raises(ValueError):
        BM25Index.from_tokens([["a"]], b=1.5)


def test_custom_parameters_match_reference():
    docs = zipf_corpus(13, 400)
    ref, idx = BM25Okapi(docs, k1=1.2, b=0.5, epsilon=0.1), BM25Index.from_tokens(docs, k1=1.2, b=0.5, epsilon=0.1)
    for q in queries_from(docs, 6, 30):
        assert np.array_equal(idx.get_scores(q), ref.get_scores(q))


async def test_top_k_async(corpus):
    docs, ref, idx = corpus
    q = queries_from(docs, 8, 1)[0]
    got = await asyncio.gather(idx.top_k_async(q, 10), idx.top_k_async(q, 10))
    assert got[0] == got[1] == expected_top(ref, docs, q, 10)


# ---------------------------------------------------------------------- persistence


def test_save_load_round_trip_is_bit_identical(corpus, tmp_path: Path):
    docs, ref, idx = corpus
    path = tmp_path / "bm25.npz"
    meta = {"analyzer": "v3", "fingerprint": "abc123", "n": 2}
    idx.save(path, meta=meta)
    loaded = BM25Index.load(path)
    assert loaded.meta == meta
    assert loaded.n_docs == idx.n_docs and loaded.terms == idx.terms
    for q in queries_from(docs, 9, 40):
        assert np.array_equal(loaded.get_scores(q), ref.get_scores(q))
        assert loaded.top_k(q, 10) == idx.top_k(q, 10)
    assert [p.name for p in tmp_path.iterdir()] == ["bm25.npz"]


def test_save_load_unicode_terms(tmp_path: Path):
    docs = [["café", "naïve", "日本"], ["x\n", "", "a\x00b"], ["café"]]
    idx = BM25Index.from_tokens(docs)
    idx.save(tmp_path / "u.npz")
    loaded = BM25Index.load(tmp_path / "u.npz")
    assert loaded.terms == idx.terms
    assert np.array_equal(loaded.get_scores(["café", "a\x00b"]), BM25Okapi(docs).get_scores(["café", "a\x00b"]))


def test_failed_save_keeps_previous_file_and_leaves_no_temp(corpus, tmp_path: Path, monkeypatch):
    _, _, idx = corpus
    path = tmp_path / "bm25.npz"
    idx.save(path, meta={"generation": 1})
    before = path.read_bytes()

    def broken(fh, arrays):
        fh.write(b"partial garbage")
        raise OSError("disk full")

    monkeypatch.setattr(index_mod, "_write_arrays", broken)
    with pytest.raises(OSError):
        idx.save(path, meta={"generation": 2})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["bm25.npz"]
    assert BM25Index.load(path).meta == {"generation": 1}


@pytest.mark.parametrize("damage", ["missing", "empty", "truncated", "garbage", "flipped", "npy", "wrong_version",
                                    "foreign_npz", "inconsistent"])
def test_load_bad_files_raise_index_file_error(corpus, tmp_path: Path, damage: str):
    _, _, idx = corpus
    path = tmp_path / "bm25.npz"
    idx.save(path)
    data = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "flipped":
        raw = bytearray(data)
        raw[len(raw) // 3] ^= 0xFF
        path.write_bytes(bytes(raw))
    elif damage == "npy":
        np.save(path.with_suffix(".tmp.npy"), np.arange(5))
        path.write_bytes(path.with_suffix(".tmp.npy").read_bytes())
    elif damage == "foreign_npz":
        with open(path, "wb") as fh:
            np.savez(fh, x=np.arange(3))
    else:
        with np.load(path) as npz:
            arrays = {n: npz[n] for n in npz.files}
        header = arrays["header"].tobytes().decode()
        if damage == "wrong_version":
            header = header.replace(f'"version": {index_mod.FORMAT_VERSION}', '"version": 999')
        else:
            arrays["ids"] = arrays["ids"][:-1]
        arrays["header"] = np.frombuffer(header.encode(), dtype=np.uint8)
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)
    with pytest.raises(IndexFileError) as info:
        BM25Index.load(path)
    assert str(path) in str(info.value)
    if damage == "wrong_version":
        assert "version" in str(info.value)


# ---------------------------------------------------------------------- pruning and build internals


@pytest.fixture()
def tiny_tiers(monkeypatch):
    """Impact tiers, round budgets and probes small enough for a 1500-passage corpus."""
    monkeypatch.setattr(build_mod, "_TIER_MIN_DF", 8)
    monkeypatch.setattr(build_mod, "_TIER0", 2)
    monkeypatch.setattr(index_mod, "_ROUND0_POSTINGS", 6)
    monkeypatch.setattr(index_mod, "_PROBE", 3)
    monkeypatch.setattr(index_mod, "_SMALL_FILTER", 16)
    calls = {"bound_pass": 0, "rounds": 0}
    bound_pass, score = BM25Index._bound_pass, BM25Index._score

    def counting_bound_pass(self, *args, **kwargs):
        calls["bound_pass"] += 1
        return bound_pass(self, *args, **kwargs)

    def counting_score(self, *args, **kwargs):
        calls["rounds"] += 1
        return score(self, *args, **kwargs)

    monkeypatch.setattr(BM25Index, "_bound_pass", counting_bound_pass)
    monkeypatch.setattr(BM25Index, "_score", counting_score)
    return calls


def test_top_k_exact_through_tiers_rounds_and_bound_pass(tiny_tiers):
    docs = zipf_corpus(21, 1500, vocab=300)
    ref, idx = BM25Okapi(docs), BM25Index.from_tokens(docs)
    assert idx._dense_q.shape[0] > 0 and idx._tier_end.size > 0
    rng = np.random.default_rng(5)
    queries = queries_from(docs, 12, 150) + [["w0", "w1", "w2", "w3"], ["w0"] * 3 + ["w5"], ["w1", "w2"]]
    for i, q in enumerate(queries):
        allowed = None if i % 3 else rng.random(len(docs)) < 0.4
        for k in (1, 10, 40):
            assert idx.top_k(q, k, allowed) == expected_top(ref, docs, q, k, allowed), (q, k)
    assert tiny_tiers["bound_pass"] > 0
    assert tiny_tiers["rounds"] > 2 * len(queries) * 3  # later rounds happened too


def test_tiers_bound_the_weights_outside_them():
    docs = zipf_corpus(22, 3000, vocab=200, max_len=60)
    idx = BM25Index.from_tokens(docs)
    checked = 0
    for t in range(idx.vocab_size):
        i0, i1 = idx._tier_ptr_l[t], idx._tier_ptr_l[t + 1]
        if i0 == i1:
            continue
        ids, tf = idx._posting(t)
        f = tf.astype(np.float64)
        ratio = (f * idx._k1p1) / (f + idx._norm[ids])
        prefix = idx._imp_ids[idx._imp_ptr_l[t] : idx._imp_ptr_l[t + 1]]
        assert prefix.size == idx._tier_end_l[i1 - 1] and np.unique(prefix).size == prefix.size
        by_id = dict(zip(ids.tolist(), ratio.tolist()))
        taken = 0
        for e, rest in zip(idx._tier_end_l[i0:i1], idx._tier_rest_l[i0:i1]):
            inside = set(prefix[:e].tolist())
            outside = [r for d, r in by_id.items() if d not in inside]
            assert max(outside, default=0.0) == rest  # exact: the best ratio left
            assert min(by_id[d] for d in prefix[taken:e].tolist()) >= rest
            taken = e
        checked += 1
    assert checked > 5
    step = idx._k1p1 / build_mod.Q_LEVELS
    for t in np.flatnonzero(idx._dense_row >= 0).tolist():
        ids, tf = idx._posting(t)
        f = tf.astype(np.float64)
        q = idx._dense_q[idx._dense_row[t]]
        assert np.all((f * idx._k1p1) / (f + idx._norm[ids]) < q[ids] * step)
        assert np.count_nonzero(q) == ids.size
    f = idx._tf.astype(np.float64)
    assert idx._q.shape == idx._ids.shape and idx._q.min() > 0
    assert np.all((f * idx._k1p1) / (f + idx._norm[idx._ids]) < idx._q * step)


def test_chunked_build_matches_one_chunk(monkeypatch):
    docs = zipf_corpus(23, 700, vocab=150, empty_every=50)
    whole = BM25Index.from_tokens(docs)
    terms = list(whole.terms)
    rng = np.random.default_rng(1)
    shuffled = sorted(terms, key=lambda _: rng.random())
    pos = {t: i for i, t in enumerate(shuffled)}
    flat = np.array([pos[w] for d in docs for w in d], dtype=np.int32)
    lens = np.array([len(d) for d in docs])
    whole_ids = BM25Index.from_token_ids(flat, lens, shuffled)
    monkeypatch.setattr(build_mod, "_CHUNK_TOKENS", 97)
    monkeypatch.setattr(build_mod, "_MAP_TOKENS", 13)
    monkeypatch.setattr(build_mod, "_TIER_MIN_DF", 16)
    chunked = BM25Index.from_tokens(iter(docs))  # an iterator, not a list
    chunked_ids = BM25Index.from_token_ids(flat, lens, shuffled)
    assert chunked.terms == terms and chunked.average_idf == whole.average_idf == whole_ids.average_idf
    for name in ("_idf", "_upper", "_indptr", "_ids", "_tf", "_dense_row", "_dense_tf", "_dense_q", "_doc_len"):
        assert np.array_equal(getattr(chunked, name), getattr(whole, name)), name
    ref = BM25Okapi(docs)
    for q in queries_from(docs, 14, 40):
        expected = ref.get_scores(q)
        assert np.array_equal(chunked.get_scores(q), expected)
        assert np.array_equal(chunked_ids.get_scores(q), expected)
        assert chunked_ids.top_k(q, 10) == chunked.top_k(q, 10) == expected_top(ref, docs, q, 10)


def test_empty_corpus():
    idx = BM25Index.from_tokens([])
    assert idx.n_docs == 0 and idx.top_k(["a"], 3) == [] and idx.get_scores(["a"]).shape == (0,)


@pytest.mark.skipif(not build_mod._can_fork(), reason="needs Linux fork and 2+ CPUs")
@pytest.mark.parametrize("mode", ["shared", "child", "timeout"])
def test_parallel_build_matches_serial_build(monkeypatch, mode):
    """Runs built in a forked child (or by the parent when it gives up on the child) give the
    serial build's arrays exactly."""
    docs = zipf_corpus(24, 900, vocab=500, empty_every=37)
    docs[600].append("only-in-second-half")
    serial = BM25Index.from_tokens(docs)
    monkeypatch.setattr(build_mod, "_PARALLEL_MIN_TOKENS", 100)
    monkeypatch.setattr(build_mod, "_CHUNK_TOKENS", 997)
    monkeypatch.setattr(build_mod, "_MAP_TOKENS", 101)
    claim, result = build_mod._SharedRuns.claim_front, build_mod._SharedRuns.result
    claimed: list[int | None] = []
    got = []

    def first_run_only(self):  # the parent takes run 0 only; the child must build the rest
        claimed.append(claim(self) if not claimed else None)
        return claimed[-1]

    def spy(self, first, timeout):
        got.append(result(self, first, 0.0 if mode == "timeout" else timeout))
        return got[-1]

    if mode != "shared":
        monkeypatch.setattr(build_mod._SharedRuns, "claim_front", first_run_only)
    monkeypatch.setattr(build_mod._SharedRuns, "result", spy)
    par = BM25Index.from_tokens(iter(docs))
    if mode == "child":
        n_runs = len(build_mod._chunk_bounds(np.array([len(d) for d in docs])))
        assert claimed == [0, None] and len(got) == 1 and len(got[0][0]) == n_runs - 1 > 1
    if mode == "timeout":  # the parent gave up on the child at once and built the runs itself
        assert claimed == [0, None] and got == [None]
    del got[:]
    assert par.terms == serial.terms and par.average_idf == serial.average_idf
    for name in ("_idf", "_upper", "_indptr", "_ids", "_tf", "_q", "_dense_row", "_dense_tf", "_dense_q",
                 "_doc_len", "_imp_ptr", "_imp_ids", "_tier_ptr", "_tier_end", "_tier_rest"):
        a, b = getattr(par, name), getattr(serial, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    ref = BM25Okapi(docs)
    assert ref.idf["only-in-second-half"] == par.idf("only-in-second-half")
    for q in queries_from(docs, 15, 40) + [["only-in-second-half", "w1"]]:
        assert np.array_equal(par.get_scores(q), ref.get_scores(q))
        assert par.top_k(q, 10) == expected_top(ref, docs, q, 10)
    with pytest.raises(TypeError):  # an unhashable token fails as in the serial path, child reaped
        BM25Index.from_tokens(docs[:500] + [[["unhashable"]]] + docs[500:])


def test_holds_and_postings_agree_with_the_scores() -> None:
    import random

    rng = random.Random(3)
    vocabulary = [f"t{i}" for i in range(40)]
    docs = [[rng.choice(vocabulary[: 5 + (i % 30)]) for _ in range(rng.randint(1, 12))] for i in range(300)]
    idx = BM25Index.from_tokens(docs)
    ids = np.arange(len(docs))
    for term in vocabulary + ["unknown"]:  # dense and sparse terms, and one no passage holds
        holding = np.array([term in d for d in docs])
        assert np.array_equal(idx.holds(term, ids), holding)
        assert np.array_equal(idx.postings(term), np.flatnonzero(holding))
