"""The wizard as a user gets it: the wheel installed into a fresh virtual
environment, started from outside the source tree, headless and in tmux.

Slow (about a minute): deselect with ``-m 'not wheel'``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.wheel

HEADLESS_CHECK = textwrap.dedent(
    """
    import asyncio
    from pathlib import Path

    import wslwizard
    from wslwizard.host import load_scenario
    from wslwizard.tui.app import WizardApp

    package = Path(wslwizard.__file__).resolve().parent
    print("PACKAGE:", package)
    print("CSS:", WizardApp.CSS_PATH)

    async def main() -> None:
        app = WizardApp(
            load_scenario("demo"),
            refresh_interval=None,
            log_poll_interval=None,
            show_timings=False,
        )
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(300):
                if app.diagnosis_screen.settled:
                    break
                await pilot.pause(0.05)
            print("VERDICT:", app.diagnosis_screen.diagnosis.verdict)
            await pilot.press("q")
        print("EXIT:", app.return_value)

    asyncio.run(main())
    """
)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.pop("VIRTUAL_ENV", None)
    return env


def test_installed_wheel_starts_headless_outside_the_source_tree(
    installed_wheel: Path, tmp_path: Path
) -> None:
    script = tmp_path / "check_installed.py"
    script.write_text(HEADLESS_CHECK, encoding="utf-8")
    result = subprocess.run(
        [str(installed_wheel / "bin" / "python"), str(script)],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(
        line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line
    )
    package = Path(lines["PACKAGE"])
    assert ROOT not in package.parents, "imported the checkout, not the wheel"
    css = Path(lines["CSS"])
    assert css.is_file() and package in css.parents, "stylesheet not in the wheel"
    assert lines["VERDICT"].startswith(
        "Docker Desktop cannot start because the network driver it needs (tun)"
    )
    assert lines["EXIT"] == "1"


def test_installed_command_prints_the_report_when_not_a_terminal(
    installed_wheel: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(installed_wheel / "bin" / "wslwizard"), "--demo"],
        cwd=tmp_path,
        env=_clean_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "not a terminal, so printing the check report" in result.stderr
    assert "Recorded machine: demo" in result.stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_end_to_end_in_tmux(installed_wheel: Path) -> None:
    result = subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "e2e_tmux.sh"),
            str(installed_wheel / "bin" / "wslwizard"),
        ],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "e2e: all checks passed" in result.stdout
