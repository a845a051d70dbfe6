"""Write a :class:`~wslwizard.host.recorded.Scenario` as scenario TOML.

The inverse of ``parse_scenario``: the file it writes parses back to the same
files, commands, environment and processes, byte for byte. Text stays
readable where it can (UTF-8 or UTF-16LE text with its line ends named, as in
the hand-written scenarios); anything else is written as hex or base64.

A small writer of our own rather than tomli-w: tomli-w turns ``\\r\\n`` inside
a multi-line string into a bare line break, which changes the bytes a replay
sees, and it cannot write the comments that say what a value is.
"""

from __future__ import annotations

import base64
import re
import textwrap
from collections.abc import Iterable, Mapping

from wslwizard.host.recorded import RecordedCommand, RecordedFile, Scenario
from wslwizard.probes.parse.text import decode_output

WIDTH = 88
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: Shown escaped so that a reader sees them: a byte order mark is invisible.
_INVISIBLE = re.compile("[\ufeff\u200b\u2028\u2029]")
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
#: Text with more control characters than this share (line ends and colour
#: escapes aside) is written as bytes: a log with a few NULs stays readable.
_BINARY_SHARE = 0.1


def _escape_char(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\u{ord(char):04x}"


def basic_string(value: str) -> str:
    """A one-line TOML basic string: ``"..."`` with escapes."""
    out = []
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\t" or not (
            char == "\n" or _CONTROL.match(char) or _INVISIBLE.match(char)
        ):
            out.append(char)
        else:
            out.append(_escape_char(char))
    return '"' + "".join(out) + '"'


def string(value: str) -> str:
    """A one-line TOML string, literal (``'...'``) when that needs no
    escapes, as the hand-written scenarios are."""
    plain = not (_CONTROL.search(value) or _INVISIBLE.search(value))
    if "'" not in value and plain and not set("\n\r") & set(value):
        return f"'{value}'"
    return basic_string(value)


def multiline_string(value: str) -> str:
    """A multi-line TOML string. The line break after the opening quotes is
    not part of the value."""
    literal_ok = (
        "'''" not in value
        and not value.endswith("'")
        and "\r" not in value
        and not _CONTROL.search(value)
        and not _INVISIBLE.search(value)
    )
    if literal_ok:
        return "'''\n" + value + "'''"
    out = []
    for index, char in enumerate(value):
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            # No two unescaped quotes in a row, so never a closing """.
            following = value[index + 1 : index + 2]
            out.append('\\"' if following in ('"', "") else '"')
        elif char in "\n\t":
            out.append(char)
        elif char == "\r" or _CONTROL.match(char) or _INVISIBLE.match(char):
            out.append(_escape_char(char))
        else:
            out.append(char)
    return '"""\n' + "".join(out) + '"""'


def key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else basic_string(name)


def _string_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(string(v) for v in values) + "]"


def payload(prefix: str, data: bytes, as_bytes: bool = False) -> list[str]:
    """``prefix = ...`` lines for some bytes: text with its encoding and line
    ends when the bytes are text, else hex (short) or base64."""
    if not data:
        return []
    if not as_bytes:
        text_lines = _text_payload(prefix, data)
        if text_lines is not None:
            return text_lines
    if len(data) <= 64:
        return [f"{prefix}_hex = '{data.hex()}'"]
    encoded = base64.b64encode(data).decode("ascii")
    wrapped = "\n".join(textwrap.wrap(encoded, 76))
    return [f"{prefix}_base64 = '''\n{wrapped}\n'''"]


def _text_payload(prefix: str, data: bytes) -> list[str] | None:
    encoding = "utf-16-le" if decode_output(data).encoding == "utf-16-le" else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = len(_CONTROL.findall(text.replace("\x1b", "").replace("\r", "")))
    if controls > len(text) * _BINARY_SHARE:
        return None
    newline = "lf"
    lines = text.count("\n")
    if lines and text.count("\r\r\n") == lines:
        newline, text = "crcrlf", text.replace("\r\r\n", "\n")
    elif lines and text.count("\r\n") == lines:
        newline, text = "crlf", text.replace("\r\n", "\n")
    out = [
        f"{prefix} = "
        + (multiline_string(text) if "\n" in text else basic_string(text))
    ]
    if encoding != "utf-8":
        out.append(f"{prefix}_encoding = '{encoding}'")
    if newline != "lf":
        out.append(f"{prefix}_newline = '{newline}'")
    return out


