"""Ingestion: corpus folder → Documents → Passages.

    corpus.load_corpus(corpus_dir, meetings) -> CorpusLoad(documents, passages, problems)
    corpus.load_document(path, corpus_dir, meetings) -> (Document, Parsed, warnings)  # IngestError if unusable
    corpus.split_document(document, parsed, meetings) -> list[Passage]
    frontmatter.split(text) -> (meta, body);  frontmatter.dump(meta, body) -> str
    formats.html_to_text(html) -> (title | None, text, hints);  formats.pdf_to_text(data, name) -> (text, hints)
    meetings.MeetingRegistry.load(path);  .resolve(text) -> Meeting | None
    dates.parse_date(text) -> date | None;  dates.find_dates(text) -> list[FoundDate]
    kinds.KIND_SPECS: the kinds and their parsers;  classify.classify(kind, url, body, folder)

``INGEST_VERSION`` changes whenever the same files would give other documents or passages, so a
saved index built by an older ingestion is rebuilt rather than served.
"""

INGEST_VERSION = 4  # 2: any page indexes (kinds for every page, the page reader, datelines); 3: a decision number alone on its line; 4: pictures' names dropped, their caption kept as text
