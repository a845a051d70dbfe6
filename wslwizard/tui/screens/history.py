"""The journal of repairs on this machine: what ran, how it ended, and the
undo of the steps that can be undone (after the same question as a step)."""

from __future__ import annotations

import logging
import shlex
from functools import partial
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from wslwizard.i18n import _, ngettext
from wslwizard.journal.store import still_undoable
from wslwizard.remedies.catalog import REMEDIES
from wslwizard.tui.messages import JournalRead, RepairsPrepared
from wslwizard.tui.repair_model import (
    RepairSession,
    StepOutcome,
    display_path,
    entry_time,
    status_words,
)
from wslwizard.tui.screens.repair import RunningScreen, undo_question
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.layout import bullets
from wslwizard.tui.widgets.status import TopBar

if TYPE_CHECKING:
    from wslwizard.journal.store import JournalEntry
    from wslwizard.tui.app import WizardApp

log = logging.getLogger(__name__)

_MARKS = {
    "verified": "✔",
    "done": "✔",
    "failed": "✖",
    "verification-failed": "✖",
    "undone": "–",
    "cancelled": "–",
    "running": "…",
    "verify-pending": "…",
}


def entry_prompt(entry: JournalEntry, undoable: bool) -> Group:
    title = Text()
    title.append(f"{_MARKS.get(entry.status, '?')} ", style="bold")
    title.append(entry_time(entry) + "  ", style="dim")
    title.append(entry.title, style="bold")
    info = REMEDIES.get(entry.remedy)
    line = Text(_(info.title) if info else entry.remedy)
    line.append(" · ")
    line.append(status_words(entry.status))
    if undoable:
        line.append(" · ")
        line.append(_("can be undone (u)"))
    elif entry.can_undo:
        line.append(" · ")
        line.append(_("gone since WSL restarted: nothing to undo"))
    return Group(title, bullets(None, [(" ", line)]))


#: What the caller of ``wsl --update`` sees when WSL stops under it:
#: 0xC000013A (STATUS_CONTROL_C_EXIT), signed and unsigned.
STOPPED_WITH_WSL = (-1073741510, 3221225786)


def entry_detail(entry: JournalEntry) -> Text:
    text = Text()
    if entry.verification:
        label = _("Check, before it was undone:") if entry.status == "undone" else None
        text.append((label or _("Check:")) + " ", style="bold")
        text.append(entry.verification)
        text.append("\n")
    if entry.commands:
        text.append(_("What ran:"), style="bold")
        for record in entry.commands:
            text.append("\n  " + shlex.join(record.argv))
            if record.returncode in STOPPED_WITH_WSL and entry.step == "wsl-update":
                # 0xC000013A: WSL stopped under the command, as an update does.
                text.append("  ")
                text.append(
                    _("(ended as WSL stopped for the update, as expected)"),
                    style="dim",
                )
            elif record.returncode not in (None, 0):
                text.append("  ")
                text.append(
                    _("(exit code {code})").format(code=record.returncode),
                    style="dim",
                )
        text.append("\n")
    text.append(_("Undo:") + " ", style="bold")
    text.append(entry.undo_note or _("Nothing to undo."))
    return text


