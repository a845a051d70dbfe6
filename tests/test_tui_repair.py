"""The wizard's guided repairs, driven by keys alone on recorded machines that
react to commands: choose, confirm, run, verify, undo, the sudo password and
its fallback, and the resume after a step that restarts WSL.

Every test has its own state folder (``WSLWIZARD_STATE_DIR``), and waits
for the engine only briefly.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from conftest import (
    changing_commands,
    footer_keys_cut_off,
    wait_for,
    wait_settled,
    wizard_options,
)
from rich.console import Console
from textual.widgets import Static

from wslwizard.host.recorded import BUNDLED_DIR, RecordedHost
from wslwizard.journal.store import Journal
from wslwizard.tui.app import WizardApp
from wslwizard.tui.screens.confirm import ConfirmScreen
from wslwizard.tui.screens.history import HistoryScreen
from wslwizard.tui.screens.repair import DoneScreen, RunningScreen, StepScreen
from wslwizard.tui.screens.resume import ResumeScreen
from wslwizard.tui.screens.ways_forward import WaysForwardScreen

BROKEN = "wsl-2.5.4-docker-failing"
MODULES_LOAD_FILE = "/etc/modules-load.d/wslwizard-tun.conf"


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("WSLWIZARD_STATE_DIR", str(folder))
    return folder


def variant(recorded, name: str, *replacements: tuple[str, str]) -> RecordedHost:  # noqa: ANN001
    """A bundled scenario with some text replaced (each must be found)."""
    text = (BUNDLED_DIR / f"{name}.toml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return recorded(text=text)


def terminal_commands(host: RecordedHost) -> list[tuple[str, ...]]:
    """Commands that were given the real terminal (sudo asking a password)."""
    return [entry.argv for entry in host.command_log if entry.meta.get("terminal")]


def make_app(host: RecordedHost, lend_terminal: bool = True) -> WizardApp:
    app = WizardApp(host, **wizard_options(engine_wait=0.5))
    if lend_terminal:
        # The test driver cannot suspend; a terminal that can is one where
        # suspend() simply hands it over. sudo -v then really goes through
        # the recorded machine's terminal (run_interactive).
        app.suspend = contextlib.nullcontext  # type: ignore[method-assign]
    return app


async def choose(pilot, remedy: str) -> StepScreen:  # noqa: ANN001
    """From the diagnosis: w, arrow keys to the repair, Enter."""
    app = pilot.app
    await pilot.press("w")
    await wait_for(pilot, lambda: getattr(app.screen, "ready", False))
    screen = app.screen
    assert isinstance(screen, WaysForwardScreen)
    order = [c.remedy_id for c in screen.choices if c.plan.applicable]
    for _ in range(order.index(remedy)):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, StepScreen), app.screen
    assert app.screen.flow.remedy_id == remedy
    return app.screen


async def confirm(pilot, answer: str = "y") -> None:  # noqa: ANN001
    """Enter on a step, then answer the question with a key."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press(answer)
    await pilot.pause()


async def run_step(pilot) -> RunningScreen:  # noqa: ANN001
    """Confirm with y and wait for the step and its check to end."""
    await confirm(pilot, "y")
    app = pilot.app
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, RunningScreen) and app.screen.phase == "ended",
    )
    return app.screen


def note(screen: StepScreen) -> str:
    return shown(screen, "#step-note") if screen.note is not None else ""


def shown(screen, selector: str) -> str:  # noqa: ANN001
    """What a Static shows, as plain text (wide enough not to wrap)."""
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


