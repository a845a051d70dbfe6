"""The one question asked before anything changes the machine.

Explicit keys (y, n, Esc), the exact commands, where they run, the risk and
the undo; the safe button has the focus when the step is hard to reverse or
cuts the connection the wizard runs over.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wslwizard.i18n import _


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True only for an explicit yes."""

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes"), tooltip=_("Yes, go ahead")),
        Binding("n", "answer(False)", _("No"), tooltip=_("No: nothing is run")),
        Binding("escape", "answer(False)", _("Cancel"), show=False),
    ]

    def __init__(
        self,
        question: str,
        body: RenderableType,
        *,
        yes_label: str,
        no_label: str,
        safe_focus: bool,
        warning: str | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.body = body
        self.yes_label = yes_label
        self.no_label = no_label
        self.safe_focus = safe_focus
        """Focus the No button: the step is hard to reverse or cuts the
        connection."""
        self.warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(
            id="confirm", classes="dialog -warned" if self.warning else "dialog"
        ):
            yield Static(Text(self.question, style="bold"), id="confirm-question")
            if self.warning:
                yield Static(Text("! " + self.warning), id="confirm-warning")
            with VerticalScroll(id="confirm-body"):
                yield Static(self.body)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes_label, id="confirm-yes", compact=True)
                yield Button(self.no_label, id="confirm-no", compact=True)
            yield Static(
                Text(_("y: yes   n or Esc: no   Enter: the highlighted button")),
                classes="dialog-note",
            )

    def on_mount(self) -> None:
        button = "#confirm-no" if self.safe_focus else "#confirm-yes"
        self.query_one(button, Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
