"""Support bundles: record what the probes read, remove personal details, and
write one scenario file that replays the same diagnosis on any machine.

The steps are separate so that a screen can show the summary between them::

    recording = record_bundle(host)          # probes run (blocking)
    bundle = redact(recording, ["acme"])     # fast; again for more terms
    bundle.summary                           # what was replaced, by category
    write_bundle(path, bundle)               # atomic, mode 0600
"""

from __future__ import annotations

import contextlib
import logging
import ntpath
import os
import posixpath
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from wslwizard import __version__
from wslwizard.diagnosis.rules import Diagnosis, diagnose
from wslwizard.host.base import Host, TapCheck
from wslwizard.host.recorded import (
    RecordedCommand,
    Scenario,
    ScenarioError,
    parse_scenario,
)
from wslwizard.host.recording import (
    NOT_RECORDED_FLAG,
    Capture,
    ContentNote,
    RecordingHost,
)
from wslwizard.i18n import N_, _, ngettext
from wslwizard.probes.gather import DEFAULT_BOUND, ProgressCallback, gather_facts
from wslwizard.probes.parse.text import decode_output
from wslwizard.report.redaction import (
    CATEGORIES,
    EMAIL,
    HOST,
    IPV4,
    IPV6,
    MAC,
    NOT_PEOPLE,
    TERM,
    TOKEN,
    USER,
    Names,
    Redactor,
    Replacement,
)
from wslwizard.report.scenario_toml import dump_scenario


def _words(text: str) -> list[str]:
    """Whitespace-separated words: long word lists stay readable."""
    return text.split()


log = logging.getLogger(__name__)

#: Each file and command output is cut to this, keeping its end (logs) or
#: its start (a file read from the start), at a line start.
MAX_PAYLOAD_BYTES = 256 * 1024
#: All of them together; when more, the largest are cut further, equally.
MAX_TOTAL_BYTES = 4 * 1024 * 1024

#: Environment variables a bundle keeps (their values redacted): what the
#: probes and the wizard read, and what tells a helper where the tool ran.
#: Every other variable is left out: names and values alike can be anything.
ENVIRONMENT_KEPT = frozenset(
    _words(
        """
        PATH HOME USER LOGNAME SHELL LANG LANGUAGE LC_ALL LC_CTYPE LC_MESSAGES TERM
        COLORTERM TERM_PROGRAM NO_COLOR PAGER WSL_DISTRO_NAME WSL_INTEROP WSLENV
        WSL2_GUI_APPS_ENABLED WSL_UTF8 WAYLAND_DISPLAY DISPLAY PULSE_SERVER
        XDG_RUNTIME_DIR WT_SESSION WT_PROFILE_ID SSH_CONNECTION SSH_CLIENT SSH_TTY
        SUDO_USER LOCALAPPDATA APPDATA USERPROFILE USERNAME HOSTNAME COMPUTERNAME NAME
        USERDOMAIN SYSTEMROOT WINDIR OS PROCESSOR_ARCHITECTURE DOCKER_HOST
        DOCKER_CONTEXT HOMEDRIVE HOMEPATH PROGRAMFILES PROGRAMDATA
        """
    )
)
_USER_VARIABLES = ("USER", "LOGNAME", "USERNAME", "SUDO_USER")
_HOST_VARIABLES = ("HOSTNAME", "COMPUTERNAME")
_DOMAIN_VARIABLES = ("USERDOMAIN", "USERDNSDOMAIN")

_USERS_IN_TEXT = (
    re.compile(r"/home/([^/\s'\"`:;,]+)"),
    re.compile(r"/mnt/[A-Za-z]/Users/([^/\s'\"`:;,]+)"),
    re.compile(r"[A-Za-z]:(?:\\\\|[\\/])Users(?:\\\\|[\\/])([^\\/\r\n'\"`:*?<>|]+)"),
)
_HOSTS_IN_TEXT = (
    re.compile(r"^Linux (?!version )([A-Za-z0-9][A-Za-z0-9.-]*) \d+\.\d+", re.M),
    re.compile(r"^\s*hostname\s*=\s*([A-Za-z0-9][A-Za-z0-9.-]*)", re.M),
)
_PROMPT = re.compile(
    r"(?<![\w.-])([A-Za-z_][\w.-]{0,31})@([A-Za-z0-9][\w-]{0,62}):[~/]"
)
_PEOPLE_FOLDER = re.compile(r"(?:^|[\\/])(?:Users|home)$", re.IGNORECASE)
_PLACEHOLDER_NAME = re.compile(r"^(?:user|host|domain|removed)\d+$", re.IGNORECASE)

