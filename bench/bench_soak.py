"""Soak: the wizard left on the diagnosis screen while the log it follows
grows by 100 lines a second. Prints memory and key-press latency over time.

    python bench/bench_soak.py                 # ten minutes, as the issue asks
    python bench/bench_soak.py --minutes 1     # a quick look

The machine is the bundled demo (a recorded WSL 2.5.4 machine) whose Docker
backend log is a real file in a temporary folder; a thread appends realistic
backend lines to it, and the wizard follows it with its usual poller. Every
few seconds the benchmark presses a key (switching panels) and measures how
long the app takes to handle it. Memory should stay flat: the log panel keeps at most
2,000 lines whatever the file grows to.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil

from wslwizard.host.real import RealHost
from wslwizard.host.recorded import RecordedHost, load_scenario
from wslwizard.tui.app import WizardApp

LOG = "/mnt/c/Users/alice/AppData/Local/Docker/log/host/com.docker.backend.exe.log"
LINE = (
    "[2025-04-04T00:35:22.{n:09d}Z][com.docker.backend.exe.WSLBootstrap] "
    "[2025-04-04T00:35:22.{n:09d}Z][init                  ] added memory to "
    "/sys/fs/cgroup/cgroup.subtree_control (line {n})\n"
)


class RealLogHost(RecordedHost):
    """The demo machine, except that its Docker backend log is a real file on
    disk, so the growing log does not live in this process's memory."""

    def __init__(self, real_log: Path) -> None:
        super().__init__(load_scenario("demo").scenario)
        self.real = RealHost()
        self.real_log = str(real_log)
        real_log.write_bytes(self._files[LOG].data)

    def stat(self, path: str):  # noqa: ANN201
        if path == LOG:
            info = self.real.stat(self.real_log)
            return None if info is None else replace(info, path=LOG)
        return super().stat(path)

    def read_range(self, path: str, offset: int, length: int) -> bytes:
        if path == LOG:
            return self.real.read_range(self.real_log, offset, length)
        return super().read_range(path, offset, length)

    def read_bytes(self, path: str, limit: int = 1 << 20) -> bytes:
        if path == LOG:
            return self.real.read_bytes(self.real_log, limit)
        return super().read_bytes(path, limit)


def _grow(path: Path, stop: threading.Event, rate: int) -> None:
    """Append ``rate`` lines a second to the log file."""
    n = 0
    with path.open("ab") as out:
        while not stop.is_set():
            started = time.monotonic()
            out.write("".join(LINE.format(n=n + i) for i in range(rate)).encode())
            out.flush()
            n += rate
            stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))


async def _soak(minutes: float, rate: int, sample_every: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="wslwizard-soak-"))
    log_file = folder / "com.docker.backend.exe.log"
    host = RealLogHost(log_file)
    app = WizardApp(host)
    process = psutil.Process()
    stop = threading.Event()
    grower = threading.Thread(target=_grow, args=(log_file, stop, rate), daemon=True)
    rows: list[tuple[float, float, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        grower.start()
        started = time.monotonic()
        keys = ["1", "2", "3"]
        while time.monotonic() - started < minutes * 60:
            await asyncio.sleep(sample_every)
            before = time.perf_counter()
            await pilot.press(keys[len(rows) % 3])
            await pilot.pause()
            latency = time.perf_counter() - before
            rss = process.memory_info().rss / 2**20
            rows.append((time.monotonic() - started, rss, latency * 1000))
        stop.set()
    size = log_file.stat().st_size / 2**20
    shutil.rmtree(folder, ignore_errors=True)
    print(f"log grew by {rate} lines/s for {minutes:g} min (file now {size:.1f} MiB)")
    print(f"{'t (s)':>7} {'RSS (MiB)':>10} {'key (ms)':>9}")
    step = max(1, len(rows) // 12)
    for t, rss, latency in rows[::step]:
        print(f"{t:7.0f} {rss:10.1f} {latency:9.1f}")
    first = statistics.median(r[1] for r in rows[: max(1, len(rows) // 10)])
    last = statistics.median(r[1] for r in rows[-max(1, len(rows) // 10) :])
    latencies = [r[2] for r in rows]
    print(
        f"memory: first tenth {first:.1f} MiB, last tenth {last:.1f} MiB, "
        f"ratio {last / first:.3f}"
    )
    print(
        f"key latency: median {statistics.median(latencies):.1f} ms, "
        f"max {max(latencies):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=100, help="lines per second")
    parser.add_argument("--every", type=float, default=2.0, help="seconds per sample")
    args = parser.parse_args()
    asyncio.run(_soak(args.minutes, args.rate, args.every))


if __name__ == "__main__":
    main()
