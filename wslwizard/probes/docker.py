"""Docker Desktop and Rancher Desktop: are they running, and what do their
logs say at the end?"""

from __future__ import annotations

import csv
import io
import re

from wslwizard.host.base import Host
from wslwizard.probes.common import run_text
from wslwizard.probes.logs import find_log_sources, read_excerpt
from wslwizard.probes.model import DockerFacts, Evidence

DOCKER_PROCESSES = ("docker desktop.exe", "com.docker.backend.exe")
RANCHER_PROCESSES = ("rancher desktop.exe",)
INTERESTING = (
    DOCKER_PROCESSES
    + RANCHER_PROCESSES
    + (
        "vmmemwsl",
        "vmmem",
        "com.docker.build.exe",
        "wslservice.exe",
    )
)
_DESKTOP_VERSION = re.compile(
    r"(?:Docker-Desktop/|Docker Desktop |Version:\s+)(\d+\.\d+\.\d+(?:\.\d+)?)"
)


def _windows_process_names(host: Host) -> tuple[list[str] | None, Evidence]:
    """Names of Windows processes: psutil on Windows, tasklist through
    interop from inside WSL."""
    if host.platform() == "win32":
        names = [p.name for p in host.processes()]
        return names, Evidence("process list", f"{len(names)} processes")
    tasklist = host.which("tasklist.exe")
    if tasklist is None:
        return None, Evidence("tasklist.exe", "not available (no interop)")
    answer = run_text(host, [tasklist, "/fo", "csv", "/nh"], timeout=5.0)
    if not answer.result.ok:
        return None, Evidence("tasklist.exe", answer.summary)
    names = [row[0] for row in csv.reader(io.StringIO(answer.stdout)) if row]
    return names, Evidence("tasklist.exe", f"{len(names)} processes")


def probe_docker(host: Host) -> DockerFacts:
    evidence: list[Evidence] = []
    names, where = _windows_process_names(host)
    evidence.append(where)
    desktop = rancher = None
    interesting: list[str] = []
    if names is not None:
        lowered = [name.lower() for name in names]
        desktop = any(name in DOCKER_PROCESSES for name in lowered)
        rancher = any(name in RANCHER_PROCESSES for name in lowered)
        interesting = sorted({n for n in names if n.lower() in INTERESTING})
        evidence.append(
            Evidence("Docker Desktop processes", "running" if desktop else "none")
        )

    sources = find_log_sources(host)
    excerpts = tuple(
        read_excerpt(host, source) for source in sources if source.product != "kernel"
    )
    versions: list[str] = []
    for excerpt in excerpts:
        for line in excerpt.lines:
            match = _DESKTOP_VERSION.search(line)
            if match and match.group(1) not in versions:
                versions.append(match.group(1))
    for source in sources:
        evidence.append(Evidence("log", source.path))
    return DockerFacts(
        desktop_running=desktop,
        rancher_running=rancher,
        processes=tuple(interesting),
        logs=tuple(sources),
        excerpts=excerpts,
        versions_in_logs=tuple(versions[-3:]),
        evidence=tuple(evidence),
    )
