"""A recorded machine: files, commands and environment read from one scenario.

The format is documented in ``docs/scenario-format.md``. A scenario reacts to
commands (``modprobe tun`` adds tun to ``/proc/modules``), so the whole
diagnose-repair-verify path can run without WSL.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import getpass
import logging
import ntpath
import posixpath
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from wslwizard.host.base import (
    DEFAULT_READ_LIMIT,
    CommandLogEntry,
    CommandResult,
    PathInfo,
    PathKind,
    ProcessInfo,
    TapCheck,
)
from wslwizard.i18n import _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "scenarios"

_FILE_KINDS: tuple[PathKind, ...] = ("file", "dir", "char", "symlink", "socket")
_EFFECT_ACTIONS = (
    "write",
    "append",
    "prepend",
    "remove-line",
    "delete",
    "mkdir",
    "char-device",
    "set-flag",
    "clear-flag",
    "chmod",
)

log = logging.getLogger(__name__)


SUDO_MODES = ("none", "nopasswd", "password")
#: Programs every Linux scenario has, emulated on the recorded files when the
#: scenario does not record them: enough for the repair steps to write files.
EMULATED = ("tee", "cp", "mv", "rm", "cat")
#: Writing below these needs root on a recorded machine.
PROTECTED = ("/etc/", "/usr/", "/lib/", "/sys/", "/proc/", "/dev/", "/boot/")
#: A flag that is set while a command runs as root (uid 0 or through sudo),
#: so that scenarios can record different answers with when/unless.
AS_ROOT = "as-root"
_SUDO_PASSWORD_MESSAGE = b"sudo: a password is required\n"


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with the reason in words."""


