"""A bundle stays small whatever the logs' size: each payload is cut to
256 KiB (its end kept, at a line start), all of them together to 4 MiB."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from wslwizard.host import RealHost, load_scenario, parse_scenario
from wslwizard.host.recorded import RecordedFile, RecordedHost
from wslwizard.host.recording import RecordingHost
from wslwizard.probes.logs import read_tail_lines
from wslwizard.report import MAX_PAYLOAD_BYTES, record_bundle, redact
from wslwizard.report.bundle import cut_payload

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
LOG = "/mnt/c/Users/alice/AppData/Local/Docker/log/host/com.docker.backend.exe.log"
FATAL = (
    b"[2025-04-04T00:35:22.245889100Z][com.docker.backend.exe][E] FATAL: "
    b"initializing TAP AF_VSOCK: opening tap interface: no such file or directory\n"
)


def _machine_with_log(data: bytes) -> RecordedHost:
    host = load_scenario("wsl-2.5.4-docker-failing")
    host.scenario.files[LOG] = RecordedFile(data=data)
    host._files[LOG] = RecordedFile(data=data)
    host.sleep = lambda seconds: None
    return host


def test_a_multi_megabyte_log_gives_a_small_bundle_that_still_replays() -> None:
    line = (
        b"[2025-04-04T00:35:20.000000000Z][com.docker.backend.exe] alice at 10.1.2.3\n"
    )
    big = line * (6 * (1 << 20) // len(line)) + FATAL  # 6 MiB
    started = time.monotonic()
    bundle = redact(record_bundle(_machine_with_log(big), now=NOW))
    data = bundle.to_toml()

    assert len(data) < 1 << 20
    assert time.monotonic() - started < 30
    parsed = parse_scenario(data.decode("utf-8"), "bundle")
    log = next(f.data for p, f in parsed.files.items() if p.endswith("exe.log"))
    assert len(log) <= MAX_PAYLOAD_BYTES
    assert log.endswith(FATAL)
    assert log.startswith(b"[2025-04-04T00:35:20")  # cut at a line start
    assert b"alice" not in data and b"10.1.2.3" not in data


def test_one_endless_line_is_cut_too() -> None:
    endless = b"x" * (5 << 20)
    bundle = redact(record_bundle(_machine_with_log(endless), now=NOW))
    assert len(bundle.to_toml()) < 1 << 20
    assert bundle.summary.cut and bundle.summary.cut[0].size is not None


def test_many_big_payloads_share_the_total(tmp_path: Path) -> None:
    recording = record_bundle(_machine_with_log(b"y\n" * (1 << 20)), now=NOW)
    bundle = redact(recording, max_payload=1000, max_total=1500)
    payloads = [f.data for f in bundle.scenario.files.values()]
    payloads += [c.stdout for c in bundle.scenario.commands]
    payloads += [c.stderr for c in bundle.scenario.commands]
    assert all(len(p) <= 1000 for p in payloads)
    assert sum(len(p) for p in payloads) <= 1500 + 200  # placeholders may grow


def test_recording_a_real_file_reads_and_keeps_only_its_end(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    line = b"a line of an ordinary log file\n"
    with path.open("wb") as out:
        for _ in range((8 << 20) // len(line)):
            out.write(line)
        out.write(FATAL)
    recorder = RecordingHost(RealHost())
    lines, size, truncated = read_tail_lines(recorder, str(path), max_lines=400)
    capture = recorder.capture("real")

    recorded = capture.scenario.files[str(path)].data
    assert truncated and size == path.stat().st_size
    assert capture.notes[str(path)].kind == "tail"
    assert len(recorded) < 1 << 20  # only what the probe read
    assert recorded.endswith(FATAL)
    assert len(cut_payload(recorded, MAX_PAYLOAD_BYTES)) <= MAX_PAYLOAD_BYTES


def test_cutting_respects_lines_and_characters() -> None:
    text = "ünïcode line\n".encode() * 100
    cut = cut_payload(text, 50)
    assert len(cut) <= 50 and cut.decode("utf-8")
    assert cut.startswith("ünïcode".encode())
    wide = "wide line\r\n".encode("utf-16-le") * 100
    cut = cut_payload(wide, 101)
    assert len(cut) % 2 == 0 and cut.decode("utf-16-le").startswith("wide line")
    head = cut_payload(text, 50, keep="start")
    assert head.endswith(b"\n") and len(head) <= 50


def test_a_start_without_line_ends_loses_only_a_cut_character() -> None:
    text = "aé€" * 10
    data = text.encode()
    for limit in range(1, len(data)):
        head = cut_payload(data, limit, keep="start")
        assert data.startswith(head) and len(data[:limit]) - len(head) < 4
        head.decode("utf-8")
    binary = bytes(range(11, 256))
    assert cut_payload(binary, 100, keep="start") == binary[:100]
