"""A host that passes every question to another host and remembers the answers.

Wrapped around the machine while the probes run, it captures exactly what they
read: the parts of files they read, what ``stat`` and folder listings said,
each command with its result, the environment, the platform, the user id, the
processes and the TAP check. :meth:`RecordingHost.capture` turns that into a
:class:`~wslwizard.host.recorded.Scenario`, the recorded-machine format, so
that the same probes on the replay get the same answers. Support bundles are
made this way (``wslwizard/report``); redaction happens there, not here.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from wslwizard.host.base import (
    DEFAULT_READ_LIMIT,
    CommandResult,
    Host,
    PathInfo,
    ProcessInfo,
    TapCheck,
)
from wslwizard.host.recorded import RecordedCommand, RecordedFile, Scenario

#: Children of a listed folder that are looked at (``stat``) so that the
#: replay lists the same names; a folder with more is listed only in part.
MAX_LISTED_CHILDREN = 256

#: The flag a which-only record waits for. Nothing ever sets it, so such a
#: record never answers a command: it only lets ``which()`` find the program.
NOT_RECORDED_FLAG = "not-recorded"

_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")

ContentKind = Literal["whole", "tail", "head", "part", "unread"]


@dataclass(frozen=True)
class ContentNote:
    """How much of a file the recording holds, when it is not all of it."""

    kind: ContentKind
    """``tail``: the end of the file; ``head``: its start; ``part``: a piece
    from the middle; ``unread``: only its existence was checked."""
    size: int | None
    """The file's size on the machine, when known."""


@dataclass(frozen=True)
class UnansweredCommand:
    """A command that could not start for another reason than "not found"
    (the recorded format cannot say why, so the replay says it is not
    recorded)."""

    argv: tuple[str, ...]
    error: str


