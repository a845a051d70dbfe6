"""The machine wslwizard is running on."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import stat as stat_module
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence

from wslwizard.host.base import (
    DEFAULT_READ_LIMIT,
    CommandResult,
    PathInfo,
    PathKind,
    ProcessInfo,
    TapCheck,
)

log = logging.getLogger(__name__)

# From <linux/if_tun.h>: _IOW('T', 202, int), and the flags for a TAP device
# without packet information, as Docker's VM init asks for.
_TUNSETIFF = 0x400454CA
_IFF_TAP = 0x0002
_IFF_NO_PI = 0x1000


def _kind_of(mode: int) -> PathKind:
    if stat_module.S_ISREG(mode):
        return "file"
    if stat_module.S_ISDIR(mode):
        return "dir"
    if stat_module.S_ISCHR(mode):
        return "char"
    if stat_module.S_ISBLK(mode):
        return "block"
    if stat_module.S_ISSOCK(mode):
        return "socket"
    if stat_module.S_ISFIFO(mode):
        return "fifo"
    return "other"


class RealHost:
    """Reads and commands on this machine; every command has a timeout."""

    recorded = False

    def __init__(self) -> None:
        self.label = "this machine"

    def read_bytes(self, path: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        with open(path, "rb") as handle:
            return handle.read(limit)

    def read_tail(self, path: str, max_bytes: int) -> tuple[bytes, int]:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            start = max(0, size - max_bytes)
            handle.seek(start)
            return handle.read(max_bytes), size

    def read_range(self, path: str, offset: int, length: int) -> bytes:
        with open(path, "rb") as handle:
            handle.seek(offset)
            return handle.read(length)

    def stat(self, path: str) -> PathInfo | None:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        kind = _kind_of(info.st_mode)
        device = None
        if kind in ("char", "block"):
            device = (os.major(info.st_rdev), os.minor(info.st_rdev))
        return PathInfo(
            path=path,
            kind=kind,
            size=info.st_size,
            mode=stat_module.S_IMODE(info.st_mode),
            uid=info.st_uid,
            inode=info.st_ino,
            mtime=info.st_mtime,
            device=device,
        )

    def list_dir(self, path: str) -> list[str]:
        return sorted(os.listdir(path))

    def run(
        self,
        argv: Sequence[str],
        timeout: float,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        args = tuple(argv)
        full_env = None
        if env:
            full_env = dict(os.environ)
            full_env.update(env)
        started = time.monotonic()
        try:
            completed = subprocess.run(
                list(args),
                input=input,
                stdin=None if input is not None else subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                env=full_env,
                check=False,
            )
        except FileNotFoundError:
            return CommandResult(args, None, not_found=True, error="not found")
        except subprocess.TimeoutExpired as expired:
            log.info("command timed out after %.1fs: %s", timeout, args)
            return CommandResult(
                args,
                None,
                stdout=expired.stdout or b"",
                stderr=expired.stderr or b"",
                duration=time.monotonic() - started,
                timed_out=True,
            )
        except OSError as exc:
            return CommandResult(args, None, error=exc.strerror or str(exc))
        return CommandResult(
            args,
            completed.returncode,
            stdout=completed.stdout,
            stderr=completed.stderr,
            duration=time.monotonic() - started,
        )

    def run_interactive(self, argv: Sequence[str], timeout: float) -> CommandResult:
        """Run with this process's terminal, so that a program such as sudo
        can ask the person for a password. Output goes to the terminal."""
        args = tuple(argv)
        started = time.monotonic()
        try:
            completed = subprocess.run(list(args), timeout=timeout, check=False)
        except FileNotFoundError:
            return CommandResult(args, None, not_found=True, error="not found")
        except subprocess.TimeoutExpired:
            return CommandResult(
                args, None, duration=time.monotonic() - started, timed_out=True
            )
        except OSError as exc:
            return CommandResult(args, None, error=exc.strerror or str(exc))
        return CommandResult(
            args, completed.returncode, duration=time.monotonic() - started
        )

    def which(self, name: str) -> str | None:
        return shutil.which(name)

    def environ(self) -> Mapping[str, str]:
        return dict(os.environ)

    def platform(self) -> str:
        return sys.platform

    def uid(self) -> int | None:
        getuid = getattr(os, "geteuid", None)
        return getuid() if getuid else None

    def processes(self) -> list[ProcessInfo]:
        import psutil

        found: list[ProcessInfo] = []
        for proc in psutil.process_iter(["pid", "name", "exe", "cmdline"]):
            info = proc.info
            found.append(
                ProcessInfo(
                    pid=info.get("pid") or 0,
                    name=info.get("name") or "",
                    exe=info.get("exe") or "",
                    cmdline=tuple(info.get("cmdline") or ()),
                )
            )
        return found

    def tap_check(self) -> TapCheck:
        if not sys.platform.startswith("linux"):
            return TapCheck(attempted=False, message="not Linux")
        import fcntl
        import struct

        try:
            fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
        except OSError as exc:
            return TapCheck(
                attempted=True,
                errno_name=errno.errorcode.get(exc.errno or 0, "EIO"),
                message=f"opening /dev/net/tun: {exc.strerror}",
            )
        try:
            # "wslwiz%d" lets the kernel pick a free name; the interface is not
            # persistent, so it disappears when the descriptor closes.
            request = struct.pack("16sH", b"wslwiz%d", _IFF_TAP | _IFF_NO_PI)
            answer = fcntl.ioctl(fd, _TUNSETIFF, request)
            name = answer[:16].split(b"\0", 1)[0].decode("ascii", "replace")
            return TapCheck(attempted=True, ok=True, interface=name)
        except OSError as exc:
            return TapCheck(
                attempted=True,
                errno_name=errno.errorcode.get(exc.errno or 0, "EIO"),
                message=f"creating a TAP interface: {exc.strerror}",
            )
        finally:
            os.close(fd)

    def write_file_atomic(self, path: str, data: bytes, mode: int = 0o644) -> None:
        folder = os.path.dirname(path) or "."
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".wslwizard-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def remove_file(self, path: str) -> None:
        os.unlink(path)
