"""The log panel: which log, how many known-problem lines, what happened to
the file, the lines themselves and a filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from wslwizard.i18n import _, ngettext
from wslwizard.tui.log_model import TailBuffer, TailLine
from wslwizard.tui.widgets.log_tail import LogTail
from wslwizard.tui.widgets.machine import Panel

if TYPE_CHECKING:
    from wslwizard.probes.logs import FollowUpdate
    from wslwizard.probes.model import LogSource


class LogPanel(Panel):
    """Shows a :class:`TailBuffer` through a :class:`LogTail`."""

    def __init__(self, buffer: TailBuffer) -> None:
        super().__init__(_("Log"), id="log-panel")
        self.buffer = buffer
        self.source: LogSource | None = None
        self.source_count = 0
        self.notice = ""
        self.read_failed = False
        """The source could not be read when it was opened."""
        self.older_unread = False
        self.followed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="log-path")
        yield Static(Text(_("Waiting for the checks…")), id="log-header")
        yield Static("", id="log-notice")
        yield LogTail(self.buffer, id="log-tail")
        yield Static("", id="log-detail")

    @property
    def tail(self) -> LogTail:
        return self.query_one(LogTail)

    # -- what the screen tells it ---------------------------------------------

    def show_no_source(self, message: str) -> None:
        self.source = None
        self.query_one("#log-path", Static).update("")
        self.buffer.clear()
        self._reload()
        self.query_one("#log-header", Static).update(Text(message))
        self._set_notice("")

    def show_opened(
        self,
        source: LogSource,
        lines: list[str],
        older_unread: bool,
        followed: bool,
        source_count: int,
        error: str | None,
    ) -> None:
        self.source = source
        self.source_count = source_count
        self.older_unread = older_unread
        self.followed = followed
        self.border_title = _("Log: {label}").format(label=source.label)
        self.buffer.clear()
        self.buffer.extend(lines)
        self.read_failed = bool(error)
        self._reload()
        if error:
            self._set_notice(_("Could not read this log: {error}").format(error=error))
        elif not followed:
            self._set_notice(
                _("This log is read once, not followed; press r to read it again.")
            )
        elif older_unread:
            self._set_notice(
                _("Showing the last {count} lines; older lines were not read.").format(
                    count=len(lines)
                )
            )
        else:
            self._set_notice("")
        self._update_header()

    def show_change(self, update: FollowUpdate) -> list[TailLine]:
        """Apply one follow update; returns the new lines the filter keeps."""
        if update.event == "truncated":
            self.buffer.clear()
            self._set_notice(
                _(
                    "The log was emptied (truncated) and is being read again from its "
                    "start."
                )
            )
        elif update.event == "rotated":
            self.buffer.clear()
            self._set_notice(
                _(
                    "The log was replaced by a new file (rotated); showing the new "
                    "file from its start."
                )
            )
        elif update.event == "missing":
            self._set_notice(
                _("The log file is gone for now; the wizard keeps looking for it.")
            )
        added = self.buffer.extend(update.lines)
        if update.event in ("truncated", "rotated"):
            self._reload()
        else:
            self.tail.added(added)
        self._update_header()
        return added

    def _set_notice(self, text: str) -> None:
        self.notice = text
        notice = self.query_one("#log-notice", Static)
        notice.update(Text(text))
        notice.display = bool(text)

    def _update_header(self) -> None:
        if self.source is None:
            return
        hits = self.buffer.hit_count
        if not self.buffer.lines and self.read_failed:
            # Nothing was read: "no line matches" would sound like good news.
            self.query_one("#log-path", Static).update(Text(self.source.path))
            self.query_one("#log-header", Static).update(
                Text(
                    _(
                        "Nothing could be read from this log, so it says nothing "
                        "either way. o picks another."
                    )
                )
            )
            return
        if hits:
            hits_text = ngettext(
                "{count} line matches a known problem (marked !): f first, n next.",
                "{count} lines match known problems (marked !): f first, n next.",
                hits,
            ).format(count=hits)
        else:
            hits_text = _("No line matches a known problem.")
        self.query_one("#log-path", Static).update(Text(self.source.path))
        header = Text(hits_text)
        if self.buffer.filter_text:
            header.append(" ")
            header.append(
                _("Filter: \u201c{text}\u201d ({shown} of {total} lines).").format(
                    text=self.buffer.filter_text,
                    shown=len(self.buffer.visible),
                    total=len(self.buffer.lines),
                )
            )
        if self.source_count > 1:
            header.append(" ")
            others = self.source_count - 1
            header.append(
                ngettext(
                    "o: {count} other log.", "o: {count} other logs.", others
                ).format(count=others)
            )
        self.query_one("#log-header", Static).update(header)

    # -- the reader's actions -------------------------------------------------

    def jump_first(self) -> bool:
        return self._jump(self.buffer.first_signature())

    def jump_next(self) -> bool:
        return self._jump(self.buffer.next_signature(self.tail.cursor))

    def _jump(self, index: int | None) -> bool:
        """Mark the line and show it whole below the log: the part that
        matters is often past the right edge, after a long timestamp."""
        detail = self.query_one("#log-detail", Static)
        if index is None:
            detail.display = False
            self.tail.jump_to(None)
            return False
        line = self.buffer.visible[index]
        text = Text(_("Marked line:") + " ", style="bold")
        # The short form first (time, part, level, message): the message is
        # what a person needs, and it fits in the box; p shows the raw line.
        text.append(line.shown)
        detail.update(text)
        detail.display = True
        self.tail.jump_to(index)
        # The detail takes room from the tail: centre the line again once the
        # new height is known.
        self.call_after_refresh(self.tail.jump_to, index)
        return True

    def _reload(self) -> None:
        self.tail.reload()
        self.query_one("#log-detail", Static).display = False

    def open_filter(self) -> None:
        """Show the filter field, creating it the first time: an input field
        costs start-up time that most visits never use."""
        from textual.widgets import Input

        fields = self.query("#log-filter")
        if fields:
            field = fields.first(Input)
        else:
            field = Input(
                placeholder=_("Show only lines containing… (Enter keeps, Esc clears)"),
                id="log-filter",
            )
            self.mount(field, after=self.tail)
        field.display = True
        field.focus()

    def on_input_changed(self, event: events.Event) -> None:
        event.stop()
        self.apply_filter(event.value)  # type: ignore[attr-defined]

    def on_input_submitted(self, event: events.Event) -> None:
        event.stop()
        self.close_filter(clear=False)

    def on_key(self, event: events.Key) -> None:
        fields = self.query("#log-filter")
        if event.key == "escape" and fields and fields.first().has_focus:
            event.stop()
            self.close_filter(clear=True)

    def apply_filter(self, text: str) -> None:
        self.buffer.set_filter(text)
        self._reload()
        self._update_header()

    def close_filter(self, clear: bool) -> None:
        from textual.widgets import Input

        field = self.query_one("#log-filter", Input)
        if clear:
            field.value = ""
            self.apply_filter("")
        field.display = bool(self.buffer.filter_text)
        self.tail.focus()
