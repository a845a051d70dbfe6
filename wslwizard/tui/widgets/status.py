"""The top of the diagnosis screen: title, recorded-machine marker, verdict,
and the probes as they run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from wslwizard.i18n import _, ngettext
from wslwizard.tui.words import (
    confidence_sentence,
    probe_line,
    probe_mark,
    probe_short,
    verdict_kind_sentence,
)

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.probes.model import ProbeOutcome


class TopBar(Horizontal):
    """The wizard's name and, on a recorded machine, a marker that says the
    screen is not about the machine the user is sitting at."""

    def __init__(self, recorded_label: str | None, title: str | None = None) -> None:
        super().__init__(id="top-bar")
        self.recorded_label = recorded_label
        self.bar_title = title

    def compose(self) -> ComposeResult:
        title = self.bar_title or _("wslwizard · diagnosis")
        if getattr(self.app, "over_ssh", False):
            # Said on every screen: steps that restart WSL end this session.
            title = _("{title} · over SSH").format(title=title)
        yield Static(title, id="app-title")
        if self.recorded_label is not None:
            words = (
                _("Recorded: {name} with your repairs, not this machine")
                if getattr(self.app, "carries_changes", False)
                else _("Recorded machine: {name}, not this machine")
            )
            yield Static(
                Text(words.format(name=self.recorded_label)), id="recorded-marker"
            )


class PanelTabs(Horizontal):
    """In a small window, which panel is shown: 1, 2 or 3, or a click."""

    def __init__(self, active: str) -> None:
        super().__init__(id="panel-tabs")
        self.active = active

    def compose(self) -> ComposeResult:
        for name, title in (
            ("modules", _("1 Driver")),
            ("versions", _("2 Versions")),
            ("log", _("3 Log")),
        ):
            tab = Static(Text(title), id=f"tab-{name}", classes="panel-tab")
            tab.set_class(name == self.active, "-active")
            yield tab

    def show(self, active: str) -> None:
        self.active = active
        for tab in self.query(".panel-tab"):
            tab.set_class(tab.id == f"tab-{active}", "-active")

    async def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id:
            name = event.widget.id.removeprefix("tab-")
            await self.screen.run_action(f"show_panel('{name}')")


class VerdictBox(Vertical):
    """One sentence saying what is wrong, and how sure the wizard is."""

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Checking this machine…")), id="verdict-text")
        yield Static(
            Text(_("This takes a few seconds; each check is listed below.")),
            id="verdict-confidence",
        )

    def show_checking(self, again: bool) -> None:
        self.set_classes("-checking")
        text = (
            _("Checking this machine again…") if again else _("Checking this machine…")
        )
        self.query_one("#verdict-text", Static).update(Text(text))
        self.query_one("#verdict-confidence", Static).update(
            Text(_("This takes a few seconds; each check is listed below."))
        )

    def show(self, diagnosis: Diagnosis) -> None:
        self.set_classes(f"-{diagnosis.verdict_kind}")
        self.query_one("#verdict-text", Static).update(Text(diagnosis.verdict))
        top = diagnosis.top
        if top is not None and diagnosis.verdict_kind in ("problem", "warning"):
            sentence = _("{confidence} Press e for the evidence.").format(
                confidence=confidence_sentence(top.confidence)
            )
        else:
            sentence = _("{kind} Press e for what was checked.").format(
                kind=verdict_kind_sentence(diagnosis.verdict_kind)
            )
        self.query_one("#verdict-confidence", Static).update(Text(sentence))

    def show_failure(self, reason: str) -> None:
        self.set_classes("-unknown")
        self.query_one("#verdict-text", Static).update(
            Text(_("The check itself failed: {reason}").format(reason=reason))
        )
        self.query_one("#verdict-confidence", Static).update(
            Text(_("Press r to try again. The wizard's log file has the details."))
        )


class ProbeList(Static):
    """Each probe as it runs: checking…, then its result. After the check,
    one summary line plus any probe that gave no answer."""

    def __init__(self, show_timings: bool) -> None:
        super().__init__(id="probes")
        self.show_timings = show_timings
        self.outcomes: dict[str, ProbeOutcome] = {}
        self.started: dict[str, float] = {}
        self.finished = False
        self.notes: list[str] = []
        """Sentences about commands that hung inside a probe that answered."""

    def reset(self) -> None:
        self.outcomes.clear()
        self.started.clear()
        self.finished = False
        self.notes = []
        self.update(Text(_("Starting the checks…")))

    def finish(self, notes: list[str]) -> None:
        self.finished = True
        self.notes = notes

    def record(self, outcome: ProbeOutcome, now: float) -> None:
        if outcome.status == "running":
            self.started[outcome.probe] = now
        self.outcomes[outcome.probe] = outcome

    def on_resize(self) -> None:
        # The summary line names the checks only where it fits on one line.
        if self.finished:
            self.redraw(0.0)

    def redraw(self, now: float) -> None:
        """Called on each progress message and on the ticking timer."""
        text = Text()
        outcomes = list(self.outcomes.values())
        troubled = [o for o in outcomes if o.status in ("timed-out", "failed")]
        if self.finished:
            answered = len(outcomes) - len(troubled)
            if not troubled and not self.notes:
                names = ", ".join(probe_short(o.probe) for o in outcomes)
                sentence = ngettext(
                    "✔ The check answered: {names}.",
                    "✔ All {count} checks answered: {names}.",
                    answered,
                ).format(count=answered, names=names)
                if len(sentence) > self.content_region.width:
                    # One line in a small window: the names are in the help.
                    sentence = ngettext(
                        "✔ The check answered.",
                        "✔ All {count} checks answered.",
                        answered,
                    ).format(count=answered)
                text.append(sentence)
            for outcome in troubled:
                if text:
                    text.append("\n")
                text.append(f"{probe_mark(outcome.status)} ", style="bold")
                text.append(probe_line(outcome, None))
            for note in self.notes:
                if text:
                    text.append("\n")
                text.append("! ", style="bold")
                text.append(note)
            self.set_class(bool(troubled or self.notes), "-troubled")
            self.update(text)
            return
        for outcome in outcomes:
            if text:
                text.append("\n")
            elapsed = None
            if self.show_timings:
                if outcome.status == "running":
                    elapsed = now - self.started.get(outcome.probe, now)
                else:
                    elapsed = outcome.elapsed
            text.append(f"{probe_mark(outcome.status)} ", style="bold")
            text.append(probe_line(outcome, elapsed))
        self.update(text)