def comment(text: str, width: int = WIDTH) -> list[str]:
    """``# ...`` lines, wrapped; blank input gives a bare ``#``."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, width - 2, break_on_hyphens=False)
        lines.extend("# " + line for line in wrapped or [""])
    return [line.rstrip() for line in lines]


def _file_lines(path: str, entry: RecordedFile, as_bytes: bool) -> list[str]:
    lines = ["[[file]]", f"path = {string(path)}"]
    defaults = {"dir": 0o755, "char": 0o600, "symlink": 0o777}
    if entry.kind != "file":
        lines.append(f"type = '{entry.kind}'")
    if entry.mode != defaults.get(entry.kind, 0o644):
        lines.append(f"mode = '{entry.mode:04o}'")
    if entry.uid:
        lines.append(f"uid = {entry.uid}")
    if entry.device is not None:
        lines.append(f"device = [{entry.device[0]}, {entry.device[1]}]")
    if entry.target:
        lines.append(f"target = {string(entry.target)}")
    if entry.unreadable:
        lines.append("unreadable = true")
    lines += payload("text", entry.data, as_bytes)
    return lines


def _command_lines(command: RecordedCommand, as_bytes: set[str]) -> list[str]:
    lines = ["[[command]]", f"argv = {_string_list(command.argv)}"]
    if command.when:
        lines.append(f"when = {_string_list(command.when)}")
    if command.unless:
        lines.append(f"unless = {_string_list(command.unless)}")
    if command.missing:
        lines.append("missing = true")
    if command.hang:
        lines.append("hang = true")
    if command.exit:
        lines.append(f"exit = {command.exit}")
    lines += payload("stdout", command.stdout, "stdout" in as_bytes)
    lines += payload("stderr", command.stderr, "stderr" in as_bytes)
    return lines


def dump_scenario(
    scenario: Scenario,
    header: str = "",
    file_notes: Mapping[str, str] | None = None,
    command_notes: Mapping[int, str] | None = None,
    files_as_bytes: Iterable[str] = (),
    commands_as_bytes: Mapping[int, set[str]] | None = None,
) -> str:
    """The scenario as TOML text. ``header`` becomes the opening comment;
    the notes become a comment above a file (by path) or a command (by
    index). ``*_as_bytes`` force hex/base64 for payloads whose text form
    would not read back the same."""
    file_notes = file_notes or {}
    command_notes = command_notes or {}
    commands_as_bytes = commands_as_bytes or {}
    forced = set(files_as_bytes)
    blocks: list[list[str]] = []
    if header:
        blocks.append(comment(header))

    machine = ["[machine]", f"name = {string(scenario.name)}"]
    if scenario.description:
        machine.append(f"description = {string(scenario.description)}")
    machine.append(f"platform = {string(scenario.platform)}")
    machine.append(f"uid = {-1 if scenario.uid is None else scenario.uid}")
    if scenario.flags:
        machine.append(f"flags = {_string_list(sorted(scenario.flags))}")
    if scenario.sudo != "none":
        machine.append(f"sudo = {string(scenario.sudo)}")
    blocks.append(machine)

    if scenario.tap_check is not None and scenario.tap_check.attempted:
        check = scenario.tap_check
        tap = ["[tap_check]", f"ok = {'true' if check.ok else 'false'}"]
        if check.errno_name:
            tap.append(f"errno = {string(check.errno_name)}")
        if check.message:
            tap.append(f"message = {string(check.message)}")
        if check.ok and check.interface:
            tap.append(f"interface = {string(check.interface)}")
        blocks.append(tap)

    if scenario.environment:
        env = ["[environment]"]
        env += [
            f"{key(name)} = {string(value)}"
            for name, value in sorted(scenario.environment.items())
        ]
        blocks.append(env)

    for path, entry in scenario.files.items():
        note = comment(file_notes[path]) if path in file_notes else []
        blocks.append(note + _file_lines(path, entry, path in forced))

    for index, command in enumerate(scenario.commands):
        note = comment(command_notes[index]) if index in command_notes else []
        blocks.append(
            note + _command_lines(command, commands_as_bytes.get(index, set()))
        )

    for process in scenario.processes:
        lines = [
            "[[process]]",
            f"pid = {process.pid}",
            f"name = {string(process.name)}",
        ]
        if process.exe:
            lines.append(f"exe = {string(process.exe)}")
        if process.cmdline:
            lines.append(f"cmdline = {_string_list(process.cmdline)}")
        blocks.append(lines)

    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