async def test_load_now_then_restart_docker_gets_the_engine_running(recorded) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        assert app.diagnosis_screen.diagnosis.top.id == "tun-not-loaded"
        await choose(pilot, "load-now")

        running = await run_step(pilot)
        outcome = running.outcome
        assert outcome.status == "done" and outcome.verification.ok is True
        assert "tun: loadable" in outcome.before
        assert "tun: loaded" in outcome.verification.detail
        # The password went to sudo on the terminal, once; root commands use -n.
        assert terminal_commands(host) == [("sudo", "-v")]
        assert ("sudo", "-n", "modprobe", "tun") in host.commands_run()
        assert app.sudo_outcome == "ok"

        await pilot.press("enter")  # on to step 2: tap
        assert app.screen.flow.step.id == "load-tap"
        await run_step(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen)
        assert app.screen.flow.all_ok
        assert app.screen.follow_up == "restart-docker"

        await pilot.press("enter")  # the follow-up: restart Docker Desktop
        assert isinstance(app.screen, StepScreen)
        assert app.screen.flow.remedy_id == "restart-docker"
        running = await run_step(pilot)
        assert running.outcome.verification.ok is True
        assert "engine answers" in running.outcome.verification.detail
        assert "does not answer" in running.outcome.before
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen)

        await pilot.press("r")  # back to the diagnosis, checked again
        await wait_settled(pilot)
        assert app.screen is app.diagnosis_screen
        facts = app.diagnosis_screen.facts
        assert facts.versions.engine_reachable is True
        assert facts.modules.tun.state == "loaded"

    assert terminal_commands(host) == [("sudo", "-v")]
    statuses = {e.step: e.status for e in app.journal.entries()}
    assert statuses == {
        "load-tun": "verified",
        "load-tap": "done",
        "restart-docker-desktop": "verified",
    }


async def test_sudo_fallback_when_the_terminal_cannot_be_lent(recorded) -> None:
    """Under the test driver suspend() is impossible: the wizard shows the
    commands to run in another terminal and checks again on r."""
    host = recorded(BROKEN)
    app = make_app(host, lend_terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        running = await run_step(pilot)

        assert running.outcome.status == "needs-root"
        assert app.sudo_outcome == "unsupported"
        text = shown(running, "#run-advice")
        assert "cannot be handed to sudo" in text
        assert "sudo modprobe tun" in text
        assert changing_commands(host) == []
        assert terminal_commands(host) == []
        assert app.journal.entries() == []

        # The person runs it in another terminal, then presses r.
        assert host.run_interactive(["sudo", "modprobe", "tun"], timeout=5).ok
        await pilot.press("r")
        await wait_for(pilot, lambda: running.phase == "ended")
        assert running.outcome.status == "by-hand"
        assert running.outcome.verification.ok is True
        await pilot.press("enter")
        assert app.screen.flow.step.id == "load-tap"


async def test_root_machine_is_never_asked_for_sudo(recorded) -> None:
    host = variant(recorded, BROKEN, ("uid = 1000", "uid = 0"))
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        step = await choose(pilot, "load-now")
        assert "already runs as root" in shown(step, "#step-details")
        running = await run_step(pilot)
        assert running.outcome.verification.ok is True
    assert ("modprobe", "tun") in host.commands_run()
    assert not [argv for argv in host.commands_run() if argv[0] == "sudo"]
    assert terminal_commands(host) == []


async def test_load_at_boot_writes_the_file_and_history_undoes_it(recorded) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-at-boot")
        assert app.screen.flow.step.id == "modules-load-file"
        running = await run_step(pilot)
        assert running.outcome.verification.ok is True
        assert b"\ntun\n" in host.read_bytes(MODULES_LOAD_FILE)
        await pilot.press("enter")
        assert app.screen.flow.step.id == "load-tun-now"
        running = await run_step(pilot)
        assert running.outcome.verification.ok is True
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen) and app.screen.flow.all_ok

        await pilot.press("enter")  # restart Docker Desktop
        running = await run_step(pilot)
        assert running.outcome.verification.ok is True
        await pilot.press("enter")

        await pilot.press("h")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        history = app.screen
        assert isinstance(history, HistoryScreen)
        steps = [entry.step for entry in history.entries]
        assert steps[0] == "restart-docker-desktop"  # newest first
        for _ in range(steps.index("modules-load-file")):
            await pilot.press("down")
        await pilot.press("u")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.focused.id == "confirm-no"
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, RunningScreen) and app.screen.phase == "ended"
            ),
        )
        assert app.screen.outcome.status == "undone"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is history and history.loaded)

    assert host.stat(MODULES_LOAD_FILE) is None
    assert ("sudo", "-n", "rm", "-f", MODULES_LOAD_FILE) in host.commands_run()
    undone = [e for e in app.journal.entries() if e.step == "modules-load-file"]
    assert [e.status for e in undone] == ["undone"]


