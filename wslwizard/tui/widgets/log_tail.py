"""A scrolling view of a :class:`~wslwizard.tui.log_model.TailBuffer`.

Lines are rendered as plain text (never markup), one row each, through the
line API, so only the rows on screen cost anything. A signature line carries a
``!`` in the gutter as well as a colour, which still reads without colour.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from wslwizard.tui.log_model import TailBuffer, TailLine

GUTTER = 2


class LogTail(ScrollView, can_focus=True):
    """Shows the lines a buffer's filter keeps; follows the end unless the
    reader has scrolled up or jumped to a line."""

    COMPONENT_CLASSES = {
        "log-tail--signature",
        "log-tail--cursor",
        "log-tail--gutter",
    }

    def __init__(
        self,
        buffer: TailBuffer,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.buffer = buffer
        self.cursor: int | None = None
        """Index into ``buffer.visible`` of the line jumped to, if any."""
        self.following = True
        """The view stays at the newest line (until the reader scrolls up or
        jumps to a line)."""
        self._cursor_serial = -1
        self._width = 0

    # -- content -----------------------------------------------------------

    def reload(self) -> None:
        """Everything changed (new source, filter, truncation)."""
        self.cursor = None
        visible = self.buffer.visible
        self._width = max((cell_len(line.shown) for line in visible), default=0)
        self.virtual_size = Size(self._width + GUTTER, len(visible))
        self.following = True
        self._to_end()
        self.refresh()

    def _to_end(self) -> None:
        """To the newest line, now and again once the new size is laid out
        (before that the widget's height, and so the end, is not known)."""
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self.call_after_refresh(self._to_end_if_following)

    def _to_end_if_following(self) -> None:
        if self.following and self.cursor is None:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def on_resize(self) -> None:
        self._to_end_if_following()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value < old_value:
            # The reader scrolled up: stop following until the end again.
            self.following = False
        elif self.is_vertical_scroll_end:
            self.following = True

    def added(self, lines: list[TailLine]) -> None:
        """New lines were appended to the buffer (older ones may have gone)."""
        following = self.cursor is None and (
            self.following or self.is_vertical_scroll_end
        )
        visible = self.buffer.visible
        if lines:
            self._width = max(self._width, *(cell_len(line.shown) for line in lines))
        if self.cursor is not None:
            # The buffer may have dropped lines at the top: find the marked
            # line again by its serial number.
            self.cursor = self.buffer.index_of_serial(self._cursor_serial)
        self.virtual_size = Size(self._width + GUTTER, len(visible))
        if following:
            self.following = True
            self._to_end()
        self.refresh()

    def jump_to(self, index: int | None) -> None:
        """Mark line ``index`` and bring it to the middle of the view."""
        self.cursor = index
        self._cursor_serial = -1
        if index is not None:
            self._cursor_serial = self.buffer.visible[index].serial
            top = max(0, index - self.scrollable_content_region.height // 2)
            self.scroll_to(y=top, animate=False, immediate=True)
        self.refresh()

    # -- rendering ---------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        visible = self.buffer.visible
        if index >= len(visible):
            return Strip.blank(width, base)
        line = visible[index]

        style = base
        if line.is_signature:
            style = style + self.get_component_rich_style("log-tail--signature")
        if index == self.cursor:
            style = style + self.get_component_rich_style("log-tail--cursor")
        mark = "▶" if index == self.cursor else ("!" if line.is_signature else " ")
        gutter_style = style + self.get_component_rich_style("log-tail--gutter")
        gutter = Strip([Segment(mark + " ", gutter_style)], GUTTER)

        # One style per line, so one segment: the text is never parsed as
        # markup, and every segment carries a style (filters such as
        # NO_COLOR's monochrome need one).
        strip = Strip([Segment(line.shown, style)], cell_len(line.shown))
        strip = strip.crop_extend(scroll_x, scroll_x + max(0, width - GUTTER), style)
        return Strip.join([gutter, strip])
