"""The journal: one JSON file per applied step, written atomically.

It is written before a step runs (status ``running``, or ``verify-pending``
for a step that restarts WSL and so kills the wizard) and again after it.
On the next start the wizard reads unfinished entries, says what it is
checking, and verifies. Entries also carry the undo of each step.

The journal lives under the platform's state folder; ``WSLWIZARD_STATE_DIR``
moves it (tests, and running several recorded machines side by side).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

EntryStatus = Literal[
    "running",
    "verify-pending",
    "done",
    "failed",
    "verified",
    "verification-failed",
    "undone",
    "cancelled",
]
UNFINISHED: tuple[EntryStatus, ...] = ("running", "verify-pending")
#: Output kept per command in an entry: enough to explain, never unbounded.
MAX_OUTPUT = 8000


def state_dir() -> Path:
    override = os.environ.get("WSLWIZARD_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("wslwizard", appauthor=False))


@dataclass(frozen=True)
class CommandRecord:
    argv: list[str]
    where: str
    returncode: int | None = None
    output: str = ""
    timed_out: bool = False


@dataclass(frozen=True)
class JournalEntry:
    id: str
    remedy: str
    step: str
    title: str
    machine: str
    recorded: bool
    status: EntryStatus
    started_at: float
    finished_at: float | None = None
    commands: list[CommandRecord] = field(default_factory=list)
    undo_note: str = ""
    undo_commands: list[dict[str, Any]] = field(default_factory=list)
    reversible: bool = False
    verify: str = ""
    verification: str = ""
    note: str = ""
    undo_verify: str = ""
    """What must be true once the undo worked (a verification id)."""
    restarts_wsl: bool = False
    """The step stops WSL (an update, a rollback)."""
    until_restart: bool = False
    """What the step did ends when WSL restarts (a driver loaded by hand)."""

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def can_undo(self) -> bool:
        """Something to run undoes it (a backup is reversible but has no undo)."""
        return (
            self.reversible
            and bool(self.undo_commands)
            and self.status
            in (
                "done",
                "verified",
                "verification-failed",
            )
        )


class JournalError(OSError):
    """The journal could not be written; the step must not run."""


class Journal:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = (folder or state_dir()) / "journal"

    def _path(self, entry_id: str) -> Path:
        return self.folder / f"{entry_id}.json"

    def new_id(self, remedy: str, step: str) -> str:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        return f"{stamp}-{remedy}-{step}-{uuid.uuid4().hex[:6]}"

    def write(self, entry: JournalEntry) -> None:
        """Write atomically: a reader sees the old entry or the new one."""
        _write_json(self.folder, self._path(entry.id), asdict(entry))

    # -- recorded machines -----------------------------------------------

    def _recorded_path(self, machine: str) -> Path:
        digest = hashlib.sha256(machine.encode("utf-8", "replace")).hexdigest()[:16]
        return self.folder.parent / "recorded" / f"{digest}.json"

    def save_recorded(
        self, machine: str, changes: dict[str, Any], restart_pending: bool
    ) -> None:
        """Keep what repairs changed on a recorded machine, which otherwise
        starts from its file in every run. ``restart_pending``: the last step
        restarted WSL, so the next run sees the machine after the restart."""
        path = self._recorded_path(machine)
        data = {
            "machine": machine,
            "changes": changes,
            "restart_pending": restart_pending,
            "saved_at": time.time(),
        }
        _write_json(path.parent, path, data)

    def load_recorded(self, machine: str) -> dict[str, Any] | None:
        """What :meth:`save_recorded` kept for this machine; None when there
        is nothing, or it is damaged (logged, never fatal)."""
        path = self._recorded_path(machine)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring the kept state of %s: %s", machine, exc)
            return None
        if not isinstance(data, dict) or data.get("machine") != machine:
            return None
        return data

    def forget_recorded(self, machine: str) -> bool:
        """Forget a recorded machine's changes and journal: it starts from its
        file again. True when there was something to forget."""
        forgot = False
        with contextlib.suppress(FileNotFoundError):
            self._recorded_path(machine).unlink()
            forgot = True
        for entry in self.entries():
            if entry.machine == machine and entry.recorded:
                with contextlib.suppress(FileNotFoundError):
                    self._path(entry.id).unlink()
                    forgot = True
        return forgot

    def update(self, entry: JournalEntry, **changes: Any) -> JournalEntry:
        updated = replace(entry, **changes)
        self.write(updated)
        return updated

    def entries(self) -> list[JournalEntry]:
        """All readable entries, oldest first. A damaged file is skipped and
        logged, never fatal."""
        if not self.folder.is_dir():
            return []
        found: list[JournalEntry] = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                raw["commands"] = [CommandRecord(**c) for c in raw.get("commands", [])]
                found.append(JournalEntry(**raw))
            except (OSError, ValueError, TypeError) as exc:
                log.warning("skipping unreadable journal entry %s: %s", path, exc)
        found.sort(key=lambda e: (e.started_at, e.id))
        return found

    def undoable(self, entry: JournalEntry) -> bool:
        """See :func:`still_undoable`, against this journal."""
        return still_undoable(entry, self.entries())

    def unfinished(self, machine: str | None = None) -> list[JournalEntry]:
        return [
            e
            for e in self.entries()
            if e.unfinished and (machine is None or e.machine == machine)
        ]


def still_undoable(entry: JournalEntry, entries: list[JournalEntry]) -> bool:
    """It can be undone and is still in effect: a driver loaded by hand is
    gone once a later step has restarted WSL, and unloading it then would take
    away the driver WSL loaded itself."""
    if not entry.can_undo:
        return False
    if not entry.until_restart:
        return True
    return not any(
        other.restarts_wsl
        and other.machine == entry.machine
        and other.started_at > entry.started_at
        and other.status not in ("failed", "cancelled", "running")
        for other in entries
    )


def _write_json(folder: Path, path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically into a private folder; JournalError on failure."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        handle, temporary = tempfile.mkstemp(prefix=".entry-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise JournalError(
            exc.errno or 0, f"cannot write the journal in {folder}: {exc}"
        ) from exc


def clip(text: str) -> str:
    if len(text) <= MAX_OUTPUT:
        return text
    return text[: MAX_OUTPUT // 2] + "\n…\n" + text[-MAX_OUTPUT // 2 :]
