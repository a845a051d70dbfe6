"""Editing ``/etc/wsl.conf`` without losing anything the user wrote.

Every other line and comment is kept as it was. Line ends become LF, because
WSL silently ignores a wsl.conf with CRLF line ends.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(?:[#;].*)?$")
_COMMAND = re.compile(r"^(\s*command\s*=\s*)(.*?)\s*$", re.IGNORECASE)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def add_boot_command(original: bytes, command: str) -> bytes:
    """Return ``original`` with ``command`` run at distro start.

    If ``[boot] command`` already runs something, the new command is added
    after it with ``;``; if it already contains the command, nothing changes
    but the line ends.
    """
    text = original.decode("utf-8", "surrogateescape")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    boot_start = None
    boot_end = len(lines)
    for index, line in enumerate(lines):
        match = _SECTION.match(line)
        if not match:
            continue
        if boot_start is not None:
            boot_end = index
            break
        if match.group(1).strip().lower() == "boot":
            boot_start = index

    if boot_start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += ["[boot]", f"command = {command}"]
    else:
        for index in range(boot_start + 1, boot_end):
            match = _COMMAND.match(lines[index])
            if match and not lines[index].lstrip().startswith(("#", ";")):
                existing = _unquote(match.group(2).strip())
                if command in existing:
                    break
                joined = f"{existing}; {command}" if existing else command
                lines[index] = f'{match.group(1)}"{joined}"'
                break
        else:
            lines.insert(boot_start + 1, f"command = {command}")

    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