async def test_no_docker_restart_is_offered_when_the_engine_already_answers(
    recorded,
) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        for _step in range(2):
            await run_step(pilot)
            await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen)
        await pilot.press("enter")  # restart Docker Desktop: the engine answers
        await run_step(pilot)
        await pilot.press("enter")
        await pilot.press("r")  # the diagnosis again, with the engine up
        await wait_settled(pilot)
        await choose(pilot, "load-at-boot")
        await run_step(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen) and app.screen.flow.all_ok
        assert app.screen.follow_up is None
        assert "Restart Docker" not in shown(app.screen, "#done-next")


@pytest.mark.parametrize(
    "remedy",
    ["load-now", "load-at-boot", "upgrade-wsl", "rollback-wsl", "restart-docker"],
)
async def test_answering_no_at_every_step_runs_nothing(recorded, remedy: str) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        screen = await choose(pilot, remedy)
        flow = screen.flow
        while True:
            step = flow.step
            changed_before = changing_commands(host)
            entries_before = app.journal.entries()
            terminal_before = terminal_commands(host)
            for answer in ("n", "escape"):
                await confirm(pilot, answer)
                assert app.screen is screen, (step.id, answer)
                assert "You answered no" in note(screen)
                assert changing_commands(host) == changed_before, step.id
                assert terminal_commands(host) == terminal_before, step.id
                assert app.journal.entries() == entries_before, step.id
            if flow.index + 1 == flow.total:
                break
            # Go on to the next step: a step done by hand is checked, a
            # command step is run.
            if step.manual:
                await pilot.press("c")
                await wait_for(pilot, lambda: app.screen.phase == "ended")
            else:
                await run_step(pilot)
            await pilot.press("enter")
            assert flow.step is not step


async def test_dry_run_shows_exactly_what_would_run_and_changes_nothing(
    recorded,
) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        screen = await choose(pilot, "load-at-boot")
        await pilot.press("d")
        await wait_for(pilot, lambda: "Dry run" in note(screen) and "›" in note(screen))
        shown = note(screen)
        assert "nothing was changed" in shown
        assert f"sudo -n tee {MODULES_LOAD_FILE}" in shown
        assert changing_commands(host) == []
        assert terminal_commands(host) == []
        assert app.journal.entries() == []


async def test_the_safe_button_has_focus_for_what_is_hard_to_reverse(
    recorded,
) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        await pilot.press("enter")
        assert app.screen.focused.id == "confirm-yes"  # reversible
        await pilot.press("escape")
        await pilot.press("escape")  # stop: nothing ran, back to the choice

        await pilot.press("down", "enter")  # upgrade-wsl
        assert app.screen.flow.remedy_id == "upgrade-wsl"
        assert app.screen.query_one("#step-warning").display
        await pilot.press("enter")
        question = app.screen
        assert question.focused.id == "confirm-no"
        assert "any SSH session into WSL will end" in question.warning
        await pilot.press("enter")  # Enter presses the focused No
        assert isinstance(app.screen, StepScreen)
        assert "You answered no" in note(app.screen)
    assert changing_commands(host) == []


