"""Read ``wsl -l -v`` and ``wsl -l``.

``wsl -l -v`` prints a hard-coded English table (``NAME STATE VERSION``, a
``*`` before the default). Plain ``wsl -l`` prints a translated header line
ending in a colon and marks the default with a translated word in brackets,
``(Default)``, ``(Standard)``, ``(默认值)``, ``(既定)``. ``wsl -l -q`` prints
the names alone, one a line, so it is read only after the typed command.
With no distro at all wsl.exe prints a translated sentence instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wslwizard.probes.parse.text import text_lines

#: wsl.exe accepts only these characters in a distro name.
_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"

_TABLE_HEADER = re.compile(r"^[\s`*]*NAME\s+STATE\s+VERSION\s*$")
#: A markdown-escaped marker (``\\* Ubuntu``) is still the default marker.
_TABLE_ROW = re.compile(
    r"^[\s`]*(?P<default>\\?\*)?\s*(?P<name>" + _NAME + r")\s+(?P<state>[^\s\d`*]\S*)"
    r"\s+(?P<version>\d)[\s`.]*$"
)
_KNOWN_STATES = frozenset(
    {"Running", "Stopped", "Installing", "Uninstalling", "Converting", "Exporting"}
)
_PLAIN_HEADER = re.compile(r"^\s*\S.*[:\uff1a]\s*$")
_PLAIN_ROW = re.compile(
    r"^[\s`]*(?P<name>"
    + _NAME
    + r")(?:\s*[(\uff08\[](?P<mark>[^()\uff08\uff09\[\]]{1,40})"
    r"[)\uff09\]])?[\s`]*$"
)
#: wsl.exe's error trailer, ``Error code: Wsl/Service/0x8000000d``: the label
#: is translated, the ``Wsl/`` path is not; its last part is the code.
#: The last part of wsl.exe's error path: an HRESULT, a ``WSL_E_``/``HCS_E_``
#: name, a Win32 name (``ERROR_FILE_NOT_FOUND``), an RPC status name or a
#: Winsock one (``WSAENOTCONN``).
_CODE = (
    r"0x[0-9A-Fa-f]{1,8}|[A-Z][A-Z0-9]*_E_[A-Z0-9_]+|E_[A-Z0-9_]+|ERROR_[A-Z0-9_]+"
    r"|RPC_S_[A-Z0-9_]+|WSAE[A-Z0-9]+"
)
_ERROR_CODE = re.compile(
    r"^[^:\uff1a]{1,40}[:\uff1a]\s*(?P<path>Wsl/(?:[\w.-]{1,80}/){0,8}"
    r"(?P<code>" + _CODE + r"))\s*$"
)
_ERROR_CODE_INLINE = re.compile(
    r"\bError code:\s*(?P<path>Wsl/(?:[\w.-]{1,80}/){0,8}"
    r"(?P<code>" + _CODE + r"))\b"
)
#: Lines between the "no distributions" message and its error code.
_ERROR_CODE_REACH = 12
_QUIET_ROW = re.compile(r"^[\s`]*(?P<name>" + _NAME + r")[\s`]*$")
#: Words of a typed command line; a prompt's ``>`` glues to the first word.
_WORDS = re.compile(r"[^\s>`'\"]+")

#: Fragments of the "no distributions" messages. English first; the others
#: are from the translated wsl.exe resources and from real captures. "No
#: distribution with the supplied name" (``Il n'existe aucune distribution
#: avec le nom fourni``) is another error, so bare "aucune distribution" is not.
_NO_DISTROS = re.compile(
    r"has no installed distributions|no installed distributions"
    r"|there are no running distributions|no running distributions"
    r"|no tiene distribuciones instaladas|no hay distribuciones"
    r"|keine installierten Distributionen|keine Distributionen"
    r"|n.a aucune distribution|aucune distribution (?:install|en cours)"
    r"|não tem distribuições|não há distribuições"
    r"|nenhuma distribuição (?:instalad|em execução)"
    r"|non ha distribuzioni|non ci sono distribuzioni"
    r"|nessuna distribuzione (?:installat|in esecuzione)"
    r"|нет установленных дистрибутивов|не имеет установленных|нет запущенных"
    r"|ディストリビューションはありません|ディストリビューションがありません"
    r"|ディストリビューションがインストールされていません"
    r"|没有已安装的分发|没有正在运行的分发|沒有已安裝的發行|沒有正在執行的發行"
    r"|설치된 배포가 없습니다|실행 중인 배포가 없습니다"
    r"|설치된 배포판이 없습니다|실행 중인 배포판이 없습니다",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Distro:
    """One registered distribution."""

    name: str
    state: str | None = None
    """``Running``, ``Stopped``... (never translated); None from plain ``-l``."""
    version: int | None = None
    """1 or 2 (WSL generation); None from plain ``-l``."""
    default: bool | None = False
    """None from ``-l -q``, which does not mark the default."""


@dataclass(frozen=True)
class WslList:
    """The distributions a ``wsl -l`` listing named."""

    distros: tuple[Distro, ...] = ()
    verbose: bool = False
    """True for the ``-v`` table with state and version columns."""
    message: str | None = None
    """The "no distributions" sentence, when wsl.exe printed one."""
    error_code: str | None = None
    """The code wsl.exe printed after that sentence (``WSL_E_...``)."""
    lines: tuple[str, ...] = ()


def _table(lines: list[str]) -> tuple[list[Distro], list[int]]:
    """Rows after the English header; rows with a known state without it."""
    distros: list[Distro] = []
    used: list[int] = []
    in_table = False
    for number, line in enumerate(lines):
        if _TABLE_HEADER.match(line):
            in_table = True
            used.append(number)
            continue
        if not line.strip():
            continue
        row = _TABLE_ROW.match(line)
        if row and (in_table or row.group("state") in _KNOWN_STATES):
            distros.append(
                Distro(
                    name=row.group("name"),
                    state=row.group("state"),
                    version=int(row.group("version")),
                    default=bool(row.group("default")),
                )
            )
            used.append(number)
            continue
        in_table = False
    return distros, used


def _looks_like_list_header(line: str) -> bool:
    """``Windows Subsystem for Linux Distributions:`` and its translations."""
    if not _PLAIN_HEADER.match(line) or len(line) > 120:
        return False
    return "linux" in line.lower() or "wsl" in line.lower()


def _plain(lines: list[str]) -> tuple[list[Distro], list[int]]:
    """Names under the translated header; a bracketed word marks the default."""
    distros: list[Distro] = []
    used: list[int] = []
    for number, line in enumerate(lines):
        if not _looks_like_list_header(line):
            continue
        used.append(number)
        for follow in range(number + 1, len(lines)):
            text = lines[follow]
            if not text.strip():
                continue
            row = _PLAIN_ROW.match(text)
            if not row:
                break
            distros.append(Distro(row.group("name"), default=bool(row.group("mark"))))
            used.append(follow)
        if distros:
            break
        used.clear()
    return distros, used


def quiet_list_command(command: str | None) -> bool:
    """Whether a typed command is ``wsl -l -q`` (``wsl --list --quiet``).

    Its output is bare names, which only the command tells from any text.
    """
    if not isinstance(command, str):
        return False
    words = [word.lower() for word in _WORDS.findall(command[:400])]
    for index, word in enumerate(words):
        if word.rsplit("\\", 1)[-1] in ("wsl", "wsl.exe"):
            args = words[index + 1 :]
            return any(a in ("-l", "--list") for a in args) and any(
                a in ("-q", "--quiet") for a in args
            )
    return False


def _quiet(lines: list[str], command: str | None) -> tuple[list[Distro], list[int]]:
    """Names after ``wsl -l -q``: typed in ``command`` or on a line of its own."""
    starts = [0] if quiet_list_command(command) else []
    starts += [n + 1 for n, line in enumerate(lines) if quiet_list_command(line)]
    for start in starts:
        distros: list[Distro] = []
        used: list[int] = []
        for number in range(start, len(lines)):
            if not lines[number].strip():
                continue
            row = _QUIET_ROW.match(lines[number])
            if not row:
                break
            distros.append(Distro(row.group("name"), default=None))
            used.append(number)
        if distros:
            return distros, used
    return [], []


#: A message relayed inside a program's own text: JavaScript's
#: ``stdout: 'text\r\r\n' +``, Go's ``"text\r\n"``.
_RELAY_HEAD = re.compile(r"^\s*(?:(?:stdout|stderr)\s*:\s*)?['\"`]")
_RELAY_TAIL = re.compile(r"(?:\\[rn])*['\"`]?\s*\+?\s*,?\s*$")


def _bare_message(line: str) -> str:
    """The "no distributions" sentence without the quoting a relaying
    program put around it."""
    text = line.strip()
    head = _RELAY_HEAD.match(text)
    if head is None:
        return text
    return _RELAY_TAIL.sub("", text[head.end() :]).strip()


def find_error_codes(lines: list[str]) -> list[tuple[int, str, str]]:
    """Every ``Error code: Wsl/.../CODE`` line: (index, path as printed, code).

    wsl.exe ends most failures with one; the code (``WSL_E_...``, an HRESULT
    such as ``0x8000000d``) says what failed in any language.
    """
    found: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines):
        if "Wsl/" not in line:
            continue
        match = _ERROR_CODE.match(line.strip(" \t`>"))
        if match is None:
            # Run into one line by a tool that relays wsl.exe's error.
            match = _ERROR_CODE_INLINE.search(line)
        if match:
            found.append((number, match.group("path"), match.group("code")))
    return found


def find_no_distros(lines: list[str]) -> int | None:
    """Index of the line saying that no distribution is installed or running."""
    for number, line in enumerate(lines):
        if _NO_DISTROS.search(line):
            return number
    return None


def list_line_numbers(lines: list[str], command: str | None = None) -> list[int]:
    """The lines a listing reading would use, for splitting pasted captures.

    ``command`` is the typed command these lines are the output of, if known.
    """
    distros, used = _table(lines)
    if not distros:
        distros, used = _plain(lines)
        used = used if distros else []
    if not distros:
        distros, used = _quiet(lines, command)
    if not used:
        empty = find_no_distros(lines)
        used = [] if empty is None else [empty]
    return used


def parse_wsl_list(text: str | bytes, command: str | None = None) -> WslList | None:
    """Read the distro listing in ``text``; None when there is none.

    ``command`` is the typed command ``text`` is the output of, if known.
    """
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return None
    lines = text_lines(text)

    distros, used = _table(lines)
    if distros:
        return WslList(
            tuple(distros), True, lines=tuple(lines[n].strip() for n in used)
        )
    distros, used = _plain(lines)
    if not distros:
        distros, used = _quiet(lines, command)
    if distros:
        return WslList(
            tuple(distros), False, lines=tuple(lines[n].strip() for n in used)
        )
    empty = find_no_distros(lines)
    if empty is not None:
        message = _bare_message(lines[empty])
        window = lines[empty : empty + _ERROR_CODE_REACH]
        codes = find_error_codes(window)
        if codes:
            number, _path, code = codes[0]
            evidence = (message, window[number].strip())
            return WslList((), False, message=message, error_code=code, lines=evidence)
        return WslList((), False, message=message, lines=(message,))
    return None
