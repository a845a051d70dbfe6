"""Security rules: files are written only where they should be, atomically
and privately; no shell; no process started outside the machine layer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wslwizard.host.real import RealHost
from wslwizard.host.recorded import BUNDLED_DIR


def _files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_a_repair_writes_only_the_state_and_log_folders(tmp_path: Path) -> None:
    scenario = tmp_path / "root-machine.toml"
    text = (BUNDLED_DIR / "wsl-2.5.4-docker-failing.toml").read_text(encoding="utf-8")
    scenario.write_text(text.replace("uid = 1000", "uid = 0"), encoding="utf-8")
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("XDG_") and k != "WSLWIZARD_STATE_DIR"
    }
    env["HOME"] = str(home)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wslwizard",
            "fix",
            "load-now",
            "--yes",
            "--replay",
            str(scenario),
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _files_under(work) == set()
    written = _files_under(home)
    assert written, "the journal should have been written"
    for path in written:
        assert path.startswith(".local/state/wslwizard/"), path


def test_atomic_writes_keep_the_mode_and_leave_no_temporary_files(
    tmp_path: Path,
) -> None:
    host = RealHost()
    target = tmp_path / "etc" / "modules-load.d" / "x.conf"
    host.write_file_atomic(str(target), b"tun\n", mode=0o644)
    host.write_file_atomic(str(target), b"tun\ntap\n", mode=0o600)
    assert target.read_bytes() == b"tun\ntap\n"
    assert (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.conf"]


def test_every_command_has_a_timeout() -> None:
    package = Path(__file__).resolve().parent.parent / "wslwizard"
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line_number, line in enumerate(text.splitlines(), 1):
            if "subprocess.run(" in line or "host.run(" in line:
                call = "\n".join(text.splitlines()[line_number - 1 : line_number + 12])
                assert "timeout" in call, f"{path}:{line_number}"