async def test_upgrade_stops_at_the_restart_and_a_new_start_verifies_it(
    recorded, state_dir: Path
) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "upgrade-wsl")
        running = await run_step(pilot)
        assert running.outcome.status == "pending-restart"
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen)
        assert app.screen.flow.waiting_for_restart
        await pilot.press("q")
    [entry] = Journal(state_dir).entries()
    assert entry.status == "verify-pending"
    assert ("/mnt/c/WINDOWS/system32/wsl.exe", "--update") in host.commands_run()

    # WSL restarted; the wizard starts again on the same machine and journal.
    again = make_app(host)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ResumeScreen))
        await pilot.pause()
        resume = again.screen
        body = shown(resume, "#resume-body")
        assert "You started an update of WSL, which restarts WSL" in body
        await wait_for(pilot, lambda: resume.finished)
        await wait_settled(pilot)
        assert "WSL 2.5.10.0" in shown(resume, "#resume-body")
        await wait_for(pilot, lambda: resume.next_step is not None)
        plan, index = resume.next_step
        assert (plan.remedy.id, index) == ("restart-docker", 0)
    [entry] = Journal(state_dir).entries()
    assert entry.status == "verified"
    assert (
        host.commands_run().count(("/mnt/c/WINDOWS/system32/wsl.exe", "--update")) == 1
    )


async def test_on_a_recorded_machine_enter_plays_the_restart_and_verifies(
    recorded, state_dir: Path
) -> None:
    """A recorded WSL cannot end the wizard: Enter on the done screen restarts
    it in place, and the wizard does what its next start would."""
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "upgrade-wsl")
        await run_step(pilot)
        await pilot.press("enter")
        done = app.screen
        assert isinstance(done, DoneScreen) and done.restart_here
        assert "Here press Enter" in shown(done, "#done-next")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        resume = app.screen
        await wait_for(pilot, lambda: resume.finished)
        assert "It worked: WSL 2.5.10.0." in shown(resume, "#resume-body")
        await wait_for(pilot, lambda: resume.next_step is not None)
        await pilot.press("escape")
        await wait_settled(pilot)
        diagnosis = app.diagnosis_screen.diagnosis
        # After the restart the new kernel loaded tun at boot: no contradiction
        # between an updated WSL and a verdict about the old one.
        assert diagnosis.facts.modules.tun.state == "loaded"
        assert (
            diagnosis.top is None
            or diagnosis.top.id != "tun-not-loaded"
            or (diagnosis.top.status != "confirmed")
        )
    [entry] = Journal(state_dir).entries()
    assert entry.status == "verified"
    kept = Journal(state_dir).load_recorded(host.label)
    assert kept is not None and kept["restart_pending"] is False


async def test_a_new_process_on_a_fresh_recorded_machine_sees_the_update(
    recorded, state_dir: Path
) -> None:
    """As after a real restart: the next start is another process, whose
    recorded machine begins from its file; the journal carries the update."""
    app = make_app(recorded(BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "upgrade-wsl")
        running = await run_step(pilot)
        assert running.outcome.status == "pending-restart"
        await pilot.press("q")
    kept = Journal(state_dir).load_recorded(recorded(BROKEN).label)
    assert kept is not None and kept["restart_pending"] is True
    assert "wsl-updated" in kept["changes"]["set"]

    fresh = recorded(BROKEN)
    again = make_app(fresh)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ResumeScreen))
        resume = again.screen
        await wait_for(pilot, lambda: resume.finished)
        assert "It worked: WSL 2.5.10.0." in shown(resume, "#resume-body")
        assert "only what outlasts a restart" in shown(resume, "#resume-body")
        await wait_for(pilot, lambda: resume.next_step is not None)
        await pilot.press("escape")
        await wait_settled(pilot)
        await pilot.press("r")
        await wait_settled(pilot)
        diagnosis = again.diagnosis_screen.diagnosis
        assert diagnosis.facts.modules.tun.state == "loaded"
        assert not diagnosis.facts.modules.tun.loaded_late
    update = ("/mnt/c/WINDOWS/system32/wsl.exe", "--update")
    assert fresh.commands_run().count(update) == 0, "never run twice"


