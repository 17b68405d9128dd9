"""Ingestion: corpus folder → Documents → Passages.

INTERFACE (implementation in progress):
    load_corpus(corpus_dir, meetings) -> CorpusLoad(documents, passages, problems)
    load_document(path, corpus_dir, meetings) -> Document          # raises IngestError(path, reason)
    split_document(document) -> list[Passage]
    bot.ingest.frontmatter.split(text) -> (meta: dict, body: str);  dump(meta, body) -> str
    bot.ingest.formats.html_to_text(html: str) -> tuple[title | None, text]
    bot.ingest.formats.pdf_to_text(data: bytes) -> str            # raises IngestError
    bot.ingest.meetings.MeetingRegistry.load(path) ; .resolve(text) -> Meeting | None
    bot.ingest.dates.parse_date(text) -> date | None ; find_dates(text) -> list[DateSpan]
"""
