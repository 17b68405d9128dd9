"""The engine facade every frontend (CLI, Discord, HTTP) calls: corpus + index + answers.

INTERFACE CONTRACT (implementation in progress; signatures are fixed):

    engine = Engine.open(corpus_dir, index_path=None)   # loads the saved index or builds it
    engine.ask(question, meeting=None, kind=None, limit=3) -> Answer
    engine.search(query, meeting=None, kind=None, date_from=None, date_to=None, limit=10, offset=0) -> list[Hit]
    engine.passage(passage_id) -> Passage | None
    engine.latest(meeting=None, kind=None, limit=5) -> list[Passage]
    engine.stats() -> CorpusStats
    engine.meetings -> MeetingRegistry   (.get(number), .resolve(text) -> Meeting | None, .all())
    await engine.ask_async(...) / engine.search_async(...)   # run in an executor
    Engine.rebuild(...) -> Engine   # a fresh engine from the corpus, for background re-index + atomic swap
"""
