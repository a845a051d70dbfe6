"""Faults on the machine: commands that hang, are missing, are killed or print
garbage; unreadable /proc, /sys and logs; a broken interop; a state folder
that cannot be written. Each gives a clear message and no traceback."""

from __future__ import annotations

import io
import os
import random
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from rich.console import Console

from wslwizard.cli.fix import run_fix
from wslwizard.cli.report import render_check
from wslwizard.cli.serialize import diagnosis_json
from wslwizard.diagnosis.rules import diagnose
from wslwizard.host.base import CommandResult
from wslwizard.host.recorded import RecordedHost, load_scenario
from wslwizard.journal.store import Journal
from wslwizard.probes.gather import gather_facts

BROKEN = "wsl-2.5.4-docker-failing"


class FaultyHost:
    """A recorded machine with one fault injected into every answer."""

    def __init__(self, inner: RecordedHost, fault: str) -> None:
        self.inner = inner
        self.fault = fault
        self.label = inner.label
        self.recorded = True

    def __getattr__(self, name: str):  # everything not faulted
        return getattr(self.inner, name)

    def run(
        self,
        argv: Sequence[str],
        timeout: float,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CommandResult:
        args = tuple(argv)
        if self.fault == "commands-hang":
            return CommandResult(args, None, duration=timeout, timed_out=True)
        if self.fault == "commands-missing":
            return CommandResult(args, None, not_found=True, error="not found")
        if self.fault == "commands-killed":
            return CommandResult(args, -9, stdout=b"partial out", stderr=b"")
        if self.fault == "commands-garbage":
            noise = random.Random(" ".join(args)).randbytes(3000)
            return CommandResult(args, 0, stdout=noise, stderr=noise[:100])
        if self.fault == "commands-escape-sequences":
            return CommandResult(
                args, 0, stdout=b"\x1b[2J\x1b]0;pwned\x07\x1b[31mred\n"
            )
        return self.inner.run(argv, timeout, input=input, env=env)

    def read_bytes(self, path: str, limit: int = 1 << 20) -> bytes:
        self._deny(path)
        return self.inner.read_bytes(path, limit)

    def read_range(self, path: str, offset: int, length: int) -> bytes:
        self._deny(path)
        return self.inner.read_range(path, offset, length)

    def read_tail(self, path: str, max_bytes: int) -> tuple[bytes, int]:
        self._deny(path)
        return self.inner.read_tail(path, max_bytes)

    def list_dir(self, path: str) -> list[str]:
        if self.fault == "no-mnt-c" and path.startswith("/mnt"):
            raise FileNotFoundError(2, "No such file or directory", path)
        self._deny(path)
        return self.inner.list_dir(path)

    def stat(self, path: str):
        if self.fault == "no-mnt-c" and path.startswith("/mnt/"):
            return None
        return self.inner.stat(path)

    def _deny(self, path: str) -> None:
        prefixes = {
            "proc-denied": ("/proc/", "/sys/"),
            "logs-denied": ("/mnt/",),
        }.get(self.fault, ())
        if path.startswith(prefixes):
            raise PermissionError(13, "Permission denied", path)


def _load_now(host, journal: Journal) -> tuple[int, str]:  # noqa: ANN001
    """Run the load-now repair, saying yes to everything; the code and output."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=400, color_system=None)
    code = run_fix(
        host,
        "load-now",
        False,
        True,
        console,
        ask=lambda _q: True,
        journal=journal,
        interactive=True,
    )
    return code, buffer.getvalue()


FAULTS = [
    "commands-hang",
    "commands-missing",
    "commands-killed",
    "commands-garbage",
    "commands-escape-sequences",
    "proc-denied",
    "logs-denied",
    "no-mnt-c",
]


def _report(host) -> tuple[str, dict]:
    facts = gather_facts(host, bound=5.0)
    diagnosis = diagnose(facts)
    buffer = io.StringIO()
    render_check(diagnosis, Console(file=buffer, width=80, color_system=None), True)
    return buffer.getvalue(), diagnosis_json(diagnosis)


@pytest.mark.parametrize("fault", FAULTS)
def test_check_survives_each_fault(fault: str) -> None:
    out, document = _report(FaultyHost(load_scenario(BROKEN), fault))
    assert "Traceback" not in out
    assert document["verdict"]["text"]
    assert all(p["status"] in ("done", "timed-out") for p in document["probes"])
    # Terminal control sequences never reach the terminal.
    assert "\x1b" not in out and "\x07" not in out


def test_unreadable_proc_is_unknown_not_missing() -> None:
    _out, document = _report(FaultyHost(load_scenario(BROKEN), "proc-denied"))
    assert document["modules"]["tun"]["state"] == "unknown"
    assert document["verdict"]["exit_code"] in (1, 3)
    # The other evidence still decides: the TAP check failed like Docker's.
    assert document["modules"]["functional"]["error"] == "ENOENT"


def test_missing_commands_still_give_the_driver_verdict() -> None:
    _out, document = _report(FaultyHost(load_scenario(BROKEN), "commands-missing"))
    assert document["versions"]["wsl_exe"] == "missing"
    assert document["findings"][0]["id"] == "tun-not-loaded"


def test_hung_commands_are_reported_as_such() -> None:
    _out, document = _report(FaultyHost(load_scenario(BROKEN), "commands-hang"))
    assert document["versions"]["wsl_exe"] == "timed-out"
    assert document["versions"]["docker_cli"] == "timed-out"


def test_broken_interop_is_named() -> None:
    host = load_scenario(BROKEN)
    socket = host.environ()["WSL_INTEROP"]
    host.remove_file(socket)  # the socket WSL_INTEROP names is gone
    _out, document = _report(host)
    assert document["environment"]["interop"] == "broken"


def test_a_state_folder_that_cannot_be_written_runs_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the folder should be")
    host = load_scenario(BROKEN)
    code, out = _load_now(host, Journal(blocked))
    assert code == 1
    assert "journal could not be written" in out
    assert not [a for a in host.commands_run() if "modprobe" in a]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_state_folder_runs_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    (folder / "journal").mkdir(parents=True)
    (folder / "journal").chmod(0o500)
    host = load_scenario(BROKEN)
    code, out = _load_now(host, Journal(folder))
    assert code == 1
    assert not [a for a in host.commands_run() if "modprobe" in a]


def test_damaged_journal_entries_are_skipped(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.folder.mkdir(parents=True)
    (journal.folder / "broken.json").write_text("{not json")
    (journal.folder / "wrong.json").write_text('{"id": 1}')
    assert journal.entries() == []


def test_journal_files_are_private(tmp_path: Path) -> None:
    host = load_scenario(BROKEN)
    journal = Journal(tmp_path)
    _load_now(host, journal)
    assert journal.entries()
    assert (journal.folder.stat().st_mode & 0o077) == 0
    for path in journal.folder.iterdir():
        assert (path.stat().st_mode & 0o077) == 0, path


class SlowMountHost(FaultyHost):
    """/mnt/c answers, but each look at it takes seconds (a sleeping disk or a
    slow network drive)."""

    def __init__(self, inner: RecordedHost, delay: float) -> None:
        super().__init__(inner, "slow-mnt-c")
        self.delay = delay

    def list_dir(self, path: str) -> list[str]:
        if path.startswith("/mnt"):
            time.sleep(self.delay)
        return self.inner.list_dir(path)


def test_a_very_slow_mnt_c_cannot_hold_the_check() -> None:
    host = SlowMountHost(load_scenario(BROKEN), delay=3.0)
    started = time.monotonic()
    facts = gather_facts(host, bound=1.5)
    assert time.monotonic() - started < 2.5
    statuses = {o.probe: o.status for o in facts.outcomes}
    assert statuses["docker"] == "timed-out"
    diagnosis = diagnose(facts)
    assert diagnosis.top.id == "tun-not-loaded"
    out = io.StringIO()
    render_check(diagnosis, Console(file=out, width=80, color_system=None))
    assert "docker check gave no answer within 2 s" in out.getvalue()


def test_a_full_disk_for_the_journal_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import wslwizard.journal.store as store

    def full(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full)
    host = load_scenario(BROKEN)
    code, out = _load_now(host, Journal(tmp_path))
    assert code == 1
    assert "No space left on device" in out
    assert not [a for a in host.commands_run() if "modprobe" in a]
    assert not list((tmp_path / "journal").glob("*"))
