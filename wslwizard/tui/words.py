"""Sentences the wizard shows that belong to no single widget.

Each is a whole sentence through :func:`~wslwizard.i18n._`, with named
placeholders, so that a translation can reorder it. Ids, paths, commands and
log lines are never translated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wslwizard.i18n import _

if TYPE_CHECKING:
    from wslwizard.probes.model import MachineFacts, ProbeOutcome

#: Status marks. Each differs in shape as well as colour, so they still read
#: with ``NO_COLOR`` or on a monochrome terminal.
STATUS_MARKS = {
    "ok": "✔",
    "problem": "✖",
    "warning": "!",
    "unknown": "?",
    "not-applicable": "–",
}
VERSION_MARKS = {"good": "✔", "affected": "✖", "unknown": "?"}


def _probe_words(probe: str) -> tuple[str, str]:
    """A probe in words: what it looks at, and one or two words for a list."""
    return {
        "environment": (_("What kind of system this is"), _("system")),
        "modules": (_("The network driver Docker needs (tun)"), _("driver")),
        "versions": (_("WSL, Windows and Docker versions"), _("versions")),
        "docker": (_("Docker Desktop and its logs"), _("Docker and its logs")),
    }.get(probe, (probe, probe))


def probe_title(probe: str) -> str:
    """What a probe looks at, in words."""
    return _probe_words(probe)[0]


def probe_short(probe: str) -> str:
    """A probe in one or two words, for a list of them."""
    return _probe_words(probe)[1]


def probe_timeout_meaning(probe: str) -> str:
    """What it means for the user that a probe gave no answer."""
    return {
        "environment": _(
            "The kind of system is unknown, so the verdict may be incomplete."
        ),
        "modules": _("The state of the driver is shown as unknown."),
        "versions": _(
            "WSL's own command (wsl.exe) is probably stuck, so the versions are "
            "shown as unknown. Running 'wsl --shutdown' in Windows PowerShell "
            "usually clears it."
        ),
        "docker": _(
            "Docker Desktop's processes and logs are shown as unknown; Windows may "
            "be slow to answer."
        ),
    }.get(probe, _("What it looks at is shown as unknown."))


def probe_line(outcome: ProbeOutcome, elapsed: float | None) -> str:
    """One line of the probing list. ``elapsed`` is None when timings are
    hidden (tests, snapshots)."""
    title = probe_title(outcome.probe)
    if outcome.status in ("pending", "running"):
        if elapsed is not None and elapsed >= 1.0:
            return _("{what}: checking… {elapsed} s (gives up after {bound} s)").format(
                what=title, elapsed=int(elapsed), bound=f"{outcome.bound:g}"
            )
        return _("{what}: checking…").format(what=title)
    if outcome.status == "done":
        if elapsed is not None:
            return _("{what}: done in {elapsed} s").format(
                what=title, elapsed=f"{outcome.elapsed:.1f}"
            )
        return _("{what}: done").format(what=title)
    if outcome.status == "timed-out":
        return _("{what}: no answer within {bound} s. {meaning}").format(
            what=title,
            bound=f"{outcome.bound:g}",
            meaning=probe_timeout_meaning(outcome.probe),
        )
    return _("{what}: the check failed ({reason}).").format(
        what=title, reason=outcome.message or _("no reason given")
    )


def probe_mark(status: str) -> str:
    return {
        "pending": "…",
        "running": "…",
        "done": STATUS_MARKS["ok"],
        "timed-out": STATUS_MARKS["problem"],
        "failed": STATUS_MARKS["problem"],
    }.get(status, "?")


def confidence_sentence(confidence: str) -> str:
    return {
        "confirmed": _("Confirmed by what the machine shows."),
        "likely": _("Likely: one kind of evidence points to it."),
        "possible": _("Possible: only the versions point to it."),
    }.get(confidence, _("How sure: unknown."))


def verdict_kind_sentence(kind: str) -> str:
    """The confidence line when there is no finding to be sure about."""
    return {
        "healthy": _("Nothing this wizard knows of is wrong here."),
        "not-applicable": _("This wizard's repairs do not apply here."),
        "unknown": _("Some checks gave no answer, so the verdict is incomplete."),
        "warning": _("Worth knowing, but not stopping Docker now."),
    }.get(kind, "")


def stuck_commands(facts: MachineFacts) -> list[str]:
    """Commands that gave no answer inside a probe that still answered: the
    probe list says so, because what they would have told is missing."""
    notes: list[str] = []
    versions = facts.versions
    if versions is None:
        return notes
    if versions.wsl_exe == "timed-out":
        notes.append(
            _(
                "WSL's own command (wsl.exe) gave no answer in time, so some "
                "versions may be missing. Running 'wsl --shutdown' in Windows "
                "PowerShell usually clears it."
            )
        )
    if versions.docker_cli == "timed-out":
        notes.append(
            _(
                "The docker command gave no answer in time, so the engine's state "
                "is unknown. Docker Desktop may still be starting."
            )
        )
    return notes
