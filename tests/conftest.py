"""Shared test set-up: snapshots in the top-level ``snapshots/`` folder, and
recorded machines whose hangs end when the test does.

pytest-textual-snapshot 1.1.0 has no option for the snapshot folder, so its
SVG extension's ``dirname`` is replaced here (``test_tui_snapshots.py`` has a
test that fails if SVGs stop landing in ``snapshots/``).
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wslwizard.host.recorded import RecordedHost

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = ROOT / "snapshots"

try:
    from pytest_textual_snapshot import SVGImageExtension
except ImportError:  # pragma: no cover - the plugin is a test dependency
    SVGImageExtension = None
else:

    def _snapshot_dirname(cls, *, test_location) -> str:  # noqa: ANN001
        # One folder per test module, as syrupy expects, under snapshots/.
        return str(SNAPSHOT_DIR / test_location.basename)

    SVGImageExtension.dirname = classmethod(_snapshot_dirname)  # type: ignore[assignment]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin is
    installed; Pilot tests need nothing more)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "wheel: builds and installs the wheel into a fresh virtual environment "
        "(slow; deselect with -m 'not wheel')",
    )


@pytest.fixture(autouse=True)
def _steady_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same colours whatever terminal runs the tests."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the journal of the person running the tests
    (the wizard looks for unfinished repairs on every start)."""
    monkeypatch.setenv("WSLWIZARD_STATE_DIR", str(tmp_path_factory.mktemp("state")))


class HangRelease:
    """Makes a recorded machine's hanging commands wait on an event instead
    of sleeping, so a test can end the hang (and every test does)."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def sleep(self, seconds: float) -> None:
        self.event.wait(seconds)

    def release(self) -> None:
        self.event.set()


@pytest.fixture
def recorded() -> Iterator[Callable[..., object]]:
    """``recorded("name")`` loads a bundled scenario; ``recorded(text=...)``
    parses scenario text. Hangs end when the test ends."""
    from wslwizard.host.recorded import RecordedHost, load_scenario, parse_scenario

    releases: list[HangRelease] = []

    def load(name: str | None = None, *, text: str | None = None) -> RecordedHost:
        if text is not None:
            host = RecordedHost(parse_scenario(text, source="<test>"))
        else:
            assert name is not None
            host = load_scenario(name)
        release = HangRelease()
        host.sleep = release.sleep
        releases.append(release)
        return host

    yield load
    for release in releases:
        release.release()


def wizard_options(**overrides: object) -> dict[str, object]:
    """Options for a deterministic wizard: no elapsed times, no live refresh,
    a short probe bound."""
    options: dict[str, object] = {
        "probe_bound": 1.0,
        "refresh_interval": None,
        "log_poll_interval": None,
        "show_timings": False,
    }
    options.update(overrides)
    return options


async def wait_for(
    pilot,
    predicate: Callable[[], bool],
    timeout: float = 10.0,  # noqa: ANN001
) -> None:
    """Pause the pilot until ``predicate`` holds; fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting after {timeout} s")
        await pilot.pause(0.05)


async def wait_settled(pilot, timeout: float = 10.0) -> None:  # noqa: ANN001
    """Until the check has finished and the first log is on screen."""
    app = pilot.app
    await wait_for(pilot, lambda: app.diagnosis_screen.settled, timeout)
    await pilot.pause()


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel built from this checkout
    installed in it (dependencies through pip's configured index). Returns
    the environment's folder."""
    import subprocess
    import sys
    import venv

    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(work / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = list((work / "dist").glob("wslwizard-*.whl"))
    assert len(wheels) == 1, wheels

    environment = work / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    installed = subprocess.run(
        [
            str(environment / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return environment


def changing_commands(host: RecordedHost) -> list[tuple[str, ...]]:
    """Commands that change the machine, as opposed to probing it."""
    changing = {"modprobe", "tee", "cp", "mv", "rm", "docker.exe", "udevadm"}
    found = []
    for argv in host.commands_run():
        words = [a for a in argv if not a.startswith("-")]
        if words and words[0] == "sudo":
            words = words[1:]
        if words and Path(words[0]).name in changing and argv[-1] != "version":
            found.append(argv)
        if Path(argv[0]).name == "wsl.exe" and "--update" in argv:
            found.append(argv)
    return found


def footer_keys_cut_off(app) -> list[str]:  # noqa: ANN001 - a WizardApp
    """The footer keys that do not fit wholly on the screen."""
    from wslwizard.tui.widgets.footer import WizardFooter

    footer = app.screen.query_one(WizardFooter)
    right = footer.region.right
    # The palette hint sits on the right, over whatever runs under it.
    for hint in footer.query("FooterKey.-command-palette"):
        right = min(right, hint.region.x)
    return [
        str(key.render()).strip()
        for key in footer.query("FooterKey")
        if not key.has_class("-command-palette")
        and (key.region.width == 0 or key.region.right > right)
    ]
