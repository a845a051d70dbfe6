"""Read ``/etc/wsl.conf`` (and ``.wslconfig``, which has the same syntax).

Follows WSL's own reader where it matters: section and key names are
case-insensitive, the first assignment of a key counts, double quotes are
removed wherever they appear, ``#`` outside quotes starts a comment,
backslash escapes ``\\"``, ``\\\\``, ``\\n``, ``\\t`` and trailing spaces are
trimmed. A file with CR characters was silently ignored by WSL releases up
to at least 2.3.26, so ``crlf`` is worth a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wslwizard.probes.parse.text import decode_output, strip_ansi_and_controls

_SECTION = re.compile(r"^\s*\[\s*(?P<name>[A-Za-z][A-Za-z0-9._-]*)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9_.-]*)\s*=(?P<value>.*)$")
_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "\\": "\\", '"': '"'}
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


@dataclass(frozen=True)
class WslConf:
    """The settings a wsl.conf file holds, as WSL would read them."""

    sections: dict[str, dict[str, str]] = field(default_factory=dict)
    """Section and key names as written; use :meth:`get` to look them up."""
    crlf: bool = False
    """CR characters are present (Windows line ends)."""
    systemd: bool | None = None
    boot_command: str | None = None
    interop_enabled: bool | None = None
    append_windows_path: bool | None = None
    automount_root: str | None = None

    def get(self, section: str, key: str) -> str | None:
        """A value by case-insensitive section and key; None when absent."""
        wanted_section, wanted_key = section.lower(), key.lower()
        for name, values in self.sections.items():
            if name.lower() != wanted_section:
                continue
            for existing, value in values.items():
                if existing.lower() == wanted_key:
                    return value
        return None

    def get_bool(self, section: str, key: str) -> bool | None:
        """A boolean setting; None when absent or not a boolean WSL accepts."""
        return parse_bool(self.get(section, key))


def parse_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def _value(raw: str) -> str:
    """Remove quotes and comments and resolve escapes, as WSL does."""
    out: list[str] = []
    in_quote = False
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == '"':
            in_quote = not in_quote
        elif char == "\\" and index + 1 < len(raw):
            index += 1
            out.append(_ESCAPES.get(raw[index], raw[index]))
        elif char == "#" and not in_quote:
            break
        else:
            out.append(char)
        index += 1
    return "".join(out).strip(" \t")


def parse_wsl_conf(data: str | bytes | bytearray | memoryview) -> WslConf:
    """Read a wsl.conf; unreadable lines are skipped, never an error."""
    if isinstance(data, str):
        crlf = "\r" in data
        text = decode_output(data).text
    elif isinstance(data, bytes | bytearray | memoryview):
        decoded = decode_output(data)
        text = decoded.text
        crlf = b"\r" in bytes(data)
    else:
        return WslConf()

    sections: dict[str, dict[str, str]] = {}
    canonical: dict[str, str] = {}
    current = ""
    for line in strip_ansi_and_controls(text).split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        section = _SECTION.match(line)
        if section:
            name = section.group("name")
            current = canonical.setdefault(name.lower(), name)
            # A section with every key commented out is still a section.
            sections.setdefault(current, {})
            continue
        pair = _KEY.match(line)
        if not pair:
            continue
        values = sections.setdefault(current, {})
        key = pair.group("key")
        if any(existing.lower() == key.lower() for existing in values):
            continue
        values[key] = _value(pair.group("value"))

    conf = WslConf(sections=sections, crlf=crlf)
    return WslConf(
        sections=sections,
        crlf=crlf,
        systemd=conf.get_bool("boot", "systemd"),
        boot_command=conf.get("boot", "command"),
        interop_enabled=conf.get_bool("interop", "enabled"),
        append_windows_path=conf.get_bool("interop", "appendWindowsPath"),
        automount_root=conf.get("automount", "root"),
    )
