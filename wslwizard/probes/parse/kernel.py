"""Read which kernel runs, from ``uname``, ``/proc/version`` or a paste.

WSL 1 has no real kernel: its release looks like ``4.4.0-19041-Microsoft``
(capital M, the Windows build in the middle). WSL 2 releases carry
``microsoft-standard`` (with ``-WSL2`` from 5.4 on). Self-built kernels often
end in ``+`` or use another local version; Microsoft's own builds always have
a non-zero patch level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from wslwizard.probes.parse.text import text_lines

_RELEASE = r"\d+\.\d+[\w.+~-]*"
_PROC_VERSION = re.compile(
    r"Linux version (?P<release>" + _RELEASE + r")"
    r"(?: \((?P<builder>[^()\s]+)\))?(?P<rest>.*)$"
)
_UNAME_A = re.compile(
    r"(?:^|[\s>$#`])Linux\s+(?!version\s)(?P<host>\S+)\s+(?P<release>" + _RELEASE + r")"
    r"(?:\s+(?P<rest>#.*))?\s*$"
)
#: ``uname -sr`` / ``uname -srm``: the system name, then the release.
_UNAME_SR = re.compile(
    r"(?:^|[\s>$#`])Linux\s+(?P<release>\d+\.\d+\.\d+[\w.+~-]*)"
    r"(?:\s+(?:x86_64|aarch64|arm64|i[3-6]86|GNU/Linux)\b.*)?\s*$"
)
#: A stray prompt sign may precede it inside inline code (```$ 4.4.0-...```).
_BARE_RELEASE = re.compile(
    r"^[\s`]*(?:[$#>]\s+)?(?P<release>\d+\.\d+\.\d+(?:\.\d+)?[-+][\w.+~-]*)[\s`]*$"
)
#: ``uname -rv``: the release, then the build (``#1 SMP ...``), no host name.
_UNAME_RV = re.compile(
    r"^[\s`]*(?:[$#>]\s+)?(?P<release>\d+\.\d+\.\d+(?:\.\d+)?[-+][\w.+~-]*)"
    r"\s+(?P<rest>#\d+\s.*?)[\s`]*$"
)
_UNAME_COMMAND = re.compile(r"\buname\b")
_WINDOWS_VER = re.compile(
    r"Microsoft Windows \[[^\]\d]*(?P<version>\d+\.\d+\.\d+(?:\.\d+)?)\]"
)
_BUILD_DATE = re.compile(
    r"(?P<date>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+"
    r"\d{1,2}:\d{2}:\d{2}(?:\s+[A-Za-z]{1,6}|\s+[+-]\d{2,4})?(?:\s+\d{4}\b)?)",
    re.IGNORECASE,
)
_MACHINE = re.compile(
    r"\b(x86_64|aarch64|arm64|armv\w+|i[3-6]86|riscv64|ppc64le|s390x)\b"
)
_WSL1 = re.compile(r"^\d+\.\d+\.\d+-(?P<build>\d{1,9})-Microsoft$")
_MICROSOFT_BUILD = re.compile(
    r"^\d+\.\d+\.[1-9]\d*(?:\.\d+)?-microsoft-standard(?:-WSL2)?$"
)


@dataclass(frozen=True)
class KernelInfo:
    """The running kernel as one output described it."""

    release: str
    """``uname -r``, for example ``6.6.87.2-microsoft-standard-WSL2``."""
    wsl_generation: int | None
    """1 for WSL 1, 2 for a WSL 2 kernel, None when the name says neither."""
    custom: bool
    """Not a Microsoft build: a ``+`` suffix or an unusual local version."""
    hostname: str | None = None
    build_date: str | None = None
    """As printed; a line cut short keeps only what is there."""
    version_tuple: tuple[int, ...] = ()
    version: str | None = None
    """The ``#1 SMP ...`` build string."""
    machine: str | None = None
    builder: str | None = None
    """``user@host`` that built it, from ``/proc/version``."""
    windows_build: int | None = None
    """For WSL 1 the Windows build is part of the release."""
    windows_version: str | None = None
    """From a ``ver`` output pasted next to it."""
    source: str = "uname-r"
    """``proc-version``, ``uname-a``, ``uname-sr``, ``uname-rv`` or ``uname-r``."""
    line: str = ""


def kernel_package_to_release(package: str) -> str | None:
    """``6.6.75.1-1`` (from ``wsl --version``) to ``6.6.75.1``."""
    if not isinstance(package, str):
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)+)(?:-\d+)?\s*", package)
    return match.group(1) if match else None


def version_tuple(release: str) -> tuple[int, ...]:
    """The leading dotted numbers of a release as integers."""
    match = re.match(r"\d+(?:\.\d+)*", release)
    if not match:
        return ()
    return tuple(int(part[:9]) for part in match.group().split("."))


def wsl_generation(release: str) -> int | None:
    """Which WSL a kernel release belongs to, from its name alone."""
    if _WSL1.match(release) or release.endswith("-Microsoft"):
        return 1
    lowered = release.lower()
    if "microsoft-standard" in lowered or "wsl2" in lowered or "microsoft" in lowered:
        return 2
    return None


def is_custom(release: str, generation: int | None) -> bool:
    """A ``+`` suffix, or a WSL 2 release Microsoft would not have built."""
    if "+" in release:
        return True
    if generation != 2:
        return False
    return not _MICROSOFT_BUILD.match(release)


