"""The wizard's behaviour, driven with Textual's Pilot on recorded machines:
live refresh, log following, a hung probe, keys and commands."""

from __future__ import annotations

import io

import pytest
from conftest import wait_for, wait_settled, wizard_options
from rich.console import Console
from textual.widgets import Static

from wslwizard.tui.app import WizardApp
from wslwizard.tui.screens.dialogs import LogPickerScreen, PagerScreen, TextScreen
from wslwizard.tui.screens.evidence import EvidenceScreen
from wslwizard.tui.screens.help import HelpScreen
from wslwizard.tui.screens.ways_forward import WaysForwardScreen
from wslwizard.tui.widgets.log_panel import LogPanel
from wslwizard.tui.widgets.log_tail import LogTail
from wslwizard.tui.widgets.machine import ModulesPanel
from wslwizard.tui.widgets.status import ProbeList

LOG = "/mnt/c/Users/sam/AppData/Local/Docker/log/host/com.docker.backend.exe.log"
SIGNATURE = (
    "[vm] FATAL: initializing TAP AF_VSOCK: opening tap interface: no such file "
    "or directory"
)

#: A small WSL 2 machine whose Docker log can be appended to, emptied in
#: place (truncation) and replaced (rotation) by running made-up commands.
FOLLOW_SCENARIO = f"""
[machine]
name = "follow-test"
platform = "linux"
uid = 1000

[environment]
WSL_DISTRO_NAME = "Ubuntu"

[[file]]
path = "/proc/version"
text = "Linux version 6.6.75.1-microsoft-standard-WSL2 (root@x) (gcc) #1 SMP\\n"

[[file]]
path = "/proc/modules"
text = ""

[[file]]
path = "{LOG}"
text = '''starting [bold]engine[/bold]
{SIGNATURE}
'''

[[command]]
argv = ["append-log"]
[[command.effect]]
action = "append"
path = "{LOG}"
text = "appended one\\nappended two\\n"

[[command]]
argv = ["truncate-log"]
[[command.effect]]
action = "remove-line"
path = "{LOG}"
text = "starting [bold]engine[/bold]"
[[command.effect]]
action = "remove-line"
path = "{LOG}"
text = "{SIGNATURE}"
[[command.effect]]
action = "remove-line"
path = "{LOG}"
text = "appended one"
[[command.effect]]
action = "remove-line"
path = "{LOG}"
text = "appended two"
[[command.effect]]
action = "append"
path = "{LOG}"
text = "after truncation\\n"

[[command]]
argv = ["rotate-log"]
[[command.effect]]
action = "write"
path = "{LOG}"
text = "first line of the new file\\n"
"""


def _tail_texts(app: WizardApp) -> list[str]:
    return [line.text for line in app.diagnosis_screen.buffer.visible]


def _static_text(app: WizardApp, selector: str) -> str:
    return _plain(app.diagnosis_screen.query_one(selector, Static))


