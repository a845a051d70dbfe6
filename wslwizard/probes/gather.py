"""Run every probe concurrently, each within a bound, and collect the facts.

A probe that overruns its bound is reported as timed out and left to finish
in the background: its thread is stuck in a command that has its own
timeout, so it cannot outlive that, but nobody waits for it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
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
    """Probe ``host``; never waits longer than ``bound`` seconds in total.

    Probes run in daemon threads, so a probe stuck past the bound can hold up
    neither this call nor the exit of the program.
    """
    started = time.monotonic()
    results: dict[str, Any] = {}
    outcomes: dict[str, ProbeOutcome] = {}
    finished: queue.Queue[tuple[ProbeSpec, Any, BaseException | None]] = queue.Queue()

    def report(outcome: ProbeOutcome) -> None:
        outcomes[outcome.probe] = outcome
        if on_progress is not None:
            on_progress(outcome)

    def work(spec: ProbeSpec) -> None:
        try:
            finished.put((spec, spec.function(host), None))
        except Exception as exc:  # a probe bug must not end the check
            finished.put((spec, None, exc))

    for spec in probes:
        report(ProbeOutcome(spec.name, "running", 0.0, bound))
        threading.Thread(
            target=work, args=(spec,), name=f"probe-{spec.name}", daemon=True
        ).start()

    pending = {spec.name for spec in probes}
    while pending:
        remaining = bound - (time.monotonic() - started)
        if remaining <= 0:
            break
        try:
            spec, value, error = finished.get(timeout=remaining)
        except queue.Empty:
            break
        pending.discard(spec.name)
        elapsed = time.monotonic() - started
        if error is None:
            results[spec.field] = value
            report(ProbeOutcome(spec.name, "done", elapsed, bound))
        else:
            log.error("probe %s failed", spec.name, exc_info=error)
            message = f"{type(error).__name__}: {error}"
            report(ProbeOutcome(spec.name, "failed", elapsed, bound, message))
    for spec in probes:
        if spec.name in pending:
            log.warning("probe %s gave no answer within %.1fs", spec.name, bound)
            report(ProbeOutcome(spec.name, "timed-out", bound, bound))

    return MachineFacts(
        host_label=host.label,
        recorded=host.recorded,
        outcomes=tuple(outcomes[spec.name] for spec in probes),
        **results,
    )
