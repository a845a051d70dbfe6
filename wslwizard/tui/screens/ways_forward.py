"""Every option that applies here, with how long it lasts, what it risks and
how to undo it. The guided repair that runs them comes in a later screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from wslwizard.diagnosis.rules import Diagnosis
from wslwizard.i18n import _
from wslwizard.remedies.catalog import RemedyInfo
from wslwizard.tui.widgets.next_step import applicable_remedies, no_remedy_advice


def _remedy_text(number: int, info: RemedyInfo) -> Text:
    text = Text()
    title = _("{number}. {title}").format(number=number, title=_(info.title))
    text.append(title, style="bold")
    if number == 1:
        text.append(" ")
        text.append(_("(recommended)"), style="italic")
    text.append("\n")
    rows = (
        (_("How long it lasts:"), _(info.lasts)),
        (_("What it risks:"), _(info.risk)),
        (_("How to undo it:"), _(info.undo)),
    )
    for label, value in rows:
        text.append(f"   {label} ", style="bold")
        text.append(value)
        text.append("\n")
    text.append("   ")
    text.append(
        _("Can be undone: yes.") if info.reversible else _("Can be undone: not easily.")
    )
    return text


class WaysForwardScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("w", "app.pop_screen", _("Back"), show=False),
    ]

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.diagnosis = diagnosis

    def compose(self) -> ComposeResult:
        remedies = applicable_remedies(self.diagnosis)
        with VerticalScroll(id="ways-body", classes="page"):
            yield Static(Text(_("What you can do"), style="bold"), classes="page-title")
            yield Static(Text(self.diagnosis.verdict), classes="page-text")
            if not remedies:
                yield Static(
                    Text(no_remedy_advice(self.diagnosis)), classes="page-text"
                )
            for number, info in enumerate(remedies, start=1):
                yield Static(_remedy_text(number, info), classes="page-text remedy")
            if remedies:
                yield Static(
                    Text(
                        _(
                            "This version of wslwizard explains the options but does "
                            "not carry them out yet. The guided repair, which asks "
                            "before every step and keeps a note of how to undo it, "
                            "comes next."
                        ),
                        style="italic",
                    ),
                    classes="page-text",
                )
        yield Footer()
