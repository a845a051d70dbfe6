"""Read ``wsl --status`` in any language.

Current builds print two lines, default distribution then default version;
the distribution line is missing when none is registered. Older builds added
when WSL was last updated, whether automatic updates are on, and the kernel
version. A note follows when WSL 1 or WSL 2 cannot run. Labels are
translated, so the two main lines are found by shape (a distro name, then the
digit 1 or 2) and the older lines by a date, an on/off phrase and a version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wslwizard.probes.parse.text import text_lines
from wslwizard.probes.parse.wsl_list import find_no_distros
from wslwizard.probes.parse.wsl_version import (
    PAIR,
    find_version_blocks,
    label_product,
    pair_label,
)

#: Any colon, with the optional plain or no-break space French puts before it.
_LABELLED = re.compile(
    r"^\s*(?P<label>[^:\uff1a\d]{1,80}?)[\s\u00a0\u202f]*[:\uff1a]\s*"
    r"(?P<value>\S.*?)\s*$"
)
_DEFAULT_VERSION = re.compile(r"[12]")
#: "version" in the languages wsl.exe speaks, to tell ``Default Version: 2``
#: from any other ``label: 2``.
_VERSION_WORD = re.compile(
    r"version|versi.n|versão|versione|バージョン|版本|верси|버전|wersj|sürüm|versie"
    r"|verze|versio|versjon|verzió",
    re.IGNORECASE,
)
#: ``docker info`` prints ``Cgroup Driver: cgroupfs`` then ``Cgroup Version: 2``,
#: the same shape as the two status lines; its labels are never translated.
_NOT_STATUS_LABEL = re.compile(r"cgroup", re.IGNORECASE)
_DISTRO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_KERNEL_VERSION = re.compile(r"\d+\.\d+\.\d+(?:\.\d+)?")
_KERNEL_WORD = re.compile(
    r"kernel|kern|カーネル|内核|核心|noyau|ядр|jądr|çekirdek|커널|ytimen|jádr|núcleo",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"(?P<date>\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    r"|\d{1,2}[-\s][^\W\d_]{3,}\.?[-\s]\d{2,4}"
    r"|[^\W\d_]{3,}\.?\s\d{1,2},?\s\d{4}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"[\s.\u3002)]*$"
)
_UPDATE_WORD = re.compile(
    r"updat|更新|aktualisier|actualiz|mise à jour|mises à jour|обновлен|atualiz"
    r"|aggiorn|업데이트|aktualiz",
    re.IGNORECASE,
)
_OFF = re.compile(
    r"\bare off\b|\bis off\b|cannot occur|disabled|無効|已禁用|已關閉|已停用|已关闭"
    r"|deaktiviert"
    r"|ausgeschaltet|desactivad|désactivé|отключен|выключен|desativad|disattivat"
    r"|사용 안 함",
    re.IGNORECASE,
)
#: "... but automatic updates cannot occur due to your system settings": off,
#: though the line also quotes 'wsl --update'.
_CANNOT = re.compile(r"automatic updates cannot occur", re.IGNORECASE)
_ON = re.compile(
    r"\bare on\b|\bis on\b|enabled|有効|已启用|已開啟|已开启|已啟用|aktiviert"
    r"|eingeschaltet|activad|activé|включен|ativad|attivat|사용하도록",
    re.IGNORECASE,
)
_WSL1 = re.compile(r"\bWSL\s?1\b")
_WSL2 = re.compile(r"\bWSL\s?2\b")
#: Older builds end the "enable Virtual Machine Platform" note with this link
#: instead of naming WSL 2; the note's first line is only translated prose.
_WSL2_INSTALL_LINK = re.compile(r"aka\.ms/wsl2-?install", re.IGNORECASE)
#: The old "to receive automatic updates, please enable ..." advice quotes
#: the setting or command; the real on/off line quotes nothing.
_QUOTED = re.compile(r"['\"\u2018\u2019\u201c\u201d\u201e\u300c\u300d]")
_PROMPT = re.compile(
    r"^\s*(?:\([\w.-]{1,40}\)\s*)?(?:PS\s.*>|[A-Za-z]:\\[^>]*>|>|\$|#|\S+@\S+[$#])"
)
_TABLE_HEADER = re.compile(r"^\s*NAME\s+STATE\s+VERSION\s*$")


@dataclass(frozen=True)
class WslStatus:
    """What ``wsl --status`` said; None where it said nothing."""

    default_distro: str | None = None
    default_version: int | None = None
    kernel_version: str | None = None
    """Only older builds print it, and it is the installed, not the running,
    kernel."""
    last_updated: str | None = None
    """As printed, in the machine's date format."""
    automatic_updates: bool | None = None
    wsl1_unsupported: str | None = None
    """The note that WSL 1 cannot run here, as printed."""
    wsl2_unsupported: str | None = None
    """The note that WSL 2 cannot run here, as printed."""
    lines: tuple[str, ...] = ()


