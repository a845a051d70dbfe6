"""Read ``/etc/os-release``.

The file is a list of shell-style ``KEY=value`` assignments; values may be
quoted with double or single quotes and use backslash escapes. Pastes carry
prompts and the ``cat`` command before it, which are simply not assignments.
"""

from __future__ import annotations

import re

from wslwizard.probes.parse.text import text_lines

_ASSIGNMENT = re.compile(r"^\s*(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
_ESCAPED = re.compile(r"\\(.)")


def _unquote(raw: str) -> str:
    """The value as a shell would read it, for the simple forms os-release uses."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return _ESCAPED.sub(r"\1", inner) if value[0] == '"' else inner
    if value and value[0] in "\"'":
        quote = value[0]
        closing = _closing_quote(value, quote)
        if closing is not None:
            # Something glued after the closing quote (the next prompt, when
            # the file does not end in a line break) is not the value.
            inner = value[1:closing]
            return _ESCAPED.sub(r"\1", inner) if quote == '"' else inner
        # An unterminated quote (a cut-off paste): keep what is there.
        return value[1:]
    comment = value.find(" #")
    if comment >= 0:
        value = value[:comment].rstrip()
    return _ESCAPED.sub(r"\1", value)


def _closing_quote(value: str, quote: str) -> int | None:
    """Where the quote that opens ``value`` closes (a backslash escapes a
    double quote), or None."""
    index = 1
    while index < len(value):
        char = value[index]
        if char == "\\" and quote == '"':
            index += 2
            continue
        if char == quote:
            return index
        index += 1
    return None


def parse_os_release(text: str | bytes) -> dict[str, str]:
    """Keys and values of an os-release file; the first assignment of a key
    wins, as in a file that was pasted twice."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return {}
    values: dict[str, str] = {}
    for line in text_lines(text):
        match = _ASSIGNMENT.match(line)
        if match and match.group("key") not in values:
            values[match.group("key")] = _unquote(match.group("value"))
    return values


def is_docker_desktop_distro(values: dict[str, str]) -> bool:
    """Docker Desktop's own distro names itself only by ``PRETTY_NAME``."""
    return values.get("PRETTY_NAME", "").strip() == "Docker Desktop"
