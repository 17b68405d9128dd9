"""`cmsbot index | ask | chat | eval | web | serve | sync | fetch | feedback` — a thin layer over the engine."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.model import KINDS, format_date
from bot.safetext import clean, decode

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="corpus folder (default: $CMSBOT_CORPUS or ./corpus)")
    parser.add_argument("--index", type=Path, metavar="FILE", help="saved index (default: <data dir>/index.npz)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="state folder (default: $CMSBOT_DATA_DIR or ./.cmsbot)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cmsbot", description="Answers about CMS Conferences of the Parties, with cited passages.")
    parser.add_argument("--version", action="version", version=f"cmsbot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="parse the corpus, build and save the index, print a summary")
    _common(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help="exit 1 if any file was skipped or had warnings")

    p = sub.add_parser("ask", help="answer one question (or one per line from stdin with '-')")
    _common(p)
    p.add_argument("question", nargs="+", help="the question, or '-' to read one question per line from stdin")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    p.add_argument("--meeting", help="only this meeting (number, COP14, or city)")
    p.add_argument("--kind", choices=KINDS, help="only this kind of document")
    p.add_argument("--limit", type=int, default=3, help="citations to show (default 3)")

    p = sub.add_parser("chat", help="an interactive session in the terminal")
    _common(p)

    p = sub.add_parser("eval", help="score the engine on an evaluation file")
    _common(p)
    p.add_argument("file", nargs="?", type=Path, default=Path("tests/eval/questions.yaml"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("web", help="serve the engine as a JSON API over HTTP (/ask, /search, /source, /latest)")
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")

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


def _open_engine(settings: Settings, *, quiet: bool = True):  # noqa: ANN202 - Engine, imported lazily
    from bot.engine import Engine

    on_file, close = _progress(not quiet)
    try:
        return Engine.open(settings.corpus_dir, settings.resolved_index_path, on_file=on_file)
    finally:
        close()


def cmd_index(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.ingest.corpus import fingerprint

    settings = settings_from(args)
    on_file, close = _progress(not (args.quiet or args.json))
    try:
        engine = Engine.build(settings.corpus_dir, on_file=on_file)
    finally:
        close()
    engine.save(settings.resolved_index_path, fingerprint(settings.corpus_dir))
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


def _meeting_arg(engine: Any, text: str | None) -> int | None:
    from bot.cms.meetings import UnknownMeeting

    if text is None:
        return None
    try:
        return engine.meetings.number_of(text)
    except (UnknownMeeting, ValueError) as exc:
        raise ConfigError(f"--meeting: {exc}") from None


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answer.render import answer_json, render_text

    settings = settings_from(args)
    engine = _open_engine(settings)
    meeting = _meeting_arg(engine, args.meeting)
    questions: Iterable[str]
    if args.question == ["-"]:
        questions = stdin_lines()
    else:
        questions = [clean(" ".join(args.question))]
    for question in questions:  # a blank line too gets its answer, so answers line up with questions
        answer = engine.ask(question.strip(), meeting=meeting, kind=args.kind, limit=args.limit)
        if args.json:
            _print_json(answer_json(answer))
        else:
            print(render_text(answer, color=sys.stdout.isatty()))
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


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(_open_engine(settings_from(args), quiet=False))


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

    run_web(_open_engine(settings_from(args), quiet=False), args.host, args.port)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.discord.runner import run_serve

    return run_serve(settings_from(args), sync_guild=args.sync_guild)


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.discord.runner import run_sync

    return run_sync(settings_from(args), guild=args.guild)


def cmd_fetch(args: argparse.Namespace) -> int:
    from bot.fetch import SourcesError, format_report, run_fetch

    try:
        report = run_fetch(settings_from(args), quiet=args.quiet or args.json)
    except SourcesError as exc:
        print(f"cmsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(report.to_json() if args.json else format_report(report))
    return EXIT_FAIL if report.failed else EXIT_OK


def cmd_feedback(args: argparse.Namespace) -> int:
    from bot.store import print_feedback_summary

    return print_feedback_summary(settings_from(args), as_json=args.json)


COMMANDS = {
    "index": cmd_index, "ask": cmd_ask, "chat": cmd_chat, "eval": cmd_eval, "web": cmd_web, "serve": cmd_serve,
    "sync": cmd_sync, "fetch": cmd_fetch, "feedback": cmd_feedback,
}


def main(argv: Sequence[str] | None = None) -> int:
    from bot.cms.meetings import MeetingsFileError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ConfigError, MeetingsFileError) as exc:
        print(f"cmsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