def _labelled(line: str) -> tuple[str, str] | None:
    match = _LABELLED.match(line)
    if not match:
        return None
    return match.group("label"), match.group("value")


def _default_version_line(lines: list[str], skip: set[int]) -> int | None:
    for number, line in enumerate(lines):
        if number in skip:
            continue
        pair = _labelled(line)
        if (
            pair
            and _DEFAULT_VERSION.fullmatch(pair[1])
            and _VERSION_WORD.search(pair[0])
            and not _NOT_STATUS_LABEL.search(pair[0])
            and not _PROMPT.match(line)
            and _starts_output(lines, _status_top(lines, number, skip), skip)
        ):
            return number
    return None


def _distro_line(lines: list[str], version_line: int, skip: set[int]) -> int | None:
    """The ``Default Distribution: Ubuntu`` line right before the version line."""
    before = _previous_non_blank(lines, version_line)
    if before is None or before in skip or _PROMPT.match(lines[before]):
        return None
    pair = _labelled(lines[before])
    if pair is None or not _DISTRO_NAME.fullmatch(pair[1]):
        return None
    if _NOT_STATUS_LABEL.search(pair[0]):
        return None
    return before


#: "distribution" in the languages wsl.exe speaks, for a distro line written
#: after the version line (a property list: ``DefaultWSLDistro : Ubuntu``).
_DISTRO_WORD = re.compile(
    r"distr|дистрибутив|ディストリビューション|分发|發行版|배포", re.IGNORECASE
)


def _distro_line_after(
    lines: list[str], version_line: int, skip: set[int]
) -> int | None:
    for number in range(version_line + 1, len(lines)):
        if not lines[number].strip():
            continue
        if number in skip or _PROMPT.match(lines[number]):
            return None
        pair = _labelled(lines[number])
        if (
            pair is not None
            and _DISTRO_WORD.search(pair[0])
            and _DISTRO_NAME.fullmatch(pair[1])
        ):
            return number
        return None
    return None


def _status_top(lines: list[str], version_line: int, skip: set[int]) -> int:
    distro = _distro_line(lines, version_line, skip)
    return version_line if distro is None else distro


def _starts_output(lines: list[str], top: int, skip: set[int]) -> bool:
    """Status output starts its block: no other ``label: value`` right above.

    In ``docker info`` the look-alike lines sit in a run of such pairs
    (``Logging Driver: json-file``). A version-shaped pair above (an issue
    form's ``WSL version: 2.0.14.0``) is allowed.
    """
    above = top - 1
    if above < 0 or above in skip or not lines[above].strip():
        return True
    if _PROMPT.match(lines[above]) or _labelled(lines[above]) is None:
        return True
    return PAIR.search(lines[above]) is not None


def _previous_non_blank(lines: list[str], number: int) -> int | None:
    for index in range(number - 1, -1, -1):
        if lines[index].strip():
            return index
    return None


