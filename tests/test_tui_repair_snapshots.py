"""What the repair screens look like, at 80x24 and 120x40.

Nothing in an SVG may depend on the clock, the machine running the tests or
a temporary folder: the journal lives under a home folder set for the test
(shown as ``~/.local/state/wslwizard/journal``), history entries are
written with fixed times and read in UTC, and the running step is frozen on
a recorded command that waits until the screenshot is taken. Update with
``--snapshot-update`` (serially: unused snapshots are not reported under
pytest-xdist).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from conftest import ROOT, SNAPSHOT_DIR, wait_for, wait_settled, wizard_options

from wslwizard.host.recorded import BUNDLED_DIR, RecordedHost
from wslwizard.journal.store import CommandRecord, Journal, JournalEntry
from wslwizard.tui.app import WizardApp
from wslwizard.tui.screens.confirm import ConfirmScreen
from wslwizard.tui.screens.history import HistoryScreen
from wslwizard.tui.screens.repair import DoneScreen, RunningScreen, StepScreen
from wslwizard.tui.screens.resume import ResumeScreen

BROKEN = "wsl-2.5.4-docker-failing"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
#: A fixed moment: 2025-04-04 09:15 UTC, the morning of the failing starts.
MORNING = 1743758100.0

#: The repair's modprobe takes its time, so a screenshot can catch it running.
SLOW_MODPROBE = (
    "argv = ['modprobe', 'tun']\nwhen = ['as-root']\n",
    "argv = ['modprobe', 'tun']\nwhen = ['as-root']\ndelay = 20.0\n",
)
#: modprobe answers yes and loads nothing: the check after it fails.
LOADS_NOTHING = (
    "# The repair (#12748), as root.",
    "[[command]]\nargv = ['modprobe', 'tun']\nwhen = ['as-root']\n\n"
    "# The repair (#12748), as root.",
)

Steps = Callable[[object, WizardApp, RecordedHost], Awaitable[None]]


# -- moving through the wizard -------------------------------------------------


async def _choose(pilot, remedy: str) -> None:  # noqa: ANN001
    app = pilot.app
    await pilot.press("w")
    await wait_for(pilot, lambda: getattr(app.screen, "ready", False))
    order = [c.remedy_id for c in app.screen.choices if c.plan.applicable]
    for _ in range(order.index(remedy)):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))


async def _run(pilot) -> None:  # noqa: ANN001
    app = pilot.app
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, RunningScreen) and app.screen.phase == "ended",
    )


async def choice(pilot, app, host) -> None:  # noqa: ANN001
    await pilot.press("w")
    await wait_for(pilot, lambda: getattr(app.screen, "ready", False))


async def confirm_load(pilot, app, host) -> None:  # noqa: ANN001
    await _choose(pilot, "load-now")
    await pilot.press("enter")


async def confirm_update(pilot, app, host) -> None:  # noqa: ANN001
    await _choose(pilot, "upgrade-wsl")
    await pilot.press("enter")


async def running(pilot, app, host) -> None:  # noqa: ANN001
    entered = threading.Event()
    sleep = host.sleep

    def noted_sleep(seconds: float) -> None:
        entered.set()
        sleep(seconds)

    host.sleep = noted_sleep
    # Released once the screenshot is taken (the snapshot tool then exits).
    exit_app = app.exit

    def release_and_exit(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        sleep.__self__.release()
        exit_app(*args, **kwargs)

    app.exit = release_and_exit  # type: ignore[method-assign]
    await _choose(pilot, "load-now")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    await wait_for(pilot, entered.is_set)
    await wait_for(pilot, lambda: getattr(app.screen, "before", "") != "")
    await pilot.pause()


async def failed_check(pilot, app, host) -> None:  # noqa: ANN001
    await _choose(pilot, "load-now")
    await _run(pilot)


async def sudo_fallback(pilot, app, host) -> None:  # noqa: ANN001
    await _choose(pilot, "load-now")
    await _run(pilot)


async def manual_step(pilot, app, host) -> None:  # noqa: ANN001
    await _choose(pilot, "rollback-wsl")
    await pilot.press("c")
    await wait_for(pilot, lambda: getattr(app.screen, "phase", "") == "ended")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))


async def done(pilot, app, host) -> None:  # noqa: ANN001
    await _choose(pilot, "load-now")
    await _run(pilot)
    await pilot.press("enter")
    await _run(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, DoneScreen))


async def history(pilot, app, host) -> None:  # noqa: ANN001
    await pilot.press("h")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    await wait_for(pilot, lambda: app.screen.loaded)


async def resume(pilot, app, host) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
    await wait_for(pilot, lambda: app.screen.next_step is not None)


# -- journals written before the wizard starts ----------------------------------


def _entry(number: int, **fields: object) -> JournalEntry:
    base: dict[str, object] = {
        "id": f"20250404T09{number:02d}00-entry-{number}",
        "machine": BROKEN,
        "recorded": True,
        "started_at": MORNING + 60 * number,
        "finished_at": MORNING + 60 * number + 2,
    }
    base.update(fields)
    return JournalEntry(**base)  # type: ignore[arg-type]


def past_repairs(journal: Journal) -> None:
    tun_undo = [{"argv": ["modprobe", "-r", "tun"], "where": "distro-root"}]
    for entry in (
        _entry(
            1,
            remedy="load-at-boot",
            step="wsl-conf-boot-command",
            title="Add a start-up command to /etc/wsl.conf",
            status="undone",
            reversible=True,
            undo_note="Put the backup back: mv /etc/wsl.conf.wslwizard-backup "
            "/etc/wsl.conf",
            undo_commands=[
                {
                    "argv": ["mv", "-f", "/etc/wsl.conf.wslwizard-backup"],
                    "where": "distro-root",
                }
            ],
        ),
        _entry(
            2,
            remedy="load-now",
            step="load-tun",
            title="Load the tun driver into the running kernel",
            status="verified",
            reversible=True,
            verify="tun-registered",
            verification="tun: loaded, /dev/net/tun: crw-rw-rw-",
            commands=[
                CommandRecord(["sudo", "-n", "modprobe", "tun"], "distro-root", 0)
            ],
            undo_note="Run 'modprobe -r tun' as root, or restart WSL ('wsl "
            "--shutdown' in PowerShell): the driver is then gone again.",
            undo_commands=tun_undo,
        ),
        _entry(
            3,
            remedy="restart-docker",
            step="restart-docker-desktop",
            title="Restart Docker Desktop",
            status="verified",
            verify="engine-answers",
            verification="the engine answers (version 28.0.1)",
            commands=[
                CommandRecord(
                    [
                        "/mnt/c/Program Files/Docker/Docker/resources/bin/docker.exe",
                        "desktop",
                        "restart",
                    ],
                    "windows",
                    0,
                )
            ],
            undo_note="Nothing to undo.",
        ),
    ):
        journal.write(entry)


def update_in_progress(journal: Journal) -> None:
    journal.write(
        _entry(
            4,
            remedy="upgrade-wsl",
            step="wsl-update",
            title="Update WSL",
            status="verify-pending",
            finished_at=None,
            verify="wsl-at-least:2.5.9",
            undo_note="An update cannot be undone with 'wsl --update'; only a "
            "rollback to an older installer can.",
        )
    )


#: state id -> (scenario replacements, lend the terminal, journal, flags, keys)
STATES: dict[str, tuple[tuple[tuple[str, str], ...], bool, object, tuple, Steps]] = {
    "choice": ((), True, None, (), choice),
    "choice-2.4.13": ((), True, None, (), choice),
    "confirm": ((), True, None, (), confirm_load),
    "confirm-connection": ((), True, None, (), confirm_update),
    "running": ((SLOW_MODPROBE,), True, None, (), running),
    "failed-check": ((LOADS_NOTHING,), True, None, (), failed_check),
    "sudo-fallback": ((), False, None, (), sudo_fallback),
    "manual-step": ((), True, None, (), manual_step),
    "done": ((), True, None, (), done),
    "history": ((), True, past_repairs, (), history),
    "resume": ((), True, update_in_progress, ("wsl-updated",), resume),
}
SCENARIOS = {"choice-2.4.13": "wsl-2.4.13-builtin"}
NO_COLOR_STATES = {"confirm-connection"}


def snapshot_names() -> set[str]:
    return {
        f"test_tui_repair_screen[{state}-{size}].svg"
        for state in STATES
        for size in SIZES
    }


@pytest.fixture
def fixed_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder for the test, holding the state folder, and local time
    in UTC; the journal then shows as ~/.local/state/wslwizard/journal."""
    home = tmp_path / "home"
    state = home / ".local" / "state" / "wslwizard"
    state.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("WSLWIZARD_STATE_DIR", str(state))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield state
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_tui_repair_screen(
    snap_compare,  # noqa: ANN001
    recorded,  # noqa: ANN001
    fixed_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    size: str,
) -> None:
    replacements, lend_terminal, journal_setup, flags, steps = STATES[state]
    scenario = SCENARIOS.get(state, BROKEN)
    text = (BUNDLED_DIR / f"{scenario}.toml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    host = recorded(text=text)
    host._flags.update(flags)
    if journal_setup is not None:
        journal_setup(Journal(fixed_home))
    if state in NO_COLOR_STATES:
        monkeypatch.setenv("NO_COLOR", "1")

    app = WizardApp(host, **wizard_options(engine_wait=1.0))
    if lend_terminal:
        app.suspend = contextlib.nullcontext  # type: ignore[method-assign]

    async def settle(pilot) -> None:  # noqa: ANN001
        await wait_settled(pilot)
        await steps(pilot, app, host)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)


def test_repair_snapshots_are_all_there(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--snapshot-update", default=False):
        pytest.skip("syrupy writes the snapshots at the end of an updating run")
    folder = SNAPSHOT_DIR / Path(__file__).stem
    present = {path.name for path in folder.glob("*.svg")}
    missing = snapshot_names() - present
    assert not missing, f"snapshots missing from {folder}: {sorted(missing)}"
    assert not list((ROOT / "tests").rglob("__snapshots__/**/*.svg"))


def test_repair_snapshots_show_no_live_data() -> None:
    """No temporary folder, clock or name of the machine running the tests."""
    import socket

    hostname = socket.gethostname()
    for path in (SNAPSHOT_DIR / Path(__file__).stem).glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        assert "/tmp/" not in text, path.name
        assert "pytest-" not in text, path.name
        if len(hostname) > 3:
            assert hostname not in text, path.name