async def test_rollback_by_hand_is_noted_and_verified_on_the_next_starts(
    recorded, state_dir: Path
) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        screen = await choose(pilot, "rollback-wsl")
        assert screen.flow.step.id == "backup-docker-data"
        await pilot.press("enter")
        assert app.screen.focused.id == "confirm-no"  # it stops WSL
        await pilot.press("y")
        await wait_for(pilot, lambda: "Noted" in note(screen))
        await pilot.press("q")  # WSL stops: the wizard ends with it
    [entry] = Journal(state_dir).entries()
    assert (entry.step, entry.status) == ("backup-docker-data", "verify-pending")

    # Next start: the backup is looked at (it cannot be checked), and the
    # rollback goes on at its second step.
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.pause()
        resume = app.screen
        await wait_for(pilot, lambda: resume.next_step is not None)
        assert "backing up Docker's data disk" in (shown(resume, "#resume-body"))
        await pilot.press("enter")
        step_screen = app.screen
        assert isinstance(step_screen, StepScreen)
        assert step_screen.flow.step.id == "install-2.4.13"
        assert "wsl.2.4.13.0.x64.msi" in (shown(step_screen, "#step-details"))
        await pilot.press("enter", "y")
        await wait_for(pilot, lambda: "Noted" in note(step_screen))
        host._flags.add("rolled-back")  # the person ran the installer meanwhile
        await pilot.press("q")

    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.pause()
        resume = app.screen
        await wait_for(pilot, lambda: resume.finished)
        body = shown(resume, "#resume-body")
        assert "You started the rollback of WSL to 2.4.13" in body
        assert "WSL 2.4.13.0" in body
    statuses = {e.step: e.status for e in Journal(state_dir).entries()}
    assert statuses == {"backup-docker-data": "done", "install-2.4.13": "verified"}
    assert changing_commands(host) == []


async def test_a_step_done_by_hand_is_checked_on_c(recorded) -> None:
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "rollback-wsl")
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.phase == "ended")
        assert app.screen.outcome.status == "by-hand"  # a backup cannot be checked
        await pilot.press("enter")

        await pilot.press("c")  # not done yet
        running = app.screen
        await wait_for(pilot, lambda: running.phase == "ended")
        assert running.outcome.status == "not-verified"
        assert "WSL 2.5.4" in running.outcome.verification.detail
        host._flags.add("rolled-back")
        await pilot.press("r")
        await wait_for(pilot, lambda: running.phase == "ended")
        assert running.outcome.status == "by-hand"
        assert "WSL 2.4.13" in running.outcome.verification.detail
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen)
        assert app.screen.flow.all_ok
    assert changing_commands(host) == []


async def test_a_step_said_to_be_under_way_but_not_done_stays_pending(
    recorded, state_dir: Path
) -> None:
    """'I will do it now', then c before the installer ran: not a failure; the
    entry stays pending so that the next start checks it again."""
    host = recorded(BROKEN)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "rollback-wsl")
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.phase == "ended")
        await pilot.press("enter")
        step_screen = app.screen
        assert step_screen.flow.step.id == "install-2.4.13"
        await pilot.press("enter", "y")
        await wait_for(pilot, lambda: "Noted" in note(step_screen))
        await pilot.press("c")
        running = app.screen
        await wait_for(pilot, lambda: running.phase == "ended")
        assert running.outcome.status == "not-verified"
        await pilot.press("escape")  # back to the step
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("escape")  # stop the repair here
        await wait_for(pilot, lambda: isinstance(app.screen, DoneScreen))
        heading = shown(app.screen, "#done-heading")
        assert heading.startswith("! Not done yet: Roll WSL back")
        assert "did not work" not in heading
        # Nothing was rolled back: no undo of a rollback, no advice on keeping it.
        assert "Update WSL again" not in shown(app.screen, "#done-undo")
        statics = [w for w in app.screen.query(Static) if w.id is None]
        texts = []
        for widget in statics:
            console = Console(width=300, record=True, file=io.StringIO())
            console.print(widget.content)
            texts.append(console.export_text())
        assert not any("Good to know" in text for text in texts)
    [entry] = [e for e in Journal(state_dir).entries() if e.step == "install-2.4.13"]
    assert entry.status == "verify-pending"
    assert "Not done yet when checked" in entry.note


#: modprobe answers yes and loads nothing (as with "install tun /bin/true" in a
#: modprobe.d file): the check after it fails.
LOADS_NOTHING = (
    "# The repair (#12748), as root.",
    "[[command]]\nargv = ['modprobe', 'tun']\nwhen = ['as-root']\n\n"
    "# The repair (#12748), as root.",
)


