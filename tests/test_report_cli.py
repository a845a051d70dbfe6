"""``wslwizard report``: the bundle it writes replays with ``check
--replay``; ``--markdown`` prints a paste; the preview asks for more terms
and for a yes before it writes anything."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from rich.console import Console

from wslwizard.cli.main import main
from wslwizard.host import load_scenario
from wslwizard.report.cli import run_report


def _demo():  # noqa: ANN202 - a RecordedHost
    host = load_scenario("demo")
    host.sleep = lambda seconds: None
    return host


def _check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_report_then_check_replay_shows_the_same_diagnosis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.toml"
    assert main(["report", "--demo", "--yes", "-o", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "Wrote" in out and "user names" in out
    assert "alice" not in out  # not a terminal: originals are masked

    if os.name == "posix":
        assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wslwizard")]

    code, replayed = _check_json(capsys, "--replay", str(bundle))
    expected_code, expected = _check_json(capsys, "--demo")
    assert code == expected_code == 1
    assert replayed["verdict"] == expected["verdict"]
    assert [(f["id"], f["status"]) for f in replayed["findings"]] == [
        (f["id"], f["status"]) for f in expected["findings"]
    ]
    assert "alice" not in bundle.read_text(encoding="utf-8").lower()


def test_report_default_name_is_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--demo", "--yes"]) == 0
    written = list(tmp_path.glob("wslwizard-report-*.toml"))
    assert len(written) == 1
    assert len(written[0].stem) == len("wslwizard-report-20260102-030405")


def test_report_markdown_prints_a_paste(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--demo", "--markdown", "--remove", "Ubuntu"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("### wslwizard report")
    assert "`tun-not-loaded`" in captured.out
    assert "| WSL | 2.5.4.0" in captured.out
    assert "alice" not in captured.out.lower()
    assert "ubuntu" not in captured.out.lower()
    assert "removed1" in captured.out
    assert "Replaced before anything is written" in captured.err
    assert list(tmp_path.iterdir()) == []  # printed, nothing written


def test_report_markdown_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "issue.md"
    assert main(["report", "--demo", "--markdown", "--yes", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("### wslwizard report")


def test_the_preview_asks_for_terms_then_for_a_yes(tmp_path: Path) -> None:
    target = tmp_path / "bundle.toml"
    answers = iter(["Noble, kvm", "", "y"])
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return next(answers)

    screen = Console(file=io.StringIO(), width=120, force_terminal=True)
    code = run_report(
        _demo(), output=str(target), console=screen, interactive=True, ask=ask
    )
    shown = screen.file.getvalue()

    assert code == 0 and target.exists()
    assert "user1 ← alice" in shown  # the user's own terminal shows originals
    assert "removed1 ← Noble" in shown or "removed2 ← Noble" in shown
    assert len(questions) == 3 and "Write" in questions[-1]
    data = target.read_bytes().lower()
    assert b"noble" not in data and b"kvm" not in data


def test_saying_no_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "bundle.toml"
    answers = iter(["", "n"])
    screen = Console(file=io.StringIO(), width=100)
    code = run_report(
        _demo(),
        output=str(target),
        console=screen,
        interactive=True,
        ask=lambda question: next(answers),
    )
    assert code == 1
    assert not target.exists()
    assert "Nothing was written" in screen.file.getvalue()


def test_a_folder_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    screen = Console(file=io.StringIO(), width=100)
    target = tmp_path / "missing" / "bundle.toml"
    assert run_report(_demo(), output=str(target), yes=True, console=screen) == 2
    assert "cannot write" in screen.file.getvalue()


def test_report_in_a_fresh_interpreter_needs_no_textual() -> None:
    import subprocess

    code = (
        "import sys, wslwizard.report, wslwizard.report.cli, wslwizard.host.recording\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_v_shows_the_whole_file_as_it_would_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The preview is not only the list of replacements: v pages the file."""
    target = tmp_path / "bundle.toml"
    answers = iter(["v", "", "n"])
    screen = Console(file=io.StringIO(), width=100)
    code = run_report(
        _demo(),
        output=str(target),
        console=screen,
        interactive=True,
        ask=lambda question: next(answers),
    )
    paged = capsys.readouterr().out  # a pager without a terminal prints
    assert code == 1 and not target.exists()
    assert "[machine]" in paged and "[[file]]" in paged
    assert "alice" not in paged.lower(), "the file as written: redacted"
    assert "v shows the whole file" in screen.file.getvalue()
