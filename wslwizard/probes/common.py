"""Small readers shared by the probes: files as text, commands as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wslwizard.host.base import CommandResult, Host
from wslwizard.probes.parse.text import decode_output

#: Bound for one external command. wsl.exe and docker are known to hang.
COMMAND_TIMEOUT = 6.0


@dataclass(frozen=True)
class TextRead:
    text: str | None
    error: str | None = None

    @property
    def absent(self) -> bool:
        return self.error == "absent"


def read_text(host: Host, path: str, limit: int = 1 << 20) -> TextRead:
    """A file as text (any encoding), or why it could not be read."""
    try:
        data = host.read_bytes(path, limit)
    except FileNotFoundError:
        return TextRead(None, "absent")
    except PermissionError:
        return TextRead(None, "permission denied")
    except IsADirectoryError:
        return TextRead(None, "is a directory")
    except OSError as exc:
        return TextRead(None, exc.strerror or str(exc))
    return TextRead(decode_output(data).text)


@dataclass(frozen=True)
class CommandText:
    result: CommandResult
    stdout: str
    stderr: str

    @property
    def summary(self) -> str:
        """How the command ended, in a few untranslated words for evidence."""
        result = self.result
        if result.not_found:
            return "not found"
        if result.timed_out:
            return f"no answer within {result.duration:.0f} s"
        if result.returncode is None:
            return result.error or "did not run"
        return f"exit {result.returncode}"


def run_text(
    host: Host,
    argv: Sequence[str],
    timeout: float = COMMAND_TIMEOUT,
    env: dict[str, str] | None = None,
) -> CommandText:
    result = host.run(argv, timeout=timeout, env=env)
    return CommandText(
        result, decode_output(result.stdout).text, decode_output(result.stderr).text
    )


def first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""
