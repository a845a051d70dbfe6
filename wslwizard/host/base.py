"""What every machine answers: the vocabulary shared by real and recorded hosts.

Only the ``host`` package touches a machine. Everything above it asks a
:class:`Host` and gets bytes, path information or command results back, so the
same probes run on this machine, on a recorded scenario and on a support
bundle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

PathKind = Literal["file", "dir", "char", "block", "symlink", "socket", "fifo", "other"]

#: Read at most this much of a file unless the caller asks for more.
DEFAULT_READ_LIMIT = 1 << 20


@dataclass(frozen=True)
class PathInfo:
    """What ``stat`` says about a path (symlinks are followed)."""

    path: str
    kind: PathKind
    size: int = 0
    mode: int = 0o644
    uid: int = 0
    inode: int = 0
    mtime: float = 0.0
    device: tuple[int, int] | None = None
    """Major and minor number of a character or block device."""

    @property
    def permissions(self) -> str:
        """The ``ls -l`` style permission string, for example ``crw-rw-rw-``."""
        first = {"dir": "d", "char": "c", "block": "b", "symlink": "l"}.get(
            self.kind, "-"
        )
        bits = ""
        for shift in (6, 3, 0):
            part = (self.mode >> shift) & 0o7
            bits += ("r" if part & 4 else "-") + ("w" if part & 2 else "-")
            bits += "x" if part & 1 else "-"
        return first + bits


@dataclass(frozen=True)
class CommandResult:
    """The outcome of one command. Never raised: every failure is data."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: bytes = b""
    stderr: bytes = b""
    duration: float = 0.0
    timed_out: bool = False
    not_found: bool = False
    error: str | None = None
    """An operating-system error that stopped the command from starting."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def ran(self) -> bool:
        """True when the program started and finished on its own."""
        return self.returncode is not None and not self.timed_out


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    name: str
    exe: str = ""
    cmdline: tuple[str, ...] = ()


@dataclass(frozen=True)
class TapCheck:
    """The result of doing what Docker's VM init does: open ``/dev/net/tun``
    and ask for a TAP interface on a throwaway name."""

    attempted: bool
    ok: bool = False
    errno_name: str | None = None
    message: str = ""
    interface: str | None = None


@dataclass(frozen=True)
class HostError:
    """A read that failed, described for the evidence list."""

    path: str
    reason: str


@dataclass
class CommandLogEntry:
    """One command a host was asked to run, kept so tests and the journal can
    see exactly what happened."""

    argv: tuple[str, ...]
    input: bytes | None = None
    result: CommandResult | None = None
    meta: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class Host(Protocol):
    """A machine that can be probed. Reads raise ``OSError`` subclasses
    (``FileNotFoundError``, ``PermissionError``, ``IsADirectoryError``)."""

    label: str
    """Short name shown on screen: ``this machine`` or the scenario's name."""

    recorded: bool
    """True for a recorded machine, so presenters can say it is not live."""

    def read_bytes(self, path: str, limit: int = DEFAULT_READ_LIMIT) -> bytes: ...

    def read_tail(self, path: str, max_bytes: int) -> tuple[bytes, int]:
        """The last ``max_bytes`` of a file and the file's size."""
        ...

    def read_range(self, path: str, offset: int, length: int) -> bytes: ...

    def stat(self, path: str) -> PathInfo | None: ...

    def list_dir(self, path: str) -> list[str]: ...

    def run(
        self,
        argv: Sequence[str],
        timeout: float,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult: ...

    def run_interactive(self, argv: Sequence[str], timeout: float) -> CommandResult:
        """Run with the real terminal (for sudo's password prompt)."""
        ...

    def which(self, name: str) -> str | None: ...

    def environ(self) -> Mapping[str, str]: ...

    def platform(self) -> str:
        """``linux``, ``win32``, ``darwin`` or another ``sys.platform`` value."""
        ...

    def uid(self) -> int | None: ...

    def processes(self) -> list[ProcessInfo]: ...

    def tap_check(self) -> TapCheck: ...

    def write_file_atomic(self, path: str, data: bytes, mode: int = 0o644) -> None: ...

    def remove_file(self, path: str) -> None: ...