CATEGORY_LABELS = {
    TERM: N_("your own terms"),
    USER: N_("user names"),
    HOST: N_("host and domain names"),
    EMAIL: N_("e-mail addresses"),
    IPV4: N_("IPv4 addresses"),
    IPV6: N_("IPv6 addresses"),
    MAC: N_("MAC addresses"),
    TOKEN: N_("ids and tokens"),
}


def category_label(category: str) -> str:
    """The category's name in the user's language."""
    return _(CATEGORY_LABELS[category])


@dataclass(frozen=True)
class Recording:
    """What the probes read on a machine, before anything is removed. Holds
    personal details: keep it in memory, never write it."""

    capture: Capture
    diagnosis: Diagnosis
    names: Names
    recorded_at: datetime


@dataclass(frozen=True)
class CategorySummary:
    category: str
    label: str
    places: int
    """How many times something of this kind was replaced."""
    values: tuple[Replacement, ...]
    """Each distinct original and its placeholder, most frequent first."""


@dataclass(frozen=True)
class CutNote:
    """A payload made shorter to keep the bundle bounded."""

    where: str
    """The redacted path, or the redacted command line and stream."""
    size: int | None
    kept: int
    kept_part: str
    """``end`` or ``start``."""


@dataclass(frozen=True)
class RedactionSummary:
    """What a bundle leaves out and replaces, for the preview. Holds the
    originals: show them only on the user's own screen."""

    categories: tuple[CategorySummary, ...]
    environment_left_out: tuple[str, ...]
    """Names of the variables left out."""
    process_details_left_out: int
    """Processes whose program path and command line were left out."""
    kept_names: tuple[tuple[str, str], ...]
    """(category, name) found but left as they are: common words, or too
    short to replace in free text."""
    cut: tuple[CutNote, ...]
    extra_terms: tuple[str, ...]

    @property
    def places(self) -> int:
        return sum(category.places for category in self.categories)


@dataclass
class RedactedBundle:
    """A recording with personal details replaced, ready to write."""

    scenario: Scenario
    summary: RedactionSummary
    header: str
    diagnosis: Diagnosis
    file_notes: dict[str, str] = field(default_factory=dict)
    command_notes: dict[int, str] = field(default_factory=dict)
    redactor: Redactor = field(default_factory=Redactor, repr=False)
    _toml: bytes | None = field(default=None, repr=False)

    def to_toml(self) -> bytes:
        """The bundle file's bytes (UTF-8 scenario TOML). Every payload is
        checked to parse back to the same bytes; one that would not is
        written as base64 instead."""
        if self._toml is None:
            self._toml = _dump_checked(self)
        return self._toml

    def to_markdown(self) -> str:
        """A short summary to paste into an issue, redacted the same way."""
        from wslwizard.report.markdown import render_markdown

        self.redactor.counting = False
        try:
            return self.redactor.text(render_markdown(self.diagnosis, self.scenario))
        finally:
            self.redactor.counting = True


# -- recording ---------------------------------------------------------------


