"""Messages that thread workers post; handlers on the screen update widgets.

Events are named for what happened. Each carries a ``generation`` where a
newer check or a newer log source makes older news stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.probes.logs import FollowUpdate, LogFollower
    from wslwizard.probes.model import (
        LogSource,
        MachineFacts,
        ModulesFacts,
        ProbeOutcome,
    )


class ProbeProgressed(Message):
    """One probe started, answered, failed or gave no answer in time."""

    def __init__(self, generation: int, outcome: ProbeOutcome) -> None:
        super().__init__()
        self.generation = generation
        self.outcome = outcome


class CheckFinished(Message):
    """Every probe answered or was given up on, and the rules ran."""

    def __init__(
        self, generation: int, facts: MachineFacts, diagnosis: Diagnosis
    ) -> None:
        super().__init__()
        self.generation = generation
        self.facts = facts
        self.diagnosis = diagnosis


class CheckFailed(Message):
    """The check itself broke (a bug, not a slow machine)."""

    def __init__(self, generation: int, reason: str) -> None:
        super().__init__()
        self.generation = generation
        self.reason = reason


class ModulesChanged(Message):
    """The live refresh saw the driver state change since the last look."""

    def __init__(
        self, generation: int, modules: ModulesFacts, diagnosis: Diagnosis
    ) -> None:
        super().__init__()
        self.generation = generation
        self.modules = modules
        self.diagnosis = diagnosis

    def can_replace(self, message: Message) -> bool:
        """Only the latest driver state matters."""
        return isinstance(message, ModulesChanged)


class LogSourcesFound(Message):
    def __init__(self, generation: int, sources: tuple[LogSource, ...]) -> None:
        super().__init__()
        self.generation = generation
        self.sources = sources


class LogOpened(Message):
    """The tail of a log was read; ``follower`` continues from its end, or is
    None for a source that cannot be followed (the kernel log)."""

    def __init__(
        self,
        generation: int,
        source: LogSource,
        lines: list[str],
        older_unread: bool,
        follower: LogFollower | None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.source = source
        self.lines = lines
        self.older_unread = older_unread
        self.follower = follower
        self.error = error


class LogChanged(Message):
    """Following the log found new lines, a truncation, a rotation, or that
    the file is gone."""

    def __init__(self, generation: int, update: FollowUpdate) -> None:
        super().__init__()
        self.generation = generation
        self.update = update
