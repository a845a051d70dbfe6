"""How long `wslwizard check --replay` takes, next to a bare interpreter.

Prints wall-clock figures (median of several runs) and their ratio:

    python bench/bench_check.py [--runs N] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def _time(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, timeout=120)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scenario", default="wsl-2.5.4-docker-failing")
    args = parser.parse_args()

    bare = _time([sys.executable, "-c", "pass"], args.runs)
    imports = _time([sys.executable, "-c", "import wslwizard.cli.main"], args.runs)
    check = _time(
        [sys.executable, "-m", "wslwizard", "check", "--replay", args.scenario],
        args.runs,
    )
    check_json = _time(
        [
            sys.executable,
            "-m",
            "wslwizard",
            "check",
            "--json",
            "--replay",
            args.scenario,
        ],
        args.runs,
    )
    base = statistics.median(bare)
    print(f"runs per figure: {args.runs} (median wall time)")
    rows = [
        ("bare interpreter start-up", bare),
        ("import wslwizard.cli.main", imports),
        (f"check --replay {args.scenario}", check),
        (f"check --json --replay {args.scenario}", check_json),
    ]
    for label, times in rows:
        median = statistics.median(times)
        print(f"{label:<55} {median * 1000:8.1f} ms  {median / base:6.2f}x bare")


if __name__ == "__main__":
    main()
