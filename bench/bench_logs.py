"""Opening the end of a huge log costs what opening a small one costs.

    python bench/bench_logs.py            # 1 GiB and 1 MiB logs, 20 opens each
    python bench/bench_logs.py --runs 5 --keep /tmp/logs

"Opening" is what the wizard's log panel does: stat the file, read its last
1,000 lines backwards in chunks (``LogFollower.start``), and classify them
against the known problems' signatures (``TailBuffer.extend``). The 1 GiB
log is a sparse file whose last 4 MiB are real log lines, so it takes no disk
space; a third file ends in one 64 MiB line with no newline, the worst case
for reading backwards. Peak memory is Python's (tracemalloc) during one open.

Goal: the 1 GiB log opens in under 50 ms, with peak memory no higher than for
the 1 MiB log.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wslwizard.host.real import RealHost  # noqa: E402
from wslwizard.probes.logs import LogFollower  # noqa: E402
from wslwizard.tui.log_model import TailBuffer, signatures_of  # noqa: E402

GIB = 1 << 30
MIB = 1 << 20
LINE = (
    "[2025-04-04T00:35:22.{n:09d}Z][com.docker.backend.exe.WSLBootstrap] "
    "[2025-04-04T00:35:22.240355737Z][init] I starting step {n} of the VM init\n"
)
SIGNATURE = (
    "[2025-04-04T00:35:22.245889100Z][init][E] FATAL: initializing TAP AF_VSOCK: "
    "opening tap interface: no such file or directory\n"
)


def _lines(size: int) -> bytes:
    out = bytearray()
    n = 0
    while len(out) < size:
        out += (SIGNATURE if n % 997 == 0 else LINE.format(n=n)).encode()
        n += 1
    return bytes(out[:size]).rsplit(b"\n", 1)[0] + b"\n"


def make_logs(folder: Path) -> dict[str, Path]:
    small = folder / "small-1MiB.log"
    small.write_bytes(_lines(MIB))

    huge = folder / "huge-1GiB.log"
    tail = _lines(4 * MIB)
    with open(huge, "wb") as out:
        out.truncate(GIB - len(tail))
        out.seek(GIB - len(tail))
        out.write(tail)

    runaway = folder / "runaway-line-1GiB.log"
    with open(runaway, "wb") as out:
        out.truncate(GIB - 64 * MIB)
        out.seek(GIB - 64 * MIB)
        block = b"x" * MIB
        for _ in range(64):
            out.write(block)
    return {"1 MiB": small, "1 GiB": huge, "1 GiB, last line 64 MiB": runaway}


def open_tail(host: RealHost, path: Path, signatures) -> int:  # noqa: ANN001
    follower = LogFollower(host, str(path))
    lines, _older = follower.start(1000)
    buffer = TailBuffer(signatures)
    buffer.extend(lines)
    return len(buffer.lines)


def measure(path: Path, runs: int) -> tuple[float, float, int, int]:
    host = RealHost()
    signatures = signatures_of()
    open_tail(host, path, signatures)  # warm the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        count = open_tail(host, path, signatures)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    open_tail(host, path, signatures)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times) * 1000, max(times) * 1000, peak, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="make the logs here and keep them")
    args = parser.parse_args()

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        folder, cleanup = args.keep, None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="wslwizard-bench-")
        folder = Path(cleanup.name)
    try:
        logs = make_logs(folder)
        results = {name: measure(path, args.runs) for name, path in logs.items()}
    finally:
        if cleanup is not None:
            cleanup.cleanup()

    print(f"open the last 1,000 lines (median of {args.runs}, warm cache):")
    for name, (median_ms, worst_ms, peak, count) in results.items():
        size = os.path.getsize(logs[name]) if args.keep else None
        note = f", {size} bytes" if size else ""
        print(
            f"  {name:24s} {median_ms:7.2f} ms (worst {worst_ms:6.2f})  "
            f"peak {peak / 1024:8.1f} KiB  {count} lines{note}"
        )
    small = results["1 MiB"]
    huge = results["1 GiB"]
    print(
        f"  1 GiB / 1 MiB: time {huge[0] / small[0]:.2f} x, "
        f"peak memory {huge[2] / small[2]:.2f} x"
    )
    print(
        f"  goal: 1 GiB under 50 ms: {'OK' if huge[0] < 50 else 'OVER'}; "
        f"peak no higher than 1 MiB: {'OK' if huge[2] <= small[2] * 1.05 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
