"""Issue 15 item 9: a writer killed with SIGKILL mid-write leaves a temp file; the next run removes it,
while a temp file a live writer still holds is left alone. Real processes, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import tempfiles
from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(tempfiles.fcntl is None, reason="flock-based sweeping needs fcntl")

# A writer that writes some bytes into its locked temp file, says so, then hangs until killed.
_HANGING_WRITER = """
import sys, time
from pathlib import Path
from bot import tempfiles
with tempfiles.writing(Path(sys.argv[1])) as fh:
    fh.write(b"x" * 100_000)
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def _hanging_writer(target: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _HANGING_WRITER, str(target)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    return proc


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def test_temp_files_of_killed_writers_are_removed_by_the_next_engine_open(tmp_path: Path) -> None:
    index = tmp_path / "index.npz"
    Engine.open(REPO / "corpus", index, notify=lambda _m: None)
    good = index.read_bytes()
    for _ in range(3):
        _kill(_hanging_writer(index))
    # Each writer sweeps its killed predecessor's file first: kills never pile up (10 kills were 606 MB).
    assert len(tempfiles.temp_files(index)) == 1
    assert index.read_bytes() == good, "the old index is intact after every kill"
    engine = Engine.open(REPO / "corpus", index, notify=lambda _m: None)  # loads, does not rebuild
    assert tempfiles.temp_files(index) == [] and len(engine.passages) == 50


def test_the_next_save_removes_them_too(tmp_path: Path) -> None:
    index = tmp_path / "index.npz"
    _kill(_hanging_writer(index))
    assert len(tempfiles.temp_files(index)) == 1 and not index.exists()
    Engine.open(REPO / "corpus", index, notify=lambda _m: None)  # nothing to load: builds and saves
    assert index.exists() and tempfiles.temp_files(index) == []


def test_a_live_writers_temp_file_is_left_alone(tmp_path: Path) -> None:
    index = tmp_path / "index.npz"
    live = _hanging_writer(index)
    try:
        (held,) = tempfiles.temp_files(index)
        assert tempfiles.remove_stale(index) == []
        Engine.open(REPO / "corpus", index, notify=lambda _m: None)
        assert held.exists() and tempfiles.temp_files(index) == [held]
    finally:
        _kill(live)
    assert tempfiles.remove_stale(index) == [held] and not held.exists()


def test_only_this_targets_temp_files_are_touched(tmp_path: Path) -> None:
    index = tmp_path / "index.npz"
    others = [tmp_path / ".other.npz.abc.tmp", tmp_path / "index.npz.tmp", tmp_path / ".index.npz.keep"]
    for path in others:
        path.write_bytes(b"not ours")
    stale = tmp_path / ".index.npz.x1y2.tmp"
    stale.write_bytes(b"left by a dead writer")
    os.utime(stale, (time.time() - 10, time.time() - 10))
    assert tempfiles.remove_stale(index) == [stale]
    assert all(path.exists() for path in others)


def test_a_failed_write_leaves_nothing_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), tempfiles.writing(target) as fh:
        fh.write(b"half")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old" and tempfiles.temp_files(target) == []
    with tempfiles.writing(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new" and tempfiles.temp_files(target) == []
