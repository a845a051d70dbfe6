"""Diagnosis of pasted outputs (``wslwizard inspect``): captured text from
someone else's machine, turned into the same facts and findings as a live
check, as far as the text allows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from wslwizard.diagnosis.rules import Finding, LogLines, find_problems
from wslwizard.i18n import _
from wslwizard.probes.model import (
    DockerFacts,
    EnvironmentFacts,
    Evidence,
    MachineFacts,
    VersionFacts,
)
from wslwizard.probes.parse.capture import CapturePart, classify
from wslwizard.probes.parse.kernel import parse_kernel
from wslwizard.probes.parse.text import decode_output
from wslwizard.probes.parse.wsl_version import find_inbox_line


@dataclass(frozen=True)
class InspectedPart:
    kind: str
    facts: dict[str, Any]
    findings: tuple[Finding, ...]
    text: str = ""


@dataclass(frozen=True)
class InspectedFile:
    file: str
    parts: tuple[InspectedPart, ...]
    findings: tuple[Finding, ...]
    error: str | None = None
    """Why the file could not be read (it is missing, a folder, ...)."""
    note: str | None = None
    """Why there was nothing to read in it (it is empty, or not text)."""
    machine: MachineFacts | None = field(default=None, repr=False)

    @property
    def recognised(self) -> tuple[InspectedPart, ...]:
        """The parts some reader understood. A heading, a prompt or a line of
        prose before the output is not a part of its own."""
        return tuple(part for part in self.parts if part.kind != "unknown")

    @property
    def unrecognised_lines(self) -> int:
        return sum(
            1
            for part in self.parts
            if part.kind == "unknown"
            for line in part.text.splitlines()
            if line.strip()
        )

    @property
    def kind(self) -> str:
        parts = self.recognised
        return parts[0].kind if parts else "unknown"

    @property
    def facts(self) -> dict[str, Any]:
        parts = self.recognised or self.parts
        return parts[0].facts if parts else {}


def _merge(parts: list[CapturePart], label: str) -> tuple[MachineFacts, list[LogLines]]:
    """Build partial machine facts from the parts of one capture."""
    version_values: dict[str, Any] = {}
    environment: EnvironmentFacts | None = None
    logs: list[LogLines] = []
    log_versions: list[str] = []
    for index, part in enumerate(parts):
        facts = part.facts
        if part.kind == "wsl-version":
            if facts.get("inbox"):
                version_values["inbox_wsl"] = True
                version_values["wsl_exe"] = "works"
                lines = part.text.split("\n")
                found = find_inbox_line(lines)
                if found is not None:
                    version_values["evidence"] = (
                        Evidence("wsl.exe", lines[found].strip()),
                    )
            elif facts.get("wsl"):
                version_values.update(
                    wsl=facts.get("wsl"),
                    wsl_source="wsl --version",
                    kernel_package=facts.get("kernel"),
                    wslg=facts.get("wslg"),
                    windows=facts.get("windows"),
                    wsl_exe="works",
                )
        elif part.kind == "kernel" and facts.get("release"):
            generation = facts.get("wsl_generation")
            kind = {1: "wsl1", 2: "wsl2"}.get(generation or 0)
            if kind is not None:
                environment = EnvironmentFacts(
                    kind=kind,  # type: ignore[arg-type]
                    platform="linux",
                    kernel_release=facts.get("release"),
                    kernel_custom=bool(facts.get("custom")),
                )
            version_values.setdefault("kernel_release", facts.get("release"))
        elif part.kind == "modules" and facts.get("release") and environment is None:
            kernel = parse_kernel(str(facts["release"]))
            generation = (kernel.wsl_generation if kernel else None) or 0
            kind = {1: "wsl1", 2: "wsl2"}.get(generation)
            if kernel is not None and kind is not None:
                environment = EnvironmentFacts(
                    kind=kind,  # type: ignore[arg-type]
                    platform="linux",
                    kernel_release=kernel.release,
                    kernel_custom=kernel.custom,
                )
        elif part.kind == "docker-version":
            if facts.get("stub"):
                version_values["docker_cli"] = "stub"
                # Docker's stub says which WSL it found ("... in this WSL 1
                # distro"): that is the distro's generation.
                generation = facts.get("stub_wsl_generation")
                if environment is None and generation in (1, 2):
                    environment = EnvironmentFacts(
                        kind="wsl1" if generation == 1 else "wsl2",
                        platform="linux",
                    )
            else:
                version_values.update(
                    docker_client=facts.get("client_version"),
                    docker_desktop=facts.get("desktop_version"),
                    engine=facts.get("server_version"),
                    engine_reachable=facts.get("engine_reachable"),
                    engine_error=facts.get("error"),
                    docker_cli="works",
                )
        elif part.kind == "log" and environment is None:
            # A kernel log names its kernel (dmesg's "Not tainted 5.15...+").
            details = facts.get("version_details") or {}
            release = details.get("kernel_release")
            kernel = parse_kernel(str(release)) if release else None
            if kernel is not None and kernel.wsl_generation == 2:
                environment = EnvironmentFacts(
                    kind="wsl2",
                    platform="linux",
                    kernel_release=kernel.release,
                    kernel_custom=kernel.custom,
                )
        elif part.kind == "os-release" and facts.get("PRETTY_NAME"):
            version_values["distro_pretty"] = facts.get("PRETTY_NAME")
        # Signatures are specific lines: look for them in every part, since
        # a paste can run a log line straight after a command's output.
        if part.kind:
            logs.append(
                LogLines(f"{label} (part {index + 1})", tuple(part.text.splitlines()))
            )
        for version in facts.get("versions", []) or []:
            if isinstance(version, str):
                log_versions.append(version)

    versions = VersionFacts(**version_values) if version_values else None
    docker = None
    if log_versions:
        docker = DockerFacts(versions_in_logs=tuple(log_versions))
    machine = MachineFacts(
        host_label=label,
        recorded=True,
        environment=environment,
        versions=versions,
        docker=docker,
    )
    return machine, logs


def _diagnose_parts(parts: list[CapturePart], label: str) -> tuple[Finding, ...]:
    machine, logs = _merge(parts, label)
    return find_problems(machine, logs)


_LOG_READINGS = (
    "errors",
    "versions",
    "version_details",
    "exit_codes",
    "wsl_error_codes",
)


def _says_nothing(part: InspectedPart) -> bool:
    """Text read as a log that gave no error, version or code: the sentences
    a reporter wrote around the output ("I get this error:"). Timestamped
    lines are a log whatever they say."""
    facts = part.facts
    return (
        part.kind == "log"
        and not part.findings
        and (int(facts.get("lines") or 0) <= 2 or facts.get("format") == "plain")
        and not any(facts.get(key) for key in _LOG_READINGS)
    )


_TEXT_CONTROLS = frozenset("\t\n\x0c\x1b")


def _not_text(data: bytes) -> str | None:
    """Why these bytes hold no output to read (empty, or binary), or None."""
    if not data.strip():
        return _("It is empty: there is nothing to read.")
    sample = decode_output(data[:65536]).text
    odd = sum(
        1
        for char in sample
        if char == "\ufffd" or (char < " " and char not in _TEXT_CONTROLS)
    )
    if odd * 10 > len(sample):
        return _("It is not text (binary data), so it holds no output to read.")
    return None


def inspect_bytes(data: bytes, label: str) -> InspectedFile:
    note = _not_text(bytes(data))
    if note is not None:
        return InspectedFile(label, (), (), note=note)
    parts = classify(data)
    inspected = tuple(
        InspectedPart(part.kind, part.facts, _diagnose_parts([part], label), part.text)
        for part in parts
    )
    if any(p.kind not in ("log", "unknown") for p in inspected):
        # Beside output that was read, such a "log" is prose.
        inspected = tuple(
            replace(p, kind="unknown") if _says_nothing(p) else p for p in inspected
        )
    machine, logs = _merge(parts, label)
    return InspectedFile(
        label, inspected, find_problems(machine, logs), machine=machine
    )