def record_bundle(
    host: Host,
    bound: float = DEFAULT_BOUND,
    on_progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> Recording:
    """Run the probes on ``host`` through a :class:`RecordingHost` and keep
    what they read, the diagnosis they led to, and the names to remove.
    Blocks for as long as the probes take (at most ``bound`` seconds)."""
    recorder = RecordingHost(host)
    facts = gather_facts(recorder, bound=bound, on_progress=on_progress)
    diagnosis = diagnose(facts)
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    name = _("support bundle {date}").format(date=at.strftime("%Y-%m-%d %H:%M UTC"))
    capture = recorder.capture(name)
    return Recording(capture, diagnosis, discover_names(host, capture), at)


def _clean_name(value: str | None) -> str | None:
    value = (value or "").strip().strip("\"'")
    if not value or len(value) > 64 or value.isdigit():
        return None
    if "/" in value or "\\" in value or value.casefold() in NOT_PEOPLE:
        return None
    if _PLACEHOLDER_NAME.match(value):
        return None
    return value


def _last_part(path: str | None) -> str | None:
    if not path:
        return None
    parts = re.split(r"[\\/]+", path.rstrip("\\/"))
    for index, part in enumerate(parts[:-1]):
        if part.casefold() in ("users", "home"):
            return parts[index + 1]
    return None


def discover_names(host: Host, capture: Capture) -> Names:
    """User, host and domain names: from the environment, the folders under
    ``/home`` and ``Users``, ``/etc/hostname``, ``uname`` lines, prompts and
    paths in what was recorded. A few reads here go to ``host`` directly and
    are never part of the bundle."""
    env = capture.scenario.environment
    upper = {key.upper(): value for key, value in env.items()}
    users: list[str | None] = [upper.get(name) for name in _USER_VARIABLES]
    users += [_last_part(upper.get(v)) for v in ("HOME", "USERPROFILE", "LOCALAPPDATA")]
    hosts: list[str | None] = [upper.get(name) for name in _HOST_VARIABLES]
    if upper.get("WSL_DISTRO_NAME"):
        hosts.append(upper.get("NAME"))  # WSL sets NAME to the computer's name
    domains: list[str | None] = [upper.get(name) for name in _DOMAIN_VARIABLES]

    for folder, names in capture.listings.items():
        if _PEOPLE_FOLDER.search(folder.rstrip("\\/")):
            users += names

    # Read for the names only; none of this goes into the bundle.
    for path in ("/etc/hostname", "/proc/sys/kernel/hostname"):
        with contextlib.suppress(OSError):
            hosts.append(decode_output(host.read_bytes(path, 256)).text.strip())
    for folder in ("/home",):
        with contextlib.suppress(OSError):
            users += host.list_dir(folder)
    profile = upper.get("USERPROFILE")
    if profile:
        with contextlib.suppress(OSError):
            users += host.list_dir(ntpath.dirname(profile))

    texts = [*capture.scenario.files, *env.values()]
    texts += [" ".join(c.argv) for c in capture.scenario.commands]
    for entry in capture.scenario.files.values():
        texts.append(decode_output(entry.data).text)
    for command in capture.scenario.commands:
        texts += [
            decode_output(command.stdout).text,
            decode_output(command.stderr).text,
        ]
    for text in texts:
        for pattern in _USERS_IN_TEXT:
            users += pattern.findall(text)
        for pattern in _HOSTS_IN_TEXT:
            hosts += pattern.findall(text)
        for user, host_name in _PROMPT.findall(text):
            users.append(user)
            hosts.append(host_name)

    def unique(values: Iterable[str | None]) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for value in values:
            name = _clean_name(value)
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        return tuple(seen.values())

    hosts_found = unique(hosts)
    return Names(
        users=unique(users),
        hosts=hosts_found,
        domains=tuple(
            d
            for d in unique(domains)
            if d.casefold() not in map(str.casefold, hosts_found)
        ),
    )


# -- bounding ------------------------------------------------------------------


def _is_utf16(data: bytes) -> bool:
    return decode_output(data[:4096]).encoding.startswith("utf-16")


def cut_payload(data: bytes, limit: int, keep: str = "end") -> bytes:
    """At most ``limit`` bytes of ``data``: its end or start, cut at a line
    start when there is one, and never inside a character."""
    if len(data) <= limit:
        return data
    if limit <= 0:
        return b""
    wide = _is_utf16(data)
    newline = b"\n\x00" if wide else b"\n"
    if keep == "start":
        piece = data[:limit]
        if wide:
            piece = piece[: len(piece) - len(piece) % 2]
        end = piece.rfind(newline)
        if wide:
            while end > 0 and end % 2:
                end = piece.rfind(newline, 0, end)
        if end > 0:
            return piece[: end + len(newline)]
        return piece if wide else _without_cut_character(piece)
    piece = data[-limit:]
    if wide and (len(data) - len(piece)) % 2:
        piece = piece[1:]
    start = piece.find(newline)
    if wide:
        while start >= 0 and start % 2:
            start = piece.find(newline, start + 1)
    if 0 <= start < len(piece) - len(newline):
        return piece[start + len(newline) :]
    if not wide:
        while piece and 0x80 <= piece[0] < 0xC0:
            piece = piece[1:]
    return piece


def _without_cut_character(piece: bytes) -> bytes:
    """``piece`` less a UTF-8 character cut off at its end, if any."""
    index = len(piece) - 1
    while index >= 0 and len(piece) - index <= 4 and 0x80 <= piece[index] < 0xC0:
        index -= 1
    if index < 0 or piece[index] < 0xC0:
        return piece
    lead = piece[index]
    needed = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return piece[:index] if len(piece) - index < needed else piece


def _fair_cap(sizes: Sequence[int], total: int, cap: int) -> int:
    """The largest per-payload cap (at most ``cap``) under which all of them
    together fit in ``total``: small payloads stay whole, big ones share."""
    if sum(min(size, cap) for size in sizes) <= total:
        return cap
    low, high = 0, cap
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(size, middle) for size in sizes) <= total:
            low = middle
        else:
            high = middle - 1
    return low


