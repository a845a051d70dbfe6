"""Read the kernel's own lists of modules and the messages of module tools.

``/proc/modules`` and ``lsmod`` list loaded modules only: a driver built into
the kernel (tun on WSL's 5.15 kernels) never appears there. ``/proc/misc``
lists registered misc devices whichever way they got there (``200 tun``),
and ``dmesg`` shows the driver's banner at registration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wslwizard.probes.parse.logs import DMESG_STAMP
from wslwizard.probes.parse.text import text_lines

_PROC_MODULES = re.compile(
    r"^(?P<name>[A-Za-z0-9_-]+)\s+(?P<size>\d{1,12})\s+(?P<refs>-?\d{1,9}|-)\s+"
    r"(?P<deps>\S+)\s+(?P<state>Live|Loading|Unloading)\b"
)
_LSMOD_HEADER = re.compile(r"^\s*Module\s+Size\s+Used\s+by\s*$")
_LSMOD_ROW = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9_-]+)\s+(?P<size>\d{1,12})\s+(?P<refs>-?\d{1,9})"
    r"(?:\s+(?P<users>\S.*?))?\s*$"
)
_MISC = re.compile(r"^\s*(?P<minor>\d{1,9})\s+(?P<name>[\w./-]+)\s*$")
_MODULE_FILE = re.compile(r"(?P<file>[\w-]+)\.ko(?:\.(?:xz|gz|zst))?")
_DEP_LINE = re.compile(r"^\s*(?P<path>\S+?\.ko(?:\.(?:xz|gz|zst))?)\s*:")

_NOT_FOUND = re.compile(
    r"(?:modprobe:\s*)?(?:FATAL|WARNING):\s*Module\s+(?P<module>[\w-]+)\s+not\s+found"
    r"(?:\s+in\s+directory\s+(?P<dir>[^\s`'\"]+))?"
)
_NOT_PERMITTED = re.compile(
    r"could not insert (?:module )?'?(?P<module>[\w-]+?)(?:\.ko[\w.]*)?'?:\s*"
    r"Operation not permitted",
    re.IGNORECASE,
)
#: kmod's modprobe quotes the name; insmod names the file.
_INSERT_ERROR = re.compile(
    r"could not insert (?:module )?'?(?P<module>[\w-]+?)(?:\.ko[\w.]*)?'?:\s*"
    r"(?P<reason>.+)"
)
_MODDEP = re.compile(r"could not open moddep file '(?P<path>[^']+)'")
_DEPMOD_DIR = re.compile(
    r"depmod:\s*(?:ERROR:\s*)?could not open directory (?P<dir>[^\s:]+)"
)
_TUN_DEVICE_MISSING = re.compile(
    r"/dev/net/tun\b.*(?:No such file|errno=2|does not exist)", re.IGNORECASE
)
#: A paste wrapped at its width leaves ``... /dev/net/tun`` on one line and
#: ``does not exist`` (or the directory after ``in directory``) on the next.
_TUN_DEVICE_TAIL = re.compile(r"/dev/net/tun:?\s*$")
_MISSING_HEAD = re.compile(r"^(?:No such file|does not exist)", re.IGNORECASE)
_DIRECTORY_CUT = re.compile(r"\bnot\s+found\s+in\s+directory\s*$")
_WRAPPED_DIRECTORY = re.compile(r"^\s*(?P<dir>/lib/modules/[^\s:]+)\s*$")
#: tailscaled (and others) say which kernel they ran on before modprobe fails.
_STATED_RELEASE = re.compile(
    r"^\s*Linux kernel version:\s*(?P<release>\d+\.\d+[\w.+~-]*)\s*$"
)
#: ``ls -l /dev/net/tun`` of the character device 10:200.
_TUN_DEVICE_PRESENT = re.compile(
    r"^c[-rwxsStT]{9}\S*\s.*\b10,\s*200\b.*\s/dev/net/tun\s*$"
)
_LS_MODULES = re.compile(r"^(?:.*[$#>]\s*)?(?:sudo\s+)?ls\b.*\s/lib/modules/?\s*$")
_RELEASE_NAME = re.compile(r"^\s*(\d+\.\d+[\w.+~-]*)\s*$")

_DMESG_PREFIX = re.compile(r"^\s*(?:<\d+>)?" + DMESG_STAMP + r"\s?")
_TUN_BANNER = re.compile(r"\btun: Universal TUN/TAP device driver")
_FAILED_MODULE = re.compile(r"Failed to load module '(?P<module>[\w-]+)'")
_LINUX_VERSION = re.compile(r"Linux version (?P<release>\d+\.\d+[\w.+~-]*)")


@dataclass(frozen=True)
class ModuleLine:
    """One loaded module, from ``/proc/modules`` or ``lsmod``."""

    name: str
    size: int
    refcount: int | None
    deps: tuple[str, ...]
    """Modules that use this one (``Used by``)."""
    state: str | None = None
    """``Live``, ``Loading`` or ``Unloading``; ``lsmod`` does not say."""


@dataclass(frozen=True)
class ModprobeOutcome:
    """What ``modprobe``/``depmod`` complained about."""

    module: str | None = None
    """The first module named in an error."""
    modules: tuple[str, ...] = ()
    not_found: bool = False
    directory: str | None = None
    """The ``/lib/modules/<release>`` the tool looked in."""
    not_permitted: bool = False
    moddep_missing: bool = False
    depmod_dir_missing: bool = False
    insert_error: str | None = None
    tun_device_missing: bool = False
    """A program reported that ``/dev/net/tun`` does not exist."""
    tun_device_present: bool = False
    """``ls -l`` showed ``/dev/net/tun`` as character device 10:200."""
    listed_releases: tuple[str, ...] = ()
    """Folders an ``ls /lib/modules`` in the same paste showed."""
    stated_release: str | None = None
    """A ``Linux kernel version: ...`` line next to the error (tailscaled)."""
    lsmod_header_only: bool = False
    """``lsmod`` printed its header and no rows: nothing is loaded as a
    module, which is no proof a driver is absent (it may be built in)."""
    lines: tuple[str, ...] = ()

    @property
    def release(self) -> str | None:
        """The kernel release named by the module directory, else the one the
        program stated."""
        if self.directory and self.directory.startswith("/lib/modules/"):
            rest = self.directory[len("/lib/modules/") :].strip("/")
            return rest.split("/", 1)[0] or self.stated_release
        return self.stated_release


@dataclass(frozen=True)
class DmesgFacts:
    """Module-related lines of the kernel log."""

    tun_registered: bool = False
    tun_line: str | None = None
    failed_modules: tuple[str, ...] = ()
    """Modules WSL's init said it could not load at boot."""
    release: str | None = None
    lines: tuple[str, ...] = ()


