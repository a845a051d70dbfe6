"""Loading the known problems from ``known_problems.toml``."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_PROBLEMS = Path(__file__).with_name("known_problems.toml")
SEVERITIES = ("error", "warning", "info")


def version_tuple(text: str | None) -> tuple[int, ...] | None:
    """``2.5.4.0`` -> ``(2, 5, 4, 0)``; ``None`` when it is not a version."""
    if not text:
        return None
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", text)
    if not match:
        return None
    return tuple(int(part) for part in match.group(1).split("."))


def version_less(a: str, b: str) -> bool:
    left, right = version_tuple(a) or (), version_tuple(b) or ()
    width = max(len(left), len(right))
    return left + (0,) * (width - len(left)) < right + (0,) * (width - len(right))


@dataclass(frozen=True)
class Signature:
    product: str
    contains: str | None = None
    regex: re.Pattern[str] | None = None

    def matches(self, line: str) -> bool:
        if self.contains is not None:
            return self.contains.lower() in line.lower()
        return bool(self.regex and self.regex.search(line))

    @property
    def text(self) -> str:
        return self.contains or (self.regex.pattern if self.regex else "")


@dataclass(frozen=True)
class VersionRange:
    wsl_from: str | None = None
    wsl_before: str | None = None
    wsl_confirmed: tuple[str, ...] = ()
    fixed_in: str | None = None
    docker_desktop_before: str | None = None
    rules_out: bool = False

    def wsl_affected(self, version: str | None) -> bool | None:
        """True inside the range, False outside, None when unknown or no
        range is given."""
        if version_tuple(version) is None or not (self.wsl_from or self.wsl_before):
            return None
        assert version is not None
        if self.wsl_from and version_less(version, self.wsl_from):
            return False
        return not (self.wsl_before and not version_less(version, self.wsl_before))

    def docker_affected(self, version: str | None) -> bool | None:
        if version_tuple(version) is None or not self.docker_desktop_before:
            return None
        assert version is not None
        return version_less(version, self.docker_desktop_before)


@dataclass(frozen=True)
class Problem:
    id: str
    severity: str
    title: str
    explanation: str
    title_past: str | None
    title_at_risk: str | None
    upstream: tuple[str, ...]
    remedies: tuple[str, ...]
    after_fix_remedies: tuple[str, ...]
    at_risk_remedies: tuple[str, ...]
    environments: tuple[str, ...]
    versions: VersionRange
    signatures: tuple[Signature, ...]
    confirm: tuple[str, ...]
    rule_out: tuple[str, ...]
    at_risk: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    problems: tuple[Problem, ...] = field(default=())

    def get(self, problem_id: str) -> Problem | None:
        return next((p for p in self.problems if p.id == problem_id), None)


class KnowledgeError(ValueError):
    pass


def _problem(entry: dict, known_facts: frozenset[str]) -> Problem:
    problem_id = entry.get("id")
    if not isinstance(problem_id, str) or not problem_id:
        raise KnowledgeError("a problem has no id")
    severity = entry.get("severity", "error")
    if severity not in SEVERITIES:
        raise KnowledgeError(f"{problem_id}: unknown severity {severity!r}")
    signatures = []
    for sig in entry.get("signature", []):
        if "regex" in sig:
            try:
                pattern = re.compile(sig["regex"], re.IGNORECASE)
            except re.error as exc:
                raise KnowledgeError(f"{problem_id}: bad regex: {exc}") from exc
            signatures.append(Signature(sig.get("product", ""), regex=pattern))
        elif "contains" in sig:
            signatures.append(
                Signature(sig.get("product", ""), contains=sig["contains"])
            )
        else:
            raise KnowledgeError(f"{problem_id}: a signature needs contains or regex")
    facts = entry.get("facts", {})
    confirm = tuple(facts.get("confirm", ()))
    rule_out = tuple(facts.get("rule_out", ()))
    at_risk = tuple(facts.get("at_risk", ()))
    unknown = (set(confirm) | set(rule_out) | set(at_risk)) - known_facts
    if unknown:
        raise KnowledgeError(f"{problem_id}: unknown facts {sorted(unknown)}")
    versions = entry.get("versions", {})
    return Problem(
        id=problem_id,
        severity=severity,
        title=" ".join(entry.get("title", problem_id).split()),
        explanation=" ".join(entry.get("explanation", "").split()),
        title_past=entry.get("title_past"),
        title_at_risk=entry.get("title_at_risk"),
        upstream=tuple(entry.get("upstream", ())),
        remedies=tuple(entry.get("remedies", ())),
        after_fix_remedies=tuple(entry.get("after_fix_remedies", ())),
        at_risk_remedies=tuple(entry.get("at_risk_remedies", ())),
        environments=tuple(entry.get("environments", ())),
        versions=VersionRange(
            wsl_from=versions.get("wsl_from"),
            wsl_before=versions.get("wsl_before"),
            wsl_confirmed=tuple(versions.get("wsl_confirmed", ())),
            fixed_in=versions.get("fixed_in"),
            docker_desktop_before=versions.get("docker_desktop_before"),
            rules_out=bool(versions.get("rules_out", False)),
        ),
        signatures=tuple(signatures),
        confirm=confirm,
        rule_out=rule_out,
        at_risk=at_risk,
    )


def parse_knowledge(text: str) -> Knowledge:
    from wslwizard.diagnosis.facts import FACTS

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"known problems file is not valid TOML: {exc}") from exc
    problems = tuple(
        _problem(entry, frozenset(FACTS)) for entry in data.get("problem", [])
    )
    ids = [p.id for p in problems]
    if len(ids) != len(set(ids)):
        raise KnowledgeError("two problems share an id")
    return Knowledge(problems)


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    return parse_knowledge(KNOWN_PROBLEMS.read_text(encoding="utf-8"))
