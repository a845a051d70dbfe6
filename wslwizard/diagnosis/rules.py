"""Turn facts into findings, each with the evidence it rests on.

Evidence decides: a signature line in a log, a confirming fact, or a failed
functional check. A version in an affected range is context only: alone it
gives a "possible" finding, never a confirmed one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from wslwizard.diagnosis.facts import FACTS
from wslwizard.diagnosis.knowledge import Knowledge, Problem, load_knowledge
from wslwizard.i18n import _
from wslwizard.probes.model import Evidence, MachineFacts

log = logging.getLogger(__name__)

Confidence = Literal["confirmed", "likely", "possible"]
Status = Literal["present", "past", "at-risk", "possible"]
VerdictKind = Literal["problem", "healthy", "warning", "not-applicable", "unknown"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
CONFIDENCE_ORDER = {"confirmed": 0, "likely": 1, "possible": 2}
#: Signature hits kept per finding; the count says how many there were.
MAX_HITS = 5


@dataclass(frozen=True)
class SignatureHit:
    source: str
    line_number: int
    line: str
    product: str = ""


@dataclass(frozen=True)
class LogLines:
    """Lines to search for signatures, with where they came from."""

    source: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    id: str
    severity: str
    confidence: Confidence
    status: Status
    title: str
    explanation: str
    evidence: tuple[Evidence, ...]
    context: tuple[Evidence, ...]
    remedies: tuple[str, ...]
    upstream: tuple[str, ...]
    hits: tuple[SignatureHit, ...] = ()
    hit_count: int = 0
    hit_counts: tuple[tuple[str, int], ...] = ()
    """Matching lines per log (source, count), in the order the logs came."""


@dataclass(frozen=True)
class Diagnosis:
    facts: MachineFacts
    findings: tuple[Finding, ...]
    verdict: str
    verdict_kind: VerdictKind
    exit_code: int

    @property
    def top(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def _scan(
    problem: Problem, logs: Iterable[LogLines]
) -> tuple[list[SignatureHit], dict[str, int]]:
    """The last signature lines, and how many matched in each log."""
    hits: list[SignatureHit] = []
    counts: dict[str, int] = {}
    for source in logs:
        for number, line in enumerate(source.lines, start=1):
            signature = next((s for s in problem.signatures if s.matches(line)), None)
            if signature is not None:
                counts[source.source] = counts.get(source.source, 0) + 1
                hits.append(
                    SignatureHit(source.source, number, line.strip(), signature.product)
                )
    return hits[-MAX_HITS:], counts


def _version_context(
    problem: Problem, facts: MachineFacts
) -> tuple[list[Evidence], bool | None, bool | None]:
    versions = facts.versions
    wsl = versions.wsl if versions else None
    desktop = facts.docker_desktop_version
    context: list[Evidence] = []
    wsl_affected = problem.versions.wsl_affected(wsl)
    if wsl_affected:
        confirmed = any(
            (wsl or "").startswith(v + ".") or wsl == v
            for v in problem.versions.wsl_confirmed
        )
        context.append(
            Evidence(
                "WSL version",
                f"{wsl}: reported affected"
                if confirmed
                else f"{wsl}: in the affected range",
            )
        )
    docker_affected = problem.versions.docker_affected(desktop)
    if docker_affected:
        context.append(
            Evidence(
                "Docker Desktop version",
                f"{desktop}: older than {problem.versions.docker_desktop_before}",
            )
        )
    return context, wsl_affected, docker_affected


def _evaluate(
    problem: Problem, facts: MachineFacts, logs: list[LogLines]
) -> Finding | None:
    env = facts.environment
    if (
        env is not None
        and problem.environments
        and env.kind not in problem.environments
    ):
        return None

    hits, hit_counts = _scan(problem, logs)
    hit_count = sum(hit_counts.values())
    confirming: list[Evidence] = []
    for name in problem.confirm:
        confirming.extend(FACTS[name](facts) or ())
    ruling_out: list[Evidence] = []
    for name in problem.rule_out:
        ruling_out.extend(FACTS[name](facts) or ())
    context, wsl_affected, docker_affected = _version_context(problem, facts)

    if problem.versions.rules_out and (
        wsl_affected is False or docker_affected is False
    ):
        if hits:
            log.info("%s: signature seen but versions rule it out", problem.id)
        return None

    evidence = confirming + [Evidence(h.source, h.line) for h in hits[-2:]]
    status: Status
    risk: list[Evidence] = []
    for name in problem.at_risk:
        risk.extend(FACTS[name](facts) or ())
    engine_answers = bool(facts.versions and facts.versions.engine_reachable)
    if ruling_out and hits and engine_answers:
        # It failed before, but the engine has come up since: history only.
        log.info("%s: signature in the log, but the engine answers now", problem.id)
        hits, hit_counts, hit_count = [], {}, 0
    if ruling_out:
        if hits:
            status, severity = "past", "warning"
        elif wsl_affected and risk:
            status, severity = "at-risk", "warning"
            ruling_out += risk
        else:
            return None
        evidence = ruling_out + evidence
        if status == "at-risk":
            remedies = problem.at_risk_remedies or problem.remedies
        else:
            remedies = problem.after_fix_remedies or problem.remedies
        confidence: Confidence = "likely"
    elif confirming or hits:
        status, severity, remedies = "present", problem.severity, problem.remedies
        functional = any(e.source == "TAP check" for e in confirming)
        strong = functional or bool(confirming and hits)
        confidence = "confirmed" if strong else "likely"
    elif (
        wsl_affected
        and problem.signatures
        and facts.modules is None
        and (facts.versions is None or facts.versions.engine_reachable is None)
        and (docker_affected or not problem.versions.docker_desktop_before)
    ):
        # Only a version points at it, and nothing live can say more: the
        # case of a pasted `wsl --version`.
        status, severity, confidence = "possible", "warning", "possible"
        remedies = problem.remedies
    else:
        return None

    title = problem.title
    if status == "past" and problem.title_past:
        title = problem.title_past
    elif status == "at-risk" and problem.title_at_risk:
        title = problem.title_at_risk
    product = next(
        (h.product for h in hits if h.product and h.product != "docker"),
        "Docker Desktop",
    )
    title = _(title).format(product=product)
    log.info("finding %s (%s, %s)", problem.id, status, confidence)
    return Finding(
        id=problem.id,
        severity=severity,
        confidence=confidence,
        status=status,
        title=title,
        explanation=problem.explanation,
        evidence=tuple(evidence),
        context=tuple(context),
        remedies=remedies,
        upstream=problem.upstream,
        hits=tuple(hits),
        hit_count=hit_count,
        hit_counts=tuple(hit_counts.items()),
    )


def log_lines_of(facts: MachineFacts) -> list[LogLines]:
    if facts.docker is None:
        return []
    return [
        LogLines(excerpt.source.path, excerpt.lines)
        for excerpt in facts.docker.excerpts
    ]


def find_problems(
    facts: MachineFacts,
    logs: list[LogLines] | None = None,
    knowledge: Knowledge | None = None,
) -> tuple[Finding, ...]:
    knowledge = knowledge or load_knowledge()
    lines = log_lines_of(facts) if logs is None else logs
    findings = [
        finding
        for problem in knowledge.problems
        if (finding := _evaluate(problem, facts, lines)) is not None
    ]
    # Among findings that only versions point at, the one more of whose
    # version conditions hold comes first (WSL 2.5.7 with Docker Desktop 4.41
    # is the cgroup break before it is the tun problem).
    findings.sort(
        key=lambda f: (
            SEVERITY_ORDER[f.severity],
            CONFIDENCE_ORDER[f.confidence],
            -len(f.context) if f.status == "possible" else 0,
        )
    )
    # The engine being down is a symptom; list the cause first.
    symptom = [f for f in findings if f.id == "engine-unreachable"]
    causes = [f for f in findings if f.id != "engine-unreachable"]
    if symptom and causes and causes[0].severity == "error":
        findings = causes[:1] + symptom + causes[1:]
    return tuple(findings)


def _tun_phrase(facts: MachineFacts) -> str:
    state = facts.modules.tun.state if facts.modules else "unknown"
    return {
        "loaded": _("the tun driver is loaded"),
        "builtin": _("the tun driver is built into the kernel"),
        "loadable": _("the tun driver can be loaded but is not"),
        "missing": _("the tun driver is missing"),
    }.get(state, _("the state of the tun driver is unknown"))


def diagnose(
    facts: MachineFacts,
    logs: list[LogLines] | None = None,
    knowledge: Knowledge | None = None,
) -> Diagnosis:
    findings = find_problems(facts, logs, knowledge)
    env = facts.environment
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]

    if errors:
        top = errors[0]
        verdict = _(top.title)
        past = [f for f in findings if f.status == "past"]
        if top.id == "engine-unreachable" and past:
            # The cause is fixed; only a restart of the engine is missing.
            verdict = past[0].title
        wsl = facts.versions.wsl if facts.versions else None
        if top.id == "tun-not-loaded" and wsl and top.context:
            verdict = _("{title} This is a known problem of WSL {version}.").format(
                title=_(top.title), version=wsl.removesuffix(".0")
            )
        return Diagnosis(facts, findings, verdict, "problem", 1)

    if env is None or (
        env.kind in ("wsl2", "windows") and facts.modules is None and env.kind == "wsl2"
    ):
        verdict = _(
            "Could not find out what is wrong: some checks gave no answer in time."
        )
        return Diagnosis(facts, findings, verdict, "unknown", 3)

    if env.kind in ("linux", "macos", "other"):
        where = env.distro_pretty or {"macos": "macOS"}.get(env.kind, env.platform)
        verdict = _(
            "This is not WSL ({where}): the Docker Desktop problem this wizard "
            "repairs cannot happen here, and {tun}."
        ).format(where=where, tun=_tun_phrase(facts))
        return Diagnosis(facts, findings, verdict, "not-applicable", 0)

    if env.kind == "wsl2" and facts.modules and facts.modules.tun.state == "unknown":
        verdict = _("Could not tell whether the tun driver is available.")
        return Diagnosis(facts, findings, verdict, "unknown", 3)

    if warnings:
        return Diagnosis(facts, findings, _(warnings[0].title), "warning", 0)

    if env.kind == "windows":
        verdict = _("No known problem found on this Windows machine.")
    else:
        verdict = _("No known problem found: {tun}.").format(tun=_tun_phrase(facts))
    return Diagnosis(facts, findings, verdict, "healthy", 0)