def _usable(text: object) -> bool:
    return isinstance(text, str | bytes | bytearray | memoryview)


def _deps(raw: str | None) -> tuple[str, ...]:
    if not raw or raw == "-":
        return ()
    return tuple(
        part for part in raw.strip().strip(",").split(",") if part and part != "-"
    )


def parse_proc_modules(text: str | bytes) -> tuple[ModuleLine, ...]:
    """Loaded modules from ``/proc/modules``, newest first as the file lists."""
    if not _usable(text):
        return ()
    found: list[ModuleLine] = []
    for line in text_lines(text):
        match = _PROC_MODULES.match(line)
        if match:
            refs = match.group("refs")
            found.append(
                ModuleLine(
                    name=match.group("name"),
                    size=int(match.group("size")),
                    refcount=None if refs == "-" else int(refs),
                    deps=_deps(match.group("deps")),
                    state=match.group("state"),
                )
            )
    return tuple(found)


def parse_lsmod(text: str | bytes) -> tuple[ModuleLine, ...]:
    """Loaded modules from ``lsmod`` output; prompts and other lines skipped.

    Rows are read after the ``Module Size Used by`` header; without a header
    (``lsmod | grep tun``) every line of the row shape counts.
    """
    if not _usable(text):
        return ()
    lines = text_lines(text)
    has_header = any(_LSMOD_HEADER.match(line) for line in lines)
    in_table = not has_header
    found: list[ModuleLine] = []
    for line in lines:
        if _LSMOD_HEADER.match(line):
            in_table = True
            continue
        if not in_table or not line.strip():
            continue
        match = _LSMOD_ROW.match(line)
        if match is None:
            if has_header:
                in_table = False
            continue
        users = match.group("users")
        found.append(
            ModuleLine(
                name=match.group("name"),
                size=int(match.group("size")),
                refcount=int(match.group("refs")),
                deps=() if users and users.startswith("[") else _deps(users),
            )
        )
    return tuple(found)


def parse_proc_misc(text: str | bytes) -> dict[str, int]:
    """Misc devices from ``/proc/misc``: name to minor (``tun`` -> 200)."""
    if not _usable(text):
        return {}
    devices: dict[str, int] = {}
    for line in text_lines(text):
        match = _MISC.match(line)
        if match:
            devices.setdefault(match.group("name"), int(match.group("minor")))
    return devices


def module_name(file_name: str) -> str:
    """The kernel's name for a module file: ``nf-nat.ko.xz`` -> ``nf_nat``."""
    base = file_name.rsplit("/", 1)[-1]
    base = base.split(".ko", 1)[0]
    return base.replace("-", "_")