def _strings(value: object) -> list[str]:
    """The strings of a JSON list; anything else is nothing."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _file_kind(value: object) -> PathKind:
    if value not in _FILE_KINDS:
        raise ValueError(f"not a file kind: {value!r}")
    return value  # type: ignore[return-value]


#: Folders a restart of WSL rebuilds: what changed there does not last.
_VOLATILE_ROOTS = ("/proc", "/sys", "/dev", "/run", "/tmp")


@dataclass
class RecordedFile:
    kind: PathKind = "file"
    data: bytes = b""
    mode: int = 0o644
    uid: int = 0
    device: tuple[int, int] | None = None
    target: str | None = None
    unreadable: bool = False
    inode: int = 0


@dataclass(frozen=True)
class Effect:
    action: str
    path: str = ""
    data: bytes = b""
    mode: int | None = None
    device: tuple[int, int] | None = None
    flag: str = ""


@dataclass(frozen=True)
class RestartRule:
    """What a restart of WSL does to a recorded machine whose flags fit
    (``[[restart]]``): a fixed WSL loads tun at boot, for example."""

    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()

    def fits(self, flags: set[str]) -> bool:
        return all(f in flags for f in self.when) and not any(
            f in flags for f in self.unless
        )


@dataclass(frozen=True)
class RecordedCommand:
    argv: tuple[str, ...]
    stdout: bytes = b""
    stderr: bytes = b""
    exit: int = 0
    delay: float = 0.0
    hang: bool = False
    missing: bool = False
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    effects_on_failure: bool = False
    """Apply the effects even when the exit code is not 0 (a command that
    changes the machine and then dies, like ``wsl --update`` via interop)."""

    def matches(self, argv: Sequence[str], flags: set[str]) -> bool:
        if len(argv) != len(self.argv) or not argv:
            return False
        if not _same_program(self.argv[0], argv[0]):
            return False
        if tuple(argv[1:]) != self.argv[1:]:
            return False
        return all(f in flags for f in self.when) and not any(
            f in flags for f in self.unless
        )


def _program_name(program: str) -> str:
    return PurePosixPath(program.replace("\\", "/")).name.lower()


def _same_program(recorded: str, asked: str) -> bool:
    """``modprobe`` in a scenario answers ``/usr/sbin/modprobe`` too."""
    if "/" in recorded or "\\" in recorded:
        return recorded == asked
    return _program_name(recorded) == _program_name(asked)


def _decode_payload(table: Mapping[str, Any], prefix: str, where: str) -> bytes:
    """Bytes from ``<prefix>`` (text), ``<prefix>_hex`` or ``<prefix>_base64``.

    Text may carry ``<prefix>_encoding`` (for example ``utf-16-le``) and
    ``<prefix>_newline`` (``crlf`` or ``crcrlf``) so that exact wsl.exe output
    stays readable in the scenario.
    """
    text_key = prefix
    if f"{prefix}_hex" in table:
        raw = str(table[f"{prefix}_hex"])
        try:
            return bytes.fromhex("".join(raw.split()))
        except ValueError as exc:
            raise ScenarioError(f"{where}: {prefix}_hex is not hex: {exc}") from exc
    if f"{prefix}_base64" in table:
        try:
            return base64.b64decode("".join(str(table[f"{prefix}_base64"]).split()))
        except (ValueError, binascii.Error) as exc:
            raise ScenarioError(f"{where}: {prefix}_base64: {exc}") from exc
    text = table.get(text_key, "")
    if not isinstance(text, str):
        raise ScenarioError(f"{where}: {prefix} must be a string")
    newline = table.get(f"{prefix}_newline", "lf")
    if newline == "crlf":
        text = text.replace("\n", "\r\n")
    elif newline == "crcrlf":
        text = text.replace("\n", "\r\r\n")
    elif newline != "lf":
        raise ScenarioError(f"{where}: unknown {prefix}_newline {newline!r}")
    encoding = table.get(f"{prefix}_encoding", "utf-8")
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeError) as exc:
        raise ScenarioError(f"{where}: cannot encode {prefix}: {exc}") from exc


def _parse_mode(value: Any, default: int, where: str) -> int:
    if value is None:
        return default
    if isinstance(value, int):
        return value
    try:
        return int(str(value), 8)
    except ValueError as exc:
        raise ScenarioError(f"{where}: mode {value!r} is not octal") from exc


def _parse_device(value: Any, where: str) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
    ):
        return (value[0], value[1])
    raise ScenarioError(f"{where}: device must be [major, minor]")


def _parse_effect(table: Mapping[str, Any], where: str, windows: bool) -> Effect:
    action = table.get("action")
    if action not in _EFFECT_ACTIONS:
        raise ScenarioError(
            f"{where}: effect action must be one of {', '.join(_EFFECT_ACTIONS)}"
        )
    path = str(table.get("path", ""))
    if action not in ("set-flag", "clear-flag") and not path:
        raise ScenarioError(f"{where}: effect {action} needs a path")
    if action in ("set-flag", "clear-flag") and not table.get("flag"):
        raise ScenarioError(f"{where}: effect {action} needs a flag")
    return Effect(
        action=action,
        path=_normalize(path, windows) if path else "",
        data=_decode_payload(table, "text", where),
        mode=_parse_mode(table.get("mode"), 0o600, where) if "mode" in table else None,
        device=_parse_device(table.get("device"), where),
        flag=str(table.get("flag", "")),
    )


def _as_str_tuple(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ScenarioError(f"{where}: {key} must be a list of strings")


def _as_bool(value: Any, where: str, key: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ScenarioError(f"{where}: {key} must be true or false, not {value!r}")


def _as_number(value: Any, kind: type, where: str, key: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{where}: {key} must be a number, not {value!r}")
    if kind is int and not isinstance(value, int):
        raise ScenarioError(f"{where}: {key} must be a whole number, not {value!r}")
    return kind(value)


def _tables(data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    """The ``[[key]]`` entries; a single ``[key]`` table is a common slip."""
    value = data.get(key, [])
    if isinstance(value, dict):
        raise ScenarioError(
            f"{where}: write [[{key}]] (an array of tables), not [{key}]"
        )
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ScenarioError(f"{where}: {key} entries must be [[{key}]] tables")
    return value


@dataclass
class Scenario:
    """The parsed scenario: the starting state of a recorded machine."""

    name: str
    description: str = ""
    platform: str = "linux"
    uid: int | None = 1000
    environment: dict[str, str] = field(default_factory=dict)
    files: dict[str, RecordedFile] = field(default_factory=dict)
    commands: list[RecordedCommand] = field(default_factory=list)
    processes: list[ProcessInfo] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    lasting_flags: frozenset[str] = frozenset()
    """Flags that stand for a change outside the running kernel (an update
    of WSL, a rollback): a restart of WSL keeps them."""
    restart: list[RestartRule] = field(default_factory=list)
    sudo: str = "none"
    """``none`` (no sudo unless recorded), ``nopasswd`` or ``password``."""
    tap_check: TapCheck | None = None
    """What the TAP check answered on the recorded machine, if it was run:
    played back while the machine is unchanged, instead of worked out."""
    source: str = ""


def _parse_tap_check(entry: object, source: str) -> TapCheck | None:
    """The optional ``[tap_check]`` table: a recorded answer to play back."""
    if entry is None:
        return None
    where = f"{source}: [tap_check]"
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where} must be a table")
    ok = _as_bool(entry.get("ok", False), where, "ok")
    errno_name = entry.get("errno")
    if errno_name is not None and not isinstance(errno_name, str):
        raise ScenarioError(f"{where}: errno must be a string such as ENOENT")
    if not ok and not errno_name:
        raise ScenarioError(f"{where}: a failed check needs its errno")
    interface = entry.get("interface")
    return TapCheck(
        attempted=True,
        ok=ok,
        errno_name=None if ok else errno_name,
        message=str(entry.get("message", "")),
        interface=str(interface) if ok and interface else None,
    )


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse scenario TOML text; raise :class:`ScenarioError` with a reason."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from exc

    machine = data.get("machine", {})
    if not isinstance(machine, dict) or not machine.get("name"):
        raise ScenarioError(f"{source}: a [machine] table with a name is required")
    environment = data.get("environment", {})
    if not isinstance(environment, dict):
        raise ScenarioError(f"{source}: [environment] must be a table")
    uid = machine.get("uid", 1000)
    if isinstance(uid, bool) or not isinstance(uid, int):
        raise ScenarioError(
            f"{source}: [machine] uid must be a whole number (-1 for none)"
        )
    scenario = Scenario(
        name=str(machine["name"]),
        description=str(machine.get("description", "")),
        platform=str(machine.get("platform", "linux")),
        uid=uid if uid >= 0 else None,
        environment={str(k): str(v) for k, v in environment.items()},
        flags=set(_as_str_tuple(machine.get("flags"), source, "flags")),
        lasting_flags=frozenset(
            _as_str_tuple(machine.get("lasting_flags"), source, "lasting_flags")
        ),
        sudo=str(machine.get("sudo", "none")),
        source=source,
    )
    if scenario.sudo not in SUDO_MODES:
        raise ScenarioError(
            f"{source}: [machine] sudo must be one of {', '.join(SUDO_MODES)}"
        )
    scenario.tap_check = _parse_tap_check(data.get("tap_check"), source)
    windows = scenario.platform == "win32"

    for index, entry in enumerate(_tables(data, "file", source)):
        where = f"{source}: file #{index + 1}"
        path = entry.get("path")
        if not isinstance(path, str) or not path:
            raise ScenarioError(f"{where}: path is required")
        where = f"{where} ({path})"
        path = _normalize(path, windows)
        if path in scenario.files:
            raise ScenarioError(f"{where}: this path is listed twice")
        kind = entry.get("type", "file")
        if kind not in _FILE_KINDS:
            raise ScenarioError(
                f"{where}: type must be one of {', '.join(_FILE_KINDS)}"
            )
        target = entry.get("target")
        if kind == "symlink" and not (isinstance(target, str) and target):
            raise ScenarioError(f"{where}: a symlink needs a target")
        default_mode = {"dir": 0o755, "char": 0o600, "symlink": 0o777}.get(kind, 0o644)
        scenario.files[path] = RecordedFile(
            kind=kind,
            data=_decode_payload(entry, "text", where),
            mode=_parse_mode(entry.get("mode"), default_mode, where),
            uid=_as_number(entry.get("uid", 0), int, where, "uid"),
            device=_parse_device(entry.get("device"), where),
            target=target if kind == "symlink" else None,
            unreadable=_as_bool(entry.get("unreadable", False), where, "unreadable"),
            inode=_as_number(entry.get("inode", index + 100), int, where, "inode"),
        )
    _check_no_file_below_symlink(scenario.files, windows, source)

    for index, entry in enumerate(_tables(data, "command", source)):
        where = f"{source}: command #{index + 1}"
        argv = _as_str_tuple(entry.get("argv"), where, "argv")
        if not argv:
            raise ScenarioError(f"{where}: argv is required")
        where = f"{where} ({' '.join(argv)})"
        effects = tuple(
            _parse_effect(effect, f"{where} effect #{n + 1}", windows)
            for n, effect in enumerate(_tables(entry, "effect", where))
        )
        scenario.commands.append(
            RecordedCommand(
                argv=argv,
                stdout=_decode_payload(entry, "stdout", where),
                stderr=_decode_payload(entry, "stderr", where),
                exit=_as_number(entry.get("exit", 0), int, where, "exit"),
                delay=_as_number(entry.get("delay", 0.0), float, where, "delay"),
                hang=_as_bool(entry.get("hang", False), where, "hang"),
                missing=_as_bool(entry.get("missing", False), where, "missing"),
                when=_as_str_tuple(entry.get("when"), where, "when"),
                unless=_as_str_tuple(entry.get("unless"), where, "unless"),
                effects=effects,
                effects_on_failure=_as_bool(
                    entry.get("effects_on_failure", False), where, "effects_on_failure"
                ),
            )
        )

    for index, entry in enumerate(_tables(data, "restart", source)):
        where = f"{source}: restart #{index + 1}"
        scenario.restart.append(
            RestartRule(
                when=_as_str_tuple(entry.get("when"), where, "when"),
                unless=_as_str_tuple(entry.get("unless"), where, "unless"),
                effects=tuple(
                    _parse_effect(effect, f"{where} effect #{n + 1}", windows)
                    for n, effect in enumerate(_tables(entry, "effect", where))
                ),
            )
        )

    for index, entry in enumerate(_tables(data, "process", source)):
        where = f"{source}: process #{index + 1}"
        scenario.processes.append(
            ProcessInfo(
                pid=_as_number(entry.get("pid", 0), int, where, "pid"),
                name=str(entry.get("name", "")),
                exe=str(entry.get("exe", "")),
                cmdline=_as_str_tuple(entry.get("cmdline"), where, "cmdline"),
            )
        )
    return scenario


def _normalize(path: str, windows: bool) -> str:
    """One spelling per path: no trailing or doubled separators, and on a
    Windows machine backslashes (``C:/Users`` and ``C:\\Users\\`` are one
    path)."""
    if windows:
        return ntpath.normpath(path.replace("/", "\\"))
    if not path.startswith("/"):
        return path
    return posixpath.normpath(path).replace("//", "/")


def _check_no_file_below_symlink(
    files: Mapping[str, RecordedFile], windows: bool, source: str
) -> None:
    sep = "\\" if windows else "/"
    links = {p for p, f in files.items() if f.kind == "symlink"}
    for path in files:
        for link in links:
            if path.startswith(link.rstrip(sep) + sep):
                raise ScenarioError(
                    f"{source}: {path} is below the symlink {link}; "
                    "record it under the symlink's target instead"
                )


def resolve_scenario_path(name_or_path: str) -> Path:
    """A path as given, or the name of a bundled scenario (with or without
    ``.toml``)."""
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return candidate
    bundled = BUNDLED_DIR / name_or_path
    for path in (bundled, bundled.with_name(bundled.name + ".toml")):
        if path.is_file():
            return path
    raise ScenarioError(
        f"no scenario file or bundled scenario called {name_or_path!r} "
        "('wslwizard scenarios' lists the bundled ones)"
    )


def bundled_scenarios() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.toml"))


def load_scenario(name_or_path: str) -> RecordedHost:
    path = resolve_scenario_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read {path}: {exc}") from exc
    return RecordedHost(parse_scenario(text, source=str(path)))


class RecordedHost:
    """A :class:`~wslwizard.host.base.Host` backed by a scenario.

    It keeps every command it was asked to run in :attr:`command_log`, and
    applies a command's effects when the command succeeds.
    """

    recorded = True

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.label = scenario.name
        self._windows = scenario.platform == "win32"
        self._sep = "\\" if self._windows else "/"
        self._recorded = {
            _normalize(path, self._windows): entry
            for path, entry in scenario.files.items()
        }
        """The files as recorded, by their one spelling: what changes are
        measured against."""
        self._files = {path: replace(entry) for path, entry in self._recorded.items()}
        self._flags = set(scenario.flags)
        self._lock = threading.RLock()
        self.command_log: list[CommandLogEntry] = []
        self.sleep = time.sleep
        self.brought_back = False
        """Set once the runner has put back what earlier runs changed."""
        self.carries_changes = False
        """It starts with what earlier runs changed, not as its file says."""

    # -- reading ---------------------------------------------------------

    def _resolve(self, path: str) -> str | None:
        """``path`` with every symlink in it followed, as ``stat`` does: a
        symlinked folder (``/lib -> usr/lib``) leads to the files under its
        target. None for a loop."""
        sep = self._sep
        paths = ntpath if self._windows else posixpath
        path = _normalize(path, self._windows)
        for _hop in range(40):
            parts = path.split(sep)
            for end in range(1, len(parts) + 1):
                prefix = sep.join(parts[:end]) or sep
                entry = self._files.get(prefix)
                if entry is None or entry.kind != "symlink" or not entry.target:
                    continue
                target = _normalize(entry.target, self._windows)
                if not paths.isabs(target):
                    target = paths.join(paths.dirname(prefix), target)
                path = _normalize(sep.join([target, *parts[end:]]), self._windows)
                break
            else:
                return path
        return None

    def _lookup(self, path: str) -> tuple[str | None, RecordedFile | None]:
        resolved = self._resolve(path)
        if resolved is None:
            return None, None
        return resolved, self._files.get(resolved)

    def _children_prefix(self, path: str) -> str:
        return path if path.endswith(self._sep) else path + self._sep

    def _is_implicit_dir(self, path: str | None) -> bool:
        if path is None:
            return False
        prefix = self._children_prefix(path)
        return any(p.startswith(prefix) for p in self._files)

    def _readable(self, path: str) -> RecordedFile:
        with self._lock:
            resolved, entry = self._lookup(path)
            if entry is None:
                if self._is_implicit_dir(resolved):
                    raise IsADirectoryError(21, "Is a directory", path)
                raise FileNotFoundError(2, "No such file or directory", path)
            if entry.unreadable:
                raise PermissionError(13, "Permission denied", path)
            if entry.kind == "dir":
                raise IsADirectoryError(21, "Is a directory", path)
            return entry

    def read_bytes(self, path: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        return self._readable(path).data[:limit]

    def read_tail(self, path: str, max_bytes: int) -> tuple[bytes, int]:
        data = self._readable(path).data
        return data[max(0, len(data) - max_bytes) :], len(data)

    def read_range(self, path: str, offset: int, length: int) -> bytes:
        return self._readable(path).data[offset : offset + length]

    def stat(self, path: str) -> PathInfo | None:
        with self._lock:
            resolved, entry = self._lookup(path)
            if entry is None:
                if self._is_implicit_dir(resolved):
                    return PathInfo(path=path, kind="dir", mode=0o755)
                return None
            return PathInfo(
                path=path,
                kind=entry.kind,
                size=len(entry.data),
                mode=entry.mode,
                uid=entry.uid,
                inode=entry.inode,
                device=entry.device,
            )

    def list_dir(self, path: str) -> list[str]:
        with self._lock:
            resolved, entry = self._lookup(path)
            if entry is not None and entry.kind != "dir":
                raise NotADirectoryError(20, "Not a directory", path)
            if entry is not None and entry.unreadable:
                raise PermissionError(13, "Permission denied", path)
            names: set[str] = set()
            if resolved is not None:
                prefix = self._children_prefix(resolved)
                names = {
                    p[len(prefix) :].split(self._sep, 1)[0]
                    for p in self._files
                    if p.startswith(prefix) and len(p) > len(prefix)
                }
            if entry is None and not names:
                raise FileNotFoundError(2, "No such file or directory", path)
            return sorted(names)

    # -- commands --------------------------------------------------------

    def _find_command(
        self, argv: Sequence[str], flags: set[str] | None = None
    ) -> RecordedCommand | None:
        for command in self.scenario.commands:
            if command.matches(argv, self._flags if flags is None else flags):
                return command
        return None

    def run(
        self,
        argv: Sequence[str],
        timeout: float,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        args = tuple(argv)
        entry = CommandLogEntry(argv=args, input=input)
        with self._lock:
            self.command_log.append(entry)
        result = self._execute(args, timeout, input, self.scenario.uid == 0, False)
        entry.result = result
        return result

    def run_interactive(self, argv: Sequence[str], timeout: float) -> CommandResult:
        """Like :meth:`run`, for a command given the real terminal. On a
        recorded machine the person at the terminal types the right sudo
        password."""
        args = tuple(argv)
        entry = CommandLogEntry(argv=args, meta={"terminal": "yes"})
        with self._lock:
            self.command_log.append(entry)
        result = self._execute(args, timeout, None, self.scenario.uid == 0, True)
        entry.result = result
        return result

    def _execute(
        self,
        args: tuple[str, ...],
        timeout: float,
        input: bytes | None,
        as_root: bool,
        interactive: bool,
    ) -> CommandResult:
        with self._lock:
            flags = self._flags | {AS_ROOT} if as_root else set(self._flags)
            command = self._find_command(args, flags)
        if command is None and args:
            program = _program_name(args[0])
            if program == "sudo" and self.scenario.sudo != "none":
                return self._sudo(args, timeout, input, interactive)
            if program in EMULATED and self.scenario.platform.startswith("linux"):
                with self._lock:
                    return self._coreutil(args, input, as_root)
        if command is None and args and self.which(args[0]) is None:
            return CommandResult(args, None, not_found=True, error="not found")
        if command is None:
            return CommandResult(
                args, None, error="this command is not in the recorded machine"
            )
        if command.missing:
            return CommandResult(args, None, not_found=True, error="not found")
        if command.hang or command.delay >= timeout:
            self.sleep(timeout)
            return CommandResult(args, None, duration=timeout, timed_out=True)
        if command.delay:
            self.sleep(command.delay)
        with self._lock:
            if command.exit == 0 or command.effects_on_failure:
                for effect in command.effects:
                    self._apply(effect)
        return CommandResult(
            args,
            command.exit,
            stdout=command.stdout,
            stderr=command.stderr,
            duration=command.delay,
        )

    def _sudo(
        self,
        args: tuple[str, ...],
        timeout: float,
        input: bytes | None,
        interactive: bool,
    ) -> CommandResult:
        """sudo's rules: ``-n`` never asks; ``-v`` only validates; a password
        is asked only on a terminal, and then remembered."""
        rest = list(args[1:])
        options = []
        while rest and rest[0].startswith("-"):
            options.append(rest.pop(0))
        allowed = self.scenario.sudo == "nopasswd" or AS_ROOT + "-cached" in self._flags
        if not allowed and interactive and "-n" not in options:
            self._ask_password()
            with self._lock:
                self._flags.add(AS_ROOT + "-cached")
            allowed = True
        if not allowed:
            return CommandResult(args, 1, stderr=_SUDO_PASSWORD_MESSAGE)
        if "-v" in options or not rest:
            return CommandResult(args, 0)
        return self._execute(tuple(rest), timeout, input, True, interactive)

    def _ask_password(self) -> None:
        """On a real terminal, ask as sudo does, so that trying the wizard on
        a recorded machine shows the same moment. Any answer is accepted and
        forgotten at once."""
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return
        user = (
            self.scenario.environment.get("USER")
            or self.scenario.environment.get("LOGNAME")
            or "user"
        )
        print(
            _(
                "(recorded machine {machine}: any password is accepted; nothing is "
                "checked or kept)"
            ).format(machine=self.label),
            flush=True,
        )
        with contextlib.suppress(EOFError, KeyboardInterrupt, OSError):
            # sudo's own prompt, as sudo prints it: not translated.
            getpass.getpass(f"[sudo] password for {user}: ")

    def _coreutil(
        self, args: tuple[str, ...], input: bytes | None, as_root: bool
    ) -> CommandResult:
        program = _program_name(args[0])
        # Operands as the recorded files know them: /lib/x is /usr/lib/x
        # when /lib is a symlink, so writes land where reads look.
        operands = [
            self._resolve(a) or _normalize(a, self._windows)
            for a in args[1:]
            if not a.startswith("-")
        ]

        def denied(path: str) -> CommandResult:
            message = f"{program}: {path}: Permission denied\n".encode()
            return CommandResult(args, 1, stderr=message)

        def missing(path: str) -> CommandResult:
            message = f"{program}: cannot stat '{path}': No such file or directory\n"
            return CommandResult(args, 1, stderr=message.encode())

        def writable(path: str) -> bool:
            return as_root or not path.startswith(PROTECTED)

        if program == "cat":
            out = b""
            for path in operands:
                try:
                    out += self._readable(path).data
                except OSError as exc:
                    err = f"cat: {path}: {exc.strerror}\n".encode()
                    return CommandResult(args, 1, stdout=out, stderr=err)
            return CommandResult(args, 0, stdout=out)
        if program == "tee":
            data = input or b""
            for path in operands:
                if not writable(path):
                    return denied(path)
                current = self._files.get(path)
                mode = current.mode if current else 0o644
                self._files[path] = RecordedFile(data=data, mode=mode)
            return CommandResult(args, 0, stdout=data)
        if program == "rm":
            for path in operands:
                if not writable(path):
                    return denied(path)
                if self._files.pop(path, None) is None and "-f" not in args:
                    return missing(path)
            return CommandResult(args, 0)
        if len(operands) != 2:
            return CommandResult(args, 1, stderr=f"{program}: bad usage\n".encode())
        source, target = operands
        entry = self._files.get(source)
        if entry is None:
            return missing(source)
        if not writable(target) or (program == "mv" and not writable(source)):
            return denied(target)
        self._files[target] = replace(entry)
        if program == "mv":
            del self._files[source]
        return CommandResult(args, 0)

    def _apply(self, effect: Effect) -> None:
        action = effect.action
        path = self._resolve(effect.path) if effect.path else ""
        if path is None:
            return
        if action == "set-flag":
            self._flags.add(effect.flag)
        elif action == "clear-flag":
            self._flags.discard(effect.flag)
        elif action == "write":
            self._files[path] = RecordedFile(
                data=effect.data, mode=effect.mode or 0o644
            )
        elif action in ("append", "prepend"):
            current = self._files.get(path) or RecordedFile()
            data = (
                current.data + effect.data
                if action == "append"
                else effect.data + current.data
            )
            self._files[path] = replace(current, data=data)
        elif action == "remove-line":
            current = self._files.get(path)
            if current is not None:
                lines = current.data.splitlines(keepends=True)
                kept = [
                    ln
                    for ln in lines
                    if ln.rstrip(b"\r\n") != effect.data.rstrip(b"\r\n")
                ]
                self._files[path] = replace(current, data=b"".join(kept))
        elif action == "delete":
            # Like rm -r: a folder goes with everything recorded under it.
            below = self._children_prefix(path)
            for name in [p for p in self._files if p == path or p.startswith(below)]:
                del self._files[name]
        elif action == "mkdir":
            self._files.setdefault(path, RecordedFile(kind="dir", mode=0o755))
        elif action == "char-device":
            if path not in self._files:
                self._files[path] = RecordedFile(
                    kind="char", mode=effect.mode or 0o600, device=effect.device
                )
        elif action == "chmod" and path in self._files:
            self._files[path] = replace(self._files[path], mode=effect.mode or 0o644)

    @property
    def flags(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._flags)

    def commands_run(self) -> list[tuple[str, ...]]:
        """Every argv this machine was asked to run, in order."""
        with self._lock:
            return [entry.argv for entry in self.command_log]

    def which(self, name: str) -> str | None:
        wanted = _program_name(name)
        if wanted == "sudo" and self.scenario.sudo != "none":
            return "/usr/bin/sudo"
        if wanted in EMULATED and self.scenario.platform.startswith("linux"):
            return f"/usr/bin/{wanted}"
        for command in self.scenario.commands:
            program = command.argv[0]
            if _program_name(program) == wanted and not command.missing:
                if "/" in program:
                    return program
                return self._on_path(program) or f"/usr/bin/{program}"
        return None

    def _on_path(self, program: str) -> str | None:
        """Where ``program`` is along the scenario's PATH, when the scenario
        records the file there (``/mnt/c/WINDOWS/system32/wsl.exe``)."""
        separator = ";" if self._windows else ":"
        paths = ntpath if self._windows else posixpath
        for folder in self.scenario.environment.get("PATH", "").split(separator):
            if not folder:
                continue
            candidate = paths.join(folder, program)
            with self._lock:
                _resolved, entry = self._lookup(candidate)
            if entry is not None and entry.kind == "file":
                return candidate
        return None

    # -- the rest of the machine -----------------------------------------

    def environ(self) -> Mapping[str, str]:
        return dict(self.scenario.environment)

    def platform(self) -> str:
        return self.scenario.platform

    def uid(self) -> int | None:
        return self.scenario.uid

    def processes(self) -> list[ProcessInfo]:
        return list(self.scenario.processes)

    # -- kept between runs -----------------------------------------------

    def changes(self) -> dict[str, Any]:
        """Every change made so far (flags set or cleared, files written or
        removed), JSON-ready. A recorded machine starts from its file in
        every process; the runner keeps this in the state folder so that the
        next run finds the machine as the last one left it."""
        with self._lock:
            original = self._recorded
            files = {
                path: {
                    "kind": entry.kind,
                    "mode": entry.mode,
                    "uid": entry.uid,
                    "device": list(entry.device) if entry.device else None,
                    "data": base64.b64encode(entry.data).decode("ascii"),
                    "target": entry.target,
                }
                for path, entry in self._files.items()
                if original.get(path) != entry
            }
            return {
                "set": sorted(self._flags - self.scenario.flags),
                "cleared": sorted(self.scenario.flags - self._flags),
                "files": files,
                "removed": sorted(path for path in original if path not in self._files),
            }

    def restore_changes(self, changes: Mapping[str, Any], restarted: bool) -> None:
        """Put back what :meth:`changes` returned. ``restarted``: WSL has
        restarted since, so only what outlasts a restart comes back (the
        ``lasting_flags``, files outside /proc, /sys, /dev, /run and /tmp) and
        the ``[[restart]]`` rules stand for WSL's boot. Anything malformed is
        skipped."""
        lasting = self.scenario.lasting_flags

        def keep_flag(flag: str) -> bool:
            return not restarted or flag in lasting

        with self._lock:
            if restarted:
                # The kernel starts again from what the recording says.
                self._flags = {
                    f for f in self._flags if f in lasting or f in self.scenario.flags
                }
                for path, entry in self._recorded.items():
                    if self._volatile(path):
                        self._files[path] = replace(entry)
            for flag in _strings(changes.get("set")):
                if keep_flag(flag):
                    self._flags.add(flag)
            for flag in _strings(changes.get("cleared")):
                if keep_flag(flag):
                    self._flags.discard(flag)
            files = changes.get("files")
            for path, entry in (files if isinstance(files, dict) else {}).items():
                if restarted and self._volatile(str(path)):
                    continue
                try:
                    device = entry.get("device")
                    self._files[_normalize(str(path), self._windows)] = RecordedFile(
                        kind=_file_kind(entry.get("kind", "file")),
                        data=base64.b64decode(
                            str(entry.get("data", "")), validate=True
                        ),
                        mode=int(entry.get("mode", 0o644)),
                        uid=int(entry.get("uid", 0)),
                        device=(int(device[0]), int(device[1])) if device else None,
                        target=entry.get("target"),
                    )
                except (
                    AttributeError,
                    TypeError,
                    ValueError,
                    IndexError,
                    binascii.Error,
                ):
                    log.warning("skipping a recorded change to %s", path)
            for path in _strings(changes.get("removed")):
                if not (restarted and self._volatile(path)):
                    self._files.pop(_normalize(path, self._windows), None)
            if restarted:
                for rule in self.scenario.restart:
                    if rule.fits(self._flags):
                        for effect in rule.effects:
                            self._apply(effect)

    def restart_wsl(self) -> None:
        """WSL restarts. A real restart ends every process in WSL, this one
        included; a recorded machine cannot end the wizard, so the restart
        is played on it in place: what outlasts a restart stays and the
        ``[[restart]]`` rules stand for the boot."""
        self.restore_changes(self.changes(), restarted=True)

    def _volatile(self, path: str) -> bool:
        """True for what a restart of WSL rebuilds (the kernel's view, the
        session's runtime files)."""
        if self._windows:
            return False
        return any(
            path == root or path.startswith(root + "/") for root in _VOLATILE_ROOTS
        )

    @property
    def unchanged(self) -> bool:
        """True while no command or write has changed the recorded state."""
        with self._lock:
            return self._flags == self.scenario.flags and self._files == self._recorded

    def tap_check(self) -> TapCheck:
        """The recorded answer while the machine is as recorded; otherwise
        what the kernel would answer, derived from the recorded state.

        No node gives ENOENT (Docker's error); a node a normal user may not
        open gives EACCES; a node without a registered driver gives ENODEV; a
        normal user without CAP_NET_ADMIN gets EPERM.
        """
        if not self.scenario.platform.startswith("linux"):
            return TapCheck(attempted=False, message="not Linux")
        if self.scenario.tap_check is not None and self.unchanged:
            return self.scenario.tap_check
        node = self.stat("/dev/net/tun")
        if node is None:
            return TapCheck(
                attempted=True,
                errno_name="ENOENT",
                message="opening /dev/net/tun: No such file or directory",
            )
        try:
            misc = self.read_bytes("/proc/misc")
        except OSError:
            misc = b""
        registered = any(
            line.split()[:2] == [b"200", b"tun"] for line in misc.splitlines()
        )
        uid = self.scenario.uid
        if uid not in (None, 0):
            # The permission check comes before the driver is asked. Groups
            # are not recorded, so only the owner and "other" bits count.
            bits = node.mode >> 6 if node.uid == uid else node.mode
            if bits & 0o6 != 0o6:
                return TapCheck(
                    attempted=True,
                    errno_name="EACCES",
                    message="opening /dev/net/tun: Permission denied",
                )
        if not registered:
            return TapCheck(
                attempted=True,
                errno_name="ENODEV",
                message="opening /dev/net/tun: No such device",
            )
        if self.scenario.uid != 0:
            return TapCheck(
                attempted=True,
                errno_name="EPERM",
                message="creating a TAP interface: Operation not permitted",
            )
        return TapCheck(attempted=True, ok=True, interface="wslwiz0")

    def write_file_atomic(self, path: str, data: bytes, mode: int = 0o644) -> None:
        with self._lock:
            path = self._resolve(path) or path
            current = self._files.get(path)
            if current is not None and current.unreadable:
                raise PermissionError(13, "Permission denied", path)
            self._files[path] = RecordedFile(data=bytes(data), mode=mode)

    def remove_file(self, path: str) -> None:
        with self._lock:
            path = _normalize(path, self._windows)
            if path not in self._files:
                raise FileNotFoundError(2, "No such file or directory", path)
            del self._files[path]