# -- redaction -------------------------------------------------------------------


def redact(
    recording: Recording,
    extra_terms: Iterable[str] = (),
    max_payload: int = MAX_PAYLOAD_BYTES,
    max_total: int = MAX_TOTAL_BYTES,
) -> RedactedBundle:
    """The bundle with every personal detail replaced, the user's own
    ``extra_terms`` too (anywhere, any case). Call it again with more terms:
    the recording is not changed."""
    terms = tuple(dict.fromkeys(t.strip() for t in extra_terms if t and t.strip()))
    redactor = Redactor(recording.names, terms)
    source = recording.capture.scenario
    notes = recording.capture.notes

    # Bound first, so that the redactor never sees more than the bundle keeps.
    sizes = [len(f.data) for f in source.files.values()]
    sizes += [len(c.stdout) for c in source.commands]
    sizes += [len(c.stderr) for c in source.commands]
    cap = _fair_cap(sizes, max_total, max_payload)
    cuts: list[tuple[str, str | int, int | None, int, str]] = []

    def bounded(data: bytes, keep: str, kind: str, where: str | int) -> bytes:
        kept = cut_payload(data, cap, keep)
        if len(kept) < len(data):
            cuts.append((kind, where, len(data), len(kept), keep))
        return kept

    scenario = Scenario(
        name=source.name,
        description=_(
            "Recorded by wslwizard {version}; personal details replaced."
        ).format(version=__version__),
        platform=source.platform,
        uid=source.uid,
    )
    tap = recording.capture.tap_check
    if tap is not None and tap.attempted:
        # Played back by the replay while nothing has changed the machine.
        scenario.tap_check = replace(tap, message=redactor.text(tap.message))

    left_out = sorted(
        k for k in source.environment if k.upper() not in ENVIRONMENT_KEPT
    )
    for name, value in source.environment.items():
        if name.upper() in ENVIRONMENT_KEPT:
            exact = redactor.exact_name(value)
            scenario.environment[name] = exact or redactor.text(value)

    file_notes: dict[str, str] = {}
    for path, entry in source.files.items():
        note = notes.get(path)
        keep = "start" if note and note.kind == "head" else "end"
        data = entry.data
        if note is not None and note.kind == "tail" and data:
            # The probes read from a chunk boundary and drop the cut first
            # line; the replay, seeing the file start there, would not.
            data = cut_payload(data, len(data) - 1)
        data = bounded(data, keep, "file", path)
        new_path = _normal_path(redactor.text(path), source.platform)
        data = cut_payload(redactor.data(data), cap, keep)
        scenario.files[new_path] = replace(entry, data=data)
        if note is not None:
            file_notes[new_path] = _content_note(note, len(data))

    command_notes: dict[int, str] = {}
    for index, command in enumerate(source.commands):
        stdout = bounded(command.stdout, "end", "stdout", index)
        stderr = bounded(command.stderr, "end", "stderr", index)
        scenario.commands.append(
            replace(
                command,
                argv=tuple(redactor.text(a) for a in command.argv),
                stdout=cut_payload(redactor.data(stdout), cap),
                stderr=cut_payload(redactor.data(stderr), cap),
            )
        )
        if NOT_RECORDED_FLAG in command.when:
            command_notes[index] = _(
                "The machine has this program, but the checks did not run it: a "
                "replay answers any call to it with 'not in the recorded machine'."
            )
        elif command.hang:
            command_notes[index] = _(
                "It gave no answer in time on the machine: a replay waits for the "
                "caller's whole timeout."
            )

    detailed = 0
    for process in source.processes:
        detailed += bool(process.exe or process.cmdline)
        scenario.processes.append(
            replace(process, name=redactor.text(process.name), exe="", cmdline=())
        )

    _settle(redactor, scenario)

    redactor.counting = False
    cut_notes = tuple(
        CutNote(
            where=redactor.text(where)
            if kind == "file"
            else f"{' '.join(scenario.commands[int(where)].argv)} ({kind})",
            size=size,
            kept=kept,
            kept_part=keep,
        )
        for kind, where, size, kept, keep in cuts
    )
    tap_line = _tap_note(scenario.tap_check)
    redactor.counting = True

    summary = RedactionSummary(
        categories=_categories(redactor),
        environment_left_out=tuple(left_out),
        process_details_left_out=detailed,
        kept_names=tuple(redactor.kept),
        cut=cut_notes,
        extra_terms=terms,
    )
    header = _header(
        recording, summary, cap, tap_line, len(recording.capture.unanswered)
    )
    return RedactedBundle(
        scenario=scenario,
        summary=summary,
        header=header,
        diagnosis=recording.diagnosis,
        file_notes=file_notes,
        command_notes=command_notes,
        redactor=redactor,
    )


