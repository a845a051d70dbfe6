"""One row per area (environment, drivers, versions, engine, logs) for every
presenter: the ``check`` report, the JSON output and the wizard's panels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wslwizard.diagnosis.facts import FACTS
from wslwizard.diagnosis.knowledge import load_knowledge, version_less
from wslwizard.diagnosis.rules import Diagnosis
from wslwizard.i18n import _
from wslwizard.probes.model import Evidence, MachineFacts, ModuleFacts

Status = Literal["ok", "problem", "warning", "unknown", "not-applicable"]
Mark = Literal["good", "affected", "unknown"]


@dataclass(frozen=True)
class AreaRow:
    id: str
    label: str
    status: Status
    detail: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class VersionRow:
    id: str
    label: str
    value: str | None
    mark: Mark
    note: str = ""


ENVIRONMENT_NAMES = {
    "wsl2": "WSL 2",
    "wsl1": "WSL 1",
    "windows": "Windows",
    "linux": "Linux (not WSL)",
    "macos": "macOS",
    "other": "other",
}


def module_phrase(module: ModuleFacts) -> str:
    return {
        "loaded": _("loaded"),
        "builtin": _("built into the kernel"),
        "loadable": _("not loaded (a module file exists, so it can be loaded)"),
        "missing": _("missing (not in the kernel, no module file)"),
        "unknown": _("unknown"),
    }[module.state]


def _environment_row(facts: MachineFacts) -> AreaRow:
    env = facts.environment
    if env is None:
        return AreaRow("environment", _("Environment"), "unknown", _("no answer"))
    parts = [ENVIRONMENT_NAMES[env.kind]]
    if env.distro_name or env.distro_pretty:
        parts.append(env.distro_name or env.distro_pretty or "")
    if env.kind in ("wsl2", "wsl1"):
        parts.append(
            {
                "works": _("Windows interop works"),
                "disabled": _("Windows interop is off"),
                "broken": _("Windows interop is broken"),
                "unknown": _("Windows interop unknown"),
                "not-applicable": "",
            }[env.interop]
        )
    if env.systemd:
        parts.append("systemd")
    if env.ssh:
        parts.append(_("over SSH"))
    parts.append(_("as root") if env.root else _("as a normal user"))
    status: Status = "ok"
    if env.kind == "wsl1":
        status = "problem"
    elif env.kind in ("linux", "macos", "other"):
        status = "not-applicable"
    return AreaRow(
        "environment",
        _("Environment"),
        status,
        ", ".join(p for p in parts if p),
        env.evidence,
    )


def _module_row(facts: MachineFacts, name: str) -> AreaRow:
    label = _("Driver {name}").format(name=name)
    modules = facts.modules
    if modules is None:
        return AreaRow(f"modules.{name}", label, "unknown", _("no answer"))
    module = modules.tun if name == "tun" else modules.tap
    needed = name == "tun"
    if module.state in ("loaded", "builtin"):
        status: Status = "ok"
    elif module.state == "unknown":
        status = "unknown"
    elif needed:
        status = "problem"
    else:
        status = "not-applicable"
    detail = module_phrase(module)
    if not needed:
        detail = _("{state}; Docker does not need it").format(state=detail)
    if facts.environment and facts.environment.kind in ("linux", "macos", "other"):
        status = "ok" if status == "ok" else "not-applicable"
    return AreaRow(f"modules.{name}", label, status, detail, module.evidence)


def _device_row(facts: MachineFacts) -> AreaRow:
    modules = facts.modules
    label = _("Device /dev/net/tun")
    if modules is None:
        return AreaRow("modules.tun.device", label, "unknown", _("no answer"))
    device = modules.device
    if not device.exists:
        status: Status = "problem"
        if facts.environment and facts.environment.kind not in ("wsl2",):
            status = "not-applicable"
        return AreaRow("modules.tun.device", label, status, _("does not exist"))
    if not device.is_tun_node:
        return AreaRow(
            "modules.tun.device",
            label,
            "warning",
            _("exists but is not the tun device"),
        )
    if modules.tun.registered is False:
        return AreaRow(
            "modules.tun.device",
            label,
            "problem",
            _("exists, but no driver is behind it (opening it fails)"),
        )
    return AreaRow(
        "modules.tun.device",
        label,
        "ok",
        _("exists ({permissions})").format(permissions=device.permissions),
    )


def _functional_row(facts: MachineFacts) -> AreaRow:
    # What Docker's engine does first when it starts (the TAP check).
    label = _("Docker's test")
    check = facts.modules.functional if facts.modules else None
    if check is None or not check.attempted:
        return AreaRow(
            "modules.functional", label, "not-applicable", _("not tried here")
        )
    if check.ok:
        return AreaRow(
            "modules.functional",
            label,
            "ok",
            _("created a test network device the way Docker does, then removed it"),
        )
    if check.errno_name in ("EPERM", "EACCES"):
        return AreaRow(
            "modules.functional",
            label,
            "unknown",
            _("needs administrator rights to try ({error})").format(
                error=check.errno_name
            ),
        )
    return AreaRow(
        "modules.functional",
        label,
        "problem",
        _("failed the way Docker fails: {message}").format(message=check.message),
    )


def _engine_row(facts: MachineFacts) -> AreaRow:
    label = _("Docker engine")
    versions = facts.versions
    if versions is None:
        return AreaRow("docker.engine", label, "unknown", _("no answer"))
    if versions.engine_reachable:
        return AreaRow(
            "docker.engine",
            label,
            "ok",
            _("answers (engine {version})").format(version=versions.engine or "?"),
        )
    not_wsl = bool(
        facts.environment and facts.environment.kind in ("linux", "macos", "other")
    )
    if versions.engine_reachable is False:
        if not_wsl:
            return AreaRow(
                "docker.engine",
                label,
                "not-applicable",
                _("no engine answers here (this is not Docker Desktop on WSL)"),
            )
        return AreaRow("docker.engine", label, "problem", _("does not answer"))
    detail = {
        "stub": _(
            "the docker command here is Docker Desktop's placeholder: "
            "WSL integration is off or Docker Desktop is stopped"
        ),
        "missing": _("no docker command here"),
        "timed-out": _("docker gave no answer in time"),
    }.get(versions.docker_cli, _("unknown"))
    status: Status = "not-applicable" if not_wsl else "unknown"
    return AreaRow("docker.engine", label, status, detail)


def _logs_row(facts: MachineFacts, diagnosis: Diagnosis) -> AreaRow:
    label = _("Logs")
    docker = facts.docker
    if docker is None:
        return AreaRow("logs", label, "unknown", _("no answer"))
    files = [s for s in docker.logs if s.product != "kernel"]
    if not files:
        return AreaRow(
            "logs", label, "not-applicable", _("no Docker or Rancher log found")
        )
    per_log: dict[str, int] = {}
    for finding in diagnosis.findings:
        for source, count in finding.hit_counts:
            per_log[source] = per_log.get(source, 0) + count
    if per_log:
        labels = {s.path: s.label for s in docker.logs}
        parts = [(labels.get(path, path), count) for path, count in per_log.items()]
        if len(parts) == 1:
            detail = _("{count} lines match known problems in {file}").format(
                count=parts[0][1], file=parts[0][0]
            )
        else:
            detail = _("{count} lines match known problems: {where}").format(
                count=sum(per_log.values()),
                where="; ".join(f"{name} {count}" for name, count in parts),
            )
        return AreaRow("logs", label, "problem", detail)
    return AreaRow(
        "logs",
        label,
        "ok",
        _("{file}: no known problem lines").format(file=files[0].label),
    )


def area_rows(diagnosis: Diagnosis) -> list[AreaRow]:
    facts = diagnosis.facts
    return [
        _environment_row(facts),
        _module_row(facts, "tun"),
        _module_row(facts, "tap"),
        _device_row(facts),
        _functional_row(facts),
        _engine_row(facts),
        _logs_row(facts, diagnosis),
    ]


def version_rows(facts: MachineFacts) -> list[VersionRow]:
    """Each version, marked good / affected / unknown against the known
    problems."""
    knowledge = load_knowledge()
    versions = facts.versions
    env = facts.environment
    wsl = versions.wsl if versions else None
    desktop = facts.docker_desktop_version

    wsl_mark: Mark = "unknown"
    wsl_note = ""
    if wsl:
        wsl_mark = "good"
        for problem in knowledge.problems:
            if (
                problem.versions.wsl_affected(wsl)
                and not problem.versions.docker_desktop_before
            ):
                wsl_mark = "affected"
                wsl_note = problem.id
    desktop_mark: Mark = "unknown"
    desktop_note = ""
    if desktop:
        desktop_mark = "good"
        for problem in knowledge.problems:
            before = problem.versions.docker_desktop_before
            if (
                before
                and version_less(desktop, before)
                and (problem.versions.wsl_affected(wsl) is not False)
                # What the machine shows outweighs the range: an engine that
                # answers is not hit by a problem that stops it.
                and not any(FACTS[name](facts) for name in problem.rule_out)
            ):
                desktop_mark = "affected"
                desktop_note = problem.id

    def plain(value: str | None) -> Mark:
        return "good" if value else "unknown"

    kernel = versions.kernel_release if versions else None
    kernel = kernel or (env.kernel_release if env else None)
    return [
        VersionRow("wsl", "WSL", wsl, wsl_mark, wsl_note),
        VersionRow(
            "kernel",
            _("Kernel"),
            kernel,
            plain(kernel),
            _("package {version}").format(version=versions.kernel_package)
            if versions and versions.kernel_package
            else "",
        ),
        VersionRow(
            "wslg",
            "WSLg",
            versions.wslg if versions else None,
            plain(versions.wslg if versions else None),
        ),
        VersionRow(
            "windows",
            "Windows",
            versions.windows if versions else None,
            plain(versions.windows if versions else None),
        ),
        VersionRow(
            "docker_desktop", "Docker Desktop", desktop, desktop_mark, desktop_note
        ),
        VersionRow(
            "engine",
            _("Engine"),
            versions.engine if versions else None,
            plain(versions.engine if versions else None),
        ),
        VersionRow(
            "distro",
            _("Distro"),
            (versions.distro_pretty if versions else None)
            or (env.distro_pretty if env else None),
            plain(
                (versions.distro_pretty if versions else None)
                or (env.distro_pretty if env else None)
            ),
        ),
    ]


def versions_as_text(facts: MachineFacts) -> str:
    """Plain text for a bug report."""
    return "\n".join(
        f"{row.label}: {row.value or 'unknown'}" for row in version_rows(facts)
    )
