"""Hostile probe (issue 15): what bad input does to cmsbot, measured. Prints a table and JSON; asserts nothing.

    python bench/bench_probe.py [--questions 10000] [--requests 3000] [--raw 300] [--kills 10]
                                [--kill-files 1500] [--listing-links 5000] [--no-laughs] [--only questions,web,...]

Sections, each through the real entry points (subprocesses of ``python -m bot.cli`` where a user
would run the command, a real aiohttp server on 127.0.0.1 where a client would connect):

- questions: hostile questions (invalid UTF-8, blank lines, control and bidi characters, mentions,
  surrogates, 10 kB lines) one per line into ``ask --json -`` under C.UTF-8 and under a strict
  decoder: crashes, lines out vs lines in, lines that are not valid UTF-8 JSON; and warm
  ``Engine.ask`` latency on the same questions.
- web: ``cmsbot web`` as a subprocess; hostile HTTP requests (methods, paths, parameters, bodies,
  charsets) and raw malformed bytes on the socket: 5xx, non-JSON answers, dropped connections; and
  the worst ``/health`` latency while the hostile load runs (a stalled event loop shows there).
- corpus: the shipped corpus plus broken files (front matter of every wrong type, bad YAML, binary,
  UTF-16, NUL bytes, names that are not UTF-8, a YAML billion-laughs, symlinks out of the corpus,
  dangling links, loops, a FIFO): ``cmsbot index --json``; good passages kept, files skipped and
  warned about, files outside the corpus quoted.
- kills: a synthetic corpus big enough that the index write takes a while; ``cmsbot index`` killed
  with SIGKILL as soon as its temp file appears, ``--kills`` times; temp files after the kills and
  after the next run; the old index intact.
- fetch: ``fetch_all`` on a local site whose listing holds ``--listing-links`` item links, with a
  ticker measuring the event loop's worst stall (what the Discord bot would suffer under serve).

Results also go to bench/results/probe.json (gitignored). Timings on a shared 2-core VM are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPUS = REPO / "corpus"
PY = sys.executable

TRIGGERS = [
    "When", "did", "COP14", "COP 11", "CoP-14", "open", "Samarkand", "Quito", "Bonn", "eleventh", "14th",
    "press release", "Resolution 11.33", "UNEP/CMS/COP14/Doc.19", "para. 4", "who", "where", "how many",
    "between 2014 and 2024", "12 February 2024", "last week", "@everyone", "@here", "<@123>", "```", "**",
    "||x||", "<script>", "${jndi:x}", "%s%n", "\\", "'", '"', "COP³", "²⁰", "١٤", "𝟏𝟒", "NaN", "9" * 40,
    "\u202e", "\u200b", "\ufeff", "\x00", "\x1b[31m", "\t", "\u2028", "🦅", "ß", "İ",
]


def hostile_line(rng: random.Random) -> bytes:
    """One line of stdin: mostly text built from triggers and random code points, sometimes raw bytes."""
    roll = rng.random()
    if roll < 0.05:
        return b""
    if roll < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 60))).replace(b"\n", b" ")
    parts = []
    for _ in range(rng.randint(1, 12)):
        if rng.random() < 0.6:
            parts.append(rng.choice(TRIGGERS))
        else:
            parts.append("".join(chr(rng.choice([rng.randint(32, 0x2FF), rng.randint(0x300, 0xFFFF),
                                                  rng.randint(0x10000, 0x10FFFF)]))
                                 for _ in range(rng.randint(1, 12))))
    text = " ".join(parts).replace("\n", " ").replace("\r", " ")
    if rng.random() < 0.02:
        text = (text + " ") * 400  # a 10 kB question
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        data += b"\xed\xa0\x80"  # an encoded lone surrogate
    return data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO", "PYTHONUTF8", "DISCORD"))}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([PY, "-m", "bot.cli", *args], capture_output=True, cwd=REPO, **kwargs)


# ------------------------------------------------------------------------------------------ questions


def probe_questions(n: int, tmp: Path) -> dict[str, Any]:
    rng = random.Random(15)
    lines = [hostile_line(rng) for _ in range(n)]
    stdin = b"\n".join(lines) + b"\n"
    index = tmp / "q-index.npz"
    out: dict[str, Any] = {"questions_tried": n, "runs": {}}
    for name, env in {"C.UTF-8": {"LC_ALL": "C.UTF-8"},
                      "strict": {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"}}.items():
        start = time.perf_counter()
        result = cli("ask", "--corpus", str(CORPUS), "--index", str(index), "--json", "-",
                     input=stdin, env=clean_env(**env), timeout=3600)
        seconds = time.perf_counter() - start
        printed = result.stdout.split(b"\n")[:-1]
        invalid = 0
        for raw in printed:
            try:
                data = json.loads(raw.decode("utf-8"))
                data["question"].encode("utf-8")
            except (ValueError, KeyError, UnicodeError):
                invalid += 1
        out["runs"][name] = {
            "exit_code": result.returncode, "crashed": result.returncode != 0 or b"Traceback" in result.stderr,
            "lines_in": n, "lines_out": len(printed), "invalid_json_lines": invalid, "seconds": round(seconds, 2),
        }
    from bot.engine import Engine

    engine = Engine.open(CORPUS, index, notify=lambda _m: None)
    start = time.perf_counter()
    engine.ask("Quand la COP14 a-t-elle ouvert ses portes à Samarkand ? " * 20)  # loads lazy models once
    out["engine_warm_up_ms"] = round((time.perf_counter() - start) * 1000, 1)
    times, crashes = [], 0
    for raw in lines:
        question = raw.decode("utf-8", "replace")
        start = time.perf_counter()
        try:
            engine.ask(question)
        except Exception:  # noqa: BLE001 - counted
            crashes += 1
        times.append((time.perf_counter() - start) * 1000)
    out["engine_ask_ms"] = {"p50": round(percentile(times, 0.5), 2), "p99": round(percentile(times, 0.99), 2),
                            "max": round(max(times), 2)}
    out["engine_crashes"] = crashes
    out["crashes"] = crashes + sum(r["crashed"] for r in out["runs"].values())
    return out


# ------------------------------------------------------------------------------------------ web

PARAMS = ["q", "meeting", "kind", "limit", "offset", "from", "to", "id"]
PATHS = ["/ask", "/search", "/source", "/latest", "/health", "/", "/source/news%2Fcms-news-cop11-2014%23item-4",
         "/source/%ff%fe", "/ask/", "//ask", "/%2e%2e/etc/passwd", "/ask%00", "/nowhere"]
METHODS = ["GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW"]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
                 "application/json; charset=nope", "text/plain", "application/x-www-form-urlencoded", ""]
VALUES = ["", " ", "0", "-1", "20", "21", "1e3", "²", "³", "²⁰", "١٤", "9" * 5000, "2024-02-12", "2024-02-30",
          "COP14", "tweet", "press_release", "news/cms-news-cop11-2014#item-4"]


def hostile_request(rng: random.Random) -> tuple[str, str, bytes | None, dict[str, str]]:
    method = rng.choice(METHODS)
    path = rng.choice(PATHS)
    params = []
    for _ in range(rng.randint(0, 5)):
        key = rng.choice(PARAMS) if rng.random() < 0.85 else hostile_line(rng).decode("utf-8", "replace")[:8]
        value = rng.choice(VALUES) if rng.random() < 0.4 else hostile_line(rng).decode("utf-8", "surrogateescape")
        params.append(f"{quote(key.encode('utf-8', 'surrogatepass'), safe='')}="
                      f"{quote(value.encode('utf-8', 'surrogateescape'), safe='')}")
    target = path + ("?" + "&".join(params) if params else "")
    body, headers = None, {}
    if method in ("POST", "PUT", "PATCH") or rng.random() < 0.1:
        headers["Content-Type"] = rng.choice(CONTENT_TYPES)
        roll = rng.random()
        if roll < 0.5:
            fields = {rng.choice(PARAMS): rng.choice([rng.choice(VALUES), hostile_line(rng).decode("utf-8", "replace"),
                                                      rng.randint(-5, 50), None, [1], {"a": "b"}, True, 2.5])
                      for _ in range(rng.randint(0, 4))}
            body = json.dumps(fields).encode()
            if rng.random() < 0.2:
                body = body.replace(b'"q": "', b'"q": "\\ud800', 1)
        elif roll < 0.7:
            body = hostile_line(rng)
        elif roll < 0.85:
            depth = rng.randint(100, 200_000)
            body = b"[" * depth + b"]" * depth
        else:
            body = b'{"q": "When did COP14 open?"}'
    return method, target, body, headers


RAW = [
    b"GET /ask?q=x HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", b"GET /ask?q=x HTTP/9.9\r\nHost: x\r\n\r\n",
    b"G@T /ask HTTP/1.1\r\n\r\n", b"POST /ask HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
    b"POST /ask HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    b"GET /ask?q=" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n",
    b"GET /\xff\xfe HTTP/1.1\r\nHost: \xff\r\n\r\n", b"POST /ask HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
]


def _raw_exchange(address: tuple[str, int], data: bytes) -> bytes:
    """Send ``data`` and read until the server closes (or stays silent for a second, waiting for more:
    a half-close would make aiohttp drop an incomplete request without answering)."""
    with socket.create_connection(address, timeout=1) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
    return b"".join(chunks)


def probe_web(n: int, n_raw: int, tmp: Path) -> dict[str, Any]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = ("127.0.0.1", port)
    log_path = tmp / "web.log"  # a file, not a pipe: a full, unread pipe would block the server's writes
    log = log_path.open("wb")
    server = subprocess.Popen([PY, "-m", "bot.cli", "web", "--corpus", str(CORPUS), "--index", str(tmp / "w.npz"),
                               "--port", str(port)], cwd=REPO, env=clean_env(), stdout=subprocess.DEVNULL,
                              stderr=log)
    try:
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection(*address, timeout=2)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(1515)
        statuses: dict[str, int] = {}
        fivexx, non_json, dropped = 0, 0, 0
        examples: list[str] = []
        health_ms: list[float] = []
        stop = threading.Event()

        def health_watch() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                try:
                    conn = http.client.HTTPConnection(*address, timeout=30)
                    conn.request("GET", "/health")
                    conn.getresponse().read()
                    health_ms.append((time.perf_counter() - start) * 1000)
                except OSError:
                    pass
                time.sleep(0.05)

        watcher = threading.Thread(target=health_watch, daemon=True)
        watcher.start()
        for _ in range(n):
            method, target, body, headers = hostile_request(rng)
            try:
                conn = http.client.HTTPConnection(*address, timeout=30)
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                conn.close()
            except (OSError, http.client.HTTPException):
                dropped += 1
                continue
            statuses[f"{response.status // 100}xx"] = statuses.get(f"{response.status // 100}xx", 0) + 1
            if response.status >= 500:
                fivexx += 1
                examples.append(f"{response.status} {method} {target[:80]}")
            if method != "HEAD":
                try:
                    assert (response.getheader("Content-Type") or "").startswith("application/json")
                    json.loads(data.decode("utf-8"))
                except (AssertionError, ValueError):
                    non_json += 1
                    examples.append(f"non-JSON {response.status} {method} {target[:80]}")
        raw_fivexx, raw_non_json, raw_silent = 0, 0, 0
        for i in range(n_raw):
            data = RAW[i % len(RAW)] if i < len(RAW) else bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
            try:
                reply = _raw_exchange(address, data)
            except OSError:
                raw_silent += 1
                continue
            if not reply:
                raw_silent += 1
                continue
            head, _, body = reply.partition(b"\r\n\r\n")
            try:
                status = int(head.split(b" ", 2)[1])
            except (IndexError, ValueError):
                raw_non_json += 1
                continue
            raw_fivexx += status >= 500
            if b"application/json" not in head.lower():
                raw_non_json += 1
                examples.append(f"raw non-JSON {status}: {data[:40]!r}")
        stop.set()
        watcher.join(35)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    server_log = log_path.read_text(encoding="utf-8", errors="replace")
    return {
        "server_log_lines": server_log.count("\n"), "server_tracebacks": server_log.count("Traceback"),
        "requests": n, "by_status": dict(sorted(statuses.items())), "5xx": fivexx, "non_json": non_json,
        "dropped": dropped, "raw_requests": n_raw, "raw_5xx": raw_fivexx, "raw_non_json": raw_non_json,
        "raw_closed_without_reply": raw_silent,
        "health_ms_under_load": {"p50": round(percentile(health_ms, 0.5), 1), "max": round(max(health_ms or [0]), 1),
                                 "samples": len(health_ms)},
        "examples": examples[:10],
    }


# ------------------------------------------------------------------------------------------ corpus

SECRET_OUTSIDE = "OUTSIDE-THE-CORPUS-7f3a91"
GOOD_FILES = ("news/cms-news-cop11-2014.md", "press/cop14-opening-2024-02-12.md",
              "documents/unep-cms-cop14-doc19.md")


def broken_files() -> dict[bytes, bytes]:
    """75 broken entries: name → content (symlinks, FIFOs and the like are made separately)."""
    body = b"PRESS RELEASE\n\nThe Conference of the Parties met in Samarkand for COP14.\n"
    files: dict[bytes, bytes] = {}
    values = {"float": "14.5", "int": "14", "date": "2024-02-12", "list": "[a, b]", "dict": "{a: b}",
              "bool": "true", "null": "null", "timestamp": "2024-02-12 10:00:00", "nan": ".nan"}
    for field in ("title", "symbol", "kind", "date", "meeting", "url", "place"):
        for label, value in values.items():
            files[f"bad/{field}-{label}.md".encode()] = f"---\n{field}: {value}\n---\n".encode() + body
    files.update({
        b"bad/unclosed.md": b"---\ntitle: x\n" + body, b"bad/not-yaml.md": b"---\ntitle: [x\n---\n" + body,
        b"bad/list-front.md": b"---\n- a\n- b\n---\n" + body, b"bad/python-tag.md": b"---\ntitle: !!python/object:os.system x\n---\n" + body,
        b"bad/alias.md": b"---\na: &a [x, x]\ntitle: *a\n---\n" + body, b"bad/empty.md": b"",
        b"bad/only-front.md": b"---\ntitle: x\n---\n", b"bad/binary.md": bytes(range(256)) * 20,
        b"bad/nul.md": b"PRESS RELEASE\n\x00\x00\x00 COP14 \x00\n", b"bad/utf16.md": "PRESS RELEASE COP14".encode("utf-16"),
        b"bad/latin1.md": "PRESS RELEASE\n\nCaf\u00e9 COP14 \u00e9t\u00e9".encode("latin-1"),
        b"bad/bom-crlf.md": b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n" + body.replace(b"\n", b"\r\n"),
        b"bad/huge-line.md": b"PRESS RELEASE\n\n" + b"word " * 200_000, b"bad/garbage.pdf": b"%PDF-1.4 garbage",
        b"bad/garbage.html": b"<html><<<>>><body>" + b"<div>" * 5000, b"bad/unknown.xyz": b"what",
        b"bad/caf\xe9-latin1-name.md": body, b"bad/\xff\xfe.md": body, b"bad/new\nline.md": body,
        b"bad/ space .md": body, b"bad/-dash.md": body, b"bad/" + ("é" * 60).encode() + b".md": body,
    })
    return files


def probe_corpus(tmp: Path, laughs: bool) -> dict[str, Any]:
    corpus = tmp / "broken"
    shutil.copytree(CORPUS, corpus)
    outside = tmp / "outside.md"
    outside.write_text(f"---\ntitle: outside\nkind: press_release\n---\nPRESS RELEASE\n\n{SECRET_OUTSIDE} COP14.\n")
    baseline = json.loads(cli("index", "--corpus", str(corpus), "--index", str(tmp / "b.npz"), "--json",
                              env=clean_env(), timeout=600).stdout)
    entries = 0
    for name, data in broken_files().items():
        path = os.path.join(os.fsencode(corpus), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        entries += 1
    links = corpus / "links"
    links.mkdir()
    os.symlink(outside, links / "outside.md")
    os.symlink("/etc/passwd", links / "passwd.md")
    os.symlink(tmp / "nowhere.md", links / "dangling.md")
    os.symlink(links / "loop-b.md", links / "loop-a.md")
    os.symlink(links / "loop-a.md", links / "loop-b.md")
    os.symlink("/dev/zero", links / "zero.md")
    os.symlink(tmp, links / "up")  # a directory link out of the corpus
    os.mkfifo(links / "fifo.md")
    entries += 8
    if laughs:
        bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join('*' + chr(97 + i) for _ in range(9))}]\n" for i in range(8)) + "---\nx\n"
        (corpus / "bad" / "laughs.md").write_text(bomb)
        entries += 1
    start = time.perf_counter()
    try:
        result = cli("index", "--corpus", str(corpus), "--index", str(tmp / "broken.npz"), "--json",
                     env=clean_env(), timeout=600)
        timed_out = False
    except subprocess.TimeoutExpired:
        result, timed_out = None, True
    seconds = time.perf_counter() - start
    out: dict[str, Any] = {"broken_entries": entries, "seconds": round(seconds, 2), "timed_out": timed_out}
    if result is None:
        return out
    out["exit_code"] = result.returncode
    out["crashed"] = result.returncode != 0 or b"Traceback" in result.stderr
    if result.returncode != 0:
        out["stderr"] = result.stderr.decode("utf-8", "replace")[-300:]
        return out
    summary = json.loads(result.stdout)
    from bot.engine import Engine

    engine = Engine.open(corpus, tmp / "broken.npz", notify=lambda _m: None)
    good_before = sum(baseline["passages_by_kind"].values())
    good_after = sum(1 for p in engine.passages if p.source in GOOD_FILES)
    outside_quoted = sum(1 for p in engine.passages if SECRET_OUTSIDE in p.text or "root:x:0:0" in p.text)
    reported = {s["file"] for s in summary["skipped"]} | {w["file"] for w in summary["warnings"]}
    out.update({
        "good_passages_before": good_before, "good_passages_kept": good_after,
        "documents": summary["documents"], "passages": summary["passages"],
        "skipped": len(summary["skipped"]), "warnings": len(summary["warnings"]),
        "link_entries_reported": sum(1 for f in reported if f.startswith("links/")),
        "outside_files_quoted": outside_quoted,
    })
    return out


# ------------------------------------------------------------------------------------------ kills


def synthetic_corpus(root: Path, files: int) -> None:
    shutil.copytree(CORPUS, root)
    rng = random.Random(9)
    words = ("migratory species conservation parties appendix listing flyway wetlands sharks eagles turtles "
             "secretariat resolution decision range states habitat connectivity barrier energy").split()
    folder = root / "synthetic"
    folder.mkdir()
    for i in range(files):
        paragraphs = "\n\n".join(f"{n}. " + " ".join(rng.choice(words) for _ in range(rng.randint(30, 80))) + "."
                                 for n in range(1, 25))
        (folder / f"item-{i:05d}.md").write_text(
            f"---\ntitle: Synthetic item {i}\nkind: press_release\ndate: 2024-02-{1 + i % 28:02d}\nmeeting: 14\n---\n"
            f"PRESS RELEASE\n\n{paragraphs}\n")


def probe_kills(tmp: Path, kills: int, files: int) -> dict[str, Any]:
    from bot import tempfiles

    corpus = tmp / "big"
    synthetic_corpus(corpus, files)
    index = tmp / "big-index.npz"
    first = cli("index", "--corpus", str(corpus), "--index", str(index), "--quiet", "--json", env=clean_env(),
                timeout=1800)
    if first.returncode != 0:
        return {"error": first.stderr.decode("utf-8", "replace")[-300:]}
    good = index.read_bytes()
    landed, most_left = 0, 0
    for _ in range(kills):
        proc = subprocess.Popen([PY, "-m", "bot.cli", "index", "--corpus", str(corpus), "--index", str(index),
                                 "--quiet", "--json"], cwd=REPO, env=clean_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 600
        before = set(tempfiles.temp_files(index))
        while proc.poll() is None and time.monotonic() < deadline:
            current = set(tempfiles.temp_files(index)) - before
            if current and any(p.exists() and p.stat().st_size > 0 for p in current):
                os.kill(proc.pid, signal.SIGKILL)
                landed += 1
                break
            time.sleep(0.0005)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        most_left = max(most_left, len(tempfiles.temp_files(index)))
    left_after_kills = tempfiles.temp_files(index)
    bytes_after_kills = sum(p.stat().st_size for p in left_after_kills if p.exists())
    intact = index.read_bytes() == good
    again = cli("ask", "--corpus", str(corpus), "--index", str(index), "--json", "When did COP14 open?",
                env=clean_env(), timeout=600)
    return {
        "kills": kills, "kills_during_write": landed, "most_temp_files_at_once": most_left,
        "temp_files_after_kills": len(left_after_kills), "temp_bytes_after_kills": bytes_after_kills,
        "old_index_intact": intact, "next_run_rebuilt": b"Rebuilding" in again.stderr,
        "temp_files_after_next_run": len(tempfiles.temp_files(index)), "index_bytes": len(good),
    }


# ------------------------------------------------------------------------------------------ fetch


def probe_fetch(tmp: Path, links: int) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "tests" / "fetch"))
    import fetchsite  # type: ignore[import-not-found]

    from bot.config import Settings
    from bot.fetch import fetch_all

    corpus = tmp / "fetch-corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "meetings.yaml", corpus / "meetings.yaml")
    settings = Settings(corpus_dir=corpus, data_dir=tmp / "fetch-data")

    async def run() -> dict[str, Any]:
        site = fetchsite.Site()
        # The hostile shape: every link in one flat container (a per-link walk of the container is quadratic).
        rows = "".join(f'<span>{1 + i % 28} February 2024</span> <a href="/en/news/item-{i}">Item {i}</a>\n'
                       for i in range(links))
        site.serve("/en/news", f'<html><body><div class="view-content"><div class="views-row">{rows}</div></div>'
                               '</body></html>')
        async with fetchsite.serving(site) as running:
            fetchsite.write_sources(settings, [fetchsite.news_source(running)], per_host_concurrency=8,
                                    max_bytes=200 * 1024 * 1024)  # the listing itself must get through
            worst = 0.0
            stop = asyncio.Event()

            async def ticker() -> None:
                nonlocal worst
                loop = asyncio.get_running_loop()
                while not stop.is_set():
                    start = loop.time()
                    await asyncio.sleep(0.01)
                    worst = max(worst, loop.time() - start - 0.01)

            tick = asyncio.create_task(ticker())
            start = time.perf_counter()
            report = await fetch_all(settings, quiet=True)
            seconds = time.perf_counter() - start
            stop.set()
            await tick
            return {"listing_links": links, "seconds": round(seconds, 2), "worst_stall_ms": round(worst * 1000, 1),
                    "items_requested": len([r for r in site.requests if r[0].startswith("/en/news/")]),
                    "report": {k: (len(v) if isinstance(v, list) else v) for k, v in json.loads(report.to_json()).items()}}

    return asyncio.run(run())


# ------------------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--raw", type=int, default=300, help="raw malformed byte requests")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--kill-files", type=int, default=1500, help="files in the synthetic corpus for the kills")
    parser.add_argument("--listing-links", type=int, default=5_000)
    parser.add_argument("--no-laughs", dest="laughs", action="store_false",
                        help="leave out the YAML billion-laughs file (a cmsbot that expands aliases needs GBs for it)")
    parser.add_argument("--only", default="questions,web,corpus,kills,fetch")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    results: dict[str, Any] = {"load": os.getloadavg()}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "questions" in sections:
            results["questions"] = probe_questions(args.questions, tmp)
        if "web" in sections:
            results["web"] = probe_web(args.requests, args.raw, tmp)
        if "corpus" in sections:
            results["corpus"] = probe_corpus(tmp, args.laughs)
        if "kills" in sections:
            results["kills"] = probe_kills(tmp, args.kills, args.kill_files)
        if "fetch" in sections:
            results["fetch"] = probe_fetch(tmp, args.listing_links)
    print_table(results)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    out = REPO / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "probe.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def print_table(r: dict[str, Any]) -> None:
    rows: list[tuple[str, Any]] = []
    if q := r.get("questions"):
        rows.append(("questions tried", q["questions_tried"]))
        rows.append(("crashes (ask --json -, 2 locales + Engine.ask)", q["crashes"]))
        for name, run in q["runs"].items():
            rows.append((f"  {name}: lines out / in, invalid JSON", f"{run['lines_out']} / {run['lines_in']}, "
                                                                   f"{run['invalid_json_lines']}"))
        rows.append(("  Engine.ask ms p50 / p99 / max", f"{q['engine_ask_ms']['p50']} / {q['engine_ask_ms']['p99']} / "
                                                        f"{q['engine_ask_ms']['max']}"))
    if w := r.get("web"):
        rows.append(("web requests / 5xx / non-JSON / dropped", f"{w['requests']} / {w['5xx']} / {w['non_json']} / "
                                                                f"{w['dropped']}"))
        rows.append(("raw malformed requests / 5xx / non-JSON", f"{w['raw_requests']} / {w['raw_5xx']} / "
                                                                f"{w['raw_non_json']}"))
        rows.append(("web server log lines / tracebacks", f"{w['server_log_lines']} / {w['server_tracebacks']}"))
        rows.append(("/health ms under hostile load p50 / max", f"{w['health_ms_under_load']['p50']} / "
                                                                f"{w['health_ms_under_load']['max']}"))
    if c := r.get("corpus"):
        if "good_passages_kept" in c:
            rows.append(("broken corpus entries", c["broken_entries"]))
            rows.append(("good passages kept beside them", f"{c['good_passages_kept']} of {c['good_passages_before']}"))
            rows.append(("  skipped / warnings / links reported", f"{c['skipped']} / {c['warnings']} / "
                                                                   f"{c['link_entries_reported']}"))
            rows.append(("  passages quoting files outside the corpus", c["outside_files_quoted"]))
        else:
            rows.append(("broken corpus: index failed", c))
    if k := r.get("kills"):
        if "kills" in k:
            rows.append(("kill -9 during index write (landed)", f"{k['kills']} ({k['kills_during_write']})"))
            rows.append(("  temp files after kills / after next run", f"{k['temp_files_after_kills']} "
                                                                     f"({k['temp_bytes_after_kills']} B) / "
                                                                     f"{k['temp_files_after_next_run']}"))
            rows.append(("  old index intact", k["old_index_intact"]))
        else:
            rows.append(("kills: failed", k))
    if f := r.get("fetch"):
        rows.append((f"fetch: listing of {f['listing_links']} links, s", f["seconds"]))
        rows.append(("  event-loop worst stall, ms", f["worst_stall_ms"]))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print()


if __name__ == "__main__":
    main()