async def test_a_failed_check_is_said_plainly_and_offers_the_undo(recorded) -> None:
    host = variant(recorded, BROKEN, LOADS_NOTHING)
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        running = await run_step(pilot)
        outcome = running.outcome
        assert outcome.verification_failed and outcome.can_undo
        assert "tun) is still not working" in shown(running, "#run-status")
        assert running.has_class("-failed")

        await pilot.press("u")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.focused.id == "confirm-no"
        await pilot.press("n")  # no: nothing is undone
        assert not [a for a in host.commands_run() if "-r" in a]
        await pilot.press("u", "y")
        await wait_for(pilot, lambda: running.phase == "ended")
        assert running.outcome.status == "undone"
        await pilot.press("enter")
        assert isinstance(app.screen, StepScreen)
        assert "Undone" in note(app.screen)
    assert ("sudo", "-n", "modprobe", "-r", "tun") in host.commands_run()
    [entry] = app.journal.entries()
    assert entry.status == "undone"


async def test_history_is_a_key_and_a_command(recorded) -> None:
    app = make_app(recorded(BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Repair history" in titles
        await pilot.press("h")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        assert "No repair has been run" in (shown(app.screen, "#history-intro"))
        await pilot.press("escape")
        assert app.screen is app.diagnosis_screen


async def test_quitting_during_a_step_asks_for_a_second_q(recorded) -> None:
    host = variant(
        recorded,
        BROKEN,
        (
            "argv = ['modprobe', 'tun']\nwhen = ['as-root']\n",
            "argv = ['modprobe', 'tun']\nwhen = ['as-root']\ndelay = 20.0\n",
        ),
    )
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        await confirm(pilot, "y")
        await wait_for(pilot, lambda: app.step_running)
        await pilot.press("q")
        assert app.is_running
        assert any("press q again" in n.message for n in app._notifications)
        await pilot.press("h")  # no other screen while a step runs
        assert isinstance(app.screen, RunningScreen)

        host.sleep.__self__.release()
        await wait_for(pilot, lambda: app.screen.phase == "ended")
        assert app.screen.outcome.verification.ok is True
        await pilot.press("q")  # nothing runs now: one q quits
    assert app.return_value == 1


async def test_a_step_cut_off_halfway_is_explained_and_checked_on_start(
    recorded, state_dir: Path
) -> None:
    """The wizard died right after modprobe (an SSH connection dropped): the
    entry still says running. The next start says so, checks, and does not
    run the step again."""
    import time

    from wslwizard.journal.store import CommandRecord, JournalEntry

    host = recorded(BROKEN)
    assert host.run_interactive(["sudo", "modprobe", "tun"], timeout=5).ok
    Journal(state_dir).write(
        JournalEntry(
            id="20250404T091500-load-now-load-tun-abcdef",
            remedy="load-now",
            step="load-tun",
            title="Load the tun driver into the running kernel",
            machine=host.label,
            recorded=True,
            status="running",
            started_at=time.time(),
            commands=[CommandRecord(["sudo", "-n", "modprobe", "tun"], "distro-root")],
            reversible=True,
            verify="tun-registered",
        )
    )
    app = make_app(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.pause()
        resume = app.screen
        await wait_for(pilot, lambda: resume.session is not None)
        body = shown(resume, "#resume-body")
        assert (
            "before it saw the end of 'Load the tun driver into the running kernel'"
            in body
        )
        assert "It worked: tun: loaded" in body
        # Loading the driver no longer applies (it is loaded): Enter leads to
        # the diagnosis.
        assert resume.next_step is None
        assert "see the diagnosis" in shown(resume, "#resume-next")
        await pilot.press("enter")
        assert app.screen is app.diagnosis_screen
    [entry] = Journal(state_dir).entries()
    assert entry.status == "verified"
    modprobes = [a for a in host.commands_run() if a[-2:] == ("modprobe", "tun")]
    assert len(modprobes) == 1


def test_the_repair_model_does_not_load_textual() -> None:
    """The rules of the repair screens are plain Python, tested without one."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import wslwizard.tui.repair_model\n"
        "import wslwizard.tui.widgets.layout\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_by_hand_lines_can_be_typed_as_they_are(recorded) -> None:
    """The fallback's commands: sudo in front, input through printf."""
    import shlex

    from wslwizard.probes.gather import gather_facts
    from wslwizard.remedies.plans import plan_for
    from wslwizard.tui.repair_model import by_hand_lines

    host = recorded(BROKEN)
    plan = plan_for("load-at-boot", gather_facts(host), host)
    [line] = by_hand_lines(plan.steps[0])
    words = shlex.split(line)
    assert words[0] == "printf" and words[2:5] == ["|", "sudo", "tee"]
    assert words[1].encode().replace(b"\\n", b"\n") == (
        b"# Added by wslwizard: load the network driver Docker Desktop needs.\ntun\n"
    )
    assert by_hand_lines(plan.steps[1]) == ["sudo modprobe tun"]


def test_the_history_explains_the_exit_code_of_an_update() -> None:
    from wslwizard.journal.store import CommandRecord, JournalEntry
    from wslwizard.tui.screens.history import entry_detail

    def entry(step: str) -> JournalEntry:
        return JournalEntry(
            id="x",
            remedy="upgrade-wsl",
            step=step,
            title="Update WSL",
            machine="demo",
            recorded=True,
            status="verified",
            started_at=0.0,
            commands=[CommandRecord(["wsl.exe", "--update"], "windows", -1073741510)],
        )

    assert "as expected" in entry_detail(entry("wsl-update")).plain
    assert "(exit code -1073741510)" in entry_detail(entry("other")).plain


async def test_the_optional_step_keys_fit_at_eighty_columns(recorded) -> None:
    """Step 2 of loading the driver adds 'Skip this step': the footer packs
    its keys so that none is cut off or hidden under the palette hint."""
    app = make_app(recorded(BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        await run_step(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StepScreen) and screen.flow.step.id == "load-tap"
        await pilot.pause()
        assert footer_keys_cut_off(app) == []


async def test_leaving_a_repair_or_an_undo_checks_the_machine_again(recorded) -> None:
    """Esc after a repair, and Esc from the history after an undo, show the
    machine as it is now, never the screen from before."""
    app = make_app(recorded(BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "load-now")
        await run_step(pilot)
        await pilot.press("enter")
        await run_step(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DoneScreen)
        await pilot.press("escape")
        await wait_settled(pilot)
        assert app.screen is app.diagnosis_screen
        assert app.diagnosis_screen.facts.modules.tun.state == "loaded"

        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        await wait_for(pilot, lambda: history.loaded)
        steps = [entry.step for entry in history.entries]
        for _ in range(steps.index("load-tun")):
            await pilot.press("down")
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, RunningScreen) and app.screen.phase == "ended"
            ),
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is history)
        assert history.undid
        await pilot.press("escape")
        await wait_settled(pilot)
        assert app.screen is app.diagnosis_screen
        assert app.diagnosis_screen.facts.modules.tun.state != "loaded"


async def test_a_repair_that_does_not_apply_is_reachable_and_says_why(recorded) -> None:
    app = make_app(recorded("wsl-2.5.9-healthy"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: getattr(app.screen, "ready", False))
        screen = app.screen
        listing = screen.query_one("#choice-list")
        others = [c.remedy_id for c in screen.choices if not c.plan.applicable]
        assert others
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.highlighted = ids.index(others[-1])
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen, "nothing starts"
        assert any("does not apply here" in n.message for n in app._notifications)


async def test_u_on_a_step_that_cannot_be_undone_says_why(recorded) -> None:
    app = make_app(recorded(BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_settled(pilot)
        await choose(pilot, "restart-docker")
        await run_step(pilot)
        await pilot.press("enter")
        await pilot.press("h")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen), "nothing is asked"
        messages = [n.message for n in app._notifications]
        assert any("cannot be undone from here" in m for m in messages), messages
