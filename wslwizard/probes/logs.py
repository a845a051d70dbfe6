"""Finding and tailing the logs that explain a failed engine start.

Logs are read from the end, in bounded chunks, never whole: Docker Desktop's
logs grow to gigabytes. :class:`LogFollower` polls for new lines and notices
truncation (the size went down) and rotation (the file was replaced).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wslwizard.host.base import Host
from wslwizard.probes.common import run_text
from wslwizard.probes.model import LogExcerpt, LogSource
from wslwizard.probes.parse.text import decode_output

#: Longest line kept; the rest is cut and marked, so one runaway line cannot
#: use the memory meant for a thousand.
MAX_LINE_CHARS = 2000
CHUNK = 64 * 1024
SKIPPED_USERS = {"public", "default", "default user", "all users", "desktop.ini"}

_DOCKER_FILES = (
    ("Docker/log/host/com.docker.backend.exe.log", "Docker Desktop backend", 10),
    ("Docker/log/vm/init.log", "Docker Desktop VM init", 15),
    ("Docker/log/vm/monitor.log", "Docker Desktop VM monitor", 16),
    ("Docker/log/vm/dockerd.log", "Docker engine (dockerd)", 20),
    ("Docker/log.txt", "Docker Desktop (old log.txt)", 40),
)
_RANCHER_FILES = (
    ("rancher-desktop/logs/vm-switch.log", "Rancher Desktop vm-switch", 12),
    ("rancher-desktop/logs/wsl.log", "Rancher Desktop WSL", 25),
    ("rancher-desktop/logs/background.log", "Rancher Desktop background", 30),
)


def _join(base: str, relative: str, windows: bool) -> str:
    if windows:
        return base.rstrip("\\") + "\\" + relative.replace("/", "\\")
    return base.rstrip("/") + "/" + relative


def _local_appdata_dirs(host: Host) -> list[tuple[str, bool]]:
    """Folders that may hold ``AppData\\Local`` for a Windows user."""
    if host.platform() == "win32":
        local = host.environ().get("LOCALAPPDATA")
        return [(local, True)] if local else []
    found: list[tuple[str, bool]] = []
    for mount_root in ("/mnt", "/mnt/host"):
        try:
            drives = host.list_dir(mount_root)
        except OSError:
            continue
        for drive in drives:
            if len(drive) != 1 or not drive.isalpha():
                continue
            users_dir = f"{mount_root}/{drive}/Users"
            try:
                users = host.list_dir(users_dir)
            except OSError:
                continue
            for user in users:
                if user.lower() in SKIPPED_USERS:
                    continue
                found.append((f"{users_dir}/{user}/AppData/Local", False))
    return found


def find_log_sources(host: Host) -> list[LogSource]:
    """Every known log that exists, most relevant first."""
    sources: list[LogSource] = []
    for base, windows in _local_appdata_dirs(host):
        for files, product in ((_DOCKER_FILES, "docker"), (_RANCHER_FILES, "rancher")):
            for relative, label, priority in files:
                path = _join(base, relative, windows)
                info = host.stat(path)
                if info is not None and info.kind == "file":
                    sources.append(
                        LogSource(path, product, label, info.size, priority)  # type: ignore[arg-type]
                    )
    if host.platform().startswith("linux") and host.which("dmesg"):
        sources.append(LogSource("dmesg", "kernel", "Kernel log (dmesg)", 0, 90))
    sources.sort(key=lambda source: (source.priority, -source.size))
    return sources


def _cut(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    return line[:MAX_LINE_CHARS] + f" … [{len(line) - MAX_LINE_CHARS} more characters]"


def split_lines(data: bytes) -> list[str]:
    text = decode_output(data).text
    return [_cut(line) for line in text.split("\n")]


def read_tail_lines(
    host: Host, path: str, max_lines: int = 1000, max_bytes: int = 4 << 20
) -> tuple[list[str], int, bool]:
    """The last ``max_lines`` lines of a file, reading backwards in chunks.

    Returns the lines, the file size, and whether older content was left
    unread. Memory is bounded by ``max_bytes`` whatever the file size.
    """
    info = host.stat(path)
    if info is None:
        raise FileNotFoundError(2, "No such file or directory", path)
    if info.kind != "file":
        raise IsADirectoryError(21, "Not a regular file", path)
    size = info.size
    chunks: list[bytes] = []
    gathered = newlines = 0
    position = size
    # Chunks are joined once at the end: prepending each chunk to the bytes
    # so far copies them again every time (quadratic for a long last line).
    while position > 0 and newlines <= max_lines and gathered < max_bytes:
        step = min(CHUNK, position, max_bytes - gathered)
        position -= step
        chunk = host.read_range(path, position, step)
        chunks.append(chunk)
        gathered += len(chunk)
        newlines += chunk.count(b"\n")
    chunks.reverse()
    collected = b"".join(chunks)
    chunks.clear()
    lines = split_lines(collected)
    if lines and lines[-1] == "":
        lines.pop()
    truncated = position > 0
    if truncated and len(lines) > 1:
        lines = lines[1:]  # the first line was cut by the chunk boundary
    return lines[-max_lines:], size, truncated or len(lines) > max_lines


def read_excerpt(host: Host, source: LogSource, max_lines: int = 400) -> LogExcerpt:
    if source.product == "kernel":
        answer = run_text(host, ["dmesg"], timeout=4.0)
        if not answer.result.ok:
            message = (answer.stderr or answer.summary).strip().splitlines()
            return LogExcerpt(source, (), error=message[0] if message else "failed")
        lines = [_cut(line) for line in answer.stdout.splitlines()]
        return LogExcerpt(source, tuple(lines[-max_lines:]), len(lines) > max_lines)
    try:
        lines, _size, truncated = read_tail_lines(host, source.path, max_lines)
    except OSError as exc:
        return LogExcerpt(source, (), error=exc.strerror or str(exc))
    return LogExcerpt(source, tuple(lines), truncated)


FollowEvent = Literal["lines", "truncated", "rotated", "missing", "unchanged"]


@dataclass(frozen=True)
class FollowUpdate:
    event: FollowEvent
    lines: tuple[str, ...] = ()
    size: int = 0


class LogFollower:
    """Polls one file for appended lines, like ``tail -F``.

    Holds only an offset, the inode and a partial last line, so memory stays
    flat however long it follows.
    """

    def __init__(self, host: Host, path: str, max_lines_per_poll: int = 2000) -> None:
        self.host = host
        self.path = path
        self.max_lines_per_poll = max_lines_per_poll
        self.offset = 0
        self.inode: int | None = None
        self._partial = b""

    def start(self, max_lines: int = 1000) -> tuple[list[str], bool]:
        """Read the tail and remember where it ends."""
        info = self.host.stat(self.path)
        lines, size, truncated = read_tail_lines(self.host, self.path, max_lines)
        self.offset = size
        self.inode = info.inode if info else None
        self._partial = b""
        return lines, truncated

    def poll(self) -> FollowUpdate:
        info = self.host.stat(self.path)
        if info is None or info.kind != "file":
            return FollowUpdate("missing")
        if self.inode is not None and info.inode != self.inode:
            self.inode = info.inode
            self.offset = 0
            self._partial = b""
            lines = self._read_new(info.size)
            return FollowUpdate("rotated", tuple(lines), info.size)
        if info.size < self.offset:
            self.offset = 0
            self._partial = b""
            lines = self._read_new(info.size)
            return FollowUpdate("truncated", tuple(lines), info.size)
        if info.size == self.offset:
            return FollowUpdate("unchanged", size=info.size)
        return FollowUpdate("lines", tuple(self._read_new(info.size)), info.size)

    def _read_new(self, size: int) -> list[str]:
        budget = CHUNK * 16
        start = max(self.offset, size - budget)
        data = self._partial + self.host.read_range(self.path, start, size - start)
        self.offset = size
        complete, _, rest = data.rpartition(b"\n")
        self._partial = rest[-MAX_LINE_CHARS * 4 :]
        if not complete and not _:
            return []
        return split_lines(complete)[-self.max_lines_per_poll :]