def _plain(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_live_refresh_shows_a_loaded_module_within_two_seconds(recorded) -> None:
    host = recorded("demo")
    app = WizardApp(host, **wizard_options(refresh_interval=1.0, probe_bound=5.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_settled(pilot)
        panel = app.diagnosis_screen.query_one(ModulesPanel)
        assert app.diagnosis_screen.diagnosis.facts.modules.tun.state == "loadable"
        assert not panel.changed

        # The user loads the driver in another terminal.
        result = host.run_interactive(["sudo", "modprobe", "tun"], timeout=1)
        assert result.ok, result
        await wait_for(pilot, lambda: "modules.tun" in panel.changed, timeout=2.0)

        facts = app.diagnosis_screen.facts
        assert facts.modules.tun.state == "loaded"
        assert "loaded" in _static_text(app, "#modules-body")
        assert "new" in _static_text(app, "#modules-body")
        assert "changed since the check" in _static_text(app, "#modules-note")
        # The verdict follows the driver: the failure is in the past now.
        assert app.diagnosis_screen.diagnosis.verdict != (
            "Docker Desktop cannot start because the network driver it needs (tun) "
            "is not loaded. This is a known problem of WSL 2.5.4."
        )
        # The wizard itself only looked: it ran no modprobe of its own.
        wizard_runs = [argv for argv in host.commands_run() if "modprobe" in argv]
        assert wizard_runs == [("sudo", "modprobe", "tun")]


async def test_log_follow_shows_appended_then_truncated_then_rotated(recorded) -> None:
    host = recorded(text=FOLLOW_SCENARIO)
    app = WizardApp(host, **wizard_options(log_poll_interval=0.1))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        panel = app.diagnosis_screen.query_one(LogPanel)
        assert panel.source is not None and panel.source.path == LOG
        assert _tail_texts(app) == ["starting [bold]engine[/bold]", SIGNATURE]
        assert panel.buffer.hit_count == 1

        assert host.run(["append-log"], timeout=1).ok
        await wait_for(pilot, lambda: "appended two" in _tail_texts(app), 2.0)
        assert _tail_texts(app)[-2:] == ["appended one", "appended two"]
        assert panel.notice == ""

        assert host.run(["truncate-log"], timeout=1).ok
        await wait_for(pilot, lambda: "truncated" in panel.notice, 2.0)
        assert _tail_texts(app) == ["after truncation"]
        assert panel.buffer.hit_count == 0

        assert host.run(["rotate-log"], timeout=1).ok
        await wait_for(pilot, lambda: "rotated" in panel.notice, 2.0)
        assert _tail_texts(app) == ["first line of the new file"]


async def test_a_hung_probe_does_not_block_keys(recorded) -> None:
    host = recorded("wsl-2.5.4-wsl-exe-hangs")
    now = [100.0]
    app = WizardApp(
        host,
        **wizard_options(probe_bound=30.0, show_timings=True),
        clock=lambda: now[0],
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.diagnosis_screen
        probes = screen.query_one(ProbeList)
        await wait_for(
            pilot,
            lambda: (
                probes.outcomes.get("versions") is not None
                and all(
                    o.status != "running"
                    for k, o in probes.outcomes.items()
                    if k != "versions"
                )
            ),
        )
        assert screen.checking and probes.outcomes["versions"].status == "running"

        # Elapsed time and the bound show while a probe is slow.
        now[0] += 7.0
        await pilot.pause(0.6)
        assert "checking… 7 s (gives up after 30 s)" in _plain(probes)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("3")
        assert screen.panel == "log"
        assert screen.checking, "the keys were handled while the probe still hung"

        host.sleep.__self__.release()  # end the hang: wsl.exe times out
        await wait_settled(pilot)
        assert screen.diagnosis.facts.versions is not None
        assert screen.diagnosis.facts.versions.wsl_exe == "timed-out"
        assert "wsl.exe) gave no answer in time" in _plain(probes)


async def test_a_probe_that_gives_no_answer_says_what_it_means(recorded) -> None:
    app = WizardApp(recorded("wsl-2.5.4-wsl-exe-hangs"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        text = _plain(app.diagnosis_screen.query_one(ProbeList))
        assert "no answer within 1 s" in text
        assert "wsl.exe" in text
        outcomes = {o.probe: o.status for o in app.diagnosis_screen.facts.outcomes}
        assert outcomes["versions"] == "timed-out"


async def test_log_lines_are_shown_as_text_never_markup(recorded) -> None:
    app = WizardApp(recorded(text=FOLLOW_SCENARIO), **wizard_options())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_settled(pilot)
        await pilot.press("3")
        await pilot.pause()
        tail = app.diagnosis_screen.query_one(LogTail)
        rows = [tail.render_line(y).text for y in range(tail.size.height)]
        assert any("starting [bold]engine[/bold]" in row for row in rows), rows
        assert any(row.startswith("! ") and "TAP AF_VSOCK" in row for row in rows)


async def test_first_and_next_error_and_filter(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        screen = app.diagnosis_screen
        buffer = screen.buffer
        signature_rows = [i for i, line in enumerate(buffer.visible) if line.problem]
        assert len(signature_rows) >= 2

        await pilot.press("f")
        tail = screen.query_one(LogTail)
        assert screen.panel == "log", "f shows the log panel in a small window"
        assert tail.cursor == signature_rows[0]
        await pilot.press("n")
        assert tail.cursor == signature_rows[1]
        assert "Marked line:" in _plain(screen.query_one("#log-detail", Static))

        await pilot.press("slash")
        await pilot.press(*"FATAL")
        await pilot.pause()
        assert buffer.filter_text == "FATAL"
        assert buffer.visible and all("FATAL" in line.text for line in buffer.visible)
        await pilot.press("enter")
        assert buffer.filter_text == "FATAL"
        await pilot.press("slash", "escape")
        assert buffer.filter_text == ""

        # While the filter field has the keyboard, q is a letter, not quit.
        await pilot.press("slash", "q")
        assert buffer.filter_text == "q" and app.is_running
        await pilot.press("escape")
        assert buffer.filter_text == ""


async def test_keys_work_after_the_filter_when_the_log_is_hidden(recorded) -> None:
    """At 80x24 one panel shows at a time: once the log is hidden, keys go to
    the wizard, not into its hidden filter field."""
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        screen = app.diagnosis_screen
        await pilot.press("3", "slash", *"FATAL", "enter", "1")
        await pilot.pause()
        assert screen.panel == "modules"
        assert screen.buffer.filter_text == "FATAL"
        assert app.focused is None or app.focused.id != "log-filter"
        await pilot.press("2")
        assert screen.panel == "versions"
        assert screen.buffer.filter_text == "FATAL"


async def test_the_log_opens_at_its_newest_line(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_settled(pilot)
        await pilot.pause()
        tail = app.diagnosis_screen.query_one(LogTail)
        assert tail.max_scroll_y > 0, "the demo's log is taller than its panel"
        assert tail.is_vertical_scroll_end
        rows = [tail.render_line(y).text for y in range(tail.size.height)]
        newest = app.diagnosis_screen.buffer.visible[-1].shown
        assert any(newest[:30] in row for row in rows), rows


async def test_log_picker_opens_another_source(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        screen = app.diagnosis_screen
        first = screen.query_one(LogPanel).source
        assert len(screen.sources) > 1
        await pilot.press("o")
        assert isinstance(app.screen, LogPickerScreen)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: screen.log_ready)
        assert screen.query_one(LogPanel).source != first


async def test_pager_falls_back_to_a_screen_when_the_terminal_cannot_be_lent(
    recorded,
) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PagerScreen)
        await pilot.press("f")
        await pilot.press("escape")
        assert app.screen is app.diagnosis_screen


async def test_palette_commands_and_copying(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Check again", "Copy the report", "Open the log in a pager"} <= titles

        app.action_copy_report()
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        assert app.clipboard.startswith("Recorded machine: demo")
        assert "tun-not-loaded" in app.clipboard
        await pilot.press("escape")

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        assert "WSL: 2.5.4" in app.clipboard
        await pilot.press("escape")

        generation = app.diagnosis_screen.generation
        await pilot.press("r")
        await wait_settled(pilot)
        assert app.diagnosis_screen.generation == generation + 1


async def test_help_evidence_and_ways_forward_keys(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        for key, screen_type in (
            ("f1", HelpScreen),
            ("question_mark", HelpScreen),
            ("e", EvidenceScreen),
            ("w", WaysForwardScreen),
        ):
            await pilot.press(key)
            assert isinstance(app.screen, screen_type), key
            await pilot.press("escape")
            assert app.screen is app.diagnosis_screen


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_quit_keys_end_with_the_check_exit_code(recorded, key: str) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await pilot.press(key)
    assert app.return_value == 1


async def test_not_applicable_machine_offers_no_repair(recorded) -> None:
    app = WizardApp(recorded("plain-linux"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        diagnosis = app.diagnosis_screen.diagnosis
        assert diagnosis.verdict_kind == "not-applicable"
        assert "nothing to repair" in _static_text(app, "#next-strip")
        await pilot.press("w")
        assert isinstance(app.screen, WaysForwardScreen)


async def test_no_color_still_marks_states(recorded, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = WizardApp(recorded("demo"), **wizard_options())
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        body = _static_text(app, "#modules-body")
        assert "✖" in body and "not loaded" in body


async def test_f_under_a_filter_says_the_marked_lines_are_hidden(recorded) -> None:
    app = WizardApp(recorded("demo"), **wizard_options())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await pilot.press("3", "slash", *"cgroup", "enter", "f")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("No line the filter shows" in m for m in messages), messages