class HistoryScreen(Screen):
    """Journal entries of this machine, newest first."""

    BINDINGS = [
        Binding("u", "undo", _("Undo…"), tooltip=_("Undo the highlighted step")),
        Binding("escape", "back", _("Back")),
        Binding("h", "back", _("Back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.undid = False
        """Something was undone here: going back checks the machine again."""
        self.entries: list[JournalEntry] = []
        self.undoable_ids: set[str] = set()
        self.loaded = False
        self._undo_waiting: JournalEntry | None = None

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(host.label if host.recorded else None, _("wslwizard · history"))
        yield Static(Text(_("Reading the journal…")), id="history-intro")
        yield OptionList(id="history-list")
        yield Static(id="history-detail")
        yield WizardFooter()

    def on_mount(self) -> None:
        self.read_journal()

    def read_journal(self) -> None:
        self.run_worker(
            self._read,
            name="journal-read",
            group="journal",
            thread=True,
            exit_on_error=False,
        )

    def _read(self) -> None:
        """Thread: every readable entry (a damaged one is skipped)."""
        self.post_message(JournalRead(self.wizard.journal.entries()))

    def on_journal_read(self, message: JournalRead) -> None:
        label = self.wizard.host.label
        mine = [e for e in message.entries if e.machine == label]
        others = len(message.entries) - len(mine)
        self.entries = list(reversed(mine))
        self.undoable_ids = {e.id for e in mine if still_undoable(e, message.entries)}
        self.loaded = True
        host = self.wizard.host
        intro = Text(
            _("Repairs on the recorded machine {name}, newest first.").format(
                name=label
            )
            if host.recorded
            else _("Repairs on this machine, newest first."),
            style="bold",
        )
        intro.append("\n")
        intro.append(
            _("The journal is in {folder}.").format(
                folder=display_path(self.wizard.journal.folder)
            )
        )
        if others:
            intro.append(" ")
            intro.append(
                ngettext(
                    "{count} entry of another machine is not shown.",
                    "{count} entries of other machines are not shown.",
                    others,
                ).format(count=others)
            )
        if not mine:
            intro.append("\n")
            intro.append(_("No repair has been run on this machine yet."))
        self.query_one("#history-intro", Static).update(intro)
        listing = self.query_one("#history-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(
            [
                Option(entry_prompt(e, e.id in self.undoable_ids), id=e.id)
                for e in self.entries
            ]
        )
        listing.display = bool(self.entries)
        if self.entries:
            listing.highlighted = min(highlighted or 0, len(self.entries) - 1)
            listing.focus()
        self._show_detail()
        self.refresh_bindings()

    def on_option_list_option_highlighted(
        self, event: OptionList.OptionHighlighted
    ) -> None:
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo shows only for a step that can be undone."""
        if action == "undo":
            entry = self._selected() if self.loaded else None
            return entry is not None and entry.id in self.undoable_ids
        return True

    def on_key(self, event: events.Key) -> None:
        # u is hidden where it cannot undo; pressed anyway, it says why.
        if event.key != "u" or not self.loaded:
            return
        entry = self._selected()
        if entry is not None and entry.id not in self.undoable_ids:
            event.stop()
            self.notify(self._why_not_undoable(entry))

    @staticmethod
    def _why_not_undoable(entry: JournalEntry) -> str:
        if entry.status == "undone":
            return _("This step was undone already.")
        if entry.can_undo:
            return _("Nothing to undo: WSL has restarted since, and that undid it.")
        return _("This step cannot be undone from here. {note}").format(
            note=entry.undo_note or _("Nothing to undo.")
        )

    def _selected(self) -> JournalEntry | None:
        listing = self.query_one("#history-list", OptionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def _show_detail(self) -> None:
        entry = self._selected()
        detail = self.query_one("#history-detail", Static)
        detail.display = entry is not None
        if entry is not None:
            detail.update(entry_detail(entry))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_undo()

    def action_undo(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        if entry.id not in self.undoable_ids:
            self.notify(
                _("This step cannot be undone from here. {note}").format(
                    note=entry.undo_note
                )
            )
            return
        diagnosis = self.wizard.diagnosis_screen.diagnosis
        if diagnosis is None:
            self.notify(_("The checks are still running; try again in a moment."))
            return
        session = self.wizard.cached_session(diagnosis)
        if session is None:
            self._undo_waiting = entry
            self.wizard.prepare_repairs(self, diagnosis)
            return
        self._ask_undo(session, entry)

    def on_repairs_prepared(self, message: RepairsPrepared) -> None:
        self.wizard.repair_session = message.session
        entry, self._undo_waiting = self._undo_waiting, None
        if entry is not None:
            self._ask_undo(message.session, entry)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            log.error("worker %s failed: %r", event.worker.name, event.worker.error)
            self.notify(
                _("That did not work: {error}").format(error=event.worker.error),
                severity="error",
            )

    def _ask_undo(self, session: RepairSession, entry: JournalEntry) -> None:
        self.app.push_screen(
            undo_question(session, entry), partial(self._answered, session, entry)
        )

    def _answered(
        self, session: RepairSession, entry: JournalEntry, yes: bool | None
    ) -> None:
        if not yes:
            self.notify(_("Nothing was undone."))
            return
        step = session.runner.undo_step(entry)
        self.app.push_screen(
            RunningScreen(session, None, step, "undo", entry), self._undo_ended
        )

    def _undo_ended(self, outcome: StepOutcome | None) -> None:
        if outcome is not None and outcome.status == "undone":
            self.undid = True
        self.read_journal()

    def action_back(self) -> None:
        if self.undid:
            # The screens below describe the machine before the undo.
            self.wizard.back_to_diagnosis(recheck=True)
        else:
            self.app.pop_screen()
