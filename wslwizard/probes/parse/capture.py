"""Tell what a pasted or saved capture holds, for ``wslwizard inspect``.

Users paste several outputs at once: ``wsl --status`` then ``wsl --version``,
``wsl --version`` then ``wsl uname -a``, a log with a ``wsl --version``
embedded in an error. A capture is first cut at prompts and typed commands;
each piece is then offered to every reader, and each reader claims the lines
it understands. Lines nobody claims stay with the part before them, so a
reader's result always comes from a whole, contiguous part. Log lines are
recognised by shape and never claimed for another kind, so a ``Kernel
version:`` quoted inside a Docker log stays part of the log.

This module only reports facts; matching them to known problems happens in
``wslwizard.diagnosis``.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from wslwizard.probes.parse.docker_version import docker_line_numbers
from wslwizard.probes.parse.docker_version import parse_docker_version as _docker
from wslwizard.probes.parse.kernel import kernel_line_numbers, read_kernel
from wslwizard.probes.parse.logs import DMESG_STAMP, LogLine, parse_log_line
from wslwizard.probes.parse.modules import (
    parse_dmesg,
    parse_lsmod,
    parse_modprobe_output,
    parse_proc_misc,
    parse_proc_modules,
)
from wslwizard.probes.parse.os_release import is_docker_desktop_distro, parse_os_release
from wslwizard.probes.parse.text import decode_output, prepare_text
from wslwizard.probes.parse.wsl_conf import parse_wsl_conf
from wslwizard.probes.parse.wsl_list import (
    find_error_codes,
    list_line_numbers,
    parse_wsl_list,
)
from wslwizard.probes.parse.wsl_status import parse_wsl_status, status_line_numbers
from wslwizard.probes.parse.wsl_version import (
    FIELDS,
    find_inbox_line,
    find_issue_form,
    find_version_blocks,
    parse_wsl_version,
)

KINDS = (
    "wsl-version",
    "wsl-list",
    "wsl-status",
    "kernel",
    "modules",
    "os-release",
    "wsl-conf",
    "docker-version",
    "log",
    "unknown",
)
#: When two readers claim the same line, the earlier kind keeps it.
_PRIORITY = {kind: index for index, kind in enumerate(KINDS)}
_MAX_ERRORS = 20
_MAX_LINES = 200_000

_COMMAND_WORDS = (
    r"(?:sudo\s+)?(?:wsl(?:\.exe)?|wslinfo|uname|lsmod|modprobe|insmod|depmod|dmesg"
    r"|cat|ls|ll|stat|findmnt|docker(?:\.exe)?|podman|ver|type|Get-Content|gc|grep|zgrep"
    r"|zcat|tail"
    r"|head|journalctl|systemctl)(?=\s|$)"
)
_PROMPTS = (
    # PowerShell, also with a conda environment in front: ``(base) PS C:\>``.
    re.compile(r"^\s*(?:\([\w.-]{1,40}\)\s*)?PS\s+[^>\n]{0,200}>\s?(?P<command>.*)$"),
    re.compile(r"^\s*[A-Za-z]:\\[^>\n]{0,200}>\s?(?P<command>.*)$"),
    re.compile(
        r"^\s*(?:\([^)\n]{0,40}\)\s*)?[\w.-]{1,64}@[\w.-]{1,64}:[^\s$#]{0,200}"
        r"[$#]\s?(?P<command>.*)$"
    ),
    re.compile(r"^\s*[\w.-]{1,64}:[/~][^\s$#]{0,200}\s?[$#]\s?(?P<command>.*)$"),
    # A path alone before the prompt sign (``~ $``, ``/mnt/c $``) and cmder's
    # lambda: only before a command this tool knows.
    re.compile(
        r"^\s*[~/][^\s$#]{0,200}\s*[$#]\s*(?P<command>" + _COMMAND_WORDS + r".*)$"
    ),
    re.compile(r"^\s*λ\s+(?P<command>" + _COMMAND_WORDS + r".*)$"),
    # Red Hat style ``[root@host dir]# cat ...``: only before a known command,
    # so a log line's ``[time]`` never reads as a prompt.
    re.compile(
        r"^\s*\[[\w.-]{1,64}@[^\]\n]{1,120}\]\s?[$#]\s*(?P<command>"
        + _COMMAND_WORDS
        + r".*)$"
    ),
)
#: ``$``, ``#`` and ``>`` alone start a command only before a known command,
#: so a ``# comment`` in a wsl.conf is not a prompt.
_SHORT_PROMPT = re.compile(r"^\s*[$#>]\s*(?P<command>" + _COMMAND_WORDS + r".*)?$")
_TYPED = re.compile(r"^\s?`?(?P<command>" + _COMMAND_WORDS + r".*)$")

_LOG_FORMATS_STRUCTURED = frozenset(
    {
        "docker-backend",
        "docker-legacy",
        "diagnose",
        "logrus",
        "rancher",
        "golog",
        "json",
    }
)
_ERRORISH = re.compile(
    r"\b(?:error|failed|fatal|exception|cannot|can't|could not|unable to"
    r"|no such file or directory|exited with code|exit (?:code|status))\b",
    re.IGNORECASE,
)
#: Markdown code fences around a paste (```text ... ```) separate, nothing more.
_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})[\w+-]*\s*$")
_DMESG_LINE = re.compile(r"^\s*(?:<\d+>)?" + DMESG_STAMP)
_OS_RELEASE_LINE = re.compile(r"^\s*[A-Z][A-Z0-9_]*=")
_OS_RELEASE_KEYS = re.compile(r"^\s*(?:NAME|ID|PRETTY_NAME|VERSION_ID|ID_LIKE)=")
#: The sections of wsl.conf and .wslconfig.
_CONF_SECTIONS = (
    r"\[\s*(?:boot|automount|network|interop|user|gpu|time|wsl2|experimental"
    r"|filesystem)\s*\]\s*$"
)
_CONF_SECTION = re.compile(r"^\s*" + _CONF_SECTIONS, re.IGNORECASE)
# A section header commented out (``# [boot]``): the keys below it are still
# wsl.conf lines, though they belong to no section.
_CONF_SECTION_COMMENTED = re.compile(r"^\s*[#;]\s*" + _CONF_SECTIONS, re.IGNORECASE)
_KEY_LINE = re.compile(r"^\s*[A-Za-z][\w.-]*\s*=")
_CONF_LINE = re.compile(r"^\s*(?:[A-Za-z][\w.-]*\s*=.*|[#;].*|\[[^\]]+\]\s*)$")
_LSMOD_HEADER = re.compile(r"^\s*Module\s+Size\s+Used\s+by\s*$")
_LSMOD_ROW = re.compile(r"^\s*[A-Za-z0-9_-]+\s+\d+\s+-?\d+(?:\s+\S.*)?$")
_PROC_MODULES_ROW = re.compile(
    r"^[\w-]+\s+\d+\s+(?:-?\d+|-)\s+\S+\s+(?:Live|Loading|Unloading)"
)
_MISC_ROW = re.compile(r"^\s*\d{1,9}\s+[\w./-]+\s*$")

_VERSION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("docker_desktop", re.compile(r"Docker-Desktop/(\d+\.\d+\.\d+)")),
    (
        "docker_desktop",
        re.compile(
            r"Docker Desktop(?: for (?:Windows|Mac))?(?:\s+version)?(?:\s*[-:])?"
            r"\s+v?(\d+\.\d+\.\d+(?:\.\d+)?)",
            re.IGNORECASE,
        ),
    ),
    # "Rancher Desktop 1.8.1", "Rancher Desktop version - 1.8.1"
    (
        "rancher_desktop",
        re.compile(
            r"Rancher Desktop(?:\s+version)?(?:\s*[-:])?\s+v?(\d+\.\d+\.\d+)",
            re.IGNORECASE,
        ),
    ),
    ("wsl", re.compile(r"\bWSL[ -]?version:?\s*(\d+\.\d+\.\d+(?:\.\d+)?)", re.I)),
    # WSL's issue form: "### Kernel Version" and on a later line "6.6.87.2-1".
    (
        "kernel",
        re.compile(
            r"\bKernel[ -]?version:?\s*(\d+\.\d+\.\d+(?:\.\d+)?(?:-[\w.+-]+)?)",
            re.I,
        ),
    ),
    (
        "kernel_release",
        re.compile(r"\b(\d+\.\d+\.\d+(?:\.\d+)?-microsoft-standard(?:-WSL2)?\+?)"),
    ),
)
#: Docker for Windows' old log head: ``Version: 17.03.0-ce-win1 (10296)``.
_LEGACY_VERSION = re.compile(
    r"^Version:\s*(\d+\.\d+\.\d+(?:\.\d+)?)(?:-[\w.-]+)?\s*\((\d+)\)\s*$"
)
_LEGACY_BUILD = re.compile(r"^Build:\s*(\d{4,6})\s*$")
#: ``exit status 0xffffffff``, ``exit code: -1``, ``exited with code 1``; the
#: hexadecimal form first, or its leading 0 would be read as the code.
_EXIT_CODE = re.compile(
    r"exit(?:ed with)? (?:code|status)\s*:?\s*(0x[0-9a-fA-F]{1,8}|-?\d{1,12})\b",
    re.IGNORECASE,
)
#: Markdown quotes (``> ``) in front of a pasted output.
_QUOTE = re.compile(r"^\s{0,3}>\s?")
#: HTML a paste was wrapped in (``<pre><code>``, ``<br>``): never output.
_HTML_TAG = re.compile(
    r"</?(?:pre|code|br|p|div|span|details|summary|kbd|samp|tt|b|strong|em)\b[^<>]{0,200}>",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(
    r"&(?:gt|lt|amp|quot|apos|nbsp|#\d{1,6}|#x[0-9a-f]{1,6});", re.I
)
_BOLD_LINE = re.compile(r"^(?P<indent>\s*)\*\*(?P<inner>[^*\n]+)\*\*\s*$")
#: ``nl`` or an editor's line numbers in front of every line.
_LINE_NUMBER = re.compile(r"^\s{0,6}(\d{1,5})(?:\t|\s{2,}|\s?[|:]\s)")


@dataclass(frozen=True)
class CapturePart:
    """One recognised piece of a capture."""

    kind: str
    """One of :data:`KINDS`."""
    text: str
    facts: dict[str, Any]
    """JSON-serialisable facts; the keys depend on ``kind``."""


@dataclass
class _Segment:
    command: str | None
    lines: list[str]


@dataclass
class _Piece:
    kind: str
    lines: list[str]
    allow_bare: bool = True
    hint: str | None = None
    typed: bool = False
    """It starts at a prompt line: the output of a command of its own."""


def _command_of(line: str) -> str | None:
    """The command typed on a prompt line ('' for a bare prompt), else None."""
    for prompt in _PROMPTS:
        match = prompt.match(line)
        if match:
            return match.group("command").strip()
    short = _SHORT_PROMPT.match(line)
    if short:
        return (short.group("command") or "").strip()
    typed = _TYPED.match(line)
    if typed:
        return typed.group("command").strip().strip("`")
    return None


def _hint(command: str | None) -> str | None:
    """Which kind of output a typed command produces."""
    words = (command or "").lower().replace("`", " ").split()
    # ``wsl uname -a``, ``wsl -e lsmod``, ``sudo modprobe tun``: the command
    # that prints is the one after the launcher.
    while words and words[0] in ("sudo", "wsl", "wsl.exe"):
        launcher, words = words[0], words[1:]
        if launcher == "sudo":
            continue
        if words and words[0] in ("-e", "--exec", "--"):
            words = words[1:]
        elif words and words[0].startswith("-"):
            return _wsl_option_hint(words)
    if not words:
        return None
    program, args = words[0].removesuffix(".exe"), words[1:]
    joined = " ".join(args)
    if program == "uname" or "/proc/version" in joined or "osrelease" in joined:
        return "kernel"
    if program in ("lsmod", "modprobe", "insmod", "depmod", "dmesg", "findmnt"):
        return "modules"
    if any(
        path in joined
        for path in ("/proc/modules", "/proc/misc", "/lib/modules", "/dev/net/tun")
    ):
        return "modules"
    if "os-release" in joined:
        return "os-release"
    if "wsl.conf" in joined or ".wslconfig" in joined:
        return "wsl-conf"
    if program == "docker" and args and args[0] in ("version", "info", "-v"):
        return "docker-version"
    if ".log" in joined or program in ("journalctl", "tail"):
        return "log"
    return None


def _wsl_option_hint(args: list[str]) -> str | None:
    """The kind of output of ``wsl.exe`` with these options."""
    if any(arg in ("-l", "--list") or arg.startswith("--list") for arg in args):
        return "wsl-list"
    if "--status" in args:
        return "wsl-status"
    if "--version" in args or args == ["-v"]:
        return "wsl-version"
    return None


#: ``docker version Client: Docker Engine ...`` on one line.
_GLUED_OUTPUT = re.compile(
    r"^(?P<command>docker(?:\.exe)?\s+(?:version|info))\s+(?P<output>Client:.*)$"
)


#: Where a line break was before each label of ``docker version``.
_DOCKER_LABEL = re.compile(
    r"\s+(?=(?:Client|Server|Engine|Version|API version|Go version|Git commit"
    r"|Built|OS/Arch|Experimental|Context)\s*:)"
)


def _segments(lines: list[str]) -> list[_Segment]:
    """Cut at every prompt or typed command line; the command starts the piece."""
    segments: list[_Segment] = [_Segment(None, [])]
    for line in lines:
        command = _command_of(line)
        glued = _GLUED_OUTPUT.match(command) if command else None
        if glued is not None:
            # The output ran onto the command line (a paste whose line
            # breaks were lost): the command, then its output as the body.
            start = line.rindex(glued.group("output"))
            output = _DOCKER_LABEL.sub("\n", line[start:]).split("\n")
            segments.append(_Segment(glued.group("command"), [line[:start], *output]))
        elif command is not None:
            segments.append(_Segment(command, [line]))
        else:
            segments[-1].lines.append(line)
    return [segment for segment in segments if segment.lines]


def _is_structured_log(line: str) -> bool:
    return parse_log_line(line).format in _LOG_FORMATS_STRUCTURED


def _spans(numbers: list[int], gap: int = 3) -> list[tuple[int, int]]:
    """Group line numbers into runs that allow small gaps."""
    spans: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if spans and number - spans[-1][1] <= gap:
            spans[-1] = (spans[-1][0], number + 1)
        else:
            spans.append((number, number + 1))
    return spans


def _module_lines(lines: list[str], hint: str | None) -> list[int]:
    numbers: list[int] = []
    in_lsmod = False
    for number, line in enumerate(lines):
        if _LSMOD_HEADER.match(line):
            in_lsmod = True
            numbers.append(number)
            continue
        if not line.strip():
            continue
        row = _LSMOD_ROW.match(line)
        if (in_lsmod or hint == "modules") and row:
            numbers.append(number)
            continue
        in_lsmod = False
        if (
            _PROC_MODULES_ROW.match(line)
            or _DMESG_LINE.match(line)
            or (hint == "modules" and _MISC_ROW.match(line))
        ):
            numbers.append(number)
    dmesg = parse_dmesg("\n".join(lines))
    if dmesg.lines:
        wanted_dmesg = set(dmesg.lines)
        numbers.extend(
            n for n, line in enumerate(lines) if line.strip() in wanted_dmesg
        )
    outcome = parse_modprobe_output("\n".join(lines))
    if outcome.lines:
        wanted = set(outcome.lines)
        numbers.extend(n for n, line in enumerate(lines) if line.strip() in wanted)
        if outcome.listed_releases:
            numbers.extend(
                n
                for n, line in enumerate(lines)
                if line.strip() in outcome.listed_releases
            )
    return numbers


def _os_release_lines(lines: list[str]) -> list[int]:
    numbers = [n for n, line in enumerate(lines) if _OS_RELEASE_LINE.match(line)]
    if not any(_OS_RELEASE_KEYS.match(lines[n]) for n in numbers):
        return []
    return numbers


def _wsl_conf_lines(lines: list[str], hint: str | None) -> list[int]:
    numbers: list[int] = []
    inside = hint == "wsl-conf"
    for number, line in enumerate(lines):
        if _CONF_SECTION.match(line) or _CONF_SECTION_COMMENTED.match(line):
            inside = True
            numbers.append(number)
        elif inside and line.strip() and _CONF_LINE.match(line):
            numbers.append(number)
        elif inside and line.strip():
            inside = False
    anchored = any(
        _CONF_SECTION.match(lines[n])
        or (
            _CONF_SECTION_COMMENTED.match(lines[n])
            and any(_KEY_LINE.match(lines[k]) for k in numbers if k > n)
        )
        for n in numbers
    )
    return numbers if anchored or (hint == "wsl-conf" and numbers) else []


def _claims(
    lines: list[str], hint: str | None, command: str | None = None
) -> list[tuple[str, int, int]]:
    """Every reader's claim on this piece of text, as (kind, start, end)."""
    claims: list[tuple[str, int, int]] = []
    for block in find_version_blocks(lines):
        claims.append(
            ("wsl-version", min(block.line_numbers), max(block.line_numbers) + 1)
        )
    if not claims:
        inbox = find_inbox_line(lines)
        if inbox is not None:
            claims.append(("wsl-version", inbox, inbox + 1))
    form = find_issue_form(lines)
    if form is not None and len(claims) == 1 and claims[0][0] == "wsl-version":
        # The versions pasted under a bug report form's heading: the form's
        # other headings (Windows, kernel) belong to the same reading.
        _kind, start, end = claims[0]
        claims[0] = ("wsl-version", min(start, *form[1]), max(end, max(form[1]) + 1))
    elif not claims and form is not None and "wsl" in form[0]:
        claims.append(("wsl-version", min(form[1]), max(form[1]) + 1))
    found = {
        "wsl-list": list_line_numbers(lines, command),
        "wsl-status": status_line_numbers(lines),
        "kernel": kernel_line_numbers(lines, allow_bare=hint in (None, "kernel")),
        "modules": _module_lines(lines, hint),
        "os-release": _os_release_lines(lines),
        "wsl-conf": _wsl_conf_lines(lines, hint),
        "docker-version": docker_line_numbers(lines),
    }
    for kind, numbers in found.items():
        for start, end in _spans(numbers):
            claims.append((kind, start, end))

    kept: list[tuple[str, int, int]] = []
    for kind, start, end in claims:
        claimed = [line for line in lines[start:end] if line.strip()]
        structured = sum(1 for line in claimed if _is_structured_log(line))
        if claimed and structured * 2 < len(claimed):
            kept.append((kind, start, end))
    return kept


