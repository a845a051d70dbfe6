"""Panels about the machine: the network driver (kernel modules), and the
versions marked against the known problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from wslwizard.i18n import _
from wslwizard.tui.words import STATUS_MARKS, VERSION_MARKS

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.probes.model import MachineFacts

MODULE_ROWS = ("modules.tun", "modules.tap", "modules.tun.device", "modules.functional")
_STATUS_STYLES = {
    "ok": "status-ok",
    "problem": "status-problem",
    "warning": "status-warning",
    "unknown": "status-unknown",
    "not-applicable": "status-na",
}


class Panel(Vertical, can_focus=True):
    """A bordered panel with a title; focusable, so it can be maximised."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="panel")
        self.border_title = title


class ModulesPanel(Panel):
    """tun and tap, the device node and the module folder; refreshed live.

    A row whose state changed since the check is marked new until the next
    check.
    """

    COMPONENT_CLASSES = {
        "status-ok",
        "status-problem",
        "status-warning",
        "status-unknown",
        "status-na",
        "mark-new",
    }

    def __init__(self) -> None:
        super().__init__(_("Network driver (kernel modules)"), id="modules-panel")
        self._baseline: dict[str, tuple[str, str]] | None = None
        self._shown: Diagnosis | None = None
        self.changed: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Waiting for the checks…")), id="modules-body")
        yield Static(self._usual_note(), id="modules-note", classes="panel-note")

    @staticmethod
    def _usual_note() -> Text:
        return Text(_("Looked at again every second; a change is marked new."))

    def show(self, diagnosis: Diagnosis, live_update: bool = False) -> None:
        # Imported on first use, after the first frame: keeps start-up quick.
        from rich.table import Table

        from wslwizard.diagnosis.summary import area_rows

        self._shown = diagnosis
        rows = {row.id: row for row in area_rows(diagnosis) if row.id in MODULE_ROWS}
        states = {row_id: (row.status, row.detail) for row_id, row in rows.items()}
        if not live_update or self._baseline is None:
            self._baseline = states
            self.changed = set()
            # A new check is the new baseline: "changed since the check" no
            # longer holds.
            self.query_one("#modules-note", Static).update(self._usual_note())
        else:
            self.changed = {
                row_id
                for row_id, state in states.items()
                if self._baseline.get(row_id) != state
            }

        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for row_id in MODULE_ROWS:
            row = rows.get(row_id)
            if row is None:
                continue
            style = self.get_component_rich_style(_STATUS_STYLES[row.status])
            detail = Text(row.detail)
            if row_id in self.changed:
                detail.append(" ")
                detail.append(_("new"), style=self.get_component_rich_style("mark-new"))
            table.add_row(
                Text(STATUS_MARKS[row.status], style=style), Text(row.label), detail
            )

        modules = diagnosis.facts.modules
        if modules is not None and modules.module_dir:
            exists = modules.module_dir_exists
            status = "ok" if exists else ("unknown" if exists is None else "problem")
            if diagnosis.facts.environment and diagnosis.facts.environment.kind in (
                "wsl1",
                "linux",
                "macos",
                "other",
            ):
                status = "ok" if exists else "not-applicable"
            body = self.query_one("#modules-body", Static)
            labels = [r.label for r in rows.values()] + [_("Module folder")]
            room = body.content_region.width - 4 - max(map(cell_len, labels))
            detail = (
                _("{path} (exists)") if exists else _("{path} (does not exist)")
            ).format(path=break_long_word(modules.module_dir, room))
            table.add_row(
                Text(
                    STATUS_MARKS[status],
                    style=self.get_component_rich_style(_STATUS_STYLES[status]),
                ),
                Text(_("Module folder")),
                Text(detail),
            )
        self.query_one("#modules-body", Static).update(table)
        self.set_class(bool(self.changed), "-changed")

    def on_resize(self) -> None:
        # Where the module folder's path breaks depends on the width.
        if self._shown is not None:
            self.show(self._shown, live_update=True)


class VersionsPanel(Panel):
    """Each version, marked good / affected / unknown; ``c`` copies them."""

    COMPONENT_CLASSES = {"mark-good", "mark-affected", "mark-unknown"}

    def __init__(self) -> None:
        super().__init__(_("Versions"), id="versions-panel")
        self._facts: MachineFacts | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Waiting for the checks…")), id="versions-body")
        yield Static(
            Text(_("Press c to copy them as text for a bug report.")),
            id="versions-note",
            classes="panel-note",
        )

    def show(self, facts: MachineFacts) -> None:
        from rich.table import Table

        from wslwizard.diagnosis.summary import version_rows

        self._facts = facts
        words = {"good": _("good"), "affected": _("affected"), "unknown": _("unknown")}
        rows = version_rows(facts)
        marks = [f"{VERSION_MARKS[row.mark]} {words[row.mark]}" for row in rows]
        body = self.query_one("#versions-body", Static)
        room = body.content_region.width - 2
        room -= max((cell_len(row.label) for row in rows), default=0)
        room -= max((cell_len(mark) for mark in marks), default=0)
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        table.add_column(no_wrap=True)
        for row, mark in zip(rows, marks, strict=True):
            style = self.get_component_rich_style(f"mark-{row.mark}")
            value = Text(break_long_word(row.value or _("not known"), room))
            table.add_row(Text(row.label), value, Text(mark, style=style))
        body.update(table)

    def on_resize(self) -> None:
        # Where a long value breaks depends on the width.
        if self._facts is not None:
            self.show(self._facts)


def break_long_word(value: str, width: int) -> str:
    """A value with no spaces (a kernel release, a path) wrapped after a
    hyphen or a slash, not in the middle of a word; unchanged where it fits
    or cannot be broken so."""
    if width <= 0 or " " in value:
        return value
    lines: list[str] = []
    rest = value
    while cell_len(rest) > width:
        cut = max(rest.rfind("-", 0, width), rest.rfind("/", 0, width))
        if cut <= 0:
            break
        lines.append(rest[: cut + 1])
        rest = rest[cut + 1 :]
    lines.append(rest)
    return "\n".join(lines)
