"""Read ``docker version`` and ``docker info``.

The client part always prints, so a working CLI with a dead engine is told
apart from a missing CLI. The engine part is either a ``Server:`` section
(``Server: Docker Desktop 4.39.0 (184744)`` names Docker Desktop's own
version) or an error naming the pipe or socket the CLI could not open. Inside
a WSL distro without Docker's WSL integration, ``docker`` is a stub that
prints a hint instead. Pastes are often partial: ``docker --version`` prints
one line, and a copy can start at the ``Engine:`` part of the server section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wslwizard.probes.parse.text import text_lines

_CLIENT = re.compile(r"^\s*Client\s*:(?P<rest>.*)$")
_SERVER = re.compile(r"^\s*Server\s*:(?P<rest>.*)$")
_DESKTOP = re.compile(
    r"Docker Desktop\s+(?P<version>\d+\.\d+\.\d+)(?:\s*\((?P<build>\d+)\))?"
)
#: ``docker --version``: one line, and the only client version some pastes have.
_ONE_LINER = re.compile(
    r"(?:^|[\s`>$#])Docker version (?P<version>\d+\.\d+\.\d+[\w.+~-]*),?"
    r"\s+build\s+(?P<build>[0-9a-f]{6,40})\b"
)
_KEY_VALUE = re.compile(
    r"^\s*(?P<key>[A-Za-z][\w ./-]{0,40}?)\s*:\s*(?P<value>.*?)\s*$"
)
_STUB = re.compile(
    r"The command 'docker' could not be found in this WSL (?P<generation>\d) distro"
)
_MISSING = re.compile(
    r"docker: command not found|'docker' is not recognized|"
    r"The term 'docker' is not recognized|docker: not found"
)
_ERRORS = re.compile(
    r"(?P<message>(?:error during connect|Cannot connect to the Docker daemon"
    r"|failed to connect to the docker API|Error response from daemon"
    r"|request returned .{0,80}? for API route"
    r"|open //\./pipe/\w+: The system cannot find the file specified"
    r"|permission denied while trying to connect to the Docker daemon).*)",
    re.IGNORECASE,
)
_PIPE = re.compile(r"pipe(?:%2F|/|\\)+(?P<pipe>[A-Za-z][\w-]*)", re.IGNORECASE)
_ENDPOINT = re.compile(r"(?P<endpoint>(?:npipe|unix|tcp|ssh)://[^\s\"';,]+)")
_PRETTY_PRINT = re.compile(r"errors pretty printing info", re.IGNORECASE)
_CLIENT_KEYS = frozenset(
    {
        "version",
        "api version",
        "go version",
        "git commit",
        "built",
        "os/arch",
        "context",
    }
)


@dataclass(frozen=True)
class DockerVersion:
    """What the Docker CLI said about itself and the engine it talks to."""

    client_version: str | None = None
    client_build: str | None = None
    """The commit ``docker --version`` names (``build f0df350``)."""
    client_api: str | None = None
    client_os_arch: str | None = None
    context: str | None = None
    server_version: str | None = None
    """The engine's version (``docker version``'s Engine section)."""
    server_api: str | None = None
    server_os_arch: str | None = None
    server_kernel: str | None = None
    """``Kernel Version`` from ``docker info``: the engine VM's kernel."""
    operating_system: str | None = None
    cgroup_driver: str | None = None
    cgroup_version: str | None = None
    """``docker info``'s ``Cgroup Version`` (1 or 2) of the engine's host."""
    desktop_version: str | None = None
    desktop_build: str | None = None
    components: tuple[tuple[str, str], ...] = ()
    """Other server components and their versions (containerd, runc...)."""
    engine_reachable: bool | None = None
    """True with a server section, False with a connection error, else None."""
    error: str | None = None
    engine_pipe: str | None = None
    """The Windows named pipe in the error, e.g. ``dockerDesktopLinuxEngine``."""
    endpoint: str | None = None
    stub: bool = False
    """The WSL stub that says Docker's WSL integration is off."""
    stub_wsl_generation: int | None = None
    command_missing: bool = False
    info: bool = False
    """The output is ``docker info`` rather than ``docker version``."""
    info_errors: bool = False
    """``docker info`` ended with "errors pretty printing info"."""
    lines: tuple[str, ...] = ()