def _normal_path(path: str, platform: str) -> str:
    """One spelling per path, as the scenario loader keys them."""
    if platform == "win32":
        return ntpath.normpath(path.replace("/", "\\"))
    return posixpath.normpath(path) if path.startswith("/") else path


def _settle(redactor: Redactor, scenario: Scenario) -> None:
    """Redact everything once more without counting: a placeholder next to
    other text must not have made a new match. Normally changes nothing."""
    redactor.counting = False
    try:
        for name, value in list(scenario.environment.items()):
            scenario.environment[name] = redactor.text(value)
        for path in list(scenario.files):
            entry = scenario.files.pop(path)
            scenario.files[_normal_path(redactor.text(path), scenario.platform)] = (
                replace(entry, data=redactor.data(entry.data))
            )
        scenario.commands[:] = [
            replace(
                c,
                argv=tuple(redactor.text(a) for a in c.argv),
                stdout=redactor.data(c.stdout),
                stderr=redactor.data(c.stderr),
            )
            for c in scenario.commands
        ]
        scenario.processes[:] = [
            replace(p, name=redactor.text(p.name)) for p in scenario.processes
        ]
    finally:
        redactor.counting = True


def _categories(redactor: Redactor) -> tuple[CategorySummary, ...]:
    grouped = redactor.by_category()
    return tuple(
        CategorySummary(
            category=category,
            label=category_label(category),
            places=sum(r.count for r in grouped[category]),
            values=tuple(sorted(grouped[category], key=lambda r: -r.count)),
        )
        for category in CATEGORIES
        if category in grouped
    )


def describe_category(category: CategorySummary) -> str:
    """``user names: 2 values, replaced in 13 places``, in the user's
    language."""
    values = ngettext("{count} value", "{count} values", len(category.values))
    places = ngettext("{count} place", "{count} places", category.places)
    return _("{label}: {values}, replaced in {places}").format(
        label=category.label,
        values=values.format(count=len(category.values)),
        places=places.format(count=category.places),
    )


def _size(size: int | None) -> str:
    if size is None:
        return "?"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MiB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KiB"
    return f"{size} B"


def _content_note(note: ContentNote, kept: int) -> str:
    if note.kind == "unread":
        return _("Only its existence was checked; its content was not read.")
    if note.kind == "tail":
        return _("The end of a file of {size}: {kept} kept.").format(
            size=_size(note.size), kept=_size(kept)
        )
    if note.kind == "head":
        return _("The start of a file of {size}: {kept} kept.").format(
            size=_size(note.size), kept=_size(kept)
        )
    return _("A part of a file of {size}: {kept} kept.").format(
        size=_size(note.size), kept=_size(kept)
    )


def _tap_note(check: TapCheck | None) -> str:
    if check is None or not check.attempted:
        return ""
    answer = _("it worked") if check.ok else f"{check.errno_name}: {check.message}"
    return _(
        "On the machine the TAP check answered: {answer}. A replay plays this "
        "answer back until a repair changes the recorded machine."
    ).format(answer=answer)