def _details(rest: str) -> tuple[str | None, str | None, str | None]:
    """Build string, build date and machine from the text after the release."""
    hash_at = rest.find("#")
    if hash_at < 0:
        return None, None, None
    tail = rest[hash_at:]
    date = _BUILD_DATE.search(tail)
    if date:
        version = tail[: date.end()].strip()
        after = tail[date.end() :]
    else:
        words = tail.split()
        version = " ".join(w for w in words if not _MACHINE.fullmatch(w)) or None
        after = tail
    machine = _MACHINE.search(after)
    if version and version.endswith(("GNU/Linux", " Linux")):
        version = version.rsplit(" ", 1)[0]
    return (
        version,
        date.group("date") if date else None,
        machine.group(1) if machine else None,
    )


def _make(release: str, source: str, line: str, **extra: object) -> KernelInfo:
    generation = wsl_generation(release)
    wsl1 = _WSL1.match(release)
    return KernelInfo(
        release=release,
        wsl_generation=generation,
        custom=is_custom(release, generation),
        version_tuple=version_tuple(release),
        windows_build=int(wsl1.group("build")) if wsl1 else None,
        source=source,
        line=line.strip(),
        **extra,  # type: ignore[arg-type]
    )


def _bare_release(lines: list[str], allow_bare: bool) -> int | None:
    """A line holding only a release, from ``uname -r`` or ``osrelease``."""
    meaningful = [number for number, line in enumerate(lines) if line.strip()]
    for number, line in enumerate(lines):
        match = _BARE_RELEASE.match(line)
        if not match:
            continue
        previous = next(
            (lines[i] for i in range(number - 1, -1, -1) if lines[i].strip()), ""
        )
        if _UNAME_COMMAND.search(previous) or (
            allow_bare
            and (len(meaningful) == 1 or wsl_generation(match.group("release")))
        ):
            return number
    if allow_bare and len(meaningful) == 1:
        only = lines[meaningful[0]].strip().strip("`")
        if re.fullmatch(r"\d+\.\d+\.\d+\S*", only):
            return meaningful[0]
    return None


def _proc_version_extra(match: re.Match[str], line: str) -> dict[str, object]:
    version, date, machine = _details(match.group("rest"))
    return {
        "builder": match.group("builder"),
        "version": version,
        "build_date": date,
        "machine": machine,
    }


def _uname_a_extra(match: re.Match[str], line: str) -> dict[str, object]:
    version, date, machine = _details(match.group("rest") or "")
    return {
        "hostname": match.group("host"),
        "version": version,
        "build_date": date,
        "machine": machine,
    }


def _uname_rv_extra(match: re.Match[str], line: str) -> dict[str, object]:
    version, date, machine = _details(match.group("rest"))
    return {"version": version, "build_date": date, "machine": machine}


def _uname_sr_extra(match: re.Match[str], line: str) -> dict[str, object]:
    _, _, machine = _details("#" + line[match.end("release") :])
    return {"machine": machine}


#: The line shapes that name a release, most detailed first: the first shape
#: found anywhere in the paste wins, as ``/proc/version`` says the most.
_SHAPES: tuple[
    tuple[re.Pattern[str], str, Callable[[re.Match[str], str], dict[str, object]]],
    ...,
] = (
    (_PROC_VERSION, "proc-version", _proc_version_extra),
    (_UNAME_A, "uname-a", _uname_a_extra),
    (_UNAME_SR, "uname-sr", _uname_sr_extra),
    (_UNAME_RV, "uname-rv", _uname_rv_extra),
)


def _same_release(lines: list[str], release: str) -> list[int]:
    """Other lines naming the same release in any shape (``uname -a`` pasted
    with ``/proc/version``): one output, so one part."""
    return [
        number
        for number, line in enumerate(lines)
        if any(
            (match := pattern.search(line)) and match.group("release") == release
            for pattern, _, _ in _SHAPES
        )
    ]


def _find(lines: list[str], allow_bare: bool) -> tuple[KernelInfo | None, list[int]]:
    windows = None
    used: list[int] = []
    for number, line in enumerate(lines):
        found = _WINDOWS_VER.search(line)
        if found:
            windows = found.group("version")
            used.append(number)
            break

    for pattern, source, extra in _SHAPES:
        for line in lines:
            match = pattern.search(line)
            if not match:
                continue
            release = match.group("release")
            info = _make(
                release, source, line, windows_version=windows, **extra(match, line)
            )
            return info, sorted({*used, *_same_release(lines, release)})
    bare = _bare_release(lines, allow_bare)
    if bare is not None:
        match = _BARE_RELEASE.match(lines[bare])
        release = (
            match.group("release") if match else lines[bare].strip().strip("`").strip()
        )
        info = _make(release, "uname-r", lines[bare], windows_version=windows)
        return info, sorted([*used, bare])
    return None, used


def read_kernel(lines: list[str], allow_bare: bool = True) -> KernelInfo | None:
    """Kernel facts from prepared lines; see :func:`parse_kernel`.

    ``allow_bare`` accepts a lone release line that no ``uname`` command
    introduces (the output of ``uname -r`` itself).
    """
    return _find(lines, allow_bare)[0]


def kernel_line_numbers(lines: list[str], allow_bare: bool = True) -> list[int]:
    """The lines a reading would use (including a ``ver`` line), for splitting
    pasted captures."""
    return _find(lines, allow_bare)[1]


def parse_kernel(text: str | bytes) -> KernelInfo | None:
    """Read the kernel release from ``uname -r``/``-a``, ``/proc/version`` or a
    paste that holds one of them. None when there is no kernel release."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return None
    return read_kernel(text_lines(text))
