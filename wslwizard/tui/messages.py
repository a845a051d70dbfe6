"""Messages that thread workers post; handlers on the screen update widgets.

Events are named for what happened. Each carries a ``generation`` where a
newer check or a newer log source makes older news stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.journal.store import JournalEntry
    from wslwizard.probes.logs import FollowUpdate, LogFollower
    from wslwizard.probes.model import (
        LogSource,
        MachineFacts,
        ModulesFacts,
        ProbeOutcome,
    )
    from wslwizard.remedies.plans import Step
    from wslwizard.runner.execute import StepResult
    from wslwizard.runner.verify import Verification
    from wslwizard.tui.repair_model import RepairSession, StepOutcome


class ProbeProgressed(Message):
    """One probe started, answered, failed or gave no answer in time."""

    def __init__(self, generation: int, outcome: ProbeOutcome) -> None:
        super().__init__()
        self.generation = generation
        self.outcome = outcome


class CheckFinished(Message):
    """Every probe answered or was given up on, and the rules ran; the
    repairs for this diagnosis are ready too (None if building them broke)."""

    def __init__(
        self,
        generation: int,
        facts: MachineFacts,
        diagnosis: Diagnosis,
        repairs: RepairSession | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.facts = facts
        self.diagnosis = diagnosis
        self.repairs = repairs


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


# -- repairs ---------------------------------------------------------------------


class RepairsPrepared(Message):
    """Every plan was built for the current diagnosis, with a runner."""

    def __init__(self, session: RepairSession) -> None:
        super().__init__()
        self.session = session


class RepairsFailed(Message):
    """Building the plans broke (a bug, not the machine)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class StepStarted(Message):
    """The state before a step, looked at just before it runs."""

    def __init__(self, before: str) -> None:
        super().__init__()
        self.before = before


class StepOutput(Message):
    """A line a running command printed (or the command line itself)."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class StepEnded(Message):
    """A step ran, was undone, or was checked; ``outcome`` says how it ended."""

    def __init__(self, outcome: StepOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class ManualStepNoted(Message):
    """The journal holds a pending entry for a step the person does by hand."""

    def __init__(self, step: Step, entry: JournalEntry) -> None:
        super().__init__()
        self.step = step
        self.entry = entry


class DryRunShown(Message):
    def __init__(self, result: StepResult) -> None:
        super().__init__()
        self.result = result


class UnfinishedStepsFound(Message):
    """On start: journal entries of this machine that never finished."""

    def __init__(self, entries: list[JournalEntry]) -> None:
        super().__init__()
        self.entries = entries


class StepResumed(Message):
    """One unfinished step was verified on start."""

    def __init__(self, entry: JournalEntry, verification: Verification) -> None:
        super().__init__()
        self.entry = entry
        self.verification = verification


class JournalRead(Message):
    def __init__(self, entries: list[JournalEntry]) -> None:
        super().__init__()
        self.entries = entries