def _header(
    recording: Recording,
    summary: RedactionSummary,
    cap: int,
    tap_line: str,
    unanswered: int,
) -> str:
    """The opening comment: what this file is and what was removed, by
    category and count, never a value."""
    lines = [
        _("wslwizard support bundle, recorded {date} by wslwizard {version}.").format(
            date=recording.recorded_at.strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
        ),
        _(
            "It holds what wslwizard's checks read on the machine: file contents, "
            "folder listings, command outputs, some environment variables. "
            "See the same diagnosis with: wslwizard check --replay FILE"
        ),
        "",
        _(
            "Removed before this file was written (placeholders stay the same "
            "for the same value throughout):"
        ),
    ]
    if not summary.categories:
        lines.append("- " + _("nothing needed replacing"))
    for category in summary.categories:
        lines.append("- " + describe_category(category))
    if summary.environment_left_out:
        count = len(summary.environment_left_out)
        lines.append(
            "- "
            + ngettext(
                "{count} environment variable the checks do not need, left out",
                "{count} environment variables the checks do not need, left out",
                count,
            ).format(count=count)
        )
    if summary.process_details_left_out:
        count = summary.process_details_left_out
        lines.append(
            "- "
            + ngettext(
                "the program path and command line of {count} process, left out",
                "the program paths and command lines of {count} processes, left out",
                count,
            ).format(count=count)
        )
    if summary.kept_names:
        count = len(summary.kept_names)
        lines.append(
            "- "
            + ngettext(
                "{count} name found was kept: a common word or too short to "
                "replace safely (it is still replaced in /home/NAME and Users\\NAME)",
                "{count} names found were kept: common words or too short to "
                "replace safely (they are still replaced in /home/NAME and "
                "Users\\NAME)",
                count,
            ).format(count=count)
        )
    lines += [
        "",
        _(
            "Size: each file and command output is cut to at most {cap}, keeping "
            "its end (logs) or its start (files read from the start), at a line "
            "start; all of them together to at most {total}."
        ).format(cap=_size(cap), total=_size(MAX_TOTAL_BYTES)),
    ]
    if summary.cut:
        lines.append(
            ngettext(
                "{count} of them was cut here.",
                "{count} of them were cut here.",
                len(summary.cut),
            ).format(count=len(summary.cut))
        )
    if tap_line:
        lines += ["", tap_line]
    if unanswered:
        lines += [
            "",
            ngettext(
                "{count} command could not start on the machine for another reason "
                "than 'not found'; a replay says it is not in the recorded machine.",
                "{count} commands could not start on the machine for another reason "
                "than 'not found'; a replay says they are not in the recorded machine.",
                unanswered,
            ).format(count=unanswered),
        ]
    return "\n".join(lines)


# -- writing -----------------------------------------------------------------------


def _dump_checked(bundle: RedactedBundle) -> bytes:
    files_as_bytes: set[str] = set()
    commands_as_bytes: dict[int, set[str]] = {}
    for attempt in range(3):
        text = dump_scenario(
            bundle.scenario,
            header=bundle.header,
            file_notes=bundle.file_notes,
            command_notes=bundle.command_notes,
            files_as_bytes=files_as_bytes,
            commands_as_bytes=commands_as_bytes,
        )
        try:
            parsed = parse_scenario(text, source="bundle")
        except ScenarioError:
            if attempt:
                raise
            log.exception("a bundle did not parse back; writing payloads as bytes")
            files_as_bytes = set(bundle.scenario.files)
            commands_as_bytes = {
                i: {"stdout", "stderr"} for i in range(len(bundle.scenario.commands))
            }
            continue
        bad_files = {
            path
            for (path, entry), back in zip(
                bundle.scenario.files.items(), parsed.files.values(), strict=False
            )
            if back.data != entry.data
        }
        bad_commands = _command_mismatches(bundle.scenario.commands, parsed.commands)
        if not bad_files and not bad_commands:
            return text.encode("utf-8")
        files_as_bytes |= bad_files
        for index, streams in bad_commands.items():
            commands_as_bytes.setdefault(index, set()).update(streams)
    raise ScenarioError("bundle: a payload does not read back the same")


def _command_mismatches(
    wanted: Sequence[RecordedCommand], parsed: Sequence[RecordedCommand]
) -> dict[int, set[str]]:
    bad: dict[int, set[str]] = {}
    for index, (mine, theirs) in enumerate(zip(wanted, parsed, strict=False)):
        for stream in ("stdout", "stderr"):
            if getattr(mine, stream) != getattr(theirs, stream):
                bad.setdefault(index, set()).add(stream)
    return bad


def default_bundle_path(now: datetime | None = None, folder: str | Path = ".") -> Path:
    """``wslwizard-report-YYYYMMDD-HHMMSS.toml`` in ``folder``, local time."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"wslwizard-report-{stamp}.toml"


def write_private_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` atomically, readable by this user only (mode 0600): a
    temporary file in the same folder, flushed, then renamed over ``path``."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=".wslwizard-report-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            os.chmod(temporary, 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def write_bundle(path: str | Path, bundle: RedactedBundle) -> Path:
    """Write the bundle's TOML to ``path`` (atomically, mode 0600)."""
    return write_private_file(path, bundle.to_toml())
