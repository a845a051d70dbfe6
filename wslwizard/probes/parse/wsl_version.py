"""Read ``wsl --version`` in any language.

The seven labels are translated into some twenty languages (and older builds
print older translations), so labels are never matched as sentences. What
survives translation and even mojibake is: the fixed order of the lines, the
ASCII product names inside the labels (``WSL``, ``WSLg``, ``MSRDC``,
``Direct3D``, ``DXCore``, ``Windows``), a colon (``:`` or full-width ``：``)
and a version-shaped value. The kernel line is the one without a product
name, between the WSL and WSLg lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wslwizard.probes.parse.text import text_lines

FIELDS = ("wsl", "kernel", "wslg", "msrdc", "direct3d", "dxcore", "windows")
_ORDER = {name: index for index, name in enumerate(FIELDS)}

_VALUE = r"\d+(?:\.\d+)+(?:[-+][0-9A-Za-z][0-9A-Za-z._+\-]*)?"
#: A colon, then a version-shaped value that ends the token. A markdown
#: autolink (``[5.10.102.1](https://...)``), a markdown hard break (``\``) or
#: a JSON-escaped line end (``\r\n``) may wrap the value.
PAIR = re.compile(r"[:\uff1a]\s*\[?(" + _VALUE + r")(?=$|[\s\"'`,;)\]\\])")
_COLON = re.compile(r"[:\uff1a]")
_ESCAPED_BREAK = re.compile(r"\\[rnt]")
_KERNEL_VALUE = re.compile(r"\d+\.\d+\.\d+\S*")

#: Product names checked in this order; a WSLg label also contains "WSL".
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("wslg", re.compile(r"(?<![a-z])wslg(?![a-z])", re.IGNORECASE)),
    ("msrdc", re.compile(r"msrdc", re.IGNORECASE)),
    ("direct3d", re.compile(r"direct\s?3d", re.IGNORECASE)),
    ("dxcore", re.compile(r"dxcore", re.IGNORECASE)),
    ("wsl", re.compile(r"(?<![a-z])wsl(?![a-z0-9])", re.IGNORECASE)),
    ("windows", re.compile(r"(?<![a-z])windows(?![a-z])", re.IGNORECASE)),
)

#: ``Invalid command line option: --version`` in any language: prose, a
#: colon, then only the option that was rejected.
# The message may follow what the caller printed first (Docker Desktop names
# the disk it was mounting: "...docker_data.vhdx: Invalid command line option:
# --mount"), so it is searched for after a line start or a colon.
_OPTION_ERROR = re.compile(
    r"(?:^|[:\uff1a]\s)\s*[^\s:\uff1a\-][^:\uff1a]{2,100}?\s*[:\uff1a]\s*"
    r"(--?[A-Za-z][A-Za-z0-9-]*)\s*$"
)
_INBOX_CONTEXT = re.compile(
    r"microsoft corporation|wsl(?:\.exe)?\s+\[|usage:\s*wsl", re.IGNORECASE
)

#: Blank lines allowed between two lines of one block (PowerShell arrays).
_MAX_BLANK_GAP = 3


@dataclass(frozen=True)
class WslVersion:
    """The component versions ``wsl --version`` printed; None when absent."""

    wsl: str | None = None
    kernel: str | None = None
    """The kernel *package* version (``6.6.75.1-1``), not ``uname -r``."""
    wslg: str | None = None
    msrdc: str | None = None
    direct3d: str | None = None
    dxcore: str | None = None
    windows: str | None = None
    inbox: bool = False
    """The old Windows-component wsl.exe, which does not know ``--version``."""
    lines: tuple[str, ...] = ()
    """The lines the values came from, as evidence."""


@dataclass(frozen=True)
class VersionPair:
    """One ``label: value`` found in a line."""

    line: int
    label: str
    value: str
    product: str | None


@dataclass(frozen=True)
class VersionBlock:
    """Consecutive pairs that read as one ``wsl --version`` output."""

    fields: dict[str, str]
    line_numbers: tuple[int, ...]


def pair_label(text: str) -> str:
    """The label of a value: the text after the last colon before it.

    ``- WSL Version: Kernel version: 5.10.102.1`` (an issue form field filled
    with a pasted line) is a kernel version, not a WSL one. Escaped line
    breaks (``\\r\\n``) are spaces, so ``\\nWSLg`` still names WSLg.
    """
    return _ESCAPED_BREAK.sub(" ", _COLON.split(text)[-1])[-120:]


def label_product(label: str) -> str | None:
    for name, pattern in _TOKENS:
        if pattern.search(label):
            return name
    return None


def find_pairs(lines: list[str]) -> list[VersionPair]:
    """Every ``label: version`` on every line, several per line allowed."""
    pairs: list[VersionPair] = []
    for number, line in enumerate(lines):
        if ":" not in line and "\uff1a" not in line:
            continue
        start = 0
        for match in PAIR.finditer(line):
            label = pair_label(line[start : match.start()])
            pairs.append(
                VersionPair(number, label, match.group(1), label_product(label))
            )
            start = match.end()
    return pairs


def _gap_is_blank(lines: list[str], after: int, before: int) -> bool:
    if before - after - 1 > _MAX_BLANK_GAP:
        return False
    return all(not lines[index].strip() for index in range(after + 1, before))


def find_version_blocks(lines: list[str]) -> list[VersionBlock]:
    """Group pairs into blocks whose fields come in the fixed order."""
    blocks: list[VersionBlock] = []
    fields: dict[str, str] = {}
    numbers: list[int] = []
    last_line = -1

    def close() -> None:
        if fields and ("wsl" in fields or len(fields) >= 2):
            blocks.append(VersionBlock(dict(fields), tuple(dict.fromkeys(numbers))))
        fields.clear()
        numbers.clear()

    for pair in find_pairs(lines):
        field = pair.product
        if field is None and _KERNEL_VALUE.fullmatch(pair.value):
            field = "kernel"
        if field is None:
            close()
            continue
        last_order = max((_ORDER[name] for name in fields), default=-1)
        fits = (
            bool(fields)
            and _ORDER[field] > last_order
            and (pair.line == last_line or _gap_is_blank(lines, last_line, pair.line))
            and (field != "kernel" or last_order <= _ORDER["wsl"])
        )
        if not fits:
            close()
            if (
                field == "kernel"
                and pair.product is None
                and not _followed_by_wslg(lines, pair)
            ):
                last_line = pair.line
                continue
        fields[field] = pair.value
        numbers.append(pair.line)
        last_line = pair.line
    close()
    return blocks


def _followed_by_wslg(lines: list[str], pair: VersionPair) -> bool:
    """A block may start at the kernel line only if the WSLg line follows."""
    for number in range(pair.line + 1, min(len(lines), pair.line + 2 + _MAX_BLANK_GAP)):
        if not lines[number].strip():
            continue
        return any(p.product == "wslg" for p in find_pairs([lines[number]]))
    return False


#: Options only the Store's WSL knows: the in-box wsl.exe of Windows 10
#: refuses them, usage text or not (Docker Desktop's dialog shows the refusal
#: alone).
_STORE_ONLY_OPTIONS = frozenset({"--version", "--mount", "--manage", "--debug-shell"})


def find_inbox_line(lines: list[str]) -> int | None:
    """Where an in-box wsl.exe said it does not know an option (``--version``)."""
    for number, line in enumerate(lines):
        refused = _OPTION_ERROR.search(line)
        if not refused:
            continue
        following = lines[number + 1 : number + 8]
        if refused.group(1) in _STORE_ONLY_OPTIONS or any(
            _INBOX_CONTEXT.search(other) for other in following
        ):
            return number
    return None


_FORM_HEADING = re.compile(
    r"^\s*#{1,4}\s*(?P<name>Windows Version|WSL Version|Kernel Version)\s*$",
    re.IGNORECASE,
)
_ANY_HEADING = re.compile(r"^\s*#{1,4}\s+\S")
_FORM_WSL = re.compile(r"^\s*v?(\d+\.\d+\.\d+(?:\.\d+)?)\s*$")
_FORM_KERNEL = re.compile(r"^\s*(\d+\.\d+\.\d+(?:\.\d+)?(?:-[\w.+-]+)?)\s*$")
_FORM_WINDOWS = re.compile(r"\b(10\.0\.\d{4,5}(?:\.\d+)?)\b")


def find_issue_form(lines: list[str]) -> tuple[dict[str, str], list[int]] | None:
    """WSL's bug report form (``### WSL Version``, then the value on a line
    of its own; also ``### Kernel Version`` and ``### Windows Version``): the
    values the reporter copied from ``wsl --version``, and their line
    numbers. None when no heading has a value in its shape; on its own the
    form is a reading only with the WSL version."""
    fields: dict[str, str] = {}
    numbers: list[int] = []
    for number, line in enumerate(lines):
        heading = _FORM_HEADING.match(line)
        if heading is None:
            continue
        name = heading.group("name").split()[0].lower()
        for index in range(number + 1, min(len(lines), number + 4)):
            value = lines[index]
            if not value.strip():
                continue
            if _ANY_HEADING.match(value):
                break
            pattern = {"wsl": _FORM_WSL, "kernel": _FORM_KERNEL}.get(
                name, _FORM_WINDOWS
            )
            found = pattern.search(value)
            if found and name not in fields:
                fields[name] = found.group(1)
                numbers += [number, index]
            break
    return (fields, numbers) if fields else None


def parse_wsl_version(text: str | bytes) -> WslVersion | None:
    """Read the newest-looking ``wsl --version`` output in ``text``.

    Returns None when there is none. An in-box wsl.exe that does not know
    ``--version`` gives a result with ``inbox=True`` and no versions.
    """
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return None
    lines = text_lines(text)
    blocks = find_version_blocks(lines)
    if blocks:
        best = max(blocks, key=lambda block: len(block.fields))
        fields = dict(best.fields)
        form = find_issue_form(lines)
        if form is not None:
            # A form with "WSL version: 2.3.24.0" pasted under its heading:
            # the form's other headings fill what that block lacks.
            for name, value in form[0].items():
                fields.setdefault(name, value)
        return WslVersion(
            **fields,
            lines=tuple(lines[number].strip() for number in best.line_numbers),
        )
    inbox = find_inbox_line(lines)
    if inbox is not None:
        return WslVersion(inbox=True, lines=(lines[inbox].strip(),))
    form = find_issue_form(lines)
    if form is not None and "wsl" in form[0]:
        fields, numbers = form
        return WslVersion(
            wsl=fields["wsl"],
            kernel=fields.get("kernel"),
            windows=fields.get("windows"),
            lines=tuple(lines[n].strip() for n in numbers),
        )
    return None
