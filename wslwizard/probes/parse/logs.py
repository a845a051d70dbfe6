"""Split one log line into timestamp, component, level and message.

Runs on every line the log panel tails, so it uses a few anchored,
precompiled patterns whose cost grows linearly with the line. Formats:

* Docker Desktop backend: ``[ts][com.docker.backend.exe.ipc][I] msg``, with
  VM lines nested as ``[ts][...WSLBootstrap] [ts][init   ][E] msg``; the
  inner component and level win. Users often strip the outer part.
* Docker Desktop ``log.txt`` before 2022: ``[20:03:51.572][IPCClient ][Info ]``.
* ``com.docker.diagnose.exe`` logs and ``[PASS]/[FAIL] DD0027: ...`` checks.
* logrus text: ``time="..." level=fatal msg="..."`` (Rancher's vm-switch).
* Rancher Desktop: ``2022-12-14T18:39:14.631Z: message``.
* JSON lines (Docker Desktop's newer ``vm/init.log``).
* ``dmesg``: ``[    1.904582] tun: ...``, and WSL's init in it:
  ``WSL (299) ERROR: ...``.
* Go's standard ``log``: ``2025/04/01 10:48:52 [FATAL] msg`` (Rancher's
  guest agent).

Pasted lines come wrapped in inline code (a backtick each side), and error
dialogs quote a log line (``log: "[ts][wsl-bootstrap][F] exit status 32"``):
the quoted line's level is the dialog's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

#: Longest bracket group read as a header field; longer means message text.
_MAX_GROUP = 120
_MAX_GROUPS = 6
_MAX_JSON = 1 << 20

_GROUP = re.compile(r"\[([^\[\]\n]{0," + str(_MAX_GROUP) + r"})\]")
_ISO_TS = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?"
)
_TIME_OF_DAY = re.compile(r"\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?")
#: ``dmesg`` prints seconds since boot, ``dmesg -T`` a date.
DMESG_STAMP = (
    r"\[\s*(?P<ts>\d{1,9}\.\d{1,9}"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]?\d "
    r"\d{2}:\d{2}:\d{2} \d{4})\]"
)
_DMESG = re.compile(r"^" + DMESG_STAMP + r"\s?(?P<message>.*)$")
_DMESG_SUBSYSTEM = re.compile(r"^(?P<component>[\w .:/-]{1,40}?): ")
#: WSL's init names its process, possibly nested: ``WSL (2 - init(nixos))``.
_WSL_INIT = re.compile(
    r"^WSL \((?:[^()]|\([^()]{0,60}\)){1,80}\) "
    r"(?P<level>ERROR|WARNING|WARN|INFO|FATAL):"
)
_GO_LOG = re.compile(
    r"^(?P<ts>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)\s+"
    r"(?:\[(?P<level>[A-Za-z]{1,11})\]\s*)?(?P<message>.*)$"
)
#: A relayed VM header whose outer timestamp was cut: ``[outer] [init][E] msg``.
_RELAYED_HEADER = re.compile(r"\[[^\[\]\n]{1,120}\]\[[A-Za-z]{1,11}\]")
_QUOTED_HEADER = re.compile(r"[\"'`]\[")
_MAX_QUOTED = 3
_RANCHER = re.compile(r"^(?P<ts>" + _ISO_TS.pattern + r"):? (?P<message>.*)$")
_LOGFMT_FIELD = re.compile(
    r'(?:^|\s)(?P<key>[A-Za-z_]{1,40})=(?P<value>"(?:[^"\\]|\\.){0,4096}"|\S*)'
)
_ESCAPED = re.compile(r"\\(.)")
_LOGFMT_START = re.compile(r"^(?:time|level|ts|msg)=")
_MAX_LOGFMT_FIELDS = 32
_CHECK = re.compile(r"^\[(?P<result>PASS|FAIL|WARN|SKIP)\]\s+(?P<message>.*)$")
_INNER_LEVEL = re.compile(
    r"(?:[:\]\"']|\s)\s*\[?(?P<level>FATAL|Fatal|ERROR|Error)\]?\s?:\s"
)
_MESSAGE_LEVEL = re.compile(
    r"^\s*(?P<level>FATAL|Fatal|fatal|ERROR|Error|error|PANIC|panic|WARN(?:ING)?|"
    r"Warn(?:ing)?|warn(?:ing)?)\s?:"
)

_LEVELS = {
    "i": "info",
    "info": "info",
    "information": "info",
    "notice": "info",
    "pass": "info",
    "w": "warning",
    "warn": "warning",
    "warning": "warning",
    "e": "error",
    "err": "error",
    "error": "error",
    "fail": "error",
    "f": "fatal",
    "fatal": "fatal",
    "panic": "fatal",
    "crit": "fatal",
    "critical": "fatal",
    "d": "debug",
    "debug": "debug",
    "t": "debug",
    "trace": "debug",
    "verbose": "debug",
}


@dataclass(frozen=True)
class LogLine:
    """One log line taken apart; fields the line does not have are None."""

    raw: str
    timestamp: str | None = None
    component: str | None = None
    level: str | None = None
    """One of ``info``, ``warning``, ``error``, ``fatal``, ``debug`` or None."""
    message: str = ""
    format: str = "plain"
    """``docker-backend``, ``docker-legacy``, ``diagnose``, ``logrus``,
    ``rancher``, ``golog``, ``json``, ``dmesg`` or ``plain``."""
    relay_timestamp: str | None = None
    """For a VM line relayed by Docker's backend: the backend's timestamp."""
    relay_component: str | None = None
    """For a relayed VM line: the backend component that relayed it."""


def normalise_level(word: str | None) -> str | None:
    """Map the many spellings of a level onto five names."""
    if not word:
        return None
    return _LEVELS.get(word.strip().lower())


def _is_timestamp(text: str) -> bool:
    text = text.strip()
    return bool(_ISO_TS.fullmatch(text) or _TIME_OF_DAY.fullmatch(text))


def _message_level(message: str) -> str | None:
    """A level the message states itself (``FATAL: ...``, ``Error: ...``)."""
    match = _MESSAGE_LEVEL.match(message)
    return normalise_level(match.group("level")) if match else None


def _inner_level(message: str) -> str | None:
    """An error a message relays after its own words (Rancher Desktop: "WSL
    failed to execute ...: Error: wsl.exe exited with code 4294967295")."""
    match = _INNER_LEVEL.search(message)
    return normalise_level(match.group("level")) if match else None


def _brackets(raw: str, line: str) -> LogLine | None:
    """Docker's chains of bracket fields; a later header replaces an earlier."""
    timestamp = component = level = None
    relay_timestamp = relay_component = None
    legacy = False
    position = 0
    for _ in range(_MAX_GROUPS):
        spaced = position > 0 and line.startswith(" [", position)
        match = _GROUP.match(line, position + 1 if spaced else position)
        if not match:
            break
        field = match.group(1).strip()
        if not field:
            break
        if (
            spaced
            and timestamp is None
            and level is None
            and component is not None
            and _RELAYED_HEADER.match(line, position + 1)
        ):
            # ``[com.docker.backend.exe.WSLBootstrap] [init][E]``: the outer
            # timestamp was stripped, the VM's own header follows.
            relay_component, component = component, field
            position = match.end()
            continue
        if _is_timestamp(field):
            if timestamp is not None or component is not None:
                # A second timestamp starts the header of a relayed VM line.
                relay_timestamp, relay_component = timestamp, component
                component = None
            timestamp, level = field, None
            legacy = bool(_TIME_OF_DAY.fullmatch(field))
        elif spaced or level is not None:
            break
        elif normalise_level(field) and (component is not None or len(field) == 1):
            level = normalise_level(field)
        else:
            component = field
        position = match.end()
    if timestamp is None and component is None and level is None:
        return None

    message = line[position:]
    if message.startswith(" "):
        message = message[1:]
    if timestamp is None and not message.strip():
        # ``[network]`` alone is an ini section header, not a log line.
        return None
    if level is None:
        level = _message_level(message)
    if legacy:
        kind = "docker-legacy"
    elif component and component.startswith("com.docker.diagnose"):
        kind = "diagnose"
    else:
        kind = "docker-backend"
    return LogLine(
        raw,
        timestamp,
        component or relay_component,
        level,
        message,
        kind,
        relay_timestamp,
        relay_component,
    )


def _logrus(raw: str, line: str) -> LogLine | None:
    if not _LOGFMT_START.match(line):
        return None
    fields: dict[str, str] = {}
    for count, match in enumerate(_LOGFMT_FIELD.finditer(line)):
        if count >= _MAX_LOGFMT_FIELDS:
            break
        value = match.group("value")
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = _ESCAPED.sub(r"\1", value[1:-1])
        fields.setdefault(match.group("key").lower(), value)
    if "level" not in fields and "msg" not in fields:
        return None
    if "level" not in fields and "time" not in fields:
        return None
    message = fields.get("msg", "")
    error = fields.get("error") or fields.get("err")
    if error:
        message = f"{message}: {error}" if message else error
    component = fields.get("component") or fields.get("module") or fields.get("logger")
    return LogLine(
        raw,
        fields.get("time"),
        component,
        normalise_level(fields.get("level")) or _message_level(message),
        message,
        "logrus",
    )


def _json(raw: str, line: str) -> LogLine | None:
    if len(line) > _MAX_JSON:
        return None
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None

    def text(*keys: str) -> str | None:
        for key in keys:
            value = data.get(key)
            if value is not None and not isinstance(value, dict | list):
                return str(value)
        return None

    message = text("msg", "message", "MESSAGE", "log") or ""
    return LogLine(
        raw,
        text("time", "timestamp", "ts", "@timestamp"),
        text("component", "logger", "unit", "source"),
        normalise_level(text("level", "severity", "lvl", "priority"))
        or _message_level(message),
        message,
        "json",
    )


def _quoted_level(text: str) -> str | None:
    """The level of a timestamped log line quoted inside another message."""
    for count, match in enumerate(_QUOTED_HEADER.finditer(text)):
        if count >= _MAX_QUOTED:
            break
        inner = _brackets(text, text[match.start() + 1 :])
        if inner is not None and inner.timestamp and inner.level:
            return inner.level
    return None


def _unwrap_code(head: str) -> str:
    """A line pasted as inline code: `` `[...][E] msg` `` without the ticks."""
    if not head.startswith("`") or head.startswith("``"):
        return head
    inner = head[1:]
    # Only log shapes: `` `docker version` `` in prose stays as written.
    if not (inner[:1] in ("[", "{") or _LOGFMT_START.match(inner)):
        return head
    return inner[:-1] if inner.endswith("`") else inner


def parse_log_line(line: str) -> LogLine:
    """Take one log line apart. Never raises; unknown shapes come back plain."""
    if not isinstance(line, str):
        line = ""
    line = line.rstrip("\r\n")
    head = _unwrap_code(line.lstrip())

    if head.startswith("["):
        check = _CHECK.match(head)
        if check:
            level = normalise_level(check.group("result"))
            return LogLine(line, None, None, level, check.group("message"), "diagnose")
        dmesg = _DMESG.match(head)
        if dmesg:
            message = dmesg.group("message")
            subsystem = _DMESG_SUBSYSTEM.match(message)
            component = subsystem.group("component") if subsystem else None
            level = _message_level(message)
            wsl = _WSL_INIT.match(message)
            if wsl:
                component, level = "WSL", normalise_level(wsl.group("level"))
            return LogLine(line, dmesg.group("ts"), component, level, message, "dmesg")
        parsed = _brackets(line, head)
        if parsed is not None:
            return parsed
    elif head.startswith("{"):
        parsed = _json(line, head)
        if parsed is not None:
            return parsed
    elif head[:1].isdigit():
        rancher = _RANCHER.match(head)
        if rancher:
            message = rancher.group("message")
            level = _message_level(message) or _inner_level(message)
            return LogLine(line, rancher.group("ts"), None, level, message, "rancher")
        golog = _GO_LOG.match(head)
        if golog:
            message = golog.group("message")
            level = normalise_level(golog.group("level")) or _message_level(message)
            return LogLine(line, golog.group("ts"), None, level, message, "golog")

    parsed = _logrus(line, head)
    if parsed is not None:
        return parsed
    level = _message_level(head) or _quoted_level(head)
    return LogLine(line, None, None, level, head, "plain")