def _kernel_in(line: str) -> str | None:
    """The version of a ``Kernel version: 5.10.102.1`` line, by shape."""
    start = 0
    for match in PAIR.finditer(line):
        label = pair_label(line[start : match.start()])
        start = match.end()
        if label_product(label) is None and _KERNEL_VERSION.fullmatch(match.group(1)):
            return match.group(1)
    return None


def _block_end(lines: list[str], start: int, skip: set[int]) -> int:
    """Where the status output stops: a prompt, another command's output."""
    for number in range(start, len(lines)):
        line = lines[number]
        if number in skip or _PROMPT.match(line) or _TABLE_HEADER.match(line):
            return number
        if find_no_distros([line]) is not None:
            return number
    return len(lines)


def status_line_numbers(lines: list[str]) -> list[int]:
    """The lines a status reading would use, for splitting pasted captures."""
    return _read(lines)[1]


def _read(lines: list[str]) -> tuple[WslStatus | None, list[int]]:
    skip = {n for block in find_version_blocks(lines) for n in block.line_numbers}
    values: dict[str, object] = {}
    used: list[int] = []

    version_line = _default_version_line(lines, skip)
    if version_line is not None:
        values["default_version"] = int(lines[version_line].strip()[-1])
        used.append(version_line)
        before = _distro_line(lines, version_line, skip)
        pair = _labelled(lines[before]) if before is not None else None
        start = version_line + 1
        if before is not None and pair is not None:
            values["default_distro"] = pair[1]
            used.insert(0, before)
        else:
            after = _distro_line_after(lines, version_line, skip)
            if after is not None:
                values["default_distro"] = _labelled(lines[after])[1]  # type: ignore[index]
                used.append(after)
                start = after + 1
        end = _block_end(lines, start, skip)
    else:
        start, end = 0, len(lines)

    notes: dict[str, list[str]] = {"wsl1_unsupported": [], "wsl2_unsupported": []}
    open_note: str | None = None
    # Unread lines of this paragraph, which a closing link may make a note.
    pending: list[int] = []
    for number in range(start, end):
        line = lines[number].strip()
        if number in skip or not line:
            open_note = None
            pending = []
            continue
        kernel = _kernel_in(line)
        # Dates end the line; looking only at the end keeps long lines cheap.
        date = _DATE.search(line[-40:])
        if kernel and (version_line is not None or _KERNEL_WORD.search(line)):
            values.setdefault("kernel_version", kernel)
            used.append(number)
            open_note = None
        elif date and _UPDATE_WORD.search(line) and not kernel:
            values.setdefault("last_updated", date.group("date"))
            used.append(number)
            open_note = None
        elif (
            _UPDATE_WORD.search(line)
            and (_OFF.search(line) or _ON.search(line))
            and (not _QUOTED.search(line) or _CANNOT.search(line))
        ):
            values.setdefault("automatic_updates", not _OFF.search(line))
            used.append(number)
            open_note = None
        elif version_line is not None and (_WSL1.search(line) or _WSL2.search(line)):
            open_note = "wsl1_unsupported" if _WSL1.search(line) else "wsl2_unsupported"
            notes[open_note].append(line)
            used.append(number)
        elif open_note is not None:
            notes[open_note].append(line)
            used.append(number)
        elif version_line is not None and _WSL2_INSTALL_LINK.search(line):
            open_note = "wsl2_unsupported"
            notes[open_note].extend(lines[n].strip() for n in pending)
            notes[open_note].append(line)
            used.extend(pending)
            used.append(number)
        else:
            pending.append(number)
            continue
        pending = []

    for key, parts in notes.items():
        if parts:
            values[key] = " ".join(parts)
    if not values:
        return None, []
    used.sort()
    status = WslStatus(
        **values,  # type: ignore[arg-type]
        lines=tuple(lines[number].strip() for number in used),
    )
    return status, used


def parse_wsl_status(text: str | bytes) -> WslStatus | None:
    """Read ``wsl --status`` (or ``wsl --update --status``) output in ``text``."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return None
    return _read(text_lines(text))[0]