def parse_modules_builtin(text: str | bytes) -> set[str]:
    """Names of built-in modules from ``modules.builtin``."""
    if not _usable(text):
        return set()
    names: set[str] = set()
    for line in text_lines(text):
        file_name = line.strip().rsplit("/", 1)[-1]
        match = _MODULE_FILE.fullmatch(file_name)
        if match:
            names.add(module_name(match.group("file")))
    return names


def parse_modules_dep(text: str | bytes) -> dict[str, str]:
    """Module name to its file path (relative to the release folder)."""
    if not _usable(text):
        return {}
    paths: dict[str, str] = {}
    for line in text_lines(text):
        match = _DEP_LINE.match(line)
        if match:
            path = match.group("path")
            paths.setdefault(module_name(path), path)
    return paths


def parse_modprobe_output(text: str | bytes) -> ModprobeOutcome:
    """The failures ``modprobe``/``depmod`` (and programs opening tun) printed."""
    if not _usable(text):
        return ModprobeOutcome()
    modules: list[str] = []
    values: dict[str, object] = {}
    used: list[str] = []
    listed: list[str] = []
    lines = text_lines(text)
    for number, line in enumerate(lines):
        stripped = line.strip()
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        hit = False
        for match in _NOT_FOUND.finditer(stripped):
            modules.append(match.group("module"))
            values["not_found"] = True
            if match.group("dir"):
                values.setdefault("directory", match.group("dir").rstrip(".:"))
            hit = True
        wrapped = _WRAPPED_DIRECTORY.match(following)
        if wrapped and _DIRECTORY_CUT.search(stripped):
            values.setdefault("directory", wrapped.group("dir").rstrip(".:"))
            used.append(following)
        stated = _STATED_RELEASE.match(stripped)
        if stated:
            values.setdefault("stated_release", stated.group("release"))
            hit = True
        if _TUN_DEVICE_TAIL.search(stripped) and _MISSING_HEAD.match(following):
            values["tun_device_missing"] = True
            used.append(following)
            hit = True
        permitted = _NOT_PERMITTED.search(stripped)
        if permitted:
            modules.append(permitted.group("module"))
            values["not_permitted"] = True
            hit = True
        insert = _INSERT_ERROR.search(stripped)
        if insert:
            modules.append(insert.group("module"))
            values.setdefault("insert_error", insert.group("reason").strip())
            hit = True
        moddep = _MODDEP.search(stripped)
        if moddep:
            values["moddep_missing"] = True
            values.setdefault("directory", moddep.group("path").rsplit("/", 1)[0])
            hit = True
        depmod = _DEPMOD_DIR.search(stripped)
        if depmod:
            values["depmod_dir_missing"] = True
            values.setdefault("directory", depmod.group("dir"))
            hit = True
        if _TUN_DEVICE_MISSING.search(stripped):
            values["tun_device_missing"] = True
            hit = True
        if _TUN_DEVICE_PRESENT.match(stripped):
            values["tun_device_present"] = True
            hit = True
        if _LS_MODULES.match(stripped):
            for follow in lines[number + 1 :]:
                name = _RELEASE_NAME.match(follow)
                if not name:
                    break
                listed.extend(follow.split())
            hit = True
        if hit:
            used.append(stripped)

    header = next((line.strip() for line in lines if _LSMOD_HEADER.match(line)), None)
    if header is not None and not parse_lsmod(text):
        values["lsmod_header_only"] = True
        used.append(header)

    unique = tuple(dict.fromkeys(modules))
    return ModprobeOutcome(
        module=unique[0] if unique else None,
        modules=unique,
        listed_releases=tuple(listed),
        lines=tuple(used),
        **values,  # type: ignore[arg-type]
    )


def parse_dmesg(text: str | bytes) -> DmesgFacts:
    """The tun driver's banner and WSL's module load failures in ``dmesg``."""
    if not _usable(text):
        return DmesgFacts()
    tun_line: str | None = None
    failed: list[str] = []
    used: list[str] = []
    release: str | None = None
    for line in text_lines(text):
        message = _DMESG_PREFIX.sub("", line, count=1)
        if tun_line is None and _TUN_BANNER.search(message):
            tun_line = line.strip()
            used.append(tun_line)
        failure = _FAILED_MODULE.search(message)
        if failure:
            failed.append(failure.group("module"))
            used.append(line.strip())
        if release is None:
            version = _LINUX_VERSION.search(message)
            if version:
                release = version.group("release")
    return DmesgFacts(
        tun_registered=tun_line is not None,
        tun_line=tun_line,
        failed_modules=tuple(dict.fromkeys(failed)),
        release=release,
        lines=tuple(used),
    )
