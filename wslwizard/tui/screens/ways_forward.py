"""The way forward from the verdict: choose a repair.

Every repair the wizard knows, built as a plan for this machine: the ones
that apply first (the recommended one on top), each with how long it lasts,
what it risks and whether it can be undone; the ones that do not apply
dimmed, with the reason. Enter starts the chosen one, step by step.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from wslwizard.diagnosis.rules import Diagnosis
from wslwizard.i18n import _, ngettext
from wslwizard.tui.messages import RepairsPrepared
from wslwizard.tui.repair_model import RepairChoice, RepairSession
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.next_step import no_remedy_advice
from wslwizard.tui.widgets.status import TopBar

if TYPE_CHECKING:
    from wslwizard.tui.app import WizardApp

log = logging.getLogger(__name__)


def choice_prompt(number: int | None, choice: RepairChoice) -> Group:
    """One repair as the list shows it; wrapped lines keep their indent."""
    plan = choice.plan
    info = plan.remedy
    rows = Table.grid(padding=(0, 1))
    rows.add_column(width=2, no_wrap=True)
    rows.add_column(no_wrap=True, style="bold")
    rows.add_column(ratio=1)
    if number is None:
        title = Text("–  " + _(info.title))
        rows.add_row("", _("Does not apply here:"), plan.reason)
        return Group(title, rows)
    title = Text(
        _("{number}. {title}").format(number=number, title=_(info.title)),
        style="bold",
    )
    if choice.recommended:
        title.append("  ")
        title.append(_("(recommended)"), style="italic")
    rows.add_row("", _("Lasts:"), _(info.lasts))
    rows.add_row("", _("Risk:"), _(info.risk))
    rows.add_row("", _("Undo:"), _(info.undo))
    steps = ngettext(
        "{count} step; you are asked before it runs.",
        "{count} steps; you are asked before each one.",
        len(plan.steps),
    ).format(count=len(plan.steps))
    if not info.reversible:
        steps = "! " + _("Hard to undo.") + " " + steps
    elif any(step.reversible for step in plan.steps):
        steps = "✔ " + _("Can be undone.") + " " + steps
    rows.add_row("", "", Text(steps))
    return Group(title, rows)


class WaysForwardScreen(Screen):
    """Choose a repair (the diagnosis screen's ``w``)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("w", "app.pop_screen", _("Back"), show=False),
        Binding("h", "app.history", _("History")),
    ]

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.diagnosis = diagnosis
        self.session: RepairSession | None = None
        self.choices: list[RepairChoice] = []

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    @property
    def ready(self) -> bool:
        """The plans are built and listed (tests wait for this)."""
        return self.session is not None

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(
            host.label if host.recorded else None, _("wslwizard · choose a repair")
        )
        yield Static(Text(self.diagnosis.verdict, style="bold"), id="choice-verdict")
        yield Static(Text(_("Preparing the repairs…")), id="choice-status")
        yield OptionList(id="choice-list")
        yield WizardFooter()

    def on_mount(self) -> None:
        self.query_one("#choice-list").display = False
        cached = self.wizard.cached_session(self.diagnosis)
        if cached is not None:
            self.show(cached)
            return
        self.wizard.prepare_repairs(self, self.diagnosis)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "repair-plans" and event.state == WorkerState.ERROR:
            log.error("building the plans failed: %r", worker.error)
            self.query_one("#choice-status", Static).update(
                Text(
                    _("The repairs could not be prepared: {error}").format(
                        error=worker.error
                    )
                )
            )

    def on_repairs_prepared(self, message: RepairsPrepared) -> None:
        self.wizard.repair_session = message.session
        self.show(message.session)

    def show(self, session: RepairSession) -> None:
        self.session = session
        self.choices = session.choices
        applicable = [c for c in session.choices if c.plan.applicable]
        status = self.query_one("#choice-status", Static)
        if not applicable:
            status.update(Text(no_remedy_advice(self.diagnosis)))
        elif self.diagnosis.verdict_kind in ("healthy", "not-applicable"):
            status.update(
                Text(
                    _(
                        "Nothing needs repairing, by the checks. These are here in "
                        "case you want one anyway. Each step asks you first."
                    )
                )
            )
        else:
            status.update(
                Text(
                    _(
                        "Choose a repair with ↑ ↓ and press Enter. Nothing changes "
                        "until you say yes to a step."
                    )
                )
            )
        options: list[Option | None] = []
        for number, choice in enumerate(applicable, start=1):
            options.append(Option(choice_prompt(number, choice), id=choice.remedy_id))
        others = [c for c in session.choices if not c.plan.applicable]
        if applicable and others:
            options.append(None)
        for choice in others:
            # Reachable with the arrow keys (a disabled option is skipped, so a
            # long list never scrolls to it); Enter says why it does not apply.
            options.append(Option(choice_prompt(None, choice), id=choice.remedy_id))
        listing = self.query_one("#choice-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        listing.display = True
        if applicable:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._start(event.option.id)

    def _start(self, remedy_id: str) -> None:
        session = self.session
        if session is None:
            return
        plan = session.plans[remedy_id]
        if plan.applicable and plan.steps:
            self.wizard.start_repair(session, plan)
        elif not plan.applicable:
            self.notify(
                _("{title} does not apply here: {reason}").format(
                    title=_(plan.remedy.title), reason=plan.reason
                )
            )
