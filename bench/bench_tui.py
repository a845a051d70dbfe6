"""How quickly the wizard shows its first frame, and how little it costs idle.

Each app runs in its own Python process on a pseudo-terminal (the real Linux
driver, not the headless one), so the figures include interpreter start,
imports and the first paint, as a user sees them.

    python bench/bench_tui.py                 # 7 starts each, 30 s idle
    python bench/bench_tui.py --runs 3 --idle 10

First frame: from just before the process is started until the app's
``Ready`` event (sent after the first screen is on the terminal), for the
wizard on the bundled demo machine and for a bare Textual hello-world app,
alternating in the same run. Goal: the wizard within 1.3x of hello-world.

Idle CPU: the wizard on the diagnosis screen after the check has finished,
with its live refresh (driver every second, log every second) running; CPU
time of the process divided by wall time. Goal: under 2% of one core.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, sys, time
kind, stamp_file = sys.argv[1], sys.argv[2]

def stamp(label):
    with open(stamp_file, "a") as out:
        out.write(f"{label} {time.time()!r} {time.process_time()!r}\n")

if kind == "hello":
    from textual.app import App
    from textual.widgets import Static

    class Hello(App):
        def compose(self):
            yield Static("Hello, world")

        def on_ready(self):
            stamp("ready")
            if os.environ.get("BENCH_EXIT_ON_READY"):
                self.exit()

    Hello().run()
else:
    from wslwizard.host import load_scenario
    from wslwizard.tui.app import WizardApp

    class Timed(WizardApp):
        def on_ready(self):
            stamp("ready")
            if os.environ.get("BENCH_EXIT_ON_READY"):
                self.exit()

    Timed(load_scenario("demo")).run()
"""


def _spawn(
    kind: str, stamp_file: str, exit_on_ready: bool
) -> tuple[subprocess.Popen, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    if exit_on_ready:
        env["BENCH_EXIT_ON_READY"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, stamp_file],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tempfile.gettempdir(),
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break

    threading.Thread(target=drain, daemon=True).start()
    return process, master


def first_frame(kind: str) -> tuple[float, float]:
    """Wall seconds from spawn to Ready, and the CPU seconds the process had
    used by then (steadier than wall time on a busy machine)."""
    with tempfile.NamedTemporaryFile("r", suffix=".stamp") as stamp:
        started = time.time()
        process, master = _spawn(kind, stamp.name, exit_on_ready=True)
        try:
            process.wait(timeout=60)
        finally:
            os.close(master)
        ready = [line.split() for line in stamp if line.startswith("ready")]
    if not ready:
        raise RuntimeError(f"{kind} never became ready")
    return float(ready[0][1]) - started, float(ready[0][2])


def idle_cpu(kind: str, seconds: float, warmup: float) -> float:
    """Percent of one core used while idle after ``warmup`` seconds."""
    with tempfile.NamedTemporaryFile("r", suffix=".stamp") as stamp:
        process, master = _spawn(kind, stamp.name, exit_on_ready=False)
        try:
            time.sleep(warmup)
            watched = psutil.Process(process.pid)
            before = watched.cpu_times()
            began = time.monotonic()
            time.sleep(seconds)
            after = watched.cpu_times()
            wall = time.monotonic() - began
            os.write(master, b"q")
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        finally:
            os.close(master)
    used = (after.user - before.user) + (after.system - before.system)
    return 100.0 * used / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="starts of each app")
    parser.add_argument("--idle", type=float, default=30.0, help="idle seconds")
    parser.add_argument(
        "--warmup", type=float, default=4.0, help="seconds before idle measuring starts"
    )
    args = parser.parse_args()

    runs: dict[str, list[tuple[float, float]]] = {"hello": [], "wizard": []}
    first_frame("hello")  # warm the file cache for both
    first_frame("wizard")
    for _ in range(args.runs):
        for kind in runs:
            runs[kind].append(first_frame(kind))

    def median_ms(kind: str, index: int) -> float:
        return statistics.median(run[index] for run in runs[kind]) * 1000

    print(f"first frame, median of {args.runs} (process start to Ready, 80x24 pty):")
    print("                  wall time      CPU time")
    for kind, label in (("hello", "hello-world  "), ("wizard", "wizard (demo)")):
        print(f"  {label} {median_ms(kind, 0):7.1f} ms   {median_ms(kind, 1):7.1f} ms")
    wall_ratio = median_ms("wizard", 0) / median_ms("hello", 0)
    cpu_ratio = median_ms("wizard", 1) / median_ms("hello", 1)
    print(
        f"  ratio         {wall_ratio:7.2f} x    {cpu_ratio:7.2f} x   goal <= 1.30  "
        f"{'OK' if wall_ratio <= 1.3 else 'OVER'} (wall)"
    )

    wizard_cpu = idle_cpu("wizard", args.idle, args.warmup)
    hello_cpu = idle_cpu("hello", args.idle, args.warmup)
    print(f"idle CPU over {args.idle:g} s (after {args.warmup:g} s warm-up):")
    print(f"  hello-world   {hello_cpu:6.2f} % of a core")
    print(
        f"  wizard (demo) {wizard_cpu:6.2f} % of a core   goal < 2 %  "
        f"{'OK' if wizard_cpu < 2 else 'OVER'}"
    )
    if hello_cpu > 0:
        print(f"  ratio         {wizard_cpu / hello_cpu:6.2f} x")


if __name__ == "__main__":
    main()
