"""Following a real log file: appended lines, truncation, rotation, deletion,
a directory in its place, undecodable bytes and one enormous line."""

from __future__ import annotations

import os
from pathlib import Path

from wslwizard.host.real import RealHost
from wslwizard.probes.logs import MAX_LINE_CHARS, LogFollower, read_tail_lines


def test_follow_through_every_change(tmp_path: Path) -> None:
    log = tmp_path / "com.docker.backend.exe.log"
    log.write_bytes(b"one\ntwo\n")
    follower = LogFollower(RealHost(), str(log))
    lines, truncated = follower.start()
    assert lines == ["one", "two"] and not truncated

    with log.open("ab") as out:
        out.write(b"three\nfour without end")
    update = follower.poll()
    assert (update.event, update.lines) == ("lines", ("three",))
    with log.open("ab") as out:
        out.write(b"\n")
    assert follower.poll().lines == ("four without end",)
    assert follower.poll().event == "unchanged"

    log.write_bytes(b"after truncation\n")
    update = follower.poll()
    assert (update.event, update.lines) == ("truncated", ("after truncation",))

    rotated = tmp_path / "new.log"
    rotated.write_bytes(b"fresh file, quite a bit longer than before\n")
    os.replace(rotated, log)
    update = follower.poll()
    assert update.event == "rotated"
    assert update.lines == ("fresh file, quite a bit longer than before",)

    log.unlink()
    assert follower.poll().event == "missing"
    log.mkdir()
    assert follower.poll().event == "missing"


def test_bad_bytes_and_huge_lines_are_bounded(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_bytes(
        b"ok\n\xff\xfe\x00bad bytes \x1b[2J\n" + b"x" * 5_000_000 + b"\nend\n"
    )
    lines, size, _truncated = read_tail_lines(RealHost(), str(log), max_lines=10)
    assert lines[-1] == "end"
    assert all(len(line) <= MAX_LINE_CHARS + 40 for line in lines)
    assert size == log.stat().st_size
