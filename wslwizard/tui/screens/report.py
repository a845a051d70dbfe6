"""The support bundle preview: what the file will hold, what was replaced,
the user's own words to remove, and a confirmation before anything is
written. Nothing is sent anywhere; the bundle is a local file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from wslwizard.i18n import _, ngettext
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.status import TopBar

if TYPE_CHECKING:
    from wslwizard.host.base import Host
    from wslwizard.report.bundle import Recording, RedactedBundle, RedactionSummary

log = logging.getLogger(__name__)


class BundleRecorded(Message):
    def __init__(self, recording: Recording) -> None:
        super().__init__()
        self.recording = recording


class ConfirmWrite(ModalScreen[bool]):
    """Yes or no, with No focused: nothing is written without a yes."""

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes, write it")),
        Binding("n", "answer(False)", _("No")),
        Binding("escape", "answer(False)", _("No"), show=False),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="write-question", classes="dialog"):
            yield Static(
                Text(
                    _(
                        "Write the support bundle to {path}? It stays on this "
                        "computer until you send it to someone."
                    ).format(path=self.path)
                ),
                id="confirm-question",
            )
            with Horizontal(id="confirm-buttons"):
                # Yes, then No, as in every question of the wizard; No has
                # the focus.
                yield Button(_("Yes, write it (y)"), id="yes", compact=True)
                yield Button(_("No (n)"), id="no", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def _summary_table(summary: RedactionSummary) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column(_("Replaced"), no_wrap=True)
    table.add_column(_("Times"), justify="right", no_wrap=True)
    table.add_column(_("Examples (new ← original, shown only here)"))
    for category in summary.categories:
        if not category.places:
            continue
        examples = ", ".join(
            f"{value.placeholder} ← {value.original}" for value in category.values[:3]
        )
        table.add_row(category.label, str(category.places), Text(examples))
    return table


class BundleFileScreen(Screen):
    """The bundle file exactly as it would be written, to read before saying
    yes. Read-only; a TextArea scrolls a large file without drawing it all."""

    BINDINGS = [Binding("escape", "app.pop_screen", _("Back"))]

    def __init__(self, text: str, label: str | None) -> None:
        super().__init__()
        self.text = text
        self.label = label

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        yield TopBar(self.label, _("wslwizard · the bundle file"))
        yield TextArea(
            self.text,
            read_only=True,
            show_line_numbers=True,
            soft_wrap=True,
            id="bundle-text",
        )
        yield WizardFooter()

    def on_mount(self) -> None:
        self.query_one("#bundle-text").focus()


class ReportScreen(Screen):
    """Record, preview, confirm, write."""

    BINDINGS = [
        Binding("escape", "back", _("Back")),
        Binding("a", "add_word", _("Add a word"), tooltip=_("A word to remove")),
        Binding("v", "view", _("See the file")),
        Binding("w", "write", _("Write it")),
    ]

    def __init__(
        self,
        host: Host,
        folder: Path | None = None,
        now: Callable[[], datetime] | None = None,
        bound: float = 10.0,
    ) -> None:
        super().__init__()
        self.host = host
        self.folder = folder or Path.cwd()
        self.now = now
        self.bound = bound
        self.recording: Recording | None = None
        self.bundle: RedactedBundle | None = None
        self.terms: list[str] = []
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        host = self.host
        yield TopBar(
            host.label if host.recorded else None, _("wslwizard · support bundle")
        )
        with VerticalScroll(id="report-body"):
            yield Static(
                Text(
                    _(
                        "A support bundle is one file with what the checks read on "
                        "this machine (files, command outputs, the end of the logs), "
                        "with your user and computer names, addresses and tokens "
                        "replaced. Nothing is sent: you decide whom to give it to. "
                        "A helper opens it with: wslwizard check --replay FILE"
                    )
                ),
                id="report-intro",
            )
            yield Static(Text(_("Recording what the checks read…")), id="report-status")
            yield Static(id="report-summary")
            yield Input(
                placeholder=_(
                    "Press a, type another word to remove (a name, a company), "
                    "then Enter"
                ),
                id="report-term",
            )
            yield Static(id="report-result")
        yield WizardFooter()

    def on_mount(self) -> None:
        self.run_worker(
            self._record,
            name="record",
            group="report",
            thread=True,
            exit_on_error=False,
        )

    def _record(self) -> None:
        """Thread: run the checks through a recording host."""
        from wslwizard.report import record_bundle

        now = self.now() if self.now else None
        recording = record_bundle(self.host, bound=self.bound, now=now)
        self.post_message(BundleRecorded(recording))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "report" and event.state is WorkerState.ERROR:
            log.error("recording the bundle failed", exc_info=event.worker.error)
            self.query_one("#report-status", Static).update(
                Text(
                    _("Could not record the machine: {error}").format(
                        error=event.worker.error
                    )
                )
            )

    def on_bundle_recorded(self, message: BundleRecorded) -> None:
        self.recording = message.recording
        self._redact()

    def _redact(self) -> None:
        from wslwizard.report import redact

        assert self.recording is not None
        self.bundle = redact(self.recording, extra_terms=self.terms)
        summary = self.bundle.summary
        status = ngettext(
            "{count} personal detail replaced. Check the examples below; add any "
            "other word to remove; v shows the whole file. Press w to write it.",
            "{count} personal details replaced. Check the examples below; add any "
            "other word to remove; v shows the whole file. Press w to write it.",
            summary.places,
        ).format(count=summary.places)
        self.query_one("#report-status", Static).update(Text(status))
        self.query_one("#report-summary", Static).update(_summary_table(summary))

    def action_add_word(self) -> None:
        self.query_one("#report-term", Input).focus()

    def action_view(self) -> None:
        if self.bundle is None:
            return
        self.run_worker(
            self._render_file, name="render", group="report-view", thread=True
        )

    def _render_file(self) -> None:
        """Thread: the file's text (checked to read back the same)."""
        assert self.bundle is not None
        text = self.bundle.to_toml().decode("utf-8", "replace")
        label = self.host.label if self.host.recorded else None
        self.app.call_from_thread(self.app.push_screen, BundleFileScreen(text, label))

    def action_back(self) -> None:
        """Esc leaves the word box first, then the screen."""
        if isinstance(self.focused, Input):
            self.set_focus(None)
            return
        self.app.pop_screen()

    @on(Input.Submitted, "#report-term")
    def _add_term(self, event: Input.Submitted) -> None:
        term = event.value.strip()
        event.input.value = ""
        # Back to the keys (w writes); a for the next word.
        self.set_focus(None)
        if term and term not in self.terms and self.recording is not None:
            self.terms.append(term)
            self._redact()
            self.notify(_("Removed everywhere: {term}").format(term=term))

    def _path(self) -> Path:
        from wslwizard.report import default_bundle_path

        now = self.now() if self.now else None
        return default_bundle_path(now=now, folder=self.folder)

    def action_write(self) -> None:
        if self.bundle is None:
            return
        path = self._path()

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(path)

        self.app.push_screen(ConfirmWrite(path), answered)

    def _write(self, path: Path) -> None:
        from wslwizard.report import write_bundle

        assert self.bundle is not None
        result = self.query_one("#report-result", Static)
        try:
            self.written = write_bundle(path, self.bundle)
        except OSError as exc:
            result.update(
                Text(
                    _("Could not write {path}: {reason}").format(
                        path=path, reason=exc.strerror or exc
                    ),
                    style="bold",
                )
            )
            return
        result.update(
            Text(
                _(
                    "Written: {path}. Give this file to your helper; they run "
                    "'wslwizard check --replay {name}'."
                ).format(path=self.written, name=self.written.name),
                style="bold",
            )
        )
