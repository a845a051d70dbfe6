"""The log panel's rules without a screen: signatures, bounds, filter, jumps;
and the wizard's layering (widgets only show, the stylesheet is found)."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from wslwizard.diagnosis.knowledge import load_knowledge
from wslwizard.tui.log_model import TailBuffer, compact, printable, signatures_of
from wslwizard.tui.styles import stylesheet_candidates, stylesheet_path

TUI = Path(__file__).resolve().parent.parent / "wslwizard" / "tui"
TAP_LINE = (
    "[2025-04-04T00:35:22Z][init][E] FATAL: initializing TAP AF_VSOCK: opening "
    "tap interface: no such file or directory"
)
RANCHER_LINE = "creating tap device eth0 failed: no such file or directory"
EOF_LINE = "running TAP AF_VSOCK: handshaking with host: EOF"


def buffer(max_lines: int = 100) -> TailBuffer:
    return TailBuffer(signatures_of(), max_lines=max_lines)


def test_signature_lines_are_classified_by_problem() -> None:
    tail = buffer()
    tail.extend(["plain", TAP_LINE, RANCHER_LINE, EOF_LINE, "plain again"])
    problems = [line.problem for line in tail.visible]
    assert problems == [
        None,
        "tun-not-loaded",
        "tun-not-loaded",
        "vsock-handshake-eof",
        None,
    ]
    assert tail.hit_count == 3
    assert tail.hits["tun-not-loaded"] == 2


def test_signatures_come_from_the_knowledge_file() -> None:
    pairs = signatures_of()
    ids = {problem.id for problem in load_knowledge().problems if problem.signatures}
    assert {problem_id for problem_id, _ in pairs} == ids


def test_memory_is_bounded_but_the_count_remembers() -> None:
    tail = buffer(max_lines=10)
    tail.extend([TAP_LINE] + [f"line {n}" for n in range(50)])
    assert len(tail.lines) == 10
    assert tail.visible[0].text == "line 40"
    assert tail.hit_count == 1, "a signature line that scrolled away still counts"


def test_filter_keeps_matching_lines_case_insensitively() -> None:
    tail = buffer()
    tail.extend(["Alpha one", "beta", TAP_LINE, "ALPHA two"])
    tail.set_filter("  alpha ")
    assert [line.text for line in tail.visible] == ["Alpha one", "ALPHA two"]
    added = tail.extend(["gamma", "alpha three"])
    assert [line.text for line in added] == ["alpha three"]
    tail.set_filter("")
    assert len(tail.visible) == 6


def test_first_and_next_signature_wrap_around() -> None:
    tail = buffer()
    tail.extend(["a", TAP_LINE, "b", EOF_LINE, "c"])
    assert tail.first_signature() == 1
    assert tail.next_signature(1) == 3
    assert tail.next_signature(3) == 1
    assert tail.next_signature(None) == 1
    empty = buffer()
    empty.extend(["nothing here"])
    assert empty.first_signature() is None
    assert empty.next_signature(None) is None


def test_control_characters_cannot_reach_the_terminal() -> None:
    shown = printable("red \x1b[31mtext\x07\tend")
    assert shown.startswith("red \ufffd[31mtext\ufffd ") and shown.endswith(" end")
    assert not any(ord(c) < 32 for c in shown)
    assert printable("[bold]stays literal[/bold]") == "[bold]stays literal[/bold]"


@given(st.lists(st.text(max_size=40), max_size=60), st.integers(1, 20))
def test_visible_is_always_a_bounded_subsequence(texts: list[str], bound: int) -> None:
    tail = buffer(max_lines=bound)
    tail.extend(texts)
    assert len(tail.visible) <= bound
    serials = [line.serial for line in tail.visible]
    assert serials == sorted(serials)
    assert all("\x1b" not in line.text for line in tail.visible)


def test_stylesheet_path_is_absolute_and_exists() -> None:
    path = stylesheet_path()
    assert path.is_absolute() and path.is_file()
    installed, checkout = stylesheet_candidates()
    assert installed.parts[-3:] == ("wslwizard", "css", "wizard.tcss")
    # The checkout's css/ sits beside the package, whatever the clone's name.
    assert checkout.parent.name == "css"
    assert checkout.parent.parent == installed.parent.parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_widgets_only_show_what_they_are_given() -> None:
    """No probing, no commands, no host in a widget: workers on the screen do
    that and post messages."""
    allowed_probe_names = {
        "wslwizard.probes.model.MachineFacts",
        "wslwizard.probes.model.LogSource",
        "wslwizard.probes.model.ProbeOutcome",
        "wslwizard.probes.logs.FollowUpdate",
    }
    for path in sorted((TUI / "widgets").glob("*.py")):
        for name in _imports(path):
            assert not name.startswith("wslwizard.host"), (path.name, name)
            if name.startswith("wslwizard.probes"):
                assert name in allowed_probe_names, (path.name, name)


def test_a_line_that_names_itself_shows_its_name_once() -> None:
    assert compact("[    0.000000] Command line: initrd=\\initrd.img") == (
        "Command line: initrd=\\initrd.img"
    )
    docker = (
        "[2025-04-04T00:41:07.2Z][com.docker.backend.exe.WSLBootstrap] "
        "[2025-04-04T00:41:07.2Z][init                  ][E] FATAL: x"
    )
    assert compact(docker) == "00:41:07 init E FATAL: x"