@dataclass
class Capture:
    """What a :class:`RecordingHost` saw, as a scenario plus what the
    scenario format cannot hold."""

    scenario: Scenario
    notes: dict[str, ContentNote] = field(default_factory=dict)
    """Per recorded path: which part of the file the data is (absent for a
    file recorded whole)."""
    tap_check: TapCheck | None = None
    """The machine's own answer. A replay derives its answer from the files
    instead (``RecordedHost.tap_check``)."""
    unanswered: tuple[UnansweredCommand, ...] = ()
    listings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every folder listing, as the machine gave it."""
    which: dict[str, str | None] = field(default_factory=dict)


@dataclass
class _PathRecord:
    stat: PathInfo | None = None
    stat_known: bool = False
    chunks: dict[int, bytes] = field(default_factory=dict)
    """Offset -> bytes read there."""
    end: int | None = None
    """Where the file ended, seen from a read that came back short."""
    read_error: str | None = None
    """``absent``, ``denied``, ``directory`` or another error name."""
    listing: tuple[str, ...] | None = None
    list_error: str | None = None


def _error_name(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "absent"
    if isinstance(exc, PermissionError):
        return "denied"
    if isinstance(exc, IsADirectoryError):
        return "directory"
    if isinstance(exc, NotADirectoryError):
        return "not-directory"
    return type(exc).__name__


def _merge(chunks: Mapping[int, bytes]) -> list[tuple[int, bytes]]:
    """Overlapping or touching pieces of one file joined into runs."""
    runs: list[tuple[int, bytearray]] = []
    for offset in sorted(chunks):
        data = chunks[offset]
        if runs and offset <= runs[-1][0] + len(runs[-1][1]):
            start, run = runs[-1]
            overlap = start + len(run) - offset
            if overlap < len(data):
                run.extend(data[overlap:])
        else:
            runs.append((offset, bytearray(data)))
    return [(start, bytes(run)) for start, run in runs]


class RecordingHost:
    """A :class:`~wslwizard.host.base.Host` that records another host.

    Thread-safe: the probes run concurrently. Commands are recorded once per
    argv (the first answer). Writes go through to the inner host and make the
    recording forget that path, so a capture never holds stale content.
    """

    def __init__(self, inner: Host) -> None:
        self.inner = inner
        self.label = inner.label
        self.recorded = inner.recorded
        self._lock = threading.Lock()
        self._paths: dict[str, _PathRecord] = {}
        self._commands: dict[tuple[str, ...], CommandResult] = {}
        self._which: dict[str, str | None] = {}
        self._environ: dict[str, str] | None = None
        self._platform: str | None = None
        self._uid: int | None = None
        self._uid_known = False
        self._processes: list[ProcessInfo] | None = None
        self._tap: TapCheck | None = None

    def _record(self, path: str) -> _PathRecord:
        return self._paths.setdefault(path, _PathRecord())

    # -- reading ---------------------------------------------------------

    def read_bytes(self, path: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        try:
            data = self.inner.read_bytes(path, limit)
        except OSError as exc:
            with self._lock:
                self._record(path).read_error = _error_name(exc)
            raise
        with self._lock:
            record = self._record(path)
            if 0 not in record.chunks or len(data) > len(record.chunks[0]):
                record.chunks[0] = data
            if len(data) < limit:
                record.end = len(data)
        return data

    def read_tail(self, path: str, max_bytes: int) -> tuple[bytes, int]:
        try:
            data, size = self.inner.read_tail(path, max_bytes)
        except OSError as exc:
            with self._lock:
                self._record(path).read_error = _error_name(exc)
            raise
        with self._lock:
            record = self._record(path)
            record.chunks[max(0, size - len(data))] = data
            record.end = size
        return data, size

    def read_range(self, path: str, offset: int, length: int) -> bytes:
        try:
            data = self.inner.read_range(path, offset, length)
        except OSError as exc:
            with self._lock:
                self._record(path).read_error = _error_name(exc)
            raise
        with self._lock:
            record = self._record(path)
            known = record.chunks.get(offset)
            if known is None or len(data) > len(known):
                record.chunks[offset] = data
            if len(data) < length:
                record.end = offset + len(data)
        return data

    def stat(self, path: str) -> PathInfo | None:
        info = self.inner.stat(path)
        with self._lock:
            record = self._record(path)
            record.stat, record.stat_known = info, True
        return info

    def list_dir(self, path: str) -> list[str]:
        try:
            names = self.inner.list_dir(path)
        except OSError as exc:
            with self._lock:
                self._record(path).list_error = _error_name(exc)
            raise
        # The replay lists only names it has an entry for, so each child is
        # looked at once here.
        join = ntpath.join if self._is_windows_path(path) else posixpath.join
        for name in names[:MAX_LISTED_CHILDREN]:
            child = join(path, name)
            with self._lock:
                known = self._paths.get(child)
                if known is not None and known.stat_known:
                    continue
            self.stat(child)
        with self._lock:
            self._record(path).listing = tuple(names)
        return names

    def _is_windows_path(self, path: str) -> bool:
        return bool(_WINDOWS_PATH.match(path)) or ("\\" in path and "/" not in path)

    # -- commands --------------------------------------------------------

    def run(
        self,
        argv: Sequence[str],
        timeout: float,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        result = self.inner.run(argv, timeout, input=input, env=env)
        with self._lock:
            self._commands.setdefault(tuple(argv), result)
        return result

    def run_interactive(self, argv: Sequence[str], timeout: float) -> CommandResult:
        result = self.inner.run_interactive(argv, timeout)
        with self._lock:
            self._commands.setdefault(tuple(argv), result)
        return result

    def which(self, name: str) -> str | None:
        found = self.inner.which(name)
        with self._lock:
            self._which.setdefault(name, found)
        return found

    # -- the rest of the machine -----------------------------------------

    def environ(self) -> Mapping[str, str]:
        env = dict(self.inner.environ())
        with self._lock:
            if self._environ is None:
                self._environ = dict(env)
        return env

    def platform(self) -> str:
        value = self.inner.platform()
        with self._lock:
            self._platform = self._platform or value
        return value

    def uid(self) -> int | None:
        value = self.inner.uid()
        with self._lock:
            if not self._uid_known:
                self._uid, self._uid_known = value, True
        return value

    def processes(self) -> list[ProcessInfo]:
        found = self.inner.processes()
        with self._lock:
            if self._processes is None:
                self._processes = list(found)
        return found

    def tap_check(self) -> TapCheck:
        answer = self.inner.tap_check()
        with self._lock:
            self._tap = self._tap or answer
        return answer

    def write_file_atomic(self, path: str, data: bytes, mode: int = 0o644) -> None:
        self.inner.write_file_atomic(path, data, mode)
        with self._lock:
            self._paths.pop(path, None)

    def remove_file(self, path: str) -> None:
        self.inner.remove_file(path)
        with self._lock:
            self._paths.pop(path, None)

    # -- the capture -----------------------------------------------------

    def capture(self, name: str, description: str = "") -> Capture:
        """Everything recorded so far, as a scenario named ``name``."""
        platform = self.platform() if self._platform is None else self._platform
        with self._lock:
            if not self._uid_known:
                self._uid = self.inner.uid()
                self._uid_known = True
            paths = {p: _copy_record(r) for p, r in self._paths.items()}
            commands = dict(self._commands)
            which = dict(self._which)
            environ = dict(self._environ or {})
            processes = list(self._processes or [])
            tap = self._tap

        scenario = Scenario(
            name=name,
            description=description,
            platform=platform,
            uid=self._uid,
            environment=environ,
            processes=processes,
        )
        capture = Capture(scenario=scenario, tap_check=tap, which=which)
        for path, record in sorted(paths.items()):
            entry, note = _file_entry(record)
            if entry is not None:
                scenario.files[path] = entry
            if note is not None:
                capture.notes[path] = note
            if record.listing is not None:
                capture.listings[path] = record.listing
        _drop_implied_folders(scenario.files)

        unanswered: list[UnansweredCommand] = []
        for argv, result in commands.items():
            if result.returncode is None and not (result.timed_out or result.not_found):
                unanswered.append(UnansweredCommand(argv, result.error or ""))
                continue
            scenario.commands.append(
                RecordedCommand(
                    argv=argv,
                    stdout=result.stdout,
                    stderr=result.stderr,
                    exit=result.returncode or 0,
                    hang=result.timed_out,
                    missing=result.not_found,
                )
            )
        capture.unanswered = tuple(unanswered)
        _add_which_only(scenario, which, [u.argv for u in unanswered], capture.notes)
        return capture


def _copy_record(record: _PathRecord) -> _PathRecord:
    return _PathRecord(
        stat=record.stat,
        stat_known=record.stat_known,
        chunks=dict(record.chunks),
        end=record.end,
        read_error=record.read_error,
        listing=record.listing,
        list_error=record.list_error,
    )


def _file_entry(record: _PathRecord) -> tuple[RecordedFile | None, ContentNote | None]:
    """The scenario entry for one path (None: absent), and how much of its
    content the entry holds."""
    info = record.stat
    runs = _merge(record.chunks)
    is_dir = (
        (info is not None and info.kind == "dir")
        or record.read_error == "directory"
        or record.listing is not None
        or record.list_error == "denied"
    )
    if is_dir:
        return (
            RecordedFile(
                kind="dir",
                mode=info.mode if info else 0o755,
                uid=info.uid if info else 0,
                unreadable=record.list_error == "denied",
            ),
            None,
        )
    if info is not None and info.kind in ("char", "socket"):
        return (
            RecordedFile(
                kind=info.kind, mode=info.mode, uid=info.uid, device=info.device
            ),
            None,
        )
    readable_error = record.read_error in (None, "absent", "not-directory")
    if info is None and not runs and (record.stat_known or readable_error):
        return None, None

    data, note = _content(record, runs)
    return (
        RecordedFile(
            data=data,
            mode=info.mode if info else 0o644,
            uid=info.uid if info else 0,
            unreadable=not readable_error,
        ),
        note,
    )


def _content(
    record: _PathRecord, runs: list[tuple[int, bytes]]
) -> tuple[bytes, ContentNote | None]:
    info = record.stat
    end = record.end
    if end is None and info is not None and info.kind == "file":
        end = max([info.size] + [start + len(data) for start, data in runs])
    if not runs:
        return b"", ContentNote("unread", info.size if info else None)
    for start, data in runs:
        if start == 0 and end is not None and len(data) >= end:
            return data[:end], None
    for start, data in runs:
        if end is not None and start + len(data) == end:
            return data, ContentNote("tail", end)
    if runs[0][0] == 0:
        return runs[0][1], ContentNote("head", end)
    longest = max(runs, key=lambda run: len(run[1]))
    return longest[1], ContentNote("part", end)


def _drop_implied_folders(files: dict[str, RecordedFile]) -> None:
    """A folder with recorded paths below it exists anyway; keep explicit
    folder entries only where they say more (empty, unreadable)."""
    for path in [p for p, f in files.items() if f.kind == "dir" and not f.unreadable]:
        sep = "\\" if "\\" in path and "/" not in path else "/"
        prefix = path.rstrip(sep) + sep
        if any(other.startswith(prefix) for other in files if other != path):
            del files[path]


def _add_which_only(
    scenario: Scenario,
    which: Mapping[str, str | None],
    unanswered: Sequence[tuple[str, ...]],
    notes: dict[str, ContentNote],
) -> None:
    """Let the replay's ``which()`` find every program the machine had,
    including those the probes only looked for (``dmesg``) or that could not
    start: a record that never answers, so any call is "not recorded"."""

    def program(name: str) -> str:
        return name.replace("\\", "/").rsplit("/", 1)[-1].lower()

    known = {program(c.argv[0]) for c in scenario.commands if not c.missing}
    wanted = [path for path in which.values() if path]
    wanted += [argv[0] for argv in unanswered if argv]
    for path in wanted:
        if program(path) in known:
            continue
        known.add(program(path))
        scenario.commands.append(
            RecordedCommand(argv=(path,), when=(NOT_RECORDED_FLAG,))
        )
    # A recorded machine finds a program given by a Windows path only as a
    # recorded file on its PATH (it has no "/" to return as it is).
    for path in wanted + [c.argv[0] for c in scenario.commands]:
        if _WINDOWS_PATH.match(path) and path not in scenario.files:
            scenario.files[path] = RecordedFile()
            notes.setdefault(path, ContentNote("unread", None))