def parse_docker_version(text: str | bytes) -> DockerVersion | None:
    """Read ``docker version``/``docker info`` output; None if it is neither."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return None
    return _read(text_lines(text))[0]


def docker_line_numbers(lines: list[str]) -> list[int]:
    """The lines a reading would use, for splitting pasted captures."""
    return _read(lines)[1]


def _read(lines: list[str]) -> tuple[DockerVersion | None, list[int]]:
    values: dict[str, object] = {}
    components: list[tuple[str, str]] = []
    used: list[int] = []
    evidence = 0
    section = "client"
    header_seen = False
    headless_engine = False
    sub: str | None = None

    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue

        stub = _STUB.search(stripped)
        if stub:
            values.update(stub=True, stub_wsl_generation=int(stub.group("generation")))
            used.append(number)
            evidence += 3
            continue
        if _MISSING.search(stripped):
            values["command_missing"] = True
            used.append(number)
            evidence += 3
            continue
        if _PRETTY_PRINT.search(stripped):
            values.update(info=True, info_errors=True)
            used.append(number)
            evidence += 1
            continue
        error = _ERRORS.search(stripped)
        if error:
            values.setdefault("error", error.group("message").strip())
            pipe = _PIPE.search(stripped)
            if pipe:
                values.setdefault("engine_pipe", pipe.group("pipe"))
            endpoint = _ENDPOINT.search(stripped)
            if endpoint:
                values.setdefault("endpoint", endpoint.group("endpoint").rstrip(".:"))
            used.append(number)
            evidence += 3
            continue

        one_liner = _ONE_LINER.search(stripped)
        if one_liner:
            values.setdefault("client_version", one_liner.group("version"))
            values.setdefault("client_build", one_liner.group("build"))
            used.append(number)
            evidence += 2
            continue

        client = _CLIENT.match(line)
        server = _SERVER.match(line) if not client else None
        if client or server:
            section, sub = ("client", None) if client else ("server", None)
            header_seen = True
            evidence += 2
            used.append(number)
            desktop = _DESKTOP.search(server.group("rest")) if server else None
            if desktop:
                values["desktop_version"] = desktop.group("version")
                values["desktop_build"] = desktop.group("build")
            continue

        pair = _KEY_VALUE.match(line)
        if not pair:
            continue
        key, value = pair.group("key").strip().lower(), pair.group("value")
        if not value and key == "engine" and section == "client":
            # A copy that starts at ``Engine:`` lost its ``Server:`` header;
            # the engine part only ever appears in the server section.
            section, sub, header_seen = "server", key, True
            used.append(number)
            evidence += 1
            headless_engine = True
            continue
        if header_seen or key in _CLIENT_KEYS:
            used.append(number)
        if not value:
            sub = key
            if key == "plugins":
                values["info"] = True
            continue
        if section == "client" and sub is None:
            evidence += key in _CLIENT_KEYS
            if key == "version":
                values.setdefault("client_version", value)
            elif key == "api version":
                values.setdefault("client_api", value.split()[0])
            elif key == "os/arch":
                values.setdefault("client_os_arch", value)
            elif key == "context":
                values.setdefault("context", value)
            elif key == "debug mode":
                values["info"] = True
        elif section == "server":
            if key == "server version":
                values.setdefault("server_version", value)
                values["info"] = True
            elif key == "kernel version":
                values.setdefault("server_kernel", value)
            elif key == "operating system":
                values.setdefault("operating_system", value)
            elif key == "cgroup driver":
                values.setdefault("cgroup_driver", value)
            elif key == "cgroup version":
                values.setdefault("cgroup_version", value)
            # Before Docker 17.12 the engine's lines sat right under
            # ``Server:``, with no ``Engine:`` heading.
            elif sub in ("engine", None) and key == "version":
                values.setdefault("server_version", value)
                evidence += headless_engine
            elif sub in ("engine", None) and key == "api version":
                values.setdefault("server_api", value.split()[0])
            elif sub in ("engine", None) and key == "os/arch":
                values.setdefault("server_os_arch", value)
            elif sub not in (None, "engine") and key == "version":
                components.append((sub, value))

    if evidence < 2:
        return None, []
    if values.get("server_version"):
        values["engine_reachable"] = True
    elif values.get("error"):
        values["engine_reachable"] = False
    result = DockerVersion(
        **values,  # type: ignore[arg-type]
        components=tuple(components),
        lines=tuple(lines[number].strip() for number in used),
    )
    return result, used
