"""`wslwizard check` on every recorded machine, on this real machine, and
with a hung command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wslwizard.cli.main import main
from wslwizard.diagnosis.rules import diagnose
from wslwizard.host.recorded import load_scenario
from wslwizard.probes.gather import gather_facts

#: scenario: (exit code, environment kind, tun state, tun device, finding ids)
EXPECTED = {
    "wsl-2.5.4-docker-failing": (
        1,
        "wsl2",
        "loadable",
        False,
        ["tun-not-loaded", "engine-unreachable"],
    ),
    "demo": (1, "wsl2", "loadable", False, ["tun-not-loaded", "engine-unreachable"]),
    "wsl-2.5.4-static-node": (
        1,
        "wsl2",
        "loadable",
        True,
        ["tun-not-loaded", "engine-unreachable"],
    ),
    "wsl-2.5.4-after-modprobe": (
        1,
        "wsl2",
        "loaded",
        True,
        ["engine-unreachable", "tun-not-loaded"],
    ),
    "wsl-2.4.13-builtin": (0, "wsl2", "builtin", True, []),
    "wsl-2.5.9-healthy": (0, "wsl2", "loaded", True, []),
    "wsl-2.5.9-zh-CN": (0, "wsl2", "loaded", True, []),
    "wsl1-ubuntu": (1, "wsl1", "missing", False, ["wsl1-distro"]),
    "wsl-2.5.4-interop-disabled": (
        1,
        "wsl2",
        "loadable",
        False,
        ["tun-not-loaded", "engine-unreachable"],
    ),
    "wsl-2.5.4-wsl-exe-hangs": (
        1,
        "wsl2",
        "loadable",
        False,
        ["tun-not-loaded", "engine-unreachable"],
    ),
    "wsl-2.5.4-rancher": (1, "wsl2", "loadable", False, ["tun-not-loaded"]),
    "wsl-2.5.7-cgroup-v1": (
        1,
        "wsl2",
        "loaded",
        True,
        ["cgroup-v1-unsupported", "engine-unreachable"],
    ),
    "plain-linux": (0, "linux", "builtin", True, []),
    "windows-host-2.5.4": (
        1,
        "windows",
        "unknown",
        None,
        ["tun-not-loaded", "engine-unreachable"],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_json_on_recorded_machines(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, kind, tun, device, finding_ids = EXPECTED[name]
    assert main(["check", "--json", "--replay", name]) == code
    document = json.loads(capsys.readouterr().out)
    assert document["machine"] == {
        "label": document["machine"]["label"],
        "recorded": True,
    }
    assert document["environment"]["kind"] == kind
    assert document["modules"]["tun"]["state"] == tun
    if device is not None:
        assert document["modules"]["tun"]["device"] is device
    assert [f["id"] for f in document["findings"]] == finding_ids
    for finding in document["findings"]:
        assert finding["evidence"], finding["id"]
        assert finding["severity"] in ("error", "warning", "info")
    assert document["verdict"]["exit_code"] == code


def test_the_verdict_names_the_version_and_the_evidence() -> None:
    diagnosis = diagnose(gather_facts(load_scenario("wsl-2.5.4-docker-failing")))
    assert "tun" in diagnosis.verdict and "2.5.4" in diagnosis.verdict
    top = diagnosis.top
    assert top is not None and top.confidence == "confirmed"
    sources = {e.source for e in top.evidence}
    assert {"/dev/net/tun", "TAP check"} <= sources
    assert any("opening tap interface" in h.line for h in top.hits)


def test_a_version_alone_is_context_not_proof() -> None:
    # 2.5.4 after modprobe: same version, but the driver is there now.
    diagnosis = diagnose(gather_facts(load_scenario("wsl-2.5.4-after-modprobe")))
    tun = [f for f in diagnosis.findings if f.id == "tun-not-loaded"][0]
    assert tun.status == "past" and tun.severity == "warning"
    assert "restart" in diagnosis.verdict


def test_rancher_desktop_is_named_as_the_product() -> None:
    diagnosis = diagnose(gather_facts(load_scenario("wsl-2.5.4-rancher")))
    assert diagnosis.verdict.startswith("Rancher Desktop")


def test_the_human_report_has_marks_evidence_and_next_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--verbose", "--replay", "wsl-2.5.4-docker-failing"]) == 1
    out = capsys.readouterr().out
    assert "Recorded machine" in out
    assert "tun-not-loaded" in out
    assert "/dev/net/tun" in out
    assert "wslwizard fix load-now" in out


def test_a_hung_command_never_holds_check_past_its_bound() -> None:
    host = load_scenario("wsl-2.5.4-wsl-exe-hangs")
    started = time.monotonic()
    facts = gather_facts(host, bound=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 1.8
    statuses = {o.probe: o.status for o in facts.outcomes}
    assert statuses["versions"] == "timed-out"
    assert statuses["modules"] == "done"
    # What is known still decides: the driver is missing on this machine.
    assert diagnose(facts).top.id == "tun-not-loaded"


def test_a_hung_command_does_not_keep_the_process_alive() -> None:
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wslwizard",
            "check",
            "--timeout",
            "1",
            "--replay",
            "wsl-2.5.4-wsl-exe-hangs",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "gave no answer within 1 s" in result.stdout
    assert elapsed < 5.0


def _this_machine_is_wsl() -> bool:
    try:
        return "microsoft" in Path("/proc/version").read_text().lower()
    except OSError:
        return False


@pytest.mark.skipif(
    sys.platform != "linux" or _this_machine_is_wsl(),
    reason="this test describes a plain Linux machine",
)
def test_check_tells_the_truth_about_this_plain_linux_machine() -> None:
    env = dict(os.environ, NO_COLOR="1")
    plain = subprocess.run(
        [sys.executable, "-m", "wslwizard", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert plain.returncode in (0, 3), plain.stdout + plain.stderr
    assert "Traceback" not in plain.stderr
    assert "This is not WSL" in plain.stdout

    result = subprocess.run(
        [sys.executable, "-m", "wslwizard", "check", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode in (0, 3)
    document = json.loads(result.stdout)
    assert document["environment"]["kind"] == "linux"
    assert document["verdict"]["kind"] == "not-applicable"
    assert document["findings"] == []
    if Path("/dev/net/tun").exists():
        assert document["modules"]["tun"]["device"] is True
        assert document["modules"]["tun"]["state"] in ("builtin", "loaded")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["check", "--no-such-option"])
    assert stop.value.code == 2
    assert main(["check", "--replay", "/no/such/scenario.toml"]) == 2
    assert "cannot use that recorded machine" in capsys.readouterr().err


def test_no_terminal_prints_the_check_report_and_says_why() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wslwizard", "--demo"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 1
    assert "not a terminal" in result.stderr
    assert "tun" in result.stdout


def test_the_logs_line_counts_each_log_by_its_own_name() -> None:
    from wslwizard.diagnosis.summary import area_rows

    diagnosis = diagnose(gather_facts(load_scenario("demo")))
    [logs] = [row for row in area_rows(diagnosis) if row.id == "logs"]
    per_log = {
        source: count for f in diagnosis.findings for source, count in f.hit_counts
    }
    assert len(per_log) == 2, "the backend log and the VM init log both match"
    assert sum(per_log.values()) == sum(f.hit_count for f in diagnosis.findings)
    assert "Docker Desktop backend 3" in logs.detail
    assert "Docker Desktop VM init 3" in logs.detail


def test_at_eighty_columns_a_finding_keeps_its_whole_title_and_indents() -> None:
    """The title wraps inside its box instead of being cut at the border, and
    a long evidence line wraps under its own indent."""
    import io

    from rich.console import Console

    from wslwizard.cli.report import render_check

    diagnosis = diagnose(gather_facts(load_scenario("demo")))
    buffer = io.StringIO()
    render_check(diagnosis, Console(file=buffer, width=80, color_system=None))
    out = buffer.getvalue()
    inside = " ".join(
        line.strip("│ ").strip() for line in out.splitlines() if line.startswith("│")
    )
    for finding in diagnosis.findings:
        assert finding.title in inside
        assert f"╭─ {finding.id} ─" in out
    # Evidence lines in a box all start two columns in, wrapped ones too.
    wrapped = [line for line in out.splitlines() if "initializing TAP" in line]
    assert wrapped and all(line.startswith("│   ") for line in wrapped), wrapped


def test_commands_suggested_for_a_recorded_machine_name_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Copied as shown, a suggestion must not run on the machine at hand."""
    main(["check", "--demo"])
    out = capsys.readouterr().out
    assert "wslwizard fix load-now --demo" in out
    assert "Or run 'wslwizard --demo' for the guided repair." in out
    main(["check", "--replay", "wsl-2.5.4-docker-failing"])
    out = capsys.readouterr().out
    assert "wslwizard fix load-now --replay wsl-2.5.4-docker-failing" in out