def _resolve(claims: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Drop overlaps: higher-priority kinds keep their lines."""
    taken: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(claims, key=lambda c: (_PRIORITY[c[0]], c[1])):
        pieces = [(start, end)]
        for _, other_start, other_end in taken:
            next_pieces = []
            for piece_start, piece_end in pieces:
                if piece_end <= other_start or piece_start >= other_end:
                    next_pieces.append((piece_start, piece_end))
                    continue
                if piece_start < other_start:
                    next_pieces.append((piece_start, other_start))
                if piece_end > other_end:
                    next_pieces.append((other_end, piece_end))
            pieces = next_pieces
        taken.extend((kind, s, e) for s, e in pieces if s < e)
    return sorted(taken, key=lambda claim: claim[1])


def _fallback_kind(lines: list[str], hint: str | None) -> str:
    """The kind of text no reader claimed."""
    content = [line for line in lines if line.strip()]
    if not content:
        return "unknown"
    if hint:
        return hint
    if any(_is_structured_log(line) for line in content):
        return "log"
    # A kernel log without a line about tun is still the kernel's log.
    if sum(1 for line in content if _DMESG_LINE.match(line)) * 2 >= len(content):
        return "log"
    if any(_ERRORISH.search(line) for line in content):
        return "log"
    return "unknown"


def _pieces(segment: _Segment) -> list[_Piece]:
    """Split one command's output where readers' claims change kind."""
    hint = _hint(segment.command)
    has_command = segment.command is not None
    body = segment.lines[1:] if has_command else segment.lines
    head = segment.lines[:1] if has_command else []
    allow_bare = hint in (None, "kernel")
    claims = _resolve(_claims(body, hint, segment.command))

    if not claims:
        if not any(line.strip() for line in body):
            return []
        # No reader claimed it: a kind guessed from the command, which joins a
        # neighbour of that kind (``ver`` before ``wsl uname -a``).
        return [_Piece(_fallback_kind(body, hint), head + body, allow_bare, hint)]

    pieces: list[_Piece] = []
    first_start = claims[0][1]
    leading = body[:first_start]
    if any(line.strip() for line in leading) and claims[0][0] != hint:
        # A log line that carries the start of another output (Rancher's
        # "failed to find WSL version from stdout "WSL-Version: ...") is
        # evidence for both parts.
        shared = body[first_start : first_start + 1]
        if not (
            shared and (_is_structured_log(shared[0]) or _EXIT_CODE.search(shared[0]))
        ):
            shared = []
        pieces.append(
            _Piece(
                _fallback_kind(leading, hint),
                head + leading + shared,
                allow_bare,
                typed=bool(head),
            )
        )
        head, leading = [], []
    for index, (kind, start, end) in enumerate(claims):
        stop = claims[index + 1][1] if index + 1 < len(claims) else len(body)
        # What follows the claimed lines goes with them (a wrapped line, a
        # note, the message a list ends with). After the versions of
        # ``wsl --version`` or a bug report form, ``uname`` or os-release, lines
        # that report errors of their own are a log.
        trailing = body[end:stop]
        own_log = (
            kind in ("wsl-version", "kernel", "os-release")
            and _fallback_kind(trailing, None) == "log"
        ) or (
            # A list's message is followed by its error code; a timestamped
            # line is another program's log.
            kind == "wsl-list" and any(_is_structured_log(line) for line in trailing)
        )
        text = body[start : end if own_log else stop]
        if index == 0:
            text = head + leading + text
        pieces.append(
            _Piece(kind, text, allow_bare, hint, typed=bool(index == 0 and head))
        )
        if own_log:
            pieces.append(_Piece("log", trailing, allow_bare))
    return pieces


def _jsonable(value: Any) -> Any:
    """Tuples to lists, all the way down, so facts survive ``json.dumps``."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


def _modules_facts(text: str) -> dict[str, Any] | None:
    listing = parse_proc_modules(text) or parse_lsmod(text)
    outcome = parse_modprobe_output(text)
    dmesg = parse_dmesg(text)
    misc = parse_proc_misc(text) if re.search(r"^\s*200\s+tun\s*$", text, re.M) else {}
    if not (listing or outcome.lines or dmesg.lines or misc):
        return None
    # ``loaded`` stays a list; ``tun_loaded`` None says no listing was pasted.
    loaded = list(dict.fromkeys(module.name for module in listing))
    registered: bool | None = None
    if dmesg.tun_registered or "tun" in misc:
        registered = True
    facts: dict[str, Any] = {
        "loaded": loaded,
        "tun_loaded": "tun" in loaded if listing else None,
        "tap_loaded": "tap" in loaded if listing else None,
        "tun_registered": registered,
        "tun_builtin_evidence": dmesg.tun_line,
        "failed_modules": list(dmesg.failed_modules),
        "release": outcome.release or dmesg.release,
    }
    facts.update(_without(dataclasses.asdict(outcome), "lines"))
    return facts


def _versions(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Docker Desktop versions in order of appearance (an upgrade shows two),
    and other products' versions by name."""
    text = "\n".join(lines)
    desktop: list[tuple[int, str]] = []
    details: dict[str, str] = {}
    offset = 0
    for line in lines[:40]:
        legacy = _LEGACY_VERSION.match(line.strip())
        if legacy:
            desktop.append((offset, legacy.group(1)))
            details.setdefault("docker_desktop_build", legacy.group(2))
        build = _LEGACY_BUILD.match(line.strip())
        if build:
            details.setdefault("windows_build", build.group(1))
        offset += len(line) + 1
    for key, pattern in _VERSION_PATTERNS:
        for match in pattern.finditer(text):
            if key == "docker_desktop":
                desktop.append((match.start(), match.group(1)))
            else:
                details.setdefault(key, match.group(1))
    versions = list(dict.fromkeys(version for _, version in sorted(desktop)))
    return versions[:10], details


#: A plain line (no level of its own) that is an error message, not prose
#: about one: it starts as error messages do, or ends a command with a
#: failure ("wsl.exe -l -v --all: context deadline exceeded").
_PLAIN_ERROR = re.compile(
    r"^\s*(?:failed (?:to\b|with\s*:)|error(?:\s*:|\s+(?:during|response|from"
    r"|while|creating|starting|running)\b)|fatal(?: error)?\s*:|unable to\b"
    r"|an (?:unexpected )?error occurred)"
    r"|:\s*(?:context deadline exceeded|exit (?:code|status)\b)"
    r"|\b(?:exited with code|failed with exit (?:code|status))\s+-?\w",
    re.IGNORECASE,
)
_MAX_ERROR_CHARS = 300


def _is_error(line: LogLine) -> bool:
    if line.level in ("error", "fatal"):
        return True
    return (
        line.level is None
        and line.format == "plain"
        and bool(_PLAIN_ERROR.search(line.raw))
    )


def _log_facts(lines: list[str]) -> dict[str, Any]:
    parsed = [parse_log_line(line) for line in lines if line.strip()]
    formats = Counter(line.format for line in parsed if line.format != "plain")
    errors = [
        (
            line.raw.strip()
            if line.format == "plain"
            else line.message.strip() or line.raw.strip()
        )[:_MAX_ERROR_CHARS]
        for line in parsed
        if _is_error(line)
    ]
    text = "\n".join(lines)
    versions, details = _versions(lines)
    exit_codes = list(dict.fromkeys(m.group(1) for m in _EXIT_CODE.finditer(text)))
    return {
        "lines": len(parsed),
        "format": formats.most_common(1)[0][0] if formats else "plain",
        "errors": errors[:_MAX_ERRORS],
        "versions": versions,
        "version_details": details,
        "exit_codes": exit_codes[:10],
        "wsl_error_codes": list(
            dict.fromkeys(code for _n, _path, code in find_error_codes(lines))
        )[:10],
        "replacement_characters": "\ufffd" in text,
    }


def _facts(piece: _Piece, whole_capture: bool, had_cr: bool) -> dict[str, Any] | None:
    """Facts for one piece, or None when its reader finds nothing after all."""
    text = "\n".join(piece.lines)
    kind = piece.kind
    if kind == "wsl-version":
        version = parse_wsl_version(text)
        if version is None:
            return None
        facts = {name: getattr(version, name) for name in FIELDS}
        facts["inbox"] = version.inbox
        return facts
    if kind == "wsl-list":
        listing = parse_wsl_list(text)
        if listing is None:
            return None
        return {
            "distros": [dataclasses.asdict(distro) for distro in listing.distros],
            "verbose": listing.verbose,
            "message": listing.message,
            "error_code": listing.error_code,
        }
    if kind == "wsl-status":
        status = parse_wsl_status(text)
        return None if status is None else _without(dataclasses.asdict(status), "lines")
    if kind == "kernel":
        kernel = read_kernel(piece.lines, allow_bare=piece.allow_bare)
        return None if kernel is None else dataclasses.asdict(kernel)
    if kind == "modules":
        return _modules_facts(text)
    if kind == "os-release":
        values = parse_os_release(text)
        if not values:
            return None
        return {**values, "docker_desktop_distro": is_docker_desktop_distro(values)}
    if kind == "wsl-conf":
        conf = parse_wsl_conf(text)
        if not conf.sections:
            return None
        facts = dataclasses.asdict(conf)
        # CR characters only say something about the file if the capture
        # was the file alone; a pasted mix gets its line ends from the paste.
        facts["crlf"] = had_cr and whole_capture
        return facts
    if kind == "docker-version":
        docker = _docker(text)
        return None if docker is None else _without(dataclasses.asdict(docker), "lines")
    if kind == "log":
        return _log_facts(piece.lines)
    facts: dict[str, Any] = {"lines": sum(1 for line in piece.lines if line.strip())}
    # Prose around a paste often names the product's version ("I have Docker
    # Desktop 4.41.2"); the rules weigh it like a version in a log.
    versions, _details = _versions(piece.lines)
    if versions:
        facts["versions"] = versions
    return facts


#: Kinds whose outputs never add up: two typed one after the other are two
#: readings. (Module outputs add up; ``ver`` helps read ``uname``.)
_ONE_OUTPUT_KINDS = frozenset(
    {"wsl-list", "wsl-status", "wsl-version", "os-release", "docker-version"}
)


def _names_a_kernel(*pieces: _Piece) -> bool:
    """Each piece holds a kernel line of its own (``uname -a`` typed on two
    machines), not one that only helps read another (``ver``)."""
    return all(
        (kernel := read_kernel(piece.lines, piece.allow_bare)) is not None
        and kernel.release is not None
        for piece in pieces
    )


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    """Neighbouring pieces of one kind are one output (modprobe then depmod),
    except two commands' outputs that each read whole on their own (``wsl -l``
    then ``wsl -l -v``; ``uname -a`` on two machines)."""
    merged: list[_Piece] = []
    for piece in pieces:
        separate = (
            bool(merged)
            and piece.typed
            and merged[-1].typed
            and (
                piece.kind in _ONE_OUTPUT_KINDS
                or (piece.kind == "kernel" and _names_a_kernel(merged[-1], piece))
            )
        )
        if merged and merged[-1].kind == piece.kind and not separate:
            merged[-1].lines.extend(piece.lines)
            merged[-1].allow_bare = merged[-1].allow_bare and piece.allow_bare
        else:
            merged.append(
                _Piece(
                    piece.kind, list(piece.lines), piece.allow_bare, typed=piece.typed
                )
            )
    return merged


def _unwrap(lines: list[str]) -> list[str]:
    """Undo what a web page or an issue did to a paste: HTML tags and
    entities, markdown quotes, line numbers in front of every line."""
    text = "\n".join(lines)
    if _HTML_TAG.search(text) or _HTML_ENTITY.search(text):
        lines = [html.unescape(_HTML_TAG.sub(" ", line)).rstrip() for line in lines]
    lines = _unquote(lines)
    # A whole line in bold (``**KEY=value**``) is the line.
    lines = [_BOLD_LINE.sub(r"\g<inner>", line) for line in lines]
    lines = _unspan(lines)
    numbered = [
        (index, int(match.group(1)))
        for index, line in enumerate(lines)
        if (match := _LINE_NUMBER.match(line))
    ]
    content = sum(1 for line in lines if line.strip())
    numbers = [number for _index, number in numbered]
    # Counting up from 1, perhaps once per file (``nl a; nl b``).
    counting = (
        bool(numbers)
        and numbers[0] in (0, 1)
        and all(
            b == a + 1 or b == 1 for a, b in zip(numbers, numbers[1:], strict=False)
        )
    )
    if len(numbered) >= 3 and len(numbered) * 10 >= content * 6 and counting:
        lines = [_LINE_NUMBER.sub("", line, count=1) for line in lines]
    return lines


_SPAN_OPEN = re.compile(r"^(?P<indent>\s*)(?P<mark>[`_*])(?=[^\s`_*])")
_SPAN_CLOSE = "(?<=[^\\s`_*]){mark}\\s*$"


def _unspan(lines: list[str]) -> list[str]:
    """Remove the marks of inline code or emphasis that a paste was wrapped
    in, across its lines (`` `first line``, ..., ``last line` ``): otherwise
    the last value read keeps a backtick or an underscore."""
    lines = list(lines)
    index = 0
    while index < len(lines):
        opened = _SPAN_OPEN.match(lines[index])
        if opened is None:
            index += 1
            continue
        close = re.compile(_SPAN_CLOSE.format(mark=re.escape(opened["mark"])))
        end = index
        # The span ends in the same paragraph: at the first line that closes it.
        while end < len(lines) and lines[end].strip():
            rest = lines[end][opened.end() :] if end == index else lines[end]
            if close.search(rest):
                break
            end += 1
        if end >= len(lines) or not lines[end].strip():
            index += 1
            continue
        first = lines[index]
        lines[index] = opened["indent"] + first[opened.end() :]
        lines[end] = close.sub("", lines[end])
        index = end + 1
    return lines


def _unquote(lines: list[str]) -> list[str]:
    """Remove markdown quote marks when most lines carry them (a paste quoted
    in an issue), or from a run of quoted lines that holds a paste (a quote
    inside a form); a lone ``>`` line stays, it may be a prompt."""
    for _depth in range(3):
        content = [line for line in lines if line.strip()]
        quoted = [line for line in content if _QUOTE.match(line)]
        if len(quoted) < 2 or len(quoted) * 10 < len(content) * 6:
            break
        lines = [_QUOTE.sub("", line, count=1) for line in lines]
    return _unquote_runs(lines)


def _unquote_runs(lines: list[str]) -> list[str]:
    """Quote marks off every run of three or more quoted lines (blank quoted
    lines count) that is not a run of prompts."""
    out = list(lines)
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and _QUOTE.match(lines[end]):
            end += 1
        run = lines[index:end]
        if len(run) >= 3 and not all(_command_of(line) is not None for line in run):
            out[index:end] = [_QUOTE.sub("", line, count=1) for line in run]
        index = max(end, index + 1)
    return out


def classify(data: bytes | bytearray | memoryview | str) -> list[CapturePart]:
    """Cut a capture into parts and read each one. Never raises."""
    if isinstance(data, str):
        had_cr = "\r" in data
    elif isinstance(data, bytes | bytearray | memoryview):
        decoded = decode_output(data)
        had_cr = b"\r" in bytes(data)
        data = decoded.text
    else:
        return []
    lines = [
        "" if _FENCE.match(line) else line.rstrip()
        for line in _unwrap(prepare_text(data).split("\n")[:_MAX_LINES])
    ]

    pieces: list[_Piece] = []
    for segment in _segments(lines):
        pieces.extend(_pieces(segment))
    pieces = _merge(pieces)

    parts: list[CapturePart] = []
    for piece in pieces:
        facts = _facts(piece, whole_capture=len(pieces) == 1, had_cr=had_cr)
        if facts is None:
            piece = _Piece(_fallback_kind(piece.lines, None), piece.lines)
            facts = _facts(piece, whole_capture=len(pieces) == 1, had_cr=had_cr)
        text = "\n".join(piece.lines).strip("\n")
        parts.append(CapturePart(piece.kind, text, _jsonable(facts or {})))
    return _merge_parts(parts)


def _merge_parts(parts: list[CapturePart]) -> list[CapturePart]:
    """Fallbacks can leave two neighbours of one kind; join their text."""
    merged: list[CapturePart] = []
    for part in parts:
        if merged and merged[-1].kind == part.kind and part.kind in ("log", "unknown"):
            text = merged[-1].text + "\n" + part.text
            piece = _Piece(part.kind, text.split("\n"))
            facts = _facts(piece, whole_capture=False, had_cr=False) or {}
            merged[-1] = CapturePart(part.kind, text, _jsonable(facts))
        else:
            merged.append(part)
    return merged
