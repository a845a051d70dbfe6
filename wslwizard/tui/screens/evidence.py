"""The evidence behind the verdict: each finding with what shows it, then
everything that was checked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wslwizard.diagnosis.rules import Diagnosis, Finding
from wslwizard.diagnosis.summary import area_rows
from wslwizard.i18n import _
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.words import STATUS_MARKS, confidence_sentence, probe_line


def _finding_text(finding: Finding) -> Text:
    text = Text()
    text.append(_(finding.title), style="bold")
    text.append(f"  [{finding.id}]", style="dim")
    text.append("\n")
    text.append(confidence_sentence(finding.confidence))
    text.append("\n\n")
    text.append(_(finding.explanation))
    if finding.evidence:
        text.append("\n\n")
        text.append(_("What shows it:"), style="bold")
        for item in finding.evidence:
            text.append(f"\n  • {item}")
    if finding.hit_count:
        text.append("\n\n")
        text.append(
            _("Log lines that match ({count} in all, the last ones shown):").format(
                count=finding.hit_count
            ),
            style="bold",
        )
        for hit in finding.hits:
            text.append(f"\n  {hit.source}:{hit.line_number}")
            text.append(f"\n    {hit.line}", style="italic")
    if finding.context:
        text.append("\n\n")
        text.append(_("Context (not proof on its own):"), style="bold")
        for item in finding.context:
            text.append(f"\n  • {item}")
    if finding.upstream:
        text.append("\n\n")
        text.append(_("Public reports:"), style="bold")
        for link in finding.upstream:
            text.append(f"\n  {link}")
    return text


def _checked_text(diagnosis: Diagnosis) -> Text:
    text = Text()
    text.append(_("What was checked"), style="bold")
    for row in area_rows(diagnosis):
        text.append(f"\n{STATUS_MARKS[row.status]} ")
        text.append(row.label, style="bold")
        text.append(f": {row.detail}")
        for item in row.evidence:
            text.append(f"\n    {item}", style="dim")
    troubled = [
        o for o in diagnosis.facts.outcomes if o.status in ("timed-out", "failed")
    ]
    for outcome in troubled:
        text.append(f"\n✖ {probe_line(outcome, None)}")
    return text


class EvidenceScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("e", "app.pop_screen", _("Back"), show=False),
    ]

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.diagnosis = diagnosis

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="evidence-body", classes="page"):
            yield Static(Text(_("Evidence"), style="bold"), classes="page-title")
            yield Static(Text(self.diagnosis.verdict), classes="page-text")
            if not self.diagnosis.findings:
                yield Static(
                    Text(_("No known problem matched what was found.")),
                    classes="page-text",
                )
            for finding in self.diagnosis.findings:
                yield Static(_finding_text(finding), classes="page-text finding")
            yield Static(_checked_text(self.diagnosis), classes="page-text")
        yield WizardFooter()
