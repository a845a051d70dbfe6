"""Kill the process at every point of a step: the journal stays readable, the
next start explains what happened, and nothing is applied twice."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

import wslwizard.journal.store as store
from wslwizard.cli.fix import resume_pending, run_fix
from wslwizard.host.recorded import load_scenario
from wslwizard.journal.store import Journal
from wslwizard.probes.gather import gather_facts
from wslwizard.runner.execute import Privilege, StepRunner

BROKEN = "wsl-2.5.4-docker-failing"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler sees it."""


def _modprobes(host) -> int:
    return sum(1 for a in host.commands_run() if a[-2:] == ("modprobe", "tun"))


# (where the process dies, entries expected after, modprobe runs before restart)
KILL_POINTS = [
    ("before-first-write", 0, 0),
    ("during-first-write", 0, 0),
    ("after-first-write", 1, 0),
    ("after-command", 1, 1),
    ("during-second-write", 1, 1),
    ("after-second-write", 1, 1),
]


@pytest.mark.parametrize(("point", "entries", "ran"), KILL_POINTS)
def test_kill_at_every_point(
    point: str, entries: int, ran: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = load_scenario(BROKEN)
    journal = Journal(tmp_path)
    writes = {"n": 0}
    real_replace = store.os.replace
    real_write = Journal.write
    real_run = host.run

    def write(self, entry):  # noqa: ANN001
        writes["n"] += 1
        if point == "before-first-write" and writes["n"] == 1:
            raise Killed
        real_write(self, entry)
        if point == "after-second-write" and writes["n"] == 2:
            raise Killed

    def replace(src, dst):  # noqa: ANN001
        if (point, writes["n"]) in (
            ("during-first-write", 1),
            ("during-second-write", 2),
        ):
            raise Killed
        real_replace(src, dst)

    def run(argv, timeout, input=None, env=None):  # noqa: ANN001
        if point == "after-first-write" and "modprobe" in argv:
            raise Killed
        result = real_run(argv, timeout, input=input, env=env)
        if point == "after-command" and "modprobe" in argv:
            raise Killed
        return result

    monkeypatch.setattr(Journal, "write", write)
    monkeypatch.setattr(store.os, "replace", replace)
    host.run = run  # type: ignore[method-assign]
    with pytest.raises(Killed):
        run_fix(
            host,
            "load-now",
            False,
            True,
            Console(file=io.StringIO(), width=100, color_system=None),
            ask=lambda _q: True,
            journal=journal,
            interactive=True,
        )
    monkeypatch.undo()
    host.run = real_run  # type: ignore[method-assign]

    # The journal is readable: every file is whole JSON.
    files = list(journal.folder.glob("*.json")) if journal.folder.exists() else []
    for path in files:
        json.loads(path.read_text())
    assert len(journal.entries()) == entries
    assert _modprobes(host) == ran

    # The next start explains and verifies; it never runs the step again.
    buffer = io.StringIO()
    facts = gather_facts(host)
    runner = StepRunner(host, journal, Privilege.of(facts, host))
    resumed = resume_pending(
        host, runner, journal, Console(file=buffer, width=100, color_system=None)
    )
    assert _modprobes(host) == ran
    assert journal.unfinished() == []
    if point in ("after-first-write",):
        # The command never ran: the check says it did not work.
        assert [e.status for e in resumed] == ["verification-failed"]
        assert "did not finish" in buffer.getvalue()
    elif point in ("after-command", "during-second-write"):
        assert [e.status for e in resumed] == ["verified"]
    else:
        assert resumed == []
