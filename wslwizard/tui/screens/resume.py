"""On start: steps an earlier run of the wizard did not see finish (WSL
restarted and took the wizard with it, or the person worked at the Windows
desktop). Says what it checks, checks, and offers where to go on."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from wslwizard.i18n import _
from wslwizard.remedies.plans import Plan
from wslwizard.tui.messages import RepairsPrepared, StepResumed
from wslwizard.tui.repair_model import (
    RepairSession,
    continuation,
    resume_sentence,
    verification_sentence,
)
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.status import TopBar

if TYPE_CHECKING:
    from wslwizard.journal.store import JournalEntry
    from wslwizard.runner.verify import Verification
    from wslwizard.tui.app import WizardApp

log = logging.getLogger(__name__)


class ResumeScreen(Screen):
    BINDINGS = [
        Binding("enter", "go_on", _("Continue"), key_display="Enter"),
        Binding("escape", "back", _("To the diagnosis")),
    ]

    def __init__(self, entries: list[JournalEntry]) -> None:
        super().__init__()
        self.entries = entries
        self.results: dict[str, tuple[JournalEntry, Verification]] = {}
        self.session: RepairSession | None = None
        self.next_step: tuple[Plan, int] | None = None
        self._waiting: Timer | None = None

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    @property
    def finished(self) -> bool:
        """Every entry was checked (tests wait for this)."""
        return len(self.results) == len(self.entries)

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(
            host.label if host.recorded else None,
            _("wslwizard · earlier repair"),
        )
        yield Static(id="resume-body", classes="page")
        yield Static(id="resume-next", classes="page")
        yield WizardFooter()

    def on_mount(self) -> None:
        self._show()
        self.run_worker(
            self._resume,
            name="resume",
            group="resume",
            thread=True,
            exit_on_error=False,
        )

    def _resume(self) -> None:
        """Thread: verify each step; never run it again."""
        from wslwizard.runner.execute import Privilege, StepRunner

        app = self.wizard
        runner = StepRunner(
            app.host, app.journal, Privilege.NONE, engine_wait=app.engine_wait
        )
        for entry in self.entries:
            updated, verification = runner.resume(entry)
            log.info("resumed %s: %s", entry.id, verification.ok)
            self.post_message(StepResumed(updated, verification))

    def on_step_resumed(self, message: StepResumed) -> None:
        self.results[message.entry.id] = (message.entry, message.verification)
        self._show()
        if self.finished:
            self._look_for_next()
        self.refresh_bindings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            log.error("worker %s failed: %r", event.worker.name, event.worker.error)
            self.query_one("#resume-next", Static).update(
                Text(
                    _("The check failed: {error}. Press Esc.").format(
                        error=event.worker.error
                    )
                )
            )

    def _show(self) -> None:
        text = Text()
        if self.wizard.host.recorded:
            text.append(
                _(
                    "A recorded machine: the wizard keeps what repairs change on "
                    "it from one run to the next. After a step that restarted WSL, "
                    "only what outlasts a restart (an update, a changed file) is "
                    "kept, as on a real machine."
                ),
                style="italic",
            )
            text.append("\n\n")
        for number, entry in enumerate(self.entries):
            if number:
                text.append("\n\n")
            text.append(resume_sentence(entry), style="bold")
            result = self.results.get(entry.id)
            if result is None:
                continue
            verification = result[1]
            mark = {True: "✔", False: "✖"}.get(verification.ok, "?")  # type: ignore[arg-type]
            text.append(f"\n{mark} ", style="bold")
            text.append(verification_sentence(verification))
        self.query_one("#resume-body", Static).update(text)

    # -- where to go on ----------------------------------------------------------

    def _look_for_next(self) -> None:
        """Plans need the diagnosis, which may still be running."""
        diagnosis = self.wizard.diagnosis_screen.diagnosis
        screen = self.wizard.diagnosis_screen
        if diagnosis is None or screen.checking:
            self._show_next(_("Waiting for the checks of the machine…"))
            if self._waiting is None:
                self._waiting = self.set_interval(0.2, self._look_for_next)
            return
        if self._waiting is not None:
            self._waiting.stop()
            self._waiting = None
        session = self.wizard.cached_session(diagnosis)
        if session is None:
            self.wizard.prepare_repairs(self, diagnosis)
        else:
            self._plans_ready(session)

    def on_repairs_prepared(self, message: RepairsPrepared) -> None:
        self.wizard.repair_session = message.session
        self._plans_ready(message.session)

    def _plans_ready(self, session: RepairSession) -> None:
        self.session = session
        entry, verification = self.results[self.entries[-1].id]
        self.next_step = continuation(entry, session.plans, verification.ok)
        if self.next_step is None:
            self._show_next(_("Press Enter to see the diagnosis of the machine now."))
        else:
            plan, index = self.next_step
            if index == 0:
                sentence = _(
                    "Press Enter for the next repair: {repair}. Esc shows the "
                    "diagnosis instead."
                ).format(repair=_(plan.remedy.title))
            else:
                sentence = _(
                    "Press Enter to go on with '{repair}', step {number} of "
                    "{total}: {step}. Esc shows the diagnosis instead."
                ).format(
                    repair=_(plan.remedy.title),
                    number=index + 1,
                    total=len(plan.steps),
                    step=plan.steps[index].title,
                )
            self._show_next(sentence)
        self.refresh_bindings()

    def _show_next(self, sentence: str) -> None:
        self.query_one("#resume-next", Static).update(Text(sentence))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_on":
            return self.finished and self.session is not None
        return True

    def action_go_on(self) -> None:
        if self.next_step is None or self.session is None:
            self.action_back()
            return
        plan, index = self.next_step
        self.app.pop_screen()
        self.wizard.start_repair(self.session, plan, index)

    def action_back(self) -> None:
        self.app.pop_screen()
