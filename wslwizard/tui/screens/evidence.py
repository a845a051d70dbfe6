"""The evidence behind the verdict: each finding with what shows it, then
everything that was checked."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wslwizard.diagnosis.rules import Diagnosis, Finding
from wslwizard.diagnosis.summary import area_rows
from wslwizard.i18n import _
from wslwizard.probes.model import Evidence
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.layout import Cell, bullets
from wslwizard.tui.words import STATUS_MARKS, confidence_sentence, probe_line


def _finding_text(finding: Finding) -> Group:
    """One finding: its claim, how sure, why, and each piece of evidence as a
    list item whose long paths wrap under the item, not under the bullet."""
    head = Text()
    head.append(_(finding.title), style="bold")
    head.append(f"  [{finding.id}]", style="dim")
    head.append("\n")
    head.append(confidence_sentence(finding.confidence))
    head.append("\n\n")
    head.append(_(finding.explanation))
    parts: list[RenderableType] = [head]

    def section(title: str, items: list[tuple[str, Cell]]) -> None:
        parts.append(Text(""))
        parts.append(bullets(title, items))

    if finding.evidence:
        section(
            _("What shows it:"),
            [("•", _evidence(item)) for item in finding.evidence],
        )
    if finding.hit_count:
        section(
            _("Log lines that match ({count} in all, the last ones shown):").format(
                count=finding.hit_count
            ),
            [
                (
                    " ",
                    Text(f"{hit.source}:{hit.line_number}\n")
                    + Text(hit.line, style="italic"),
                )
                for hit in finding.hits
            ],
        )
    if finding.context:
        section(
            _("Context (not proof on its own):"),
            [("•", _evidence(item)) for item in finding.context],
        )
    if finding.upstream:
        section(_("Public reports:"), [(" ", Text(link)) for link in finding.upstream])
    return Group(*parts)


def _evidence(item: Evidence) -> Text:
    words = f"{item.source}: {item.detail}" if item.detail else item.source
    # A long path breaks where it must, inside the item's own column.
    return Text(words, overflow="fold")


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
