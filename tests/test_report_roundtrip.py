"""A bundle replays the diagnosis it was recorded with: record a recorded
machine through the recording host, write the bundle, load it back, and the
same findings, statuses and verdict come out. Also: the scenario writer
reads back byte for byte."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wslwizard.diagnosis.rules import diagnose
from wslwizard.diagnosis.summary import area_rows
from wslwizard.host import bundled_scenarios, load_scenario, parse_scenario
from wslwizard.host.recorded import (
    RecordedCommand,
    RecordedFile,
    RecordedHost,
    Scenario,
)
from wslwizard.host.recording import NOT_RECORDED_FLAG, RecordingHost
from wslwizard.probes.gather import gather_facts
from wslwizard.report import record_bundle, redact
from wslwizard.report.scenario_toml import dump_scenario

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _instant(host: RecordedHost) -> RecordedHost:
    host.sleep = lambda seconds: None
    return host


def _replay(data: bytes) -> RecordedHost:
    return _instant(RecordedHost(parse_scenario(data.decode("utf-8"), "bundle")))


def _outcome(host) -> tuple:  # noqa: ANN001 - any Host
    diagnosis = diagnose(gather_facts(host, bound=10))
    return (
        [(f.id, f.status, f.confidence) for f in diagnosis.findings],
        diagnosis.verdict_kind,
        diagnosis.verdict,
        [(row.id, row.status, row.detail) for row in area_rows(diagnosis)],
    )


def test_the_failing_2_5_4_machine_replays_the_same_findings() -> None:
    recording = record_bundle(
        _instant(load_scenario("wsl-2.5.4-docker-failing")), now=NOW
    )
    bundle = redact(recording)
    replayed = diagnose(gather_facts(_replay(bundle.to_toml()), bound=10))

    original = recording.diagnosis
    assert [(f.id, f.status) for f in replayed.findings] == [
        (f.id, f.status) for f in original.findings
    ]
    assert replayed.findings[0].id == "tun-not-loaded"
    assert replayed.verdict_kind == original.verdict_kind == "problem"
    assert replayed.facts.host_label == "support bundle 2026-01-02 03:04 UTC"
    assert replayed.facts.recorded


@pytest.mark.parametrize("name", bundled_scenarios())
def test_every_bundled_machine_replays_identically(name: str) -> None:
    recording = record_bundle(_instant(load_scenario(name)), now=NOW)
    bundle = redact(recording)
    expected = _outcome(_instant(load_scenario(name)))
    replayed = _outcome(_replay(bundle.to_toml()))
    # Area details may name the user's folder, which the bundle replaces.
    assert replayed[:3] == expected[:3]
    assert [r[:2] for r in replayed[3]] == [r[:2] for r in expected[3]]


def test_the_bundle_plays_back_the_tap_check_the_machine_answered() -> None:
    """The replay shows the kernel's own answer, not one worked out from the
    files (here they disagree: the files say ENODEV, the machine said EIO)."""
    text = load_scenario("demo").scenario.source
    machine = parse_scenario(
        Path(text).read_text(encoding="utf-8")
        + '\n[tap_check]\nok = false\nerrno = "EIO"\n'
        'message = "TUNSETIFF on /home/alice/x: Input/output error"\n',
        "machine",
    )
    recording = record_bundle(_instant(RecordedHost(machine)), now=NOW)
    bundle = redact(recording)
    data = bundle.to_toml().decode("utf-8")
    assert "[tap_check]" in data and "alice" not in data
    assert "A replay plays this answer back" in data
    replayed = _replay(bundle.to_toml())
    check = replayed.tap_check()
    assert (check.ok, check.errno_name) == (False, "EIO")
    assert check.message == "TUNSETIFF on /home/user1/x: Input/output error"


def test_the_bundle_names_itself_and_says_what_it_removed() -> None:
    recording = record_bundle(_instant(load_scenario("demo")), now=NOW)
    text = redact(recording).to_toml().decode("utf-8")
    scenario = parse_scenario(text, "bundle")

    assert scenario.name == "support bundle 2026-01-02 03:04 UTC"
    header = text.split("[machine]", 1)[0]
    assert header.startswith("# wslwizard support bundle")
    assert "user names: 1 value, replaced in" in header
    assert "alice" not in text.lower()
    assert "256 KiB" in header


def test_a_program_only_looked_for_is_found_on_the_replay_but_never_answers() -> None:
    host = _instant(load_scenario("wsl-2.5.4-docker-failing"))
    recorder = RecordingHost(host)
    assert recorder.which("dmesg") == "/usr/bin/dmesg"
    capture = recorder.capture("x")
    replay = _instant(RecordedHost(capture.scenario))

    assert replay.which("dmesg") == "/usr/bin/dmesg"
    assert any(NOT_RECORDED_FLAG in c.when for c in capture.scenario.commands)
    answer = replay.run(["dmesg"], timeout=1)
    assert answer.returncode is None and not answer.not_found


def test_reads_of_any_shape_come_back_the_same() -> None:
    data = bytes(range(256)) * 40
    source = Scenario(name="m", files={"/var/log/x.log": RecordedFile(data=data)})
    recorder = RecordingHost(RecordedHost(source))
    head = recorder.read_bytes("/var/log/x.log", 100)
    tail, size = recorder.read_tail("/var/log/x.log", 300)
    capture = recorder.capture("x")

    assert size == len(data)
    assert capture.notes["/var/log/x.log"].kind == "tail"  # the end is kept
    replay = RecordedHost(capture.scenario)
    assert replay.read_tail("/var/log/x.log", 300)[0] == tail
    assert head == data[:100]


# -- the writer ------------------------------------------------------------------

_TEXTS = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=80
) | st.sampled_from(
    [
        "a\r\nb\r\n",
        "a\r\r\nb\r\r\n",
        "mixed\r\nends\n",
        "'''",
        '"""',
        'x\\y"',
        "\ufeffbom",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    paths=st.lists(st.text(min_size=1, max_size=20), max_size=4, unique=True),
    payloads=st.lists(_TEXTS, min_size=1, max_size=4),
    raw=st.binary(max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-16-le"]),
    env=st.dictionaries(st.text(min_size=1, max_size=10), _TEXTS, max_size=3),
)
def test_the_scenario_writer_reads_back_byte_for_byte(
    paths: list[str],
    payloads: list[str],
    raw: bytes,
    encoding: str,
    env: dict[str, str],
) -> None:
    files = {
        "/f/" + str(index): RecordedFile(
            data=payloads[index % len(payloads)].encode(encoding)
        )
        for index, _ in enumerate(paths)
    }
    files["/f/raw"] = RecordedFile(data=raw)
    commands = [
        RecordedCommand(argv=("cmd", *paths), stdout=text.encode(encoding), stderr=raw)
        for text in payloads
    ]
    scenario = Scenario(name="w", environment=env, files=files, commands=commands)
    back = parse_scenario(dump_scenario(scenario, header="a\nheader"), "w")

    assert back.environment == env
    assert {p: f.data for p, f in back.files.items()} == {
        p: f.data for p, f in files.items()
    }
    assert [(c.argv, c.stdout, c.stderr) for c in back.commands] == [
        (c.argv, c.stdout, c.stderr) for c in commands
    ]


def test_a_name_ending_in_a_line_break_is_written_as_a_quoted_key() -> None:
    """Found by the property test above: ``$`` also matches before a final
    line break, so ``"0\\n"`` passed for a bare key and broke the file."""
    scenario = Scenario(name="w", environment={"0\n": "", "PATH": "/bin"})
    back = parse_scenario(dump_scenario(scenario), "w")
    assert back.environment == {"0\n": "", "PATH": "/bin"}
