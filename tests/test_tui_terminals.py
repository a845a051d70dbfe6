"""Small and odd terminals: 60x20, a resize while running, and no colour.
The wizard stays usable: the verdict and the keys to go on are on screen."""

from __future__ import annotations

import html

from conftest import footer_keys_cut_off, wait_settled, wizard_options

from wslwizard.tui.app import WizardApp
from wslwizard.tui.widgets.footer import WizardFooter


async def test_sixty_by_twenty_shows_the_verdict_and_keys(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_settled(pilot)
        shot = app.export_screenshot()
        assert "tun" in shot
        assert "Repairs" in shot and "Evidence" in shot
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()


async def test_every_footer_key_fits_at_sixty_columns(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_settled(pilot)
        assert footer_keys_cut_off(app) == []
        labels = [str(key.render()) for key in app.screen.query("FooterKey")]
        assert any("Help" in label for label in labels)
        assert any("Quit" in label for label in labels)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen.__class__.__name__ == "StepScreen"
        assert footer_keys_cut_off(app) == []
        # Wide again: the palette hint comes back.
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.screen.query_one(WizardFooter).show_command_palette


async def test_resize_while_running_keeps_working(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_settled(pilot)
        for size in ((80, 24), (60, 20), (200, 60), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert "tun" in app.export_screenshot()
        await pilot.press("3")
        await pilot.pause()
        assert "Log" in app.export_screenshot()


async def test_no_color_runs(recorded, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    app = WizardApp(recorded("wsl-2.5.4-docker-failing"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        assert "tun" in app.export_screenshot()


async def test_the_keys_of_a_step_done_by_hand_fit_at_eighty_columns(recorded) -> None:
    """The rollback's steps have the most keys of any screen."""
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause(0.3)
        assert app.screen.flow.step.id == "backup-docker-data"
        assert footer_keys_cut_off(app) == []


async def test_every_screen_says_when_the_session_is_over_ssh(recorded) -> None:
    from wslwizard.host.recorded import BUNDLED_DIR, RecordedHost, parse_scenario

    text = (BUNDLED_DIR / "demo.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[environment]\n",
        "[environment]\nSSH_CONNECTION = '192.0.2.1 50000 192.0.2.2 22'\n",
        1,
    )
    app = WizardApp(RecordedHost(parse_scenario(text)), **wizard_options())

    def shown() -> str:
        return html.unescape(app.export_screenshot()).replace("\xa0", " ")

    async with app.run_test(size=(100, 30)) as pilot:
        await wait_settled(pilot)
        assert "wslwizard · diagnosis · over SSH" in shown()
        await pilot.press("w")
        await pilot.pause(0.5)
        assert "over SSH" in shown()
