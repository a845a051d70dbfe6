"""Small screens: choosing a log, showing text that was copied, and reading a
log full-screen when no pager can be started."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from wslwizard.i18n import _
from wslwizard.probes.model import LogSource
from wslwizard.tui.log_model import TailBuffer
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.log_tail import LogTail


def _size_words(size: int) -> str:
    if size <= 0:
        return ""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


class LogPickerScreen(ModalScreen[LogSource | None]):
    """The other logs that were found, most relevant first."""

    BINDINGS = [Binding("escape", "cancel", _("Back"))]

    def __init__(self, sources: tuple[LogSource, ...], current: LogSource | None):
        super().__init__()
        self.sources = sources
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog"):
            yield Static(Text(_("Choose a log to read"), style="bold"))
            options = []
            for index, source in enumerate(self.sources):
                prompt = Text(source.label, style="bold")
                if self.current is not None and source.path == self.current.path:
                    prompt.append("  ")
                    prompt.append(_("(shown now)"), style="italic")
                prompt.append("\n")
                prompt.append(source.path, style="dim")
                size = _size_words(source.size)
                if size:
                    prompt.append(f"  {size}", style="dim")
                options.append(Option(prompt, id=str(index)))
            yield OptionList(*options, id="picker-list")
            yield Static(
                Text(_("Enter opens the log; Esc goes back.")), classes="dialog-note"
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.sources[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """Text the user may want elsewhere: already on the clipboard if the
    terminal allows it, and selectable here if it does not."""

    BINDINGS = [Binding("escape", "app.pop_screen", _("Back"))]

    def __init__(self, title: str, text: str, note: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="text-dialog", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(self.note), classes="dialog-note")
            yield TextArea(
                self.text,
                read_only=True,
                soft_wrap=True,
                show_cursor=False,
                id="text-view",
            )
            yield Static(Text(_("Esc goes back.")), classes="dialog-note")


class PagerScreen(Screen):
    """The log full-screen, for when the terminal cannot be handed to a pager
    (for example in a browser or under the test driver)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("f", "first", _("First error")),
        Binding("n", "next", _("Next error")),
    ]

    def __init__(self, title: str, lines: list[str], buffer: TailBuffer) -> None:
        super().__init__()
        self.title_text = title
        self.buffer = TailBuffer(buffer.signatures, max_lines=buffer.max_lines)
        self.buffer.extend(lines)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold"), id="pager-title")
        yield LogTail(self.buffer, id="pager-tail")
        yield WizardFooter()

    def on_mount(self) -> None:
        tail = self.query_one(LogTail)
        tail.reload()
        tail.focus()

    def action_first(self) -> None:
        self.query_one(LogTail).jump_to(self.buffer.first_signature())

    def action_next(self) -> None:
        tail = self.query_one(LogTail)
        tail.jump_to(self.buffer.next_signature(tail.cursor))
