"""The ``check`` report for a terminal: one line per area, then findings with
their evidence, then the next step."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wslwizard.diagnosis.rules import Diagnosis
from wslwizard.diagnosis.summary import area_rows, version_rows
from wslwizard.i18n import _
from wslwizard.remedies.catalog import REMEDIES

MARKS = {
    "ok": ("✔", "green"),
    "problem": ("✖", "bold red"),
    "warning": ("!", "yellow"),
    "unknown": ("?", "magenta"),
    "not-applicable": ("–", "dim"),
}
ASCII_MARKS = {
    "ok": "ok",
    "problem": "XX",
    "warning": "!!",
    "unknown": "??",
    "not-applicable": "--",
}
VERSION_MARKS = {
    "good": ("good", "green"),
    "affected": ("affected", "bold red"),
    "unknown": ("unknown", "dim"),
}


def _mark(status: str, console: Console) -> Text:
    symbol, style = MARKS[status]
    if console.encoding.lower().replace("-", "") not in ("utf8", "utf16"):
        symbol = ASCII_MARKS[status]
    return Text(symbol, style=style)


def render_check(diagnosis: Diagnosis, console: Console, verbose: bool = False) -> None:
    facts = diagnosis.facts
    if facts.recorded:
        console.print(
            Text(
                _("Recorded machine: {name} (not the machine you are on)").format(
                    name=facts.host_label
                ),
                style="reverse",
            )
        )

    verdict_style = {
        "problem": "bold red",
        "warning": "yellow",
        "healthy": "green",
        "not-applicable": "cyan",
        "unknown": "magenta",
    }
    console.print(
        Panel(
            Text(diagnosis.verdict, style=verdict_style[diagnosis.verdict_kind]),
            title=_("wslwizard check"),
            title_align="left",
        )
    )

    areas = Table.grid(padding=(0, 1))
    areas.add_column(width=2, no_wrap=True)
    areas.add_column(style="bold", no_wrap=True)
    areas.add_column(overflow="fold")
    for row in area_rows(diagnosis):
        areas.add_row(_mark(row.status, console), row.label, row.detail)
        if verbose:
            for item in row.evidence:
                areas.add_row("", "", Text(f"  {item}", style="dim"))
    console.print(areas)

    versions = Table(box=None, padding=(0, 1), header_style="bold")
    versions.add_column(_("Versions"), style="bold", no_wrap=True)
    versions.add_column(_("Value"), overflow="fold")
    versions.add_column(_("Against known problems"), no_wrap=True)
    for vrow in version_rows(facts):
        word, style = VERSION_MARKS[vrow.mark]
        versions.add_row(
            vrow.label, escape(vrow.value or _("unknown")), Text(_(word), style=style)
        )
    console.print(versions)

    timed_out = [o for o in facts.outcomes if o.status in ("timed-out", "failed")]
    for outcome in timed_out:
        console.print(
            Text(
                _(
                    "The {probe} check gave no answer within {bound:.0f} s; what it "
                    "covers is shown as unknown."
                ).format(probe=outcome.probe, bound=outcome.bound)
                if outcome.status == "timed-out"
                else _("The {probe} check failed: {message}").format(
                    probe=outcome.probe, message=outcome.message
                ),
                style="magenta",
            )
        )

    for finding in diagnosis.findings:
        # The title in the box, where it wraps; the border keeps the id.
        body: list[RenderableType] = [
            Text(_(finding.title), style="bold"),
            Text(_(finding.explanation)),
        ]
        if finding.evidence:
            body.append(Text(_("Evidence:"), style="bold"))
            body.extend(
                Padding(Text(str(item), style="cyan"), (0, 0, 0, 2))
                for item in finding.evidence
            )
        if finding.hit_count > 2:
            body.append(
                Text(
                    _("{count} matching log lines in all.").format(
                        count=finding.hit_count
                    ),
                    style="dim",
                )
            )
        if finding.context:
            body.append(Text(_("Context:"), style="bold"))
            body.extend(
                Padding(Text(str(item)), (0, 0, 0, 2)) for item in finding.context
            )
        if finding.upstream:
            body.append(
                Text(
                    _("More: {links}").format(links=", ".join(finding.upstream[:2])),
                    style="dim",
                )
            )
        style = {"error": "red", "warning": "yellow", "info": "blue"}[finding.severity]
        console.print(
            Panel(
                Group(*body),
                title=finding.id,
                title_align="left",
                subtitle=_("confidence: {confidence}").format(
                    confidence=_(finding.confidence)
                ),
                subtitle_align="right",
                border_style=style,
            )
        )

    versions = facts.versions
    stuck = []
    if versions is not None and versions.wsl_exe == "timed-out":
        stuck.append(
            _(
                "wsl.exe gave no answer in time (the WSL version came from wslinfo "
                "instead). 'wsl --shutdown' in PowerShell usually clears a stuck WSL."
            )
            if versions.wsl
            else _(
                "wsl.exe gave no answer in time, so the WSL and Windows versions are "
                "unknown. 'wsl --shutdown' in PowerShell usually clears a stuck WSL."
            )
        )
    if versions is not None and versions.docker_cli == "timed-out":
        stuck.append(_("docker gave no answer in time."))
    for line in stuck:
        console.print(Text(line, style="magenta"))

    steps = _next_steps(diagnosis)
    if steps:
        console.print(Text(_("Next step"), style="bold"))
        for line in steps:
            if line.lstrip().startswith("wslwizard "):
                console.print(Text(f"  {line}", style="cyan"), no_wrap=True, crop=False)
            else:
                console.print(Text(f"  {line}"))


def _next_steps(diagnosis: Diagnosis) -> list[str]:
    top = diagnosis.top
    if top is None:
        if diagnosis.verdict_kind == "unknown":
            return [
                _(
                    "Run 'wslwizard check' again; if it repeats, run "
                    "'wslwizard check --verbose' and look at what gave no answer."
                )
            ]
        return []
    if not top.remedies:
        return [
            _(
                "No repair of this wizard applies; the explanation above says "
                "what to do."
            )
        ]
    # On a recorded machine the commands name it: copied without the option
    # they would run on the machine at hand.
    option = ""
    if diagnosis.facts.recorded:
        from wslwizard.cli.fix import machine_option

        option = machine_option(diagnosis.facts.host_label)
    lines = []
    for number, remedy_id in enumerate(top.remedies[:3], start=1):
        info = REMEDIES.get(remedy_id)
        if info is None:
            continue
        lines.append(_("{number}. {title}").format(number=number, title=_(info.title)))
        lines.append("   " + _("Lasts: {lasts}").format(lasts=_(info.lasts)))
        lines.append(f"   wslwizard fix {remedy_id}{option}")
    lines.append(
        _("Or run 'wslwizard{option}' for the guided repair.").format(option=option)
    )
    return lines
