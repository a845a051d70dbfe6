"""A repair, step by step: what a step does and exactly what runs, the
question, the run with its live output, the check before and after, and the
end (what changed, how to undo it, what next).

Blocking work runs in thread workers of the group ``repair`` that post the
messages in ``messages.py``; the handlers here change the widgets.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Literal

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import RichLog, Static
from textual.worker import Worker, WorkerState

from wslwizard.i18n import _
from wslwizard.tui.log_model import printable
from wslwizard.tui.messages import (
    DryRunShown,
    ManualStepNoted,
    StepEnded,
    StepOutput,
    StepStarted,
)
from wslwizard.tui.repair_model import (
    RepairFlow,
    RepairSession,
    StepOutcome,
    by_hand_lines,
    check_sentence,
    check_title,
    connection_warning,
    display_path,
    entry_time,
    outcome_mark,
    outcome_sentence,
    state_before,
    state_from_facts,
    where_sentence,
)
from wslwizard.tui.screens.confirm import ConfirmScreen
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.layout import Cell, bullets, command_block, labelled
from wslwizard.tui.widgets.status import TopBar

if TYPE_CHECKING:
    from wslwizard.journal.store import JournalEntry
    from wslwizard.remedies.plans import Step
    from wslwizard.tui.app import WizardApp

log = logging.getLogger(__name__)

RunMode = Literal["run", "check", "undo"]


def remedy_reversible(session: RepairSession, step: Step) -> bool:
    """Whether the repair a step belongs to counts as reversible (restarting
    Docker Desktop does; updating or rolling back WSL does not)."""
    for plan in session.plans.values():
        if any(s.id == step.id for s in plan.steps):
            return plan.remedy.reversible
    return False


def step_body(session: RepairSession, step: Step, spaced: bool = True) -> Group:
    """Where a step runs, exactly what runs, its risk and its undo: the same
    words on the step screen and in the question."""
    gap = [Text("")] if spaced else []
    if step.manual:
        heading = _("What you type in PowerShell:")
        lines = list(step.manual_lines)
    else:
        heading = _("What runs, exactly:")
        lines = session.runner.describe(step)
    undo = step.undo_note or _("Nothing to undo.")
    if not step.reversible and not remedy_reversible(session, step):
        undo = _("{undo} This step is hard to reverse.").format(undo=undo)
    rows: list[tuple[str, Cell]] = []
    if step.risk:
        rows.append((_("Risk:"), step.risk))
    rows.append((_("Undo:"), undo))
    return Group(
        labelled([(_("Where:"), where_sentence(step, session.privilege))]),
        *gap,
        Text(heading, style="bold"),
        command_block(lines),
        *gap,
        labelled(rows),
    )


def undo_question(session: RepairSession, entry: JournalEntry) -> ConfirmScreen:
    """The question before an undo: the same shape as before a step."""
    step = session.runner.undo_step(entry)
    body = Group(
        labelled([(_("Where:"), where_sentence(step, session.privilege))]),
        Text(_("What runs, exactly:"), style="bold"),
        command_block(session.runner.describe(step)),
        labelled(
            [
                (
                    _("It undoes:"),
                    _("{title} (run {time})").format(
                        title=entry.title, time=entry_time(entry)
                    ),
                )
            ]
        ),
    )
    return ConfirmScreen(
        _("Undo this step?"),
        body,
        yes_label=_("Yes, undo it"),
        no_label=_("No, leave it"),
        # An undo has no undo of its own in the journal.
        safe_focus=True,
    )


class StepScreen(Screen):
    """One step of a repair: what it does, exactly what runs, and the keys to
    run it (after a question), see a dry run, or check a step done by hand."""

    BINDINGS = [
        Binding(
            "enter",
            "proceed",
            _("Run this step…"),
            key_display="Enter",
            tooltip=_("Asks first; nothing runs without your yes"),
        ),
        Binding(
            "enter",
            "promise",
            _("I'll do it…"),
            key_display="Enter",
            tooltip=_("Notes the step, so that the next start checks it"),
        ),
        Binding(
            "c",
            "check",
            _("Done: check"),
            tooltip=_("Looks at the machine to see whether it worked"),
        ),
        Binding(
            "l",
            "copy_lines",
            _("Copy lines"),
            tooltip=_("Copies the PowerShell lines, to paste them on Windows"),
        ),
        Binding(
            "d",
            "dry_run",
            _("Dry run"),
            tooltip=_("Shows exactly what would run, and changes nothing"),
        ),
        Binding("s", "skip", _("Skip this step"), tooltip=_("It is optional")),
        Binding("escape", "stop", _("Stop"), tooltip=_("Stop the repair here")),
    ]

    def __init__(self, session: RepairSession, flow: RepairFlow) -> None:
        super().__init__()
        self.session = session
        self.flow = flow
        self.note: Text | Group | None = None
        """What happened last on this step (an answer, a dry run, a result)."""

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(host.label if host.recorded else None, _("wslwizard · repair"))
        yield Static(id="step-heading")
        with VerticalScroll(id="step-body", classes="page"):
            yield Static(id="step-title")
            yield Static(id="step-explanation", classes="page-text")
            yield Static(id="step-warning", classes="warning")
            yield Static(id="step-details", classes="page-text")
            yield Static(id="step-note", classes="page-text")
        yield WizardFooter()

    def on_mount(self) -> None:
        self.show_step()

    # -- showing ---------------------------------------------------------------

    def show_step(self) -> None:
        flow = self.flow
        step = flow.step
        self.query_one("#step-heading", Static).update(
            Text(
                _("{repair} · step {number} of {total}").format(
                    repair=_(flow.plan.remedy.title),
                    number=flow.index + 1,
                    total=flow.total,
                )
            )
        )
        self.query_one("#step-title", Static).update(Text(step.title, style="bold"))
        self.query_one("#step-explanation", Static).update(Text(step.explanation))
        warning = self.query_one("#step-warning", Static)
        warning.display = step.cuts_connection
        if step.cuts_connection:
            warning.update(Text("! " + connection_warning()))
        self.query_one("#step-details", Static).update(step_body(self.session, step))
        self._show_note()
        self.refresh_bindings()

    def _show_note(self) -> None:
        note = self.query_one("#step-note", Static)
        note.display = self.note is not None
        if self.note is not None:
            note.update(self.note)

    def set_note(self, text: Text | Group | None) -> None:
        self.note = text
        self._show_note()
        if text is not None:
            self.query_one("#step-body", VerticalScroll).scroll_end(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.flow.finished:
            return action == "stop"
        step = self.flow.step
        if action in ("check", "promise", "copy_lines"):
            return step.manual
        if action in ("proceed", "dry_run"):
            return not step.manual
        if action == "skip":
            return step.optional
        return True

    # -- keys ------------------------------------------------------------------

    def action_proceed(self) -> None:
        self._ask_run(self.flow.step)

    def action_promise(self) -> None:
        self._ask_manual(self.flow.step)

    def action_copy_lines(self) -> None:
        step = self.flow.step
        self.wizard.show_copied(step.title, "\n".join(step.manual_lines) + "\n")

    def _ask_run(self, step: Step) -> None:
        question = ConfirmScreen(
            _("Run this step? {title}").format(title=step.title),
            step_body(self.session, step, spaced=False),
            yes_label=_("Yes, run it"),
            no_label=_("No, do not run it"),
            safe_focus=not step.reversible or step.cuts_connection,
            warning=connection_warning() if step.cuts_connection else None,
        )
        self.app.push_screen(question, partial(self._answered_run, step))

    def _answered_run(self, step: Step, yes: bool | None) -> None:
        if not yes:
            log.info("step %s: the person answered no", step.id)
            self.set_note(Text(_("You answered no. Nothing was run.")))
            return
        self.set_note(None)
        self.app.push_screen(
            RunningScreen(self.session, self.flow, step, "run"), self.step_ended
        )

    def _ask_manual(self, step: Step) -> None:
        body = Group(
            Text(_("What you type in PowerShell:"), style="bold"),
            command_block(list(step.manual_lines)),
            Text(
                _(
                    "The wizard notes this step in its journal now. When you have "
                    "done it, press c here; if the wizard has ended by then, its "
                    "next start checks the step."
                )
            ),
        )
        question = ConfirmScreen(
            _("Will you do this now? {title}").format(title=step.title),
            body,
            yes_label=_("Yes, I will do it now"),
            no_label=_("Not now"),
            safe_focus=not step.reversible or step.cuts_connection,
            warning=connection_warning() if step.cuts_connection else None,
        )
        self.app.push_screen(question, partial(self._answered_manual, step))

    def _answered_manual(self, step: Step, yes: bool | None) -> None:
        if not yes:
            self.set_note(Text(_("You answered no. Nothing was noted or run.")))
            return
        self.run_worker(
            partial(self._note_manual, step),
            name="note-manual",
            group="repair",
            thread=True,
            exit_on_error=False,
        )

    def _note_manual(self, step: Step) -> None:
        """Thread: write the pending journal entry for a step done by hand."""
        entry = self.session.runner.expect_manual(self.flow.remedy_id, step)
        self.post_message(ManualStepNoted(step, entry))

    def on_manual_step_noted(self, message: ManualStepNoted) -> None:
        self.flow.pending_entries[message.step.id] = message.entry
        text = Text(_("Noted. Do it now in PowerShell on Windows."), style="bold")
        text.append("\n")
        if message.step.cuts_connection:
            text.append(
                _(
                    "When WSL stops, this wizard ends. Start wslwizard again "
                    "afterwards: it checks this step first."
                )
            )
            text.append("\n")
        text.append(_("If the wizard is still running when you are done, press c."))
        self.set_note(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        log.error("worker %s failed: %r", event.worker.name, event.worker.error)
        self.set_note(
            Text(
                _("That did not work: {error}").format(error=event.worker.error),
                style="bold",
            )
        )

    def action_check(self) -> None:
        step = self.flow.step
        self.app.push_screen(
            RunningScreen(self.session, self.flow, step, "check"), self.step_ended
        )

    def action_dry_run(self) -> None:
        self.set_note(Text(_("Dry run: looking whether the step is needed…")))
        self.run_worker(
            partial(self._dry_run, self.flow.step),
            name="dry-run",
            group="repair",
            thread=True,
            exit_on_error=False,
        )

    def _dry_run(self, step: Step) -> None:
        """Thread: the runner's dry run (it may look whether the step is
        already done; it changes nothing)."""
        result = self.session.runner.run_step(self.flow.remedy_id, step, dry_run=True)
        self.post_message(DryRunShown(result))

    def on_dry_run_shown(self, message: DryRunShown) -> None:
        result = message.result
        if result.status == "skipped":
            text = Text(_("Dry run: nothing was changed."), style="bold")
            text.append("\n")
            text.append(outcome_sentence(StepOutcome.of(result, "")))
            self.set_note(text)
            return
        self.set_note(
            Group(
                Text(
                    _("Dry run: nothing was changed. Exactly this would run:"),
                    style="bold",
                ),
                command_block(result.message.splitlines()),
            )
        )

    def action_skip(self) -> None:
        step = self.flow.step
        self.flow.record(StepOutcome(step, "skipped-by-you"))
        self._next()

    def action_stop(self) -> None:
        if self.flow.outcomes:
            self.app.switch_screen(DoneScreen(self.session, self.flow, stopped=True))
        else:
            self.app.pop_screen()

    # -- after a run -------------------------------------------------------------

    def step_ended(self, outcome: StepOutcome | None) -> None:
        if outcome is None:
            return
        self.flow.record(outcome)
        if outcome.ok or outcome.status == "pending-restart":
            self._next()
            return
        text = Text(f"{outcome_mark(outcome)} ", style="bold")
        text.append(outcome_sentence(outcome))
        text.append("\n")
        text.append(
            _("Press Enter to try again, or Esc to stop the repair here.")
            if outcome.status != "undone"
            else _("Press Esc to stop the repair here, or Enter to run it again.")
        )
        self.set_note(text)

    def _next(self) -> None:
        flow = self.flow
        if flow.waiting_for_restart:
            self.app.switch_screen(DoneScreen(self.session, flow))
            return
        flow.advance()
        if flow.finished:
            self.app.switch_screen(DoneScreen(self.session, flow))
            return
        self.note = None
        self.show_step()
        self.query_one("#step-body", VerticalScroll).scroll_home(animate=False)


class RunningScreen(Screen[StepOutcome]):
    """A step running (live output), then its check before and after; or a
    step done by hand being checked; or an undo."""

    BINDINGS = [
        Binding("enter", "continue", _("Continue"), key_display="Enter"),
        Binding("u", "undo", _("Undo this step…")),
        Binding("r", "recheck", _("Re-check"), tooltip=_("Check whether it is done")),
        Binding("t", "try_again", _("Try again")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(
        self,
        session: RepairSession,
        flow: RepairFlow | None,
        step: Step,
        mode: RunMode,
        entry: JournalEntry | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.flow = flow
        self.step = step
        self.mode = mode
        self.entry = entry
        """The journal entry to undo (mode undo)."""
        self.phase: Literal["working", "ended"] = "working"
        self.outcome: StepOutcome | None = None
        self.before = ""
        self.lines_written = 0

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(host.label if host.recorded else None, _("wslwizard · repair"))
        yield Static(self._heading(), id="run-heading")
        yield Static(id="run-status")
        output = RichLog(
            id="run-output", wrap=True, markup=False, highlight=False, max_lines=2000
        )
        output.border_title = _("What it printed")
        output.can_focus = False
        yield output
        with Horizontal(id="run-compare"):
            before = Static(id="run-before", classes="compare")
            before.border_title = _("Before")
            yield before
            after = Static(id="run-after", classes="compare")
            after.border_title = _("After")
            yield after
        with VerticalScroll(id="run-advice-box"):
            yield Static(id="run-advice")
        yield WizardFooter()

    def _heading(self) -> Text:
        step_title = self.entry.title if self.entry is not None else self.step.title
        if self.mode == "undo":
            return Text(_("Undo: {title}").format(title=step_title), style="bold")
        if self.mode == "check":
            return Text(_("Checking: {title}").format(title=step_title), style="bold")
        if self.flow is not None:
            return Text(
                _("Step {number} of {total}: {title}").format(
                    number=self.flow.index + 1,
                    total=self.flow.total,
                    title=step_title,
                ),
                style="bold",
            )
        return Text(step_title, style="bold")

    def on_mount(self) -> None:
        compare = self.query_one("#run-compare")
        check = self._check_id()
        compare.display = bool(check)
        if check:
            compare.border_title = check_title(check)
        self.query_one("#run-advice-box").display = False
        self.start()

    def _check_id(self) -> str:
        if self.mode == "undo" and self.entry is not None:
            return self.entry.verify if self.entry.verify != "engine-answers" else ""
        return self.step.verify

    # -- working ---------------------------------------------------------------

    def start(self) -> None:
        self.phase = "working"
        # A check runs nothing, so there is no output to show.
        self.query_one("#run-output").display = self.mode != "check"
        self.wizard.step_running = True
        self.refresh_bindings()
        status = self.query_one("#run-status", Static)
        if self.mode == "check":
            status.update(Text(_("Checking…")))
            self.query_one("#run-before", Static).update(
                Text(state_from_facts(self.step.verify, self.session.facts))
            )
            work = partial(self._check, self.step, self._pending_entry())
        elif self.mode == "undo":
            assert self.entry is not None
            status.update(Text(_("Undoing… each command gives up after its time.")))
            work = partial(self._undo, self.entry)
        else:
            bound = int(sum(c.timeout for c in self.step.commands))
            status.update(
                Text(
                    _("Running… it gives up after {seconds} s at most.").format(
                        seconds=bound
                    )
                )
            )
            work = partial(
                self._run, self.flow.remedy_id if self.flow else "", self.step
            )
        self.query_one("#run-after", Static).update(Text("…"))
        self.run_worker(
            work, name=self.mode, group="repair", thread=True, exit_on_error=False
        )

    def _pending_entry(self) -> JournalEntry | None:
        if self.flow is None:
            return None
        return self.flow.pending_entries.get(self.step.id)

    def _output(self, text: str) -> None:
        """Thread: the runner's output callback."""
        for line in text.splitlines() or [""]:
            self.post_message(StepOutput(line))

    def _run(self, remedy: str, step: Step) -> None:
        """Thread: the state before, the step, and its verification."""
        host = self.wizard.host
        before = state_before(step.verify, host, self.session.facts)
        self.post_message(StepStarted(before))
        result = self.session.runner.run_step(remedy, step, on_output=self._output)
        self.post_message(StepEnded(StepOutcome.of(result, before)))

    def _check(self, step: Step, entry: JournalEntry | None) -> None:
        """Thread: check a step the person did by hand (or a root step they
        ran in another terminal). A pending entry is finished in the journal."""
        from wslwizard.runner.verify import verify

        runner = self.session.runner
        check = step.verify
        if check:
            self.post_message(
                StepOutput(_("Checking: {what}").format(what=check_title(check)))
            )
        verification = None
        if entry is not None:
            entry, verification = runner.check_by_hand(entry)
        elif check:
            verification = verify(check, runner.host, runner.engine_wait)
        done = verification is None or verification.ok is not False
        self.post_message(
            StepEnded(
                StepOutcome(
                    step,
                    "by-hand" if done else "not-verified",
                    verification,
                    entry=entry,
                )
            )
        )

    def _undo(self, entry: JournalEntry) -> None:
        """Thread: the undo, then a look at what it changed."""
        from wslwizard.runner.verify import verify

        runner = self.session.runner
        check = self._check_id()
        before = state_before(check, runner.host, self.session.facts) if check else ""
        self.post_message(StepStarted(before))
        result = runner.undo(entry, on_output=self._output)
        after = verify(check, runner.host) if check else None
        status = "undone" if result.status == "done" else result.status
        self.post_message(
            StepEnded(
                StepOutcome(
                    result.step,
                    status,
                    after,
                    before,
                    result.entry or entry,
                    message=result.message,
                )
            )
        )

    def on_step_started(self, message: StepStarted) -> None:
        self.before = message.before
        self.query_one("#run-before", Static).update(Text(message.before or "—"))

    def on_step_output(self, message: StepOutput) -> None:
        self.lines_written += 1
        # Text, never markup: a command's output must not style the screen.
        self.query_one("#run-output", RichLog).write(Text(printable(message.line)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "repair" or not event.worker.is_finished:
            return
        self.wizard.step_running = False
        if event.state == WorkerState.ERROR:
            log.error(
                "repair worker %s failed: %r", event.worker.name, event.worker.error
            )
            self.phase = "ended"
            self.query_one("#run-status", Static).update(
                Text(
                    _("✖ The wizard failed while doing this: {error}").format(
                        error=event.worker.error
                    ),
                    style="bold",
                )
            )
            self.outcome = StepOutcome(
                self.step, "failed", message=str(event.worker.error)
            )
            self.refresh_bindings()

    # -- the end -----------------------------------------------------------------

    def on_step_ended(self, message: StepEnded) -> None:
        outcome = message.outcome
        self.outcome = outcome
        self.phase = "ended"
        self.wizard.step_running = False
        self.query_one("#run-after", Static).update(Text(self._after_text(outcome)))
        # Nothing printed (the step did not run): the room is the advice's.
        if not self.lines_written:
            self.query_one("#run-output").display = False
        if outcome.before:
            self.query_one("#run-before", Static).update(Text(outcome.before))
        status = Text(f"{outcome_mark(outcome)} ", style="bold")
        status.append(self._result_sentence(outcome), style="bold")
        self.query_one("#run-status", Static).update(status)
        advice = self._advice(outcome)
        box = self.query_one("#run-advice-box")
        box.display = not isinstance(advice, Text) or bool(advice.plain)
        self.query_one("#run-advice", Static).update(advice)
        self.set_class(not outcome.ok, "-failed")
        self.refresh_bindings()

    @staticmethod
    def _after_text(outcome: StepOutcome) -> str:
        verification = outcome.verification
        if verification is None:
            return "—"
        return verification.after or verification.detail

    def _result_sentence(self, outcome: StepOutcome) -> str:
        if self.mode == "undo":
            if outcome.status == "undone":
                return _("Undone.")
            if outcome.status == "needs-root":
                return _("Not undone: it needs administrator (root) rights.")
            return _("The undo failed.")
        check = self.step.verify
        if outcome.verification_failed:
            return check_sentence(check, False)
        verification = outcome.verification
        if outcome.status == "done" and verification is not None and verification.ok:
            return check_sentence(check, True)
        return outcome_sentence(outcome)

    def _advice(self, outcome: StepOutcome) -> Text | Group:
        text = Text()
        status = outcome.status
        if outcome.verification_failed:
            text.append(
                _(
                    "Before and after are the same: the step changed nothing the "
                    "check can see."
                )
                if outcome.before and outcome.before == self._after_text(outcome)
                else _("What the check saw after the step is on the right above.")
            )
            text.append("\n")
            if outcome.can_undo:
                text.append(
                    _(
                        "Press u to undo it (you will be asked first), or Esc to go "
                        "back to the step."
                    )
                )
            else:
                text.append(_("Press Esc to go back to the step."))
        elif status == "needs-root":
            text.append(self._root_advice())
            return Group(text, command_block(by_hand_lines(self.step)))
        elif status == "failed":
            if outcome.message:
                text.append(outcome.message)
                text.append("\n")
            text.append(
                _("Press Esc to go back.")
                if self.mode == "undo"
                else _("Nothing else was run. Press Esc to go back to the step.")
            )
        elif status == "journal-failed":
            text.append(outcome.message)
            text.append("\n")
            text.append(
                _(
                    "Nothing was run: the wizard writes down every step before it "
                    "runs it, and could not."
                )
            )
        elif status == "pending-restart":
            text.append(outcome.message)
            text.append("\n")
            text.append(
                _(
                    "In WSL the wizard ends here, with WSL. On this recorded machine "
                    "it goes on: press Enter to see what happens next, or q to quit."
                )
                if self.wizard.host.recorded
                else _("Press Enter to see what happens next, or q to quit.")
            )
        elif status == "not-verified":
            text.append(
                _(
                    "When you have done it, press r to check again, or Esc to go "
                    "back to the step."
                )
            )
        elif self.mode == "undo":
            text.append(_("Press Enter to go back."))
        elif outcome.ok and self.flow is not None:
            if self.flow.index + 1 < self.flow.total:
                text.append(
                    _("Press Enter for step {number} of {total}.").format(
                        number=self.flow.index + 2, total=self.flow.total
                    )
                )
            else:
                text.append(_("Press Enter to finish."))
        return text

    def _root_advice(self) -> str:
        from wslwizard.runner.execute import Privilege

        if self.session.privilege is Privilege.NONE:
            return _(
                "sudo is not available here. Run these commands as root (for "
                "example after 'su -') in another terminal, then press r to "
                "re-check:"
            )
        if self.wizard.sudo_outcome == "unsupported":
            return _(
                "This terminal cannot be handed to sudo here, so sudo cannot ask "
                "for your password. Open another terminal on this machine, run "
                "these commands there, then press r to re-check:"
            )
        return _(
            "sudo did not accept a password. Press t to try again, or run these "
            "commands in another terminal and press r to re-check:"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.phase == "working":
            return False
        outcome = self.outcome
        if outcome is None:
            return action == "back"
        if action == "undo":
            return self.mode == "run" and outcome.can_undo
        if action == "recheck":
            return outcome.status in ("needs-root", "not-verified")
        if action == "try_again":
            return self.mode == "run" and outcome.status == "needs-root"
        return True

    def action_continue(self) -> None:
        self.dismiss(self.outcome)

    def action_back(self) -> None:
        self.dismiss(self.outcome)

    def action_undo(self) -> None:
        outcome = self.outcome
        if outcome is None or outcome.entry is None or not outcome.can_undo:
            return
        self.app.push_screen(
            undo_question(self.session, outcome.entry),
            partial(self._answered_undo, outcome.entry),
        )

    def _answered_undo(self, entry: JournalEntry, yes: bool | None) -> None:
        if not yes:
            self.notify(_("Nothing was undone."))
            return
        self.mode = "undo"
        self.entry = entry
        self.query_one("#run-heading", Static).update(self._heading())
        self.query_one("#run-output", RichLog).write(Text(""))
        self.start()

    def action_recheck(self) -> None:
        self.mode = "check"
        self.query_one("#run-compare").display = bool(self.step.verify)
        self.query_one("#run-heading", Static).update(self._heading())
        self.start()

    def action_try_again(self) -> None:
        self.mode = "run"
        self.start()


class DoneScreen(Screen):
    """The end of a repair: what changed, how to undo it, where the journal
    is, and what next."""

    BINDINGS = [
        Binding("enter", "next", _("Start the next repair"), key_display="Enter"),
        Binding(
            "enter",
            "restart_recorded",
            _("Restart WSL (recorded)"),
            key_display="Enter",
        ),
        Binding("r", "recheck", _("Re-check"), tooltip=_("Back to the diagnosis")),
        Binding("h", "app.history", _("History")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(
        self, session: RepairSession, flow: RepairFlow, stopped: bool = False
    ) -> None:
        super().__init__()
        self.session = session
        self.flow = flow
        self.stopped = stopped

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    @property
    def follow_up(self) -> str | None:
        plan = self.flow.plan
        if not self.flow.all_ok or not plan.follow_up:
            return None
        follow = self.session.plans.get(plan.follow_up)
        if follow is None or not follow.applicable or not follow.steps:
            return None
        versions = self.session.facts.versions
        if (
            plan.follow_up == "restart-docker"
            and versions is not None
            and versions.engine_reachable
        ):
            # The engine already answered before this repair: no restart needed.
            return None
        return plan.follow_up

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(host.label if host.recorded else None, _("wslwizard · repair"))
        with VerticalScroll(id="done-body", classes="page"):
            yield Static(self._heading(), id="done-heading", classes="page-title")
            yield Static(self._next_words(), id="done-next", classes="page-text")
            yield Static(self._changes(), classes="page-text")
            yield Static(self._undo(), id="done-undo", classes="page-text")
            # The notes are about a repair that happened.
            finished = self.flow.all_ok or self.flow.waiting_for_restart
            if self.flow.plan.notes and finished:
                yield Static(
                    bullets(
                        _("Good to know:"), [("•", n) for n in self.flow.plan.notes]
                    ),
                    classes="page-text",
                )
            yield Static(
                Text(
                    _(
                        "The journal (what ran, what it printed, how to undo it) is "
                        "in {folder}."
                    ).format(folder=display_path(self.wizard.journal.folder))
                ),
                id="done-journal",
                classes="page-text",
            )
        yield WizardFooter()

    def _heading(self) -> Text:
        flow = self.flow
        title = _(flow.plan.remedy.title)
        if flow.waiting_for_restart:
            return Text(
                _("… Waiting for WSL to restart: {title}").format(title=title),
                style="bold",
            )
        if flow.all_ok:
            return Text(_("✔ Done: {title}").format(title=title), style="bold")
        if flow.outcomes and flow.outcomes[-1].status == "not-verified":
            # A step done by hand that is not done yet is not a failure.
            return Text(
                _(
                    "! Not done yet: {title}. When you have done it, start the "
                    "wizard again: it checks then."
                ).format(title=title),
                style="bold",
            )
        if any(o.status == "failed" for o in flow.outcomes) or any(
            o.verification_failed for o in flow.outcomes
        ):
            return Text(
                _("✖ The repair did not work: {title}").format(title=title),
                style="bold",
            )
        return Text(
            _("! The repair stopped before its end: {title}").format(title=title),
            style="bold",
        )

    def _changes(self) -> Group:
        items: list[tuple[str, Cell]] = []
        for outcome in self.flow.outcomes:
            line = Text(outcome.step.title, style="bold")
            line.append("\n")
            line.append(outcome_sentence(outcome), style="not bold")
            items.append((outcome_mark(outcome), line))
        if not items:
            items.append(("–", _("Nothing was run.")))
        return bullets(_("What happened:"), items)

    def _undo(self) -> Group:
        items: list[tuple[str, Cell]] = [
            ("•", Text.assemble((o.step.title + ": ", "bold"), o.step.undo_note))
            for o in self.flow.outcomes
            if o.entry is not None and o.entry.can_undo and o.step.undo_note
        ]
        if items:
            items.append(
                ("", _("Or press h for the history: it undoes a step for you."))
            )
        elif self.flow.all_ok or self.flow.waiting_for_restart:
            items.append(("•", _(self.flow.plan.remedy.undo)))
        else:
            items.append(("–", _("Nothing to undo: the repair stopped before it.")))
        return bullets(_("How to undo it:"), items)

    def _next_words(self) -> Text:
        follow = self.follow_up
        if follow is not None:
            text = Text(_("Next: "), style="bold")
            text.append(
                _("{title}. Press Enter to start it.").format(
                    title=_(self.session.plans[follow].remedy.title)
                ),
                style="bold",
            )
            text.append("\n")
            text.append(_("Or press r to check the whole machine again."))
            return text
        if self.restart_here:
            return Text(
                _(
                    "On a real machine WSL restarts now and ends the wizard; you "
                    "would start wslwizard again, and it checks whether this "
                    "worked. Here press Enter: the recorded WSL restarts and the "
                    "wizard checks."
                ),
                style="bold",
            )
        if self.flow.waiting_for_restart:
            return Text(
                _(
                    "Start wslwizard again once WSL has restarted (about a minute): "
                    "it checks whether this worked, first thing."
                ),
                style="bold",
            )
        return Text(_("Press r to check the whole machine again."), style="bold")

    @property
    def restart_here(self) -> bool:
        """A recorded machine waits for a restart of WSL that only the wizard
        can play (a real one would have ended the wizard)."""
        return self.flow.waiting_for_restart and self.wizard.host.recorded

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.follow_up is not None and not self.restart_here
        if action == "restart_recorded":
            return self.restart_here
        return True

    def action_restart_recorded(self) -> None:
        self.wizard.restart_recorded_wsl()

    def action_next(self) -> None:
        follow = self.follow_up
        if follow is None:
            return
        plan = self.session.plans[follow]
        self.app.switch_screen(StepScreen(self.session, RepairFlow(plan)))

    def action_recheck(self) -> None:
        if self.restart_here:
            # A check before the restart would mix the new WSL with the old
            # kernel, which no real machine shows: restart first.
            self.wizard.restart_recorded_wsl()
            return
        self.wizard.back_to_diagnosis(recheck=True)

    def action_back(self) -> None:
        # A step that ran changed the machine: the diagnosis must say so.
        ran = any(o.status not in ("skipped-by-you",) for o in self.flow.outcomes)
        self.wizard.back_to_diagnosis(recheck=ran)
