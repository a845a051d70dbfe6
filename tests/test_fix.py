"""Repairs on recorded machines that react to commands: the whole path from a
broken 2.5.4 to a running engine, refusals that run nothing, root and sudo,
the journal, undo, and the resume after a step that restarts WSL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import changing_commands
from rich.console import Console

from wslwizard.cli.fix import resume_pending, run_fix, run_history, run_undo
from wslwizard.diagnosis.rules import diagnose
from wslwizard.host.recorded import (
    BUNDLED_DIR,
    RecordedHost,
    load_scenario,
    parse_scenario,
)
from wslwizard.journal.store import Journal
from wslwizard.probes.gather import gather_facts
from wslwizard.remedies.plans import build_plan
from wslwizard.runner.execute import Privilege, StepRunner

BROKEN = "wsl-2.5.4-docker-failing"
ENGINE_WAIT = 0.5


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=100, color_system=None), buffer


def _variant(name: str, *replacements: tuple[str, str]) -> RecordedHost:
    text = (BUNDLED_DIR / f"{name}.toml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return RecordedHost(parse_scenario(text, source=f"{name} (variant)"))


def _no_systemd(name: str = BROKEN) -> RecordedHost:
    return _variant(
        name,
        ("[[file]]\npath = '/run/systemd/system'\ntype = 'dir'\n", ""),
        ('text = "systemd\\n"', 'text = "init\\n"'),
    )


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path)


def _fix(
    host: RecordedHost,
    remedy: str,
    journal: Journal,
    answer: bool = True,
    yes: bool = False,
    dry_run: bool = False,
) -> tuple[int, str]:
    console, buffer = _console()
    code = run_fix(
        host,
        remedy,
        dry_run,
        yes,
        console,
        ask=lambda _q: answer,
        journal=journal,
        interactive=True,
        engine_wait=ENGINE_WAIT,
    )
    return code, buffer.getvalue()


def test_load_now_then_restart_docker_gets_the_engine_running(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    assert diagnose(gather_facts(host)).top.id == "tun-not-loaded"

    code, out = _fix(host, "load-now", journal)
    assert code == 0, out
    assert "verified" in out
    # The password went to sudo on the terminal; every root command used -n.
    interactive = [e.argv for e in host.command_log if e.meta.get("terminal")]
    assert interactive == [("sudo", "-v")]
    assert ("sudo", "-n", "modprobe", "tun") in host.commands_run()

    code, out = _fix(host, "restart-docker", journal)
    assert code == 0, out
    diagnosis = diagnose(gather_facts(host))
    assert diagnosis.verdict_kind in ("healthy", "warning"), diagnosis.verdict
    assert diagnosis.facts.versions.engine_reachable is True
    # Fixed for now: no loop back to "restart Docker Desktop", but the truth
    # that this WSL version will lose the driver again at its next start.
    assert "restart Docker" not in diagnosis.verdict
    [finding] = diagnosis.findings
    assert (finding.id, finding.status) == ("tun-not-loaded", "at-risk")
    assert finding.remedies[0] == "upgrade-wsl"
    statuses = [e.status for e in journal.entries()]
    assert statuses.count("verified") >= 2


@pytest.mark.parametrize(
    "remedy",
    ["load-now", "load-at-boot", "upgrade-wsl", "rollback-wsl", "restart-docker"],
)
def test_answering_no_runs_nothing(remedy: str, journal: Journal) -> None:
    host = load_scenario(BROKEN)
    code, out = _fix(host, remedy, journal, answer=False)
    assert code != 0
    assert changing_commands(host) == []
    assert not any(e.meta.get("terminal") for e in host.command_log)
    assert journal.entries() == []


def test_dry_run_shows_exact_commands_and_runs_nothing(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    code, out = _fix(host, "load-at-boot", journal, dry_run=True)
    assert code == 0
    assert "sudo -n tee /etc/modules-load.d/wslwizard-tun.conf" in out
    assert "sudo -n modprobe tun" in out
    assert changing_commands(host) == []
    assert journal.entries() == []


def test_root_machine_is_never_asked_for_sudo(journal: Journal) -> None:
    host = _variant(BROKEN, ("uid = 1000", "uid = 0"))
    code, out = _fix(host, "load-now", journal, yes=True)
    assert code == 0, out
    assert ("modprobe", "tun") in host.commands_run()
    assert not [argv for argv in host.commands_run() if argv[0] == "sudo"]


def test_without_a_terminal_sudo_commands_are_shown_not_run(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    console, buffer = _console()
    code = run_fix(
        host,
        "load-now",
        False,
        True,
        console,
        journal=journal,
        interactive=False,
        engine_wait=ENGINE_WAIT,
    )
    assert code == 1
    assert "sudo modprobe tun" in buffer.getvalue()
    assert changing_commands(host) == []


def test_load_at_boot_with_systemd_writes_and_undo_removes(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    code, out = _fix(host, "load-at-boot", journal)
    assert code == 0, out
    path = "/etc/modules-load.d/wslwizard-tun.conf"
    assert b"\ntun\n" in host.read_bytes(path)

    console, buffer = _console()
    written = [e for e in journal.entries() if e.step == "modules-load-file"][0]
    assert (
        run_undo(host, written.id, True, console, journal=journal, interactive=True)
        == 0
    )
    assert host.stat(path) is None


def test_load_at_boot_edits_wsl_conf_and_undo_restores_it_byte_for_byte(
    journal: Journal,
) -> None:
    host = _no_systemd()
    original = host.read_bytes("/etc/wsl.conf")
    code, out = _fix(host, "load-at-boot", journal)
    assert code == 0, out
    edited = host.read_bytes("/etc/wsl.conf")
    assert b"command = modprobe tun" in edited
    assert set(original.splitlines()) <= set(edited.splitlines())
    assert host.read_bytes("/etc/wsl.conf.wslwizard-backup") == original

    console, buffer = _console()
    entry = [e for e in journal.entries() if e.step == "wsl-conf-boot-command"][0]
    assert (
        run_undo(host, entry.id, True, console, journal=journal, interactive=True) == 0
    ), buffer.getvalue()
    assert host.read_bytes("/etc/wsl.conf") == original
    assert [e.status for e in journal.entries() if e.id == entry.id] == ["undone"]


def test_a_step_killed_halfway_is_explained_and_not_run_twice(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    original_run = host.run

    def dies_after_modprobe(argv, timeout, input=None, env=None):
        result = original_run(argv, timeout, input=input, env=env)
        if "modprobe" in argv and "tun" in argv:
            raise SystemExit("killed")  # the wizard dies right after the command
        return result

    host.run = dies_after_modprobe  # type: ignore[method-assign]
    with pytest.raises(SystemExit):
        _fix(host, "load-now", journal)
    host.run = original_run  # type: ignore[method-assign]
    [entry] = journal.entries()
    assert entry.status == "running"

    # The next start reads the entry, says what it checks, and verifies.
    facts = gather_facts(host)
    runner = StepRunner(host, journal, Privilege.of(facts, host))
    console, buffer = _console()
    resumed = resume_pending(host, runner, journal, console)
    assert [e.status for e in resumed] == ["verified"]
    assert "did not finish" in buffer.getvalue()
    modprobes = [a for a in host.commands_run() if a[-2:] == ("modprobe", "tun")]
    assert len(modprobes) == 1
    assert journal.unfinished() == []


def test_upgrade_stops_at_the_restart_and_is_verified_on_the_next_start(
    journal: Journal,
) -> None:
    host = load_scenario(BROKEN)
    code, out = _fix(host, "upgrade-wsl", journal)
    assert code == 0, out
    assert "SSH" in out  # warned that the connection goes
    [entry] = journal.entries()
    assert entry.status == "verify-pending"

    console, buffer = _console()
    code, out = _fix(host, "restart-docker", journal, dry_run=True)
    facts = gather_facts(host)
    resumed = resume_pending(
        host, StepRunner(host, journal, Privilege.of(facts, host)), journal, console
    )
    assert [e.status for e in resumed] == ["verified"]
    assert "2.5.10" in resumed[0].verification


def test_rollback_is_done_by_hand_and_then_verified(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    console, buffer = _console()
    asked: list[str] = []

    def ask(question: str) -> bool:
        asked.append(question)
        host._flags.add("rolled-back")  # the person installed 2.4.13 meanwhile
        return True

    code = run_fix(
        host,
        "rollback-wsl",
        False,
        False,
        console,
        ask=ask,
        journal=journal,
        interactive=True,
        engine_wait=ENGINE_WAIT,
    )
    out = buffer.getvalue()
    assert code == 0, out
    assert "docker_data.vhdx" in out
    assert "wsl.2.4.13.0.x64.msi" in out
    assert "WSL 2.4.13.0" in out
    assert changing_commands(host) == []


def test_rollback_plan_tells_the_truth_about_holding_a_version() -> None:
    host = load_scenario(BROKEN)
    plan = build_plan("rollback-wsl", gather_facts(host))
    text = " ".join(plan.notes) + " ".join(
        s.explanation + s.risk + " ".join(s.manual_lines) for s in plan.steps
    )
    for truth in (
        "never downgrades",
        "Microsoft Store",
        "AutoUpgradeViaMsix",
        "UpdateCheckPeriodMs",
        "undocumented",
        "winget pin",
        "5 weeks",
        "--web-download",
        "security fixes",
        "4.42",
    ):
        assert truth in text, truth
    assert plan.steps[0].id == "backup-docker-data"
    assert not plan.steps[1].reversible


def test_load_now_does_not_apply_where_it_cannot_work() -> None:
    for name, reason in (
        ("wsl-2.4.13-builtin", "already"),
        ("wsl1-ubuntu", "WSL 2"),
        ("plain-linux", "WSL 2"),
    ):
        plan = build_plan("load-now", gather_facts(load_scenario(name)))
        assert not plan.applicable
        assert reason in plan.reason


def test_history_lists_entries(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    _fix(host, "load-now", journal)
    console, buffer = _console()
    assert run_history(console, journal) == 0
    assert "load-tun" in buffer.getvalue()


def test_over_ssh_the_pending_check_is_recorded_before_wsl_stops(
    journal: Journal,
) -> None:
    host = _variant(
        BROKEN,
        (
            "[environment]\n",
            "[environment]\nSSH_CONNECTION = '203.0.113.5 50000 192.0.2.7 22'\n",
        ),
    )
    facts = gather_facts(host)
    assert facts.environment.ssh is True
    pending_when_update_ran: list[list[str]] = []
    original = host.run

    def run(argv, timeout, input=None, env=None):  # noqa: ANN001
        if "--update" in argv:
            pending_when_update_ran.append([e.status for e in journal.entries()])
        return original(argv, timeout, input=input, env=env)

    host.run = run  # type: ignore[method-assign]
    code, out = _fix(host, "upgrade-wsl", journal)
    assert code == 0, out
    assert pending_when_update_ran == [["verify-pending"]]
    assert "SSH session" in out


def test_the_next_run_finds_the_recorded_machine_as_this_one_left_it(
    journal: Journal,
) -> None:
    """A recorded machine starts from its file in every process; the runner
    keeps its changes, so history and the machine never disagree."""
    from wslwizard.runner.execute import bring_back_recorded

    _fix(load_scenario(BROKEN), "load-now", journal)
    again = load_scenario(BROKEN)
    assert bring_back_recorded(again, journal)
    facts = gather_facts(again)
    assert facts.modules is not None and facts.modules.tun.state == "loaded"
    # Once per host: a second call says the machine carries changes but puts
    # nothing back again (a restart since then stays).
    again.restart_wsl()
    assert bring_back_recorded(again, journal) is True
    assert gather_facts(again).modules.tun.state != "loaded", "once per host"
    assert not bring_back_recorded(load_scenario("plain-linux"), journal)

    # An update restarts WSL: the run after it finds 2.5.10 with tun loaded at
    # boot, and the one after that still does (the restart happened once).
    _fix(again, "upgrade-wsl", journal)
    for _run in range(2):
        later = load_scenario(BROKEN)
        bring_back_recorded(later, journal)
        facts = gather_facts(later)
        assert facts.versions is not None and facts.versions.wsl == "2.5.10.0"
        assert facts.modules is not None and facts.modules.tun.state == "loaded"
        assert not facts.modules.tun.loaded_late, "WSL's boot loaded it"
        modules = later.read_bytes("/proc/modules")
        assert modules.count(b"tun ") == 1, "the restart rule ran once"


def test_forgetting_a_recorded_machine_starts_it_from_its_file(
    journal: Journal,
) -> None:
    from wslwizard.cli.fix import forget_recorded
    from wslwizard.runner.execute import bring_back_recorded

    host = load_scenario(BROKEN)
    _fix(host, "load-now", journal)
    console, buffer = _console()
    assert forget_recorded(host.label, console, journal) == 0
    assert "starts from its file again" in buffer.getvalue()
    assert journal.entries() == []
    fresh = load_scenario(BROKEN)
    assert not bring_back_recorded(fresh, journal)
    facts = gather_facts(fresh)
    assert facts.modules is not None and facts.modules.tun.state != "loaded"


def test_history_names_the_recorded_machine_in_its_undo_command(
    journal: Journal,
) -> None:
    host = load_scenario(BROKEN)
    _fix(host, "load-now", journal)
    console, buffer = _console()
    run_history(console, journal)
    out = buffer.getvalue()
    assert f"--replay {BROKEN}" in out
    assert "wslwizard undo " in out


def test_forget_refuses_the_real_machine(capsys: pytest.CaptureFixture[str]) -> None:
    from wslwizard.cli.main import main

    assert main(["history", "--forget"]) == 2
    assert "only for a recorded machine" in capsys.readouterr().err


def test_repairs_already_done_are_not_offered_again(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    _fix(host, "load-at-boot", journal)
    facts = gather_facts(host)
    assert facts.environment is not None
    assert facts.environment.tun_at_boot == ("/etc/modules-load.d/wslwizard-tun.conf",)
    plan = build_plan("load-at-boot", facts)
    assert not plan.applicable and "Already set up" in plan.reason
    # tun was loaded by hand, but the distro now loads it at every start:
    # no warning that it will be missing after a restart.
    assert [f.id for f in diagnose(facts).findings if f.status == "at-risk"] == []

    _fix(host, "upgrade-wsl", journal)
    later = load_scenario(BROKEN)
    from wslwizard.runner.execute import bring_back_recorded

    bring_back_recorded(later, journal)
    plan = build_plan("upgrade-wsl", gather_facts(later))
    assert not plan.applicable and "2.5.10.0 already has the fix" in plan.reason
    assert plan.follow_up == "restart-docker"


def test_loaded_by_hand_without_a_boot_setting_is_at_risk(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    _fix(host, "load-now", journal)
    _fix(host, "restart-docker", journal)
    statuses = {f.id: f.status for f in diagnose(gather_facts(host)).findings}
    assert statuses.get("tun-not-loaded") == "at-risk"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b'{"machine": "another", "changes": {}}', b"\xff\xfe"],
)
def test_a_damaged_kept_state_is_ignored(journal: Journal, content: bytes) -> None:
    from wslwizard.runner.execute import bring_back_recorded

    host = load_scenario(BROKEN)
    _fix(host, "load-now", journal)
    [kept] = (journal.folder.parent / "recorded").glob("*.json")
    kept.write_bytes(content)
    fresh = load_scenario(BROKEN)
    assert not bring_back_recorded(fresh, journal)
    facts = gather_facts(fresh)
    assert facts.modules is not None and facts.modules.tun.state != "loaded"


def test_a_driver_loaded_by_hand_is_not_undone_after_wsl_restarted(
    journal: Journal,
) -> None:
    """The update restarted WSL: the load is gone, and 'modprobe -r tun' would
    now take away the driver the updated WSL loaded itself."""
    host = load_scenario(BROKEN)
    _fix(host, "load-now", journal)
    [load] = [e for e in journal.entries() if e.step == "load-tun"]
    assert journal.undoable(load)
    _fix(host, "upgrade-wsl", journal)
    assert not journal.undoable(load)

    console, buffer = _console()
    run_history(console, journal)
    assert "gone since WSL restarted: nothing to undo" in buffer.getvalue()
    assert f"wslwizard undo {load.id}" not in buffer.getvalue()
    console, buffer = _console()
    run_undo(host, load.id, True, console, journal=journal, interactive=False)
    assert "Nothing to undo on this machine." in buffer.getvalue()
    assert ("sudo", "-n", "modprobe", "-r", "tun") not in host.commands_run()


def test_the_rollback_does_not_apply_once_wsl_has_the_fix_or_is_2_4_13(
    journal: Journal,
) -> None:
    from wslwizard.runner.execute import bring_back_recorded

    _fix(load_scenario(BROKEN), "upgrade-wsl", journal)
    updated = load_scenario(BROKEN)
    bring_back_recorded(updated, journal)
    plan = build_plan("rollback-wsl", gather_facts(updated))
    assert not plan.applicable and "already has the fix" in plan.reason
    plan = build_plan("rollback-wsl", gather_facts(load_scenario("wsl-2.4.13-builtin")))
    assert not plan.applicable and "2.4.13 already" in plan.reason


def test_undo_while_docker_holds_the_driver_fails_and_says_why(
    journal: Journal,
) -> None:
    host = load_scenario(BROKEN)
    assert _fix(host, "load-now", journal)[0] == 0
    assert _fix(host, "restart-docker", journal)[0] == 0
    [tun_entry] = [e for e in journal.entries() if e.step == "load-tun"]

    console, buffer = _console()
    code = run_undo(
        host, tun_entry.id, True, console, journal=journal, interactive=True
    )
    out = buffer.getvalue()
    assert code == 1, out
    assert "Module tun is in use" in out
    assert "Quit Docker Desktop" in out
    # Nothing claims success: the driver is still there and the entry is not
    # marked undone, so it can be tried again.
    assert gather_facts(host).modules.tun.state == "loaded"
    [after] = [e for e in journal.entries() if e.id == tun_entry.id]
    assert after.status == "verified"


def test_an_undo_whose_command_succeeds_is_still_checked(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    assert _fix(host, "load-now", journal)[0] == 0
    [tun_entry] = [e for e in journal.entries() if e.step == "load-tun"]
    console, buffer = _console()
    code = run_undo(
        host, tun_entry.id, True, console, journal=journal, interactive=True
    )
    assert code == 0, buffer.getvalue()
    assert gather_facts(host).modules.tun.state != "loaded"
    [after] = [e for e in journal.entries() if e.id == tun_entry.id]
    assert after.status == "undone"


def test_declining_the_optional_tap_step_is_no_failure(journal: Journal) -> None:
    host = load_scenario(BROKEN)
    answers = iter([True, False])
    console, buffer = _console()
    code = run_fix(
        host,
        "load-now",
        False,
        False,
        console,
        ask=lambda _q: next(answers),
        journal=journal,
        interactive=True,
        engine_wait=ENGINE_WAIT,
    )
    out = buffer.getvalue()
    assert code == 0, out
    assert "Skipped: it is optional" in out
    assert f"Next: wslwizard fix restart-docker --replay {BROKEN}" in out
    assert ("sudo", "-n", "modprobe", "tap") not in host.commands_run()


def test_undo_without_a_terminal_asks_for_yes_and_changes_nothing(
    journal: Journal,
) -> None:
    host = load_scenario(BROKEN)
    assert _fix(host, "load-now", journal, yes=True)[0] == 0
    before = changing_commands(host)
    console, buffer = _console()
    code = run_undo(host, None, False, console, journal=journal, interactive=False)
    assert code == 2
    assert "--yes" in buffer.getvalue()
    assert changing_commands(host) == before


def test_a_recorded_machine_that_carries_repairs_says_so(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    from wslwizard.cli.main import main

    monkeypatch.setenv("WSLWIZARD_STATE_DIR", str(journal.folder.parent))
    main(["check", "--replay", BROKEN, "--json"])
    assert "earlier repairs" not in capsys.readouterr().err

    assert _fix(load_scenario(BROKEN), "load-now", journal)[0] == 0
    main(["check", "--replay", BROKEN, "--json"])
    captured = capsys.readouterr()
    assert "keeps what your earlier repairs changed" in captured.err
    assert f"wslwizard history --replay {BROKEN} --forget" in captured.err
    assert captured.out.lstrip().startswith("{"), "standard output stays JSON"


def test_the_update_warns_an_older_docker_desktop_about_cgroup_v1() -> None:
    """WSL 2.5.7 and later can stop Docker Desktop before 4.42 (the facts
    file, 1.5): the update says so before it runs, in its risk."""
    from dataclasses import replace

    from wslwizard.remedies.plans import plan_upgrade_wsl

    facts = gather_facts(load_scenario(BROKEN))
    older = replace(facts, versions=replace(facts.versions, docker_desktop="4.39.0"))
    [step] = plan_upgrade_wsl(older).steps
    assert "Your Docker Desktop 4.39.0 is older than 4.42.0" in step.risk
    newer = replace(facts, versions=replace(facts.versions, docker_desktop="4.42.1"))
    plan = plan_upgrade_wsl(newer)
    assert "older than" not in plan.steps[0].risk
    assert any("cgroup v1" in note for note in plan.notes)


def test_an_engine_that_answers_is_not_marked_affected_by_its_version() -> None:
    from dataclasses import replace

    from wslwizard.diagnosis.summary import version_rows

    facts = gather_facts(load_scenario("wsl-2.5.9-healthy"))
    old = replace(facts.versions, docker_desktop="4.39.0")
    answers = replace(facts, versions=replace(old, engine_reachable=True))
    silent = replace(facts, versions=replace(old, engine_reachable=False))
    mark = {r.id: r.mark for r in version_rows(answers)}["docker_desktop"]
    assert mark == "good"
    mark = {r.id: r.mark for r in version_rows(silent)}["docker_desktop"]
    assert mark == "affected"


def test_long_commands_are_never_broken_by_a_line_break(journal: Journal) -> None:
    """A command copied from the terminal must stay one command."""
    host = load_scenario("demo")
    buffer = io.StringIO()
    console = Console(file=buffer, width=60, color_system=None)
    run_fix(host, "rollback-wsl", True, False, console, journal=journal)
    url = (
        "https://github.com/microsoft/WSL/releases/download/2.4.13/wsl.2.4.13.0.x64.msi"
    )
    assert any(url in line for line in buffer.getvalue().splitlines())
