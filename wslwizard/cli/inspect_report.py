"""Presenting ``inspect`` results: rich text or the documented JSON array."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from wslwizard.cli.serialize import finding_json
from wslwizard.diagnosis.captures import InspectedFile, InspectedPart
from wslwizard.i18n import _
from wslwizard.remedies.catalog import REMEDIES

KIND_NAMES = {
    "wsl-version": "wsl --version",
    "wsl-list": "wsl --list",
    "wsl-status": "wsl --status",
    "kernel": "uname / /proc/version",
    "modules": "lsmod / modprobe / dmesg",
    "os-release": "/etc/os-release",
    "wsl-conf": "/etc/wsl.conf",
    "docker-version": "docker version / docker info",
    "log": "log",
}


#: Facts for programs (``--json``), not for a person reading the report.
_NOT_FOR_PEOPLE = frozenset({"lines", "version_tuple", "source", "line"})
#: A "no" worth saying: a module list without tun is the news.
_SAID_WHEN_FALSE = frozenset({"tun_loaded", "tap_loaded", "tun_registered"})


def inspect_json(results: list[InspectedFile]) -> list[dict[str, Any]]:
    out = []
    for result in results:
        entry: dict[str, Any] = {
            "file": result.file,
            "kind": result.kind,
            "facts": result.facts,
            "findings": [finding_json(f) for f in result.findings],
            "parts": [
                {
                    "kind": part.kind,
                    "facts": part.facts,
                    "findings": [finding_json(f) for f in part.findings],
                }
                for part in result.recognised or result.parts
            ],
        }
        if result.error:
            entry["error"] = result.error
        if result.note:
            entry["note"] = result.note
        out.append(entry)
    return out


def _kind_name(part: InspectedPart) -> str:
    """What a part is, in the words a support person knows."""
    if part.kind == "wsl-conf":
        sections = {str(name).lower() for name in part.facts.get("sections") or {}}
        # Only the Windows-side file has these sections.
        if sections & {"wsl2", "experimental"} or ".wslconfig" in part.text:
            return ".wslconfig"
    return KIND_NAMES.get(part.kind, _("not recognised"))


def _value(value: Any) -> str:
    if value is None:
        return _("(absent)")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "[]"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items())
    return str(value)


def render_inspect(results: list[InspectedFile], console: Console) -> None:
    for result in results:
        console.print(Text(result.file, style="bold underline"))
        if result.error:
            console.print(
                Text(
                    _("  cannot read it: {reason}").format(reason=result.error),
                    style="red",
                )
            )
            continue
        if result.note:
            console.print(Text(f"  {result.note}", style="yellow"))
            continue
        for number, part in enumerate(result.recognised or result.parts, start=1):
            console.print(
                Text(
                    _("  part {number}: {kind}").format(
                        number=number,
                        kind=_kind_name(part),
                    ),
                    style="cyan",
                )
            )
            for key, value in part.facts.items():
                if key in _NOT_FOR_PEOPLE or value in (None, [], {}, ""):
                    continue
                if value is False and key not in _SAID_WHEN_FALSE:
                    continue
                if key == "sections" and isinstance(value, dict):
                    # A settings file: one section a line, as it reads.
                    console.print(f"    {escape(str(key))}:", highlight=False)
                    for name, values in value.items():
                        where = (
                            f"[{name}]"
                            if name
                            else _("(in no section, so WSL does not use them)")
                        )
                        shown = _value(values) or _("(no keys)")
                        console.print(
                            f"      {escape(where)} {escape(shown)}", highlight=False
                        )
                    continue
                if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                    # A table (distros): one row per line, not a run-on string.
                    console.print(f"    {escape(str(key))}:", highlight=False)
                    for row in value:
                        console.print(f"      - {escape(_value(row))}", highlight=False)
                    continue
                console.print(
                    f"    {escape(str(key))}: {escape(_value(value))}", highlight=False
                )
        if result.recognised and result.unrecognised_lines:
            console.print(
                Text(
                    _(
                        "  Lines not recognised as any output (headings, prompts, "
                        "prose): {count}"
                    ).format(count=result.unrecognised_lines),
                    style="dim",
                )
            )
        if not result.findings:
            console.print(Text(_("  no known problem in this text"), style="green"))
        for finding in result.findings:
            style = {"error": "red", "warning": "yellow", "info": "blue"}[
                finding.severity
            ]
            title = _(finding.title)
            if finding.status == "possible":
                # Only a version points at it: say so before the claim.
                title = _("Possibly (only the version points at it): {title}").format(
                    title=title
                )
            console.print(
                Text(
                    f"  {finding.id} ({finding.severity}, {finding.confidence}): ",
                    style=style,
                )
                + Text(title)
            )
            for item in finding.evidence[:3] + finding.context[:2]:
                console.print(Text(f"      {item}", style="dim"))
        steps = [f for f in result.findings if f.remedies]
        if steps:
            console.print(
                Text(
                    "  "
                    + _(
                        "Next step, on the machine this text came from (these "
                        "commands change the machine they run on):"
                    ),
                    style="bold",
                )
            )
            for remedy_id in steps[0].remedies[:3]:
                info = REMEDIES.get(remedy_id)
                if info is not None:
                    console.print(Text(f"    {_(info.title)}"))
                    console.print(
                        Text(f"      wslwizard fix {remedy_id}", style="cyan"),
                        no_wrap=True,
                        crop=False,
                    )
        console.print()
