"""A short markdown summary to paste into an issue: versions, driver state,
findings with their evidence, the verdict. The caller redacts it."""

from __future__ import annotations

from wslwizard import __version__
from wslwizard.diagnosis.rules import Diagnosis
from wslwizard.diagnosis.summary import area_rows, version_rows
from wslwizard.host.recorded import Scenario
from wslwizard.i18n import N_, _

STATUS_WORDS = {
    "ok": N_("ok"),
    "problem": N_("PROBLEM"),
    "warning": N_("warning"),
    "unknown": N_("unknown"),
    "not-applicable": N_("n/a"),
}
#: Signature lines shown per finding; the count says how many there were.
MAX_LOG_LINES = 3


def _cell(text: str) -> str:
    """Text safe inside a table cell or inline code."""
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def render_markdown(diagnosis: Diagnosis, scenario: Scenario | None = None) -> str:
    """The summary as markdown. ``scenario`` (the bundle's) names the
    recorded machine, so the reader can match it to the bundle file."""
    facts = diagnosis.facts
    lines = [f"### {_('wslwizard report')}", ""]
    lines.append(_("**Verdict:** {verdict}").format(verdict=_cell(diagnosis.verdict)))
    lines.append("")

    lines += [f"| {_('Version')} | |", "| --- | --- |"]
    for row in version_rows(facts):
        value = row.value or _("unknown")
        note = f" ({_('affected')}: `{row.note}`)" if row.mark == "affected" else ""
        lines.append(f"| {_cell(row.label)} | {_cell(value)}{note} |")
    lines.append("")

    lines.append(f"**{_('What was checked')}**")
    lines.append("")
    for area in area_rows(diagnosis):
        word = _(STATUS_WORDS[area.status])
        lines.append(f"- {_cell(area.label)}: {_cell(area.detail)} ({word})")
    lines.append("")

    if diagnosis.findings:
        lines.append(f"**{_('Findings')}**")
        lines.append("")
    for number, finding in enumerate(diagnosis.findings, start=1):
        lines.append(
            _(
                "{number}. **{title}** (`{id}`, {status}, confidence: {confidence})"
            ).format(
                number=number,
                title=_cell(_(finding.title)),
                id=finding.id,
                status=finding.status,
                confidence=_(finding.confidence),
            )
        )
        for item in finding.evidence:
            lines.append(f"   - `{_cell(str(item))}`")
        for hit in finding.hits[-MAX_LOG_LINES:]:
            lines.append(
                f"   - `{_cell(hit.source)}:{hit.line_number}`: `{_cell(hit.line)}`"
            )
        if finding.hit_count > MAX_LOG_LINES:
            lines.append(
                "   - "
                + _("{count} matching log lines in all.").format(
                    count=finding.hit_count
                )
            )
        for item in finding.context:
            lines.append(f"   - {_cell(str(item))}")
    if diagnosis.findings:
        lines.append("")

    machine = scenario.name if scenario is not None else facts.host_label
    lines.append(
        "<sub>"
        + _("wslwizard {version}, {machine}. Personal details replaced.").format(
            version=__version__, machine=_cell(machine)
        )
        + "</sub>"
    )
    return "\n".join(lines) + "\n"
