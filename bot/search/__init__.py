"""Search: the analyzer that turns text into tokens, and the exact-BM25Okapi index over them."""

from bot.search.analyzer import ANALYZER_VERSION, analyze, analyze_with_spans
from bot.search.index import BM25Index, IndexFileError

__all__ = ["ANALYZER_VERSION", "BM25Index", "IndexFileError", "analyze", "analyze_with_spans"]
