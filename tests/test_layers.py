"""The layers the design names stay apart: only tui/ imports textual, only
host/ starts processes, and no command goes through a shell."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wslwizard"
NON_UI_MODULES = [
    "wslwizard.cli.main",
    "wslwizard.cli.report",
    "wslwizard.diagnosis.rules",
    "wslwizard.diagnosis.summary",
    "wslwizard.diagnosis.captures",
    "wslwizard.probes.gather",
    "wslwizard.host",
    "wslwizard.remedies.catalog",
    "wslwizard.remedies.plans",
    "wslwizard.runner.execute",
    "wslwizard.journal.store",
    "wslwizard.cli.fix",
    "wslwizard.report",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_non_ui_modules_do_not_load_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in NON_UI_MODULES)
        + "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_only_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _sources()
        if "tui" not in path.relative_to(PACKAGE).parts
        and any(name.split(".")[0] == "textual" for name in _imports(path))
    ]
    assert offenders == []


def test_only_host_starts_processes() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _sources()
        if path.relative_to(PACKAGE).parts[0] != "host"
        and {"subprocess", "pty"} & {n.split(".")[0] for n in _imports(path)}
    ]
    assert offenders == []


def test_no_shell_strings() -> None:
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        assert "shell=True" not in text, path
        assert "os.system(" not in text, path
        assert "os.popen(" not in text, path
