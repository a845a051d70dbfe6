"""Editing /etc/wsl.conf keeps everything the user wrote."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wslwizard.probes.parse.wsl_conf import parse_wsl_conf
from wslwizard.remedies.wslconf import add_boot_command

CASES = Path(__file__).parent / "cases"


def test_adds_a_boot_section_and_keeps_every_line() -> None:
    original = (CASES / "wsl-conf-network-only-generateResolvConf.txt").read_bytes()
    edited = add_boot_command(original, "modprobe tun")
    assert edited.startswith(original.replace(b"\r\n", b"\n").rstrip(b"\n"))
    assert parse_wsl_conf(edited).boot_command == "modprobe tun"
    assert parse_wsl_conf(edited).get("network", "generateResolvConf") == "false"


def test_inserts_into_an_existing_boot_section() -> None:
    original = (CASES / "wsl-conf-boot-automount-network-spaces.txt").read_bytes()
    edited = add_boot_command(original, "modprobe tun")
    conf = parse_wsl_conf(edited)
    assert conf.boot_command == "modprobe tun"
    assert conf.systemd is True
    for line in original.decode().splitlines():
        assert line in edited.decode().splitlines()


def test_joins_an_existing_command_and_is_idempotent() -> None:
    original = (
        b'# mine\n[boot]\ncommand = "service cron start"\n\n[user]\ndefault=alice\n'
    )
    once = add_boot_command(original, "modprobe tun")
    assert parse_wsl_conf(once).boot_command == "service cron start; modprobe tun"
    assert b"# mine\n" in once and b"default=alice" in once
    assert add_boot_command(once, "modprobe tun") == once


def test_crlf_becomes_lf_because_wsl_ignores_crlf_files() -> None:
    edited = add_boot_command(b"[network]\r\nhostname = box\r\n", "modprobe tun")
    assert b"\r" not in edited
    assert parse_wsl_conf(edited).crlf is False


def test_empty_or_missing_file() -> None:
    assert add_boot_command(b"", "modprobe tun") == b"[boot]\ncommand = modprobe tun\n"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_never_raises_and_always_ends_with_the_command(data: bytes) -> None:
    edited = add_boot_command(data, "modprobe tun")
    assert b"modprobe tun" in edited
    assert b"\r" not in edited
