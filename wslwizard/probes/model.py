"""Typed facts the probes produce. Frozen, so they can cross threads safely.

Every fact that a conclusion rests on carries :class:`Evidence`: where it was
read and the raw line or value, never translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from wslwizard.host.base import TapCheck

EnvironmentKind = Literal["wsl2", "wsl1", "windows", "linux", "macos", "other"]
ModuleState = Literal["loaded", "builtin", "loadable", "missing", "unknown"]
InteropState = Literal["works", "disabled", "broken", "unknown", "not-applicable"]
ProbeStatus = Literal["pending", "running", "done", "timed-out", "failed"]


@dataclass(frozen=True)
class Evidence:
    """One observation: where it came from and what it said."""

    source: str
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}" if self.detail else self.source


@dataclass(frozen=True)
class EnvironmentFacts:
    kind: EnvironmentKind
    platform: str
    distro_name: str | None = None
    distro_pretty: str | None = None
    distro_id: str | None = None
    docker_desktop_distro: bool = False
    kernel_release: str | None = None
    kernel_custom: bool = False
    interop: InteropState = "not-applicable"
    systemd: bool | None = None
    root: bool = False
    sudo_without_password: bool | None = None
    ssh: bool = False
    wsl_conf_crlf: bool = False
    boot_command: str | None = None
    tun_at_boot: tuple[str, ...] = ()
    """Where this distro is told to load tun when it starts: a modules-load.d
    file or ``/etc/modules`` that lists it, a wsl.conf boot command."""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ModuleFacts:
    """What is known about one driver (``tun`` or ``tap``)."""

    name: str
    state: ModuleState
    listed_in_proc_modules: bool | None = None
    registered: bool | None = None
    """``/proc/misc`` names it (tun only): the driver is in the kernel."""
    in_sysfs: bool | None = None
    module_file: str | None = None
    builtin_listed: bool | None = None
    loaded_late: bool | None = None
    """Listed first of several in ``/proc/modules`` (newest first): loaded
    after everything else, by hand, rather than by WSL at boot."""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class DeviceFacts:
    path: str = "/dev/net/tun"
    exists: bool = False
    kind: str | None = None
    device: tuple[int, int] | None = None
    permissions: str | None = None

    @property
    def is_tun_node(self) -> bool:
        return self.exists and self.kind == "char" and self.device == (10, 200)


@dataclass(frozen=True)
class ModulesFacts:
    release: str | None
    tun: ModuleFacts
    tap: ModuleFacts
    device: DeviceFacts
    module_dir: str | None = None
    module_dir_exists: bool | None = None
    proc_modules: Literal["present", "empty", "absent", "unreadable"] = "absent"
    functional: TapCheck | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Distro:
    name: str
    state: str | None = None
    version: int | None = None
    default: bool = False


@dataclass(frozen=True)
class VersionFacts:
    wsl: str | None = None
    wsl_source: str | None = None
    kernel_package: str | None = None
    kernel_release: str | None = None
    wslg: str | None = None
    windows: str | None = None
    inbox_wsl: bool = False
    wsl_exe: Literal[
        "works", "missing", "timed-out", "failed", "not-applicable", "unknown"
    ] = "unknown"
    distros: tuple[Distro, ...] = ()
    default_distro: str | None = None
    docker_client: str | None = None
    docker_desktop: str | None = None
    engine: str | None = None
    engine_reachable: bool | None = None
    engine_error: str | None = None
    docker_cli: Literal["works", "stub", "missing", "timed-out", "unknown"] = "unknown"
    distro_pretty: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class LogSource:
    """A log file worth reading, most relevant first."""

    path: str
    product: Literal["docker", "rancher", "podman", "kernel"]
    label: str
    size: int = 0
    priority: int = 50


@dataclass(frozen=True)
class LogExcerpt:
    """The tail of one log, bounded in size, as lines."""

    source: LogSource
    lines: tuple[str, ...]
    truncated_head: bool = False
    error: str | None = None


@dataclass(frozen=True)
class DockerFacts:
    desktop_running: bool | None = None
    rancher_running: bool | None = None
    processes: tuple[str, ...] = ()
    logs: tuple[LogSource, ...] = ()
    excerpts: tuple[LogExcerpt, ...] = ()
    versions_in_logs: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ProbeOutcome:
    """How one probe went: shown live while probing, and in the report."""

    probe: str
    status: ProbeStatus
    elapsed: float = 0.0
    bound: float = 0.0
    message: str = ""


@dataclass(frozen=True)
class MachineFacts:
    """Everything the probes found. Any part may be missing (``None``) when
    its probe timed out, failed, or the input was a partial capture."""

    host_label: str
    recorded: bool
    environment: EnvironmentFacts | None = None
    modules: ModulesFacts | None = None
    versions: VersionFacts | None = None
    docker: DockerFacts | None = None
    outcomes: tuple[ProbeOutcome, ...] = field(default=())

    @property
    def docker_desktop_version(self) -> str | None:
        """Docker Desktop's version: as reported by the engine, else the
        newest one its logs name."""
        desktop = self.versions.docker_desktop if self.versions else None
        if desktop is None and self.docker and self.docker.versions_in_logs:
            desktop = self.docker.versions_in_logs[-1]
        return desktop
