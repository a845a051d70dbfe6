"""Run every probe concurrently, each within a bound, and collect the facts.

A probe that overruns its bound is reported as timed out and left to finish
in the background: its thread is stuck in a command that has its own
timeout, so it cannot outlive that, but nobody waits for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from wslwizard.host.base import Host
from wslwizard.probes.docker import probe_docker
from wslwizard.probes.environment import probe_environment
from wslwizard.probes.model import MachineFacts, ProbeOutcome
from wslwizard.probes.modules import probe_modules
from wslwizard.probes.versions import probe_versions

log = logging.getLogger(__name__)

#: The longest ``check`` waits for any one probe. Commands inside a probe
#: have shorter timeouts of their own (6 s), and wsl.exe is not asked again
#: after it hangs once, so a probe normally ends well before this.
DEFAULT_BOUND = 10.0


@dataclass(frozen=True)
class ProbeSpec:
    name: str
    field: str
    function: Callable[[Host], Any]


PROBES: tuple[ProbeSpec, ...] = (
    ProbeSpec("environment", "environment", probe_environment),
    ProbeSpec("modules", "modules", probe_modules),
    ProbeSpec("versions", "versions", probe_versions),
    ProbeSpec("docker", "docker", probe_docker),
)

ProgressCallback = Callable[[ProbeOutcome], None]


def gather_facts(
    host: Host,
    bound: float = DEFAULT_BOUND,
    on_progress: ProgressCallback | None = None,
    probes: tuple[ProbeSpec, ...] = PROBES,
) -> MachineFacts:
    """Probe ``host``; never waits longer than ``bound`` seconds in total."""
    started = time.monotonic()
    results: dict[str, Any] = {}
    outcomes: dict[str, ProbeOutcome] = {}

    def report(outcome: ProbeOutcome) -> None:
        outcomes[outcome.probe] = outcome
        if on_progress is not None:
            on_progress(outcome)

    executor = ThreadPoolExecutor(max_workers=len(probes), thread_name_prefix="probe")
    futures: dict[Future[Any], ProbeSpec] = {}
    for spec in probes:
        report(ProbeOutcome(spec.name, "running", 0.0, bound))
        futures[executor.submit(spec.function, host)] = spec
    pending = set(futures)
    try:
        while pending:
            remaining = bound - (time.monotonic() - started)
            if remaining <= 0:
                break
            done, pending = wait(
                pending, timeout=remaining, return_when=FIRST_COMPLETED
            )
            for future in done:
                spec = futures[future]
                elapsed = time.monotonic() - started
                try:
                    results[spec.field] = future.result()
                    report(ProbeOutcome(spec.name, "done", elapsed, bound))
                except Exception as exc:  # a probe bug must not end the check
                    log.exception("probe %s failed", spec.name)
                    report(
                        ProbeOutcome(
                            spec.name,
                            "failed",
                            elapsed,
                            bound,
                            f"{type(exc).__name__}: {exc}",
                        )
                    )
        for future in pending:
            spec = futures[future]
            log.warning("probe %s gave no answer within %.1fs", spec.name, bound)
            report(ProbeOutcome(spec.name, "timed-out", bound, bound))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)

    return MachineFacts(
        host_label=host.label,
        recorded=host.recorded,
        outcomes=tuple(outcomes[spec.name] for spec in probes),
        **results,
    )
