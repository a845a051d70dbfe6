"""The JSON shape of ``check --json`` (documented in ``docs/json-schema.md``)."""

from __future__ import annotations

from typing import Any

from wslwizard import __version__
from wslwizard.diagnosis.rules import Diagnosis, Finding
from wslwizard.diagnosis.summary import area_rows, version_rows
from wslwizard.i18n import _
from wslwizard.probes.model import Evidence, MachineFacts, ModuleFacts

SCHEMA_VERSION = 1


def evidence_json(items: tuple[Evidence, ...]) -> list[dict[str, str]]:
    return [{"source": e.source, "detail": e.detail} for e in items]


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "severity": finding.severity,
        "confidence": finding.confidence,
        "status": finding.status,
        "title": _(finding.title),
        "explanation": _(finding.explanation),
        "evidence": evidence_json(finding.evidence),
        "context": evidence_json(finding.context),
        "signature_lines": [
            {"source": h.source, "line_number": h.line_number, "line": h.line}
            for h in finding.hits
        ],
        "signature_count": finding.hit_count,
        "remedies": list(finding.remedies),
        "upstream": list(finding.upstream),
    }


def _module_json(module: ModuleFacts, device_exists: bool | None) -> dict[str, Any]:
    return {
        "state": module.state,
        "device": device_exists,
        "listed_in_proc_modules": module.listed_in_proc_modules,
        "registered": module.registered,
        "in_sysfs": module.in_sysfs,
        "builtin_listed": module.builtin_listed,
        "module_file": module.module_file,
        "evidence": evidence_json(module.evidence),
    }


def facts_json(facts: MachineFacts) -> dict[str, Any]:
    out: dict[str, Any] = {}
    env = facts.environment
    out["environment"] = (
        None
        if env is None
        else {
            "kind": env.kind,
            "platform": env.platform,
            "distro_name": env.distro_name,
            "distro": env.distro_pretty,
            "distro_id": env.distro_id,
            "docker_desktop_distro": env.docker_desktop_distro,
            "kernel_release": env.kernel_release,
            "kernel_custom": env.kernel_custom,
            "interop": env.interop,
            "systemd": env.systemd,
            "root": env.root,
            "sudo_without_password": env.sudo_without_password,
            "ssh": env.ssh,
            "wsl_conf_crlf": env.wsl_conf_crlf,
            "boot_command": env.boot_command,
            "tun_at_boot": list(env.tun_at_boot),
            "evidence": evidence_json(env.evidence),
        }
    )
    modules = facts.modules
    if modules is None:
        out["modules"] = {
            "tun": {"state": "unknown", "device": None},
            "tap": {"state": "unknown", "device": None},
        }
    else:
        device = modules.device
        check = modules.functional
        out["modules"] = {
            "release": modules.release,
            "module_dir": {
                "path": modules.module_dir,
                "exists": modules.module_dir_exists,
            },
            "proc_modules": modules.proc_modules,
            "tun": _module_json(modules.tun, device.exists),
            "tap": _module_json(modules.tap, None),
            "device": {
                "path": device.path,
                "exists": device.exists,
                "kind": device.kind,
                "major_minor": list(device.device) if device.device else None,
                "permissions": device.permissions,
            },
            "functional": None
            if check is None
            else {
                "attempted": check.attempted,
                "ok": check.ok,
                "error": check.errno_name,
                "message": check.message,
            },
            "evidence": evidence_json(modules.evidence),
        }
    versions = facts.versions
    out["versions"] = {
        row.id: {"value": row.value, "mark": row.mark} for row in version_rows(facts)
    }
    if versions is not None:
        out["versions"].update(
            {
                "wsl_source": versions.wsl_source,
                "kernel_package": versions.kernel_package,
                "inbox_wsl": versions.inbox_wsl,
                "wsl_exe": versions.wsl_exe,
                "docker_cli": versions.docker_cli,
                "docker_client": versions.docker_client,
                "engine_reachable": versions.engine_reachable,
                "engine_error": versions.engine_error,
                "distros": [
                    {
                        "name": d.name,
                        "state": d.state,
                        "version": d.version,
                        "default": d.default,
                    }
                    for d in versions.distros
                ],
                "evidence": evidence_json(versions.evidence),
            }
        )
    docker = facts.docker
    out["docker"] = (
        None
        if docker is None
        else {
            "desktop_running": docker.desktop_running,
            "rancher_running": docker.rancher_running,
            "processes": list(docker.processes),
            "logs": [
                {"path": s.path, "product": s.product, "label": s.label, "size": s.size}
                for s in docker.logs
            ],
            "versions_in_logs": list(docker.versions_in_logs),
        }
    )
    return out


def diagnosis_json(diagnosis: Diagnosis) -> dict[str, Any]:
    facts = diagnosis.facts
    document: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "wslwizard", "version": __version__},
        "machine": {"label": facts.host_label, "recorded": facts.recorded},
        "verdict": {
            "kind": diagnosis.verdict_kind,
            "text": diagnosis.verdict,
            "exit_code": diagnosis.exit_code,
        },
    }
    document.update(facts_json(facts))
    document["checks"] = [
        {"id": row.id, "status": row.status, "detail": row.detail}
        for row in area_rows(diagnosis)
    ]
    document["probes"] = [
        {
            "probe": o.probe,
            "status": o.status,
            "elapsed": round(o.elapsed, 3),
            "bound": o.bound,
        }
        for o in facts.outcomes
    ]
    document["findings"] = [finding_json(f) for f in diagnosis.findings]
    return document
