"""`cmsbot index | ask | search | latest | source | meeting | chat | eval | web | serve | sync | fetch | feedback`
— a thin layer over the engine. User errors are one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.model import KINDS, format_date
from bot.safetext import clean, decode

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
#: Citations `ask` can show (the engine keeps at most 12 per answer).
MAX_ASK_LIMIT = 12
MAX_LIST_LIMIT = 100


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (``cmsbot ask: argument --limit: …``), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {value}")
        return value
    parse.__name__ = "number"
    return parse


def _iso_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a valid date (YYYY-MM-DD)") from None


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Options every command takes, before or after the subcommand (``cmsbot --corpus DIR ask …``)."""
    default = None if top else argparse.SUPPRESS  # a subcommand's absent option keeps the top-level value
    parser.add_argument("--corpus", type=Path, metavar="DIR", default=default,
                        help="corpus folder (default: $CMSBOT_CORPUS, else the corpus shipped with cmsbot)")
    parser.add_argument("--index", type=Path, metavar="FILE", default=default,
                        help="saved index (default: $CMSBOT_INDEX or <data dir>/index.npz)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", default=default,
                        help="state folder (default: $CMSBOT_DATA_DIR or ./.cmsbot)")


def _filters(p: argparse.ArgumentParser, *, dates: bool = True) -> None:
    p.add_argument("--meeting", help="only this meeting (number, COP14, or city)")
    p.add_argument("--kind", choices=KINDS, help="only this kind of document")
    if dates:
        p.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD", help="only passages dated from this day")
        p.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD", help="only passages dated up to this day")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="cmsbot", description="Answers about CMS Conferences of the Parties, with cited passages.")
    parser.add_argument("--version", action="version", version=f"cmsbot {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("index", help="parse the corpus, build and save the index, print a summary")
    _common(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help="exit 1 if any file was skipped or had warnings")

    p = sub.add_parser("ask", help="answer one question (or one per line from stdin with '-')")
    _common(p)
    p.add_argument("question", nargs="+", help="the question, or '-' to read one question per line from stdin")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    _filters(p)
    p.add_argument("--limit", type=_whole(1, MAX_ASK_LIMIT), default=3,
                   help=f"citations to show, 1 to {MAX_ASK_LIMIT} (default 3)")

    p = sub.add_parser("search", help="ranked passages for some words, with filters (no answer)")
    _common(p)
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    _filters(p)
    p.add_argument("--limit", type=_whole(1, MAX_LIST_LIMIT), default=10, help="hits to show (default 10)")
    p.add_argument("--offset", type=_whole(0, 10_000), default=0, help="hits to skip (default 0)")

    p = sub.add_parser("latest", help="the newest passages, one per document")
    _common(p)
    p.add_argument("--json", action="store_true")
    _filters(p, dates=False)
    p.add_argument("--limit", type=_whole(1, MAX_LIST_LIMIT), default=5, help="passages to show (default 5)")

    p = sub.add_parser("source", help="one whole passage, by the id shown under a quote")
    _common(p)
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("meeting", help="one Conference of the Parties: place, dates, source, what the corpus holds")
    _common(p)
    p.add_argument("meeting", help="number, COP14, or city")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("chat", help="an interactive session in the terminal")
    _common(p)

    p = sub.add_parser("eval", help="score the engine on an evaluation file")
    _common(p)
    p.add_argument("file", nargs="?", type=Path, default=Path("tests/eval/questions.yaml"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("web", help="serve the engine as a JSON API over HTTP (/ask, /search, /source, /latest)")
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_whole(1, 65535), default=8080, help="port, 1 to 65535 (default 8080)")

    p = sub.add_parser("serve", help="run the Discord bot")
    _common(p)
    p.add_argument("--sync-guild", type=int, metavar="ID", help="sync slash commands to this server on start (development)")

    p = sub.add_parser("sync", help="sync slash commands with Discord (globally, or to one server)")
    _common(p)
    p.add_argument("--guild", type=int, metavar="ID")

    p = sub.add_parser("fetch", help="fetch new CMS news, press releases and documents into the corpus")
    _common(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")

    p = sub.add_parser("feedback", help="summarise 👍/👎 feedback from Discord")
    _common(p)
    p.add_argument("--json", action="store_true")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings().with_overrides(corpus_dir=args.corpus, index_path=args.index, data_dir=args.data_dir)


def _progress(enabled: bool) -> tuple[Any, Any]:
    """A tqdm bar fed by the loader's per-file callback, and a function to close it."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def on_file(name: str, index: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="file", desc="Indexing", file=sys.stderr, leave=False)
        bar["bar"].set_postfix_str(name[-40:], refresh=False)
        bar["bar"].update(1)

    return on_file, lambda: bar["bar"].close() if "bar" in bar else None


def check_corpus(settings: Settings) -> None:
    """A missing corpus folder is named as such, with how to set it."""
    corpus = settings.corpus_dir
    how = "set it with --corpus DIR or CMSBOT_CORPUS"
    if not corpus.is_dir():
        raise ConfigError(f"corpus folder {corpus} not found ({how})")
    if not (corpus / "meetings.yaml").is_file():
        raise ConfigError(f"{corpus} is not a cmsbot corpus: it has no meetings.yaml ({how})")


def _state_error(settings: Settings, exc: OSError) -> ConfigError:
    """An OSError while writing the index or the state folder, as one line naming the setting."""
    why = exc.strerror or str(exc)
    if settings.index_path is not None:
        return ConfigError(f"cannot write the index {settings.index_path}: {why} (set it with --index FILE or CMSBOT_INDEX)")
    return ConfigError(f"cannot use {settings.data_dir} as the data folder: {why} "
                       "(set it with --data-dir DIR or CMSBOT_DATA_DIR)")


def _open_engine(settings: Settings, *, quiet: bool = True):  # noqa: ANN202 - Engine, imported lazily
    from bot.engine import Engine

    check_corpus(settings)
    on_file, close = _progress(not quiet)
    try:
        engine = Engine.open(settings.corpus_dir, settings.resolved_index_path, on_file=on_file)
    except OSError as exc:
        raise _state_error(settings, exc) from None
    finally:
        close()
    skipped = sum(1 for p in engine.problems if p.skipped)
    if skipped:
        print(f"cmsbot: {skipped} corpus file{'s were' if skipped != 1 else ' was'} skipped (`cmsbot index` shows why)",
              file=sys.stderr)
    return engine


def cmd_index(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.ingest.walk import corpus_state

    settings = settings_from(args)
    check_corpus(settings)
    state = corpus_state(settings.corpus_dir)  # before the build: a file changed meanwhile shows next time
    on_file, close = _progress(not (args.quiet or args.json))
    try:
        engine = Engine.build(settings.corpus_dir, on_file=on_file)
    finally:
        close()
    try:
        engine.save(settings.resolved_index_path, state)
    except OSError as exc:
        raise _state_error(settings, exc) from None
    stats = engine.stats()
    summary = {
        "corpus": str(settings.corpus_dir),
        "index": str(settings.resolved_index_path),
        "documents": stats.documents,
        "passages": stats.passages,
        "documents_by_kind": stats.documents_by_kind,
        "passages_by_kind": stats.passages_by_kind,
        "first_date": stats.first_date.isoformat() if stats.first_date else None,
        "last_date": stats.last_date.isoformat() if stats.last_date else None,
        "meetings": [f"COP{n}" for n in stats.meetings],
        "languages": {d["source"]: d.get("lang", "en") for d in engine.documents},
        "skipped": [{"file": p.path, "reason": p.reason} for p in engine.problems if p.skipped],
        "warnings": [{"file": p.path, "reason": p.reason} for p in engine.problems if not p.skipped],
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(_index_table(summary, stats))
    if args.strict and engine.problems:
        print(f"--strict: {len(engine.problems)} file problem(s)", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _index_table(summary: dict[str, Any], stats: Any) -> str:
    rows = [f"{'kind':<16}{'documents':>10}{'passages':>10}"]
    for kind in KINDS:
        rows.append(f"{kind:<16}{stats.documents_by_kind.get(kind, 0):>10}{stats.passages_by_kind.get(kind, 0):>10}")
    rows.append(f"{'total':<16}{stats.documents:>10}{stats.passages:>10}")
    rows.append("")
    dates = f"{format_date(stats.first_date)} – {format_date(stats.last_date)}" if stats.first_date else "none"
    rows.append(f"dates     {dates}")
    rows.append(f"meetings  {', '.join(summary['meetings']) or 'none'}")
    by_lang: dict[str, int] = {}
    for lang in summary["languages"].values():
        by_lang[lang] = by_lang.get(lang, 0) + 1
    rows.append(f"languages {', '.join(f'{n} {lang}' for lang, n in sorted(by_lang.items())) or 'none'}")
    rows.append(f"index     {summary['index']}")
    skipped = summary["skipped"] + summary["warnings"]
    rows.append(f"skipped   {len(summary['skipped'])} file(s), {len(summary['warnings'])} warning(s)")
    for item in skipped:
        rows.append(f"  {item['file']}: {item['reason']}")
    return "\n".join(rows)


def _meeting_arg(engine: Any, text: str | None, flag: str = "--meeting") -> int | None:
    from bot.cms.meetings import UnknownMeeting

    if text is None:
        return None
    try:
        return engine.meetings.number_of(text)
    except (UnknownMeeting, ValueError) as exc:
        raise ConfigError(f"{flag}: {exc}") from None


def _dates(args: argparse.Namespace) -> tuple[date | None, date | None]:
    date_from, date_to = getattr(args, "date_from", None), getattr(args, "date_to", None)
    if date_from and date_to and date_from > date_to:
        raise ConfigError(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}")
    return date_from, date_to


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answer.render import answer_json, render_text

    date_from, date_to = _dates(args)
    settings = settings_from(args)
    engine = _open_engine(settings)
    meeting = _meeting_arg(engine, args.meeting)
    questions: Iterable[str]
    if args.question == ["-"]:
        questions = stdin_lines()
    else:
        questions = [clean(" ".join(args.question))]
    for question in questions:
        if not question.strip() and not args.json:
            continue  # JSON Lines answer a blank line too (answers line up with questions); text skips it
        answer = engine.ask(question.strip(), meeting=meeting, kind=args.kind, limit=args.limit,
                            date_from=date_from, date_to=date_to)
        if args.json:
            _print_json(answer_json(answer))
        else:
            shown = len(answer.citations) + len(answer.more)
            print(render_text(answer, color=sys.stdout.isatty(), more_hint=f"add --limit {shown}"))
            print()
    return EXIT_OK


def stdin_lines() -> Iterator[str]:
    """Standard input line by line, read as bytes: invalid UTF-8 becomes U+FFFD whatever the locale
    (a strict one would raise mid-stream; C.UTF-8 would smuggle the bytes through as surrogates)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream with no bytes underneath (tests, embedding)
        yield from (clean(line.rstrip("\r\n")) for line in sys.stdin)
        return
    for raw in buffer:
        yield decode(raw.rstrip(b"\r\n"))


def _print_json(data: Any) -> None:
    """One JSON line, printable on any stdout: non-ASCII escaped when stdout can't encode it."""
    encoding = (getattr(sys.stdout, "encoding", None) or "ascii").lower().replace("-", "").replace("_", "")
    text = clean(json.dumps(data, ensure_ascii=encoding not in ("utf8", "utf8sig")))
    print(text, flush=True)


def _passage_block(number: int, passage: Any, text: str) -> str:
    from bot.answer.render import citation_label, link_line

    return f"[{number}] {citation_label(passage)}\n    {text}\n    {link_line(passage)}"


def cmd_search(args: argparse.Namespace) -> int:
    from bot.answer.render import passage_json
    from bot.snippet import snippet

    date_from, date_to = _dates(args)
    engine = _open_engine(settings_from(args))
    query = " ".join(args.query)
    filters = {"meeting": _meeting_arg(engine, args.meeting), "kind": args.kind, "date_from": date_from, "date_to": date_to}
    hits = engine.search(query, limit=args.limit, offset=args.offset, **filters)
    total = engine.search_total(query, **filters)
    if args.json:
        _print_json({"query": query, "total": total, "offset": args.offset, "hits": [
            {**passage_json(h.passage), "snippet": snippet(h.passage.text, query), "score": round(h.score, 6)}
            for h in hits]})
        return EXIT_OK
    if not hits:
        print(f"No passage matches “{query}”." if not total else f"No hits after the first {total}.")
        return EXIT_OK
    first = args.offset + 1
    print(f"{total} passage{'s' if total != 1 else ''} match “{query}”; {first}–{args.offset + len(hits)}:\n")
    print("\n\n".join(_passage_block(n, h.passage, snippet(h.passage.text, query)) for n, h in enumerate(hits, start=first)))
    if args.offset + len(hits) < total:
        print(f"\n(more: --offset {args.offset + len(hits)})")
    return EXIT_OK


def cmd_latest(args: argparse.Namespace) -> int:
    from bot.answer.render import passage_json
    from bot.snippet import snippet

    engine = _open_engine(settings_from(args))
    passages = engine.latest(meeting=_meeting_arg(engine, args.meeting), kind=args.kind, limit=args.limit)
    if args.json:
        _print_json({"passages": [{**passage_json(p), "text": p.text} for p in passages]})
    elif not passages:
        print("Nothing matches those filters.")
    else:
        print("\n\n".join(_passage_block(n, p, snippet(p.text)) for n, p in enumerate(passages, start=1)))
    return EXIT_OK


def cmd_source(args: argparse.Namespace) -> int:
    from bot.answer.render import passage_json, passage_text

    engine = _open_engine(settings_from(args))
    passage = engine.passage(args.id)
    if passage is None:
        raise ConfigError(f"no passage with id {args.id!r} (each quote shows its id; `cmsbot search` finds some)")
    if args.json:
        _print_json({**passage_json(passage), "text": passage.text})
    else:
        print(passage_text(passage))
    return EXIT_OK


def cmd_meeting(args: argparse.Namespace) -> int:
    engine = _open_engine(settings_from(args))
    number = _meeting_arg(engine, args.meeting, flag="meeting")
    m = engine.meetings.get(number)
    assert m is not None
    documents, passages = engine.meeting_stats(number)
    source = m.source if m.source else None
    if args.json:
        _print_json({
            "number": m.number, "code": m.code, "city": m.city, "country": m.country,
            "start": m.start.isoformat(), "end": m.end.isoformat(), "note": m.note, "source": source,
            "verified": m.verified, "documents": documents, "passages": passages,
        })
        return EXIT_OK
    lines = [f"{m.code}: {m.place}, {m.dates}"]
    if m.note:
        lines.append(f"Note: {m.note}")
    lines.append(f"Source: {source}" + ("" if m.verified else " (dates not yet verified against an official source)")
                 if source else "Source: none recorded (dates not yet verified against an official source)")
    lines.append(f"Corpus: {documents} document{'s' if documents != 1 else ''}, "
                 f"{passages} passage{'s' if passages != 1 else ''} about {m.code}")
    print("\n".join(lines))
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    settings = settings_from(args)
    from bot.engine import settle

    engine = _open_engine(settings, quiet=False)
    settle()  # a session answers many questions: no full garbage collection pauses over the engine
    return run_chat(engine, history=settings.data_dir / "chat_history")


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluate import evaluate, format_report, load_questions

    questions = load_questions(args.file)
    if any(q.docs for q in questions):
        report = _eval_devset(args, questions)
    else:
        report = evaluate(questions, _open_engine(settings_from(args)).ask)
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if args.json else format_report(report))
    return EXIT_OK if report.thresholds_met() else EXIT_FAIL


def _eval_devset(args: argparse.Namespace, questions: list) -> Any:
    """A dev-set file: its pages built into a corpus as fetched, then scored on that corpus."""
    import tempfile

    from bot.devset import build_corpus, docs_dir_for
    from bot.engine import Engine
    from bot.evaluate import evaluate

    settings = settings_from(args)
    with tempfile.TemporaryDirectory(prefix="cmsbot-devset-") as tmp:
        corpus = build_corpus(docs_dir_for(args.file), settings.corpus_dir / "meetings.yaml", Path(tmp) / "corpus")
        engine = Engine.open(corpus, Path(tmp) / "index.npz", notify=lambda _m: None)
        return evaluate(questions, engine.ask)


def cmd_web(args: argparse.Namespace) -> int:
    from bot.web import run_web

    try:
        from bot.engine import settle

        engine = _open_engine(settings_from(args), quiet=False)
        settle()  # a server answers many questions: no full garbage collection pauses over the engine
        run_web(engine, args.host, args.port)
    except OSError as exc:  # the address is taken, or not this machine's
        raise ConfigError(f"cannot listen on {args.host} port {args.port}: {_bind_reason(exc)}") from None
    return EXIT_OK


def _bind_reason(exc: OSError) -> str:
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return "no such host"
    return {errno.EADDRINUSE: "the port is already in use", errno.EADDRNOTAVAIL: "not an address of this machine",
            errno.EACCES: "permission denied (ports below 1024 need privileges)"}.get(
        exc.errno or 0, exc.strerror or str(exc))


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.discord.runner import run_serve

    settings = settings_from(args)
    check_corpus(settings)
    return run_serve(settings, sync_guild=args.sync_guild)


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.discord.runner import run_sync

    return run_sync(settings_from(args), guild=args.guild)


def cmd_fetch(args: argparse.Namespace) -> int:
    from bot.fetch import SourcesError, format_report, run_fetch

    settings = settings_from(args)
    check_corpus(settings)
    try:
        report = run_fetch(settings, quiet=args.quiet or args.json)
    except SourcesError as exc:
        print(f"cmsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(report.to_json() if args.json else format_report(report))
    return EXIT_FAIL if report.failed else EXIT_OK


def cmd_feedback(args: argparse.Namespace) -> int:
    from bot.state.feedback import print_feedback_summary

    return print_feedback_summary(settings_from(args), as_json=args.json)


COMMANDS = {
    "index": cmd_index, "ask": cmd_ask, "search": cmd_search, "latest": cmd_latest, "source": cmd_source,
    "meeting": cmd_meeting, "chat": cmd_chat, "eval": cmd_eval, "web": cmd_web, "serve": cmd_serve,
    "sync": cmd_sync, "fetch": cmd_fetch, "feedback": cmd_feedback,
}


def one_line(message: str) -> str:
    """A message as a single line (YAML parsers and others report over several)."""
    return " ".join(str(message).split())


def main(argv: Sequence[str] | None = None) -> int:
    from bot.cms.meetings import MeetingsFileError
    from bot.evaluate import QuestionFileError

    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
    except (ConfigError, MeetingsFileError, QuestionFileError) as exc:
        print(f"cmsbot: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file or folder the user named: missing, unreadable, not writable
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"cmsbot: {where}{one_line(exc.strerror or str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "eval" and code == EXIT_FAIL:
        print("cmsbot: eval: below the CI thresholds (see 'Thresholds' above)", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
