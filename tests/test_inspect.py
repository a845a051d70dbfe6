"""`wslwizard inspect`: captured outputs from someone else's machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wslwizard.cli.main import main

CASES = Path(__file__).parent / "cases"


def _inspect(capsys: pytest.CaptureFixture[str], *names: str) -> tuple[int, list[dict]]:
    code = main(["inspect", "--json", *[str(CASES / n) for n in names]])
    return code, json.loads(capsys.readouterr().out)


def test_json_shape_and_version_facts(capsys: pytest.CaptureFixture[str]) -> None:
    code, [entry] = _inspect(capsys, "wsl-version-en-2.3.26.0-utf16le-crlf.bin")
    assert code == 0
    assert set(entry) == {"file", "kind", "facts", "findings", "parts"}
    assert entry["kind"] == "wsl-version"
    assert entry["facts"]["wsl"] == "2.3.26.0"
    assert set(entry["facts"]) >= {
        "wsl",
        "kernel",
        "wslg",
        "msrdc",
        "direct3d",
        "dxcore",
        "windows",
    }
    assert entry["parts"][0]["kind"] == "wsl-version"


def test_two_commands_in_one_paste_give_two_parts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code, [entry] = _inspect(
        capsys, "wsl-version-fr-FR-2.7.11.0-custom-kernel-uname.txt"
    )
    kinds = [part["kind"] for part in entry["parts"]]
    assert kinds == ["wsl-version", "kernel"]
    assert entry["parts"][1]["facts"]["custom"] is True
    assert "custom-kernel" in [f["id"] for f in entry["findings"]]


def test_the_target_signature_is_found_without_timestamps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, [entry] = _inspect(capsys, "docker-log-tap-af-vsock-fatal-stripped.txt")
    assert code == 1
    [finding] = entry["findings"]
    assert finding["id"] == "tun-not-loaded"
    assert finding["signature_lines"][0]["line"].endswith("no such file or directory")
    assert set(finding["remedies"]) >= {"load-now", "upgrade-wsl", "rollback-wsl"}


def test_rancher_signature_and_affected_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code, entries = _inspect(
        capsys,
        "rd-vm-switch-log-tap-eth0-failed.txt",
        "wsl-version-en-2.5.4.0-win11-22621.txt",
    )
    assert entries[0]["findings"][0]["id"] == "tun-not-loaded"
    assert "Rancher Desktop" in entries[0]["findings"][0]["title"]
    version_finding = entries[1]["findings"][0]
    # A version alone is context, never proof.
    assert (version_finding["id"], version_finding["confidence"]) == (
        "tun-not-loaded",
        "possible",
    )


def test_wsl1_kernel_and_inbox_wsl(capsys: pytest.CaptureFixture[str]) -> None:
    _code, entries = _inspect(
        capsys,
        "proc-version-wsl1-4.4.0-18985.txt",
        "wsl-version-invalid-option-inbox-wsl.txt",
    )
    assert entries[0]["facts"]["wsl_generation"] == 1
    assert [f["id"] for f in entries[0]["findings"]] == ["wsl1-distro"]
    assert [f["id"] for f in entries[1]["findings"]] == ["inbox-wsl"]


def test_handshake_eof_is_not_the_tun_problem(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = tmp_path / "com.docker.backend.exe.log"
    log.write_text(
        "[2024-11-20T10:00:00.000000000Z][com.docker.backend.exe.WSLBootstrap] "
        "[2024-11-20T10:00:00.000000000Z][init                  ][E] FATAL: running "
        "services: running TAP AF_VSOCK: handshaking with host: EOF\n"
    )
    main(["inspect", "--json", str(log)])
    [entry] = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in entry["findings"]] == ["vsock-handshake-eof"]


def test_unreadable_and_missing_files_are_reported_and_the_rest_goes_on(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code = main(
        [
            "inspect",
            "--json",
            str(tmp_path / "missing.txt"),
            str(folder),
            str(CASES / "uname-a-wsl2-5.15.133.1.txt"),
        ]
    )
    entries = json.loads(capsys.readouterr().out)
    assert [bool(e.get("error")) for e in entries] == [True, True, False]
    assert entries[2]["facts"]["release"] == "5.15.133.1-microsoft-standard-WSL2"
    assert code == 0

    code = main(["inspect", str(tmp_path / "missing.txt")])
    assert "cannot read it" in capsys.readouterr().out
    assert code == 2, "a wrong name is a usage error"


def test_an_empty_or_binary_file_says_there_is_nothing_to_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\n  \n")
    binary = tmp_path / "program"
    binary.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 40)
    code = main(["inspect", "--json", str(empty), str(binary)])
    entries = json.loads(capsys.readouterr().out)
    assert code == 3
    assert [e["kind"] for e in entries] == ["unknown", "unknown"]
    assert "empty" in entries[0]["note"]
    assert "not text" in entries[1]["note"]
    assert all(e["parts"] == [] and e["findings"] == [] for e in entries)
    main(["inspect", str(empty)])
    assert "It is empty: there is nothing to read." in capsys.readouterr().out


def test_every_case_file_inspects_without_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = sorted(p.name for p in CASES.iterdir() if p.name != "INDEX.md")
    _code, entries = _inspect(capsys, *names)
    assert len(entries) == len(names)
    assert all("error" not in e for e in entries)
    unknown = [e["file"] for e in entries if e["kind"] == "unknown"]
    # Only wsl --help has no kind of its own.
    assert [Path(u).name for u in unknown] == ["wsl-help-en-utf16le-crcrlf-head.bin"]


def test_the_human_report_lists_one_distro_per_line_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(
        "### My machine\nThis is what it says:\n"
        + (CASES / "wsl-l-v-en-mixed-wsl1-default.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    main(["inspect", str(paste)])
    out = capsys.readouterr().out
    assert "part 1: wsl --list" in out, "the heading is not a part"
    rows = [line.strip() for line in out.splitlines() if line.strip().startswith("- ")]
    assert rows[0].startswith("- name=Ubuntu-18.04, state=Stopped, version=1")
    assert len(rows) == 3
    assert "Lines not recognised as any output (headings, prompts, prose): 2" in out


def test_the_human_report_hedges_a_version_only_finding_and_says_where_to_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["inspect", str(CASES / "wsl-version-en-2.5.4.0-win11-22621.txt")])
    out = " ".join(capsys.readouterr().out.split())
    assert "Possibly (only the version points at it): Docker Desktop cannot" in out
    assert "on the machine this text came from" in out
