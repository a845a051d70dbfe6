"""The lines a log panel holds: bounded, classified, filterable.

Plain Python, so the rules (which line is a known problem's signature, what
the filter keeps, where "next error" goes) are tested without a screen.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wslwizard.diagnosis.knowledge import Knowledge, Signature

#: Lines kept in memory per panel, whatever the file size.
MAX_LINES = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class TailLine:
    """One line as shown: its text and, for a signature line, whose."""

    serial: int
    """Counts every line since the log was opened; stable while lines scroll
    out of the buffer, so a position survives new lines."""
    text: str
    problem: str | None = None
    display: str = ""
    """The line as shown in a narrow panel: time, component, level and
    message, without the prefixes that make every Docker line look alike."""

    @property
    def shown(self) -> str:
        return self.display or self.text

    @property
    def is_signature(self) -> bool:
        return self.problem is not None


def printable(line: str) -> str:
    """Tabs expanded and control characters shown as a replacement mark, so a
    line cannot move the cursor or change the terminal."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", line.expandtabs(4))


_CLOCK = re.compile(r"(\d{2}:\d{2}:\d{2})")
_LEVEL_MARK = {"debug": "D", "info": "I", "warning": "W", "error": "E", "fatal": "F"}


def compact(line: str) -> str:
    """``[2025-04-04T00:35:22.2Z][backend] [..][init  ][E] FATAL: x`` becomes
    ``00:35:22 init E FATAL: x``; a line without structure stays as it is."""
    from wslwizard.probes.parse.logs import parse_log_line

    parsed = parse_log_line(line)
    if parsed.timestamp is None and parsed.component is None:
        return line
    clock = _CLOCK.search(parsed.timestamp or "")
    component = (parsed.component or "").strip()
    message = parsed.message.strip()
    if component and message.startswith(component):
        # The kernel's "Command line: ..." names itself: say it once.
        component = ""
    parts = [
        clock.group(1) if clock else "",
        component,
        _LEVEL_MARK.get(parsed.level or "", ""),
        message,
    ]
    return " ".join(part for part in parts if part)


def signatures_of(
    knowledge: Knowledge | None = None,
) -> tuple[tuple[str, Signature], ...]:
    """Every known problem's signatures, paired with the problem's id."""
    from wslwizard.diagnosis.knowledge import load_knowledge

    knowledge = knowledge or load_knowledge()
    return tuple(
        (problem.id, signature)
        for problem in knowledge.problems
        for signature in problem.signatures
    )


class TailBuffer:
    """The last :data:`MAX_LINES` lines of one log, with a filter.

    Signature lines are counted as they arrive, including those that later
    scroll out of the buffer, so the count says what was seen.
    """

    def __init__(
        self,
        signatures: Sequence[tuple[str, Signature]] | None = None,
        max_lines: int = MAX_LINES,
    ) -> None:
        self._signatures = None if signatures is None else tuple(signatures)
        self.max_lines = max_lines
        self.lines: deque[TailLine] = deque(maxlen=max_lines)
        self.hits: Counter[str] = Counter()
        self.filter_text = ""
        self._serial = 0
        self._visible: list[TailLine] | None = None

    @property
    def signatures(self) -> tuple[tuple[str, Signature], ...]:
        """The known problems' signatures, loaded when first needed."""
        if self._signatures is None:
            self._signatures = signatures_of()
        return self._signatures

    def _problem_of(self, text: str) -> str | None:
        for problem_id, signature in self.signatures:
            if signature.matches(text):
                return problem_id
        return None

    def clear(self) -> None:
        self.lines.clear()
        self.hits.clear()
        self._visible = None

    def extend(self, texts: Iterable[str]) -> list[TailLine]:
        """Add lines at the end; returns the new lines the filter keeps."""
        added: list[TailLine] = []
        for text in texts:
            self._serial += 1
            shown = printable(text)
            line = TailLine(
                self._serial, shown, self._problem_of(shown), compact(shown)
            )
            if line.problem:
                self.hits[line.problem] += 1
            self.lines.append(line)
            if self._keeps(line):
                added.append(line)
        self._visible = None
        return added

    @property
    def hit_count(self) -> int:
        return sum(self.hits.values())

    def _keeps(self, line: TailLine) -> bool:
        return not self.filter_text or self.filter_text.lower() in line.text.lower()

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self._visible = None

    @property
    def visible(self) -> list[TailLine]:
        """The lines the filter keeps, oldest first."""
        if self._visible is None:
            self._visible = [line for line in self.lines if self._keeps(line)]
        return self._visible

    def first_signature(self) -> int | None:
        """Index in :attr:`visible` of the first signature line."""
        return next(
            (i for i, line in enumerate(self.visible) if line.is_signature), None
        )

    def next_signature(self, after: int | None) -> int | None:
        """Index of the next signature line after ``after``; wraps around to
        the first one, so repeated presses cycle through them."""
        visible = self.visible
        start = -1 if after is None else after
        for index in range(start + 1, len(visible)):
            if visible[index].is_signature:
                return index
        return self.first_signature()

    def index_of_serial(self, serial: int) -> int | None:
        for index, line in enumerate(self.visible):
            if line.serial == serial:
                return index
        return None

    def text(self) -> str:
        """The lines the filter keeps, as one text (for a pager)."""
        return "\n".join(line.text for line in self.visible) + "\n"
