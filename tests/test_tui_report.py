"""The support bundle preview in the wizard: what was replaced, the user's
own words, a confirmation with No focused, and the file written."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import wait_for
from textual.app import App

from wslwizard.host.recorded import load_scenario
from wslwizard.tui.screens.report import ConfirmWrite, ReportScreen
from wslwizard.tui.styles import stylesheet_path

FIXED = datetime(2026, 12, 3, 12, 0, 0, tzinfo=timezone.utc)


class ReportApp(App[None]):
    """The screen alone, with a fixed clock and folder."""

    CSS_PATH = str(stylesheet_path())

    def __init__(self, folder: Path, scenario: str = "wsl-2.5.4-docker-failing"):
        super().__init__()
        self.folder = folder
        self.host = load_scenario(scenario)

    def on_mount(self) -> None:
        self.push_screen(
            ReportScreen(self.host, folder=self.folder, now=lambda: FIXED, bound=5.0)
        )


async def test_preview_then_no_writes_nothing_then_yes_writes(tmp_path: Path) -> None:
    app = ReportApp(tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReportScreen) and app.screen.bundle is not None
            ),
        )
        screen = app.screen
        assert screen.bundle.summary.places > 0

        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmWrite))
        assert app.screen.focused.id == "no"
        await pilot.press("n")
        await pilot.pause()
        assert list(tmp_path.iterdir()) == []

        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmWrite))
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.written is not None)
        [written] = list(tmp_path.iterdir())
        assert written.name == "wslwizard-report-20261203-120000.toml"
        assert b"alice" not in written.read_bytes().lower()
        assert (written.stat().st_mode & 0o077) == 0


async def test_an_added_word_is_removed_too(tmp_path: Path) -> None:
    app = ReportApp(tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReportScreen) and app.screen.bundle is not None
            ),
        )
        screen = app.screen
        assert b"Ubuntu" in screen.bundle.to_toml()
        await pilot.press("a")  # the key the footer shows: to the word box
        await pilot.pause()
        await pilot.press(*"Ubuntu", "enter")
        await wait_for(pilot, lambda: screen.terms == ["Ubuntu"])
        assert b"Ubuntu" not in screen.bundle.to_toml()
        # Back to the keys: w asks to write, it does not type a "w".
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmWrite))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_preview_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def settle(pilot) -> None:  # noqa: ANN001
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ReportScreen)
                and pilot.app.screen.bundle is not None
            ),
        )
        await pilot.pause()

    assert snap_compare(ReportApp(tmp_path), terminal_size=size, run_before=settle)


async def test_the_wizard_opens_the_bundle_screen_with_b(recorded) -> None:  # noqa: ANN001
    from conftest import wait_settled, wizard_options

    from wslwizard.tui.app import WizardApp

    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)


async def test_v_shows_the_file_as_it_would_be_written(tmp_path: Path) -> None:
    from wslwizard.tui.screens.report import BundleFileScreen

    app = ReportApp(tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ReportScreen) and app.screen.bundle is not None
            ),
        )
        report = app.screen
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, BundleFileScreen))
        shown = app.screen.query_one("#bundle-text").text
        assert shown == report.bundle.to_toml().decode("utf-8")
        assert "[machine]" in shown and "alice" not in shown.lower()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is report
        assert list(tmp_path.iterdir()) == [], "looking writes nothing"
