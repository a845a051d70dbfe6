"""What each screen state looks like, at 80x24 and 120x40.

The recorded machines are bundled scenarios; the wizard runs with elapsed
times hidden and the live refresh off, so nothing in an SVG depends on the
clock or the machine running the tests. Update with ``--snapshot-update``
(serially: unused snapshots are not reported under pytest-xdist).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SNAPSHOT_DIR, wait_settled, wizard_options

from wslwizard.tui.app import WizardApp

#: state id -> (scenario, keys pressed once the check has settled)
STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "broken-2.5.4": ("wsl-2.5.4-docker-failing", ()),
    "broken-2.5.4-log": ("wsl-2.5.4-docker-failing", ("3", "f")),
    "broken-2.5.4-evidence": ("wsl-2.5.4-docker-failing", ("e",)),
    "broken-2.5.4-what-to-do": ("wsl-2.5.4-docker-failing", ("w",)),
    "healthy-2.5.9": ("wsl-2.5.9-healthy", ()),
    "wsl1": ("wsl1-ubuntu", ()),
    "not-wsl": ("plain-linux", ()),
    "probe-timed-out": ("wsl-2.5.4-wsl-exe-hangs", ()),
    "help": ("wsl-2.5.4-docker-failing", ("question_mark",)),
    "no-color": ("wsl-2.5.4-docker-failing", ()),
}
#: States seen with NO_COLOR set (monochrome: marks must carry the meaning).
NO_COLOR_STATES = {"no-color"}
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def snapshot_names() -> set[str]:
    return {
        f"test_tui_screen[{state}-{size}].svg" for state in STATES for size in SIZES
    }


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_tui_screen(snap_compare, recorded, monkeypatch, state: str, size: str) -> None:  # noqa: ANN001
    scenario, keys = STATES[state]
    if state in NO_COLOR_STATES:
        monkeypatch.setenv("NO_COLOR", "1")
    app = WizardApp(recorded(scenario), **wizard_options())

    async def settle(pilot) -> None:  # noqa: ANN001
        await wait_settled(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)


def test_snapshots_land_in_the_top_level_folder(request: pytest.FixtureRequest) -> None:
    """pytest-textual-snapshot 1.1.0 would put them in tests/__snapshots__;
    conftest.py moves them. This fails if that override stops working."""
    from pytest_textual_snapshot import SVGImageExtension

    if request.config.getoption("--snapshot-update", default=False):
        pytest.skip("syrupy writes the snapshots at the end of an updating run")

    class Location:
        basename = Path(__file__).stem

    folder = SNAPSHOT_DIR / Path(__file__).stem
    assert Path(SVGImageExtension.dirname(test_location=Location())) == folder
    present = {path.name for path in folder.glob("*.svg")}
    missing = snapshot_names() - present
    assert not missing, f"snapshots missing from {folder}: {sorted(missing)}"
    assert not list((ROOT / "tests").rglob("__snapshots__/**/*.svg"))


def test_snapshots_show_no_live_data() -> None:
    """No clock, elapsed time or name of the machine running the tests."""
    import socket

    hostname = socket.gethostname()
    for path in SNAPSHOT_DIR.rglob("test_tui_screen*.svg"):
        text = path.read_text(encoding="utf-8")
        assert "checking…" not in text, path.name
        assert " s (gives up after" not in text, path.name
        assert "done in" not in text, path.name
        if len(hostname) > 3:
            assert hostname not in text, path.name
