"""find_dates on date-dense text of growing size: the time per MB should stay flat (linear).

    python bench/bench_find_dates.py [--sizes 1,2,4,8]

Before issue 15 item 5 the overlap check compared every match with every kept date, so time
grew with the square of the number of dates (16 MB took ~120 s). Prints MB, dates found,
seconds and seconds per MB; never asserts on time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cms.dates import find_dates  # noqa: E402

UNIT = "COP14 met on 12-17 February 2024, then 3 March 2024, later March 2025 and 2024-02-12. "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,2,4,8", help="text sizes in MB")
    args = parser.parse_args()
    print(f"{'MB':>4} {'dates':>9} {'seconds':>8} {'s/MB':>6}")
    for size in (float(s) for s in args.sizes.split(",")):
        text = UNIT * int(size * 1024 * 1024 / len(UNIT))
        started = time.perf_counter()
        found = find_dates(text)
        took = time.perf_counter() - started
        print(f"{size:>4.0f} {len(found):>9} {took:>8.2f} {took / size:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
