"""Small Rich layouts the repair screens share: labelled rows, lists and
command lines whose wrapped lines keep their indent."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

Cell = str | Text


def labelled(rows: list[tuple[str, Cell]]) -> Table:
    """Labels on the left, values wrapped beside them."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for label, value in rows:
        table.add_row(label, value)
    return table


def bullets(title: str | None, items: list[tuple[str, Cell]]) -> Group | Table:
    """A list (with an optional title) whose wrapped lines keep their indent."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    # A long name (a registry value, a URL) breaks where it must; never "…".
    table.add_column(ratio=1, overflow="fold")
    for mark, item in items:
        table.add_row(" " + mark, item)
    if title is None:
        return table
    return Group(Text(title, style="bold"), table)


def command_block(lines: list[str]) -> Table:
    """Commands exactly as they run, each after a mark; a long one wraps
    under itself, so a continuation never looks like a command of its own."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="dim")
    table.add_column(ratio=1, overflow="fold")
    for line in lines:
        table.add_row(" ›", Text(line, style="bold", overflow="fold"))
    return table
