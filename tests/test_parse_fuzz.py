"""No parser may raise, whatever it is given.

Random bytes, random text, huge lines, NUL bytes and mixed encodings go into
every public parser and into ``classify``; the result must have the
documented type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wslwizard.probes.parse.capture import KINDS, classify
from wslwizard.probes.parse.docker_version import parse_docker_version
from wslwizard.probes.parse.kernel import kernel_package_to_release, parse_kernel
from wslwizard.probes.parse.logs import LogLine, parse_log_line
from wslwizard.probes.parse.modules import (
    parse_dmesg,
    parse_lsmod,
    parse_modprobe_output,
    parse_modules_builtin,
    parse_modules_dep,
    parse_proc_misc,
    parse_proc_modules,
)
from wslwizard.probes.parse.os_release import parse_os_release
from wslwizard.probes.parse.text import (
    decode_output,
    strip_ansi_and_controls,
    undo_spaced_utf16,
)
from wslwizard.probes.parse.wsl_conf import parse_wsl_conf
from wslwizard.probes.parse.wsl_list import parse_wsl_list
from wslwizard.probes.parse.wsl_status import parse_wsl_status
from wslwizard.probes.parse.wsl_version import parse_wsl_version

FUZZ = settings(max_examples=200, deadline=None)

#: Fragments of real outputs, so random mixes reach deep into the parsers.
FRAGMENTS = [
    "WSL version: 2.5.4.0",
    "Kernel version: 6.6.75.1-1",
    "WSLg version: 1.0.66",
    "DXCore バージョン: 10.0.26100.1-240331-1435.ge-release",
    "Windows: 10.0.26100.4202",
    "Version WSL : 2.7.11.0",
    "WSL 版本： 1.0.3.0",
    "Invalid command line option: --version",
    "Copyright (c) Microsoft Corporation. All rights reserved.",
    "  NAME      STATE           VERSION",
    "* Ubuntu    Running         2",
    "Windows Subsystem for Linux Distributions:",
    "Ubuntu (Default)",
    "Default Distribution: Ubuntu",
    "Default Version: 2",
    "Distribution par défaut\u00a0: Ubuntu",
    "WSL automatic updates are on.",
    "Windows Subsystem for Linux was last updated on 27-Mar-22",
    "WSL1 no es compatible con la configuración actual del equipo.",
    "There are no running distributions.",
    "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@x) (gcc) #1 SMP",
    "Linux HOST 4.4.0-17763-Microsoft #379-Microsoft Wed Mar 06 19:16:00 PST 2019",
    "6.6.36.3-microsoft-standard-WSL2",
    "Microsoft Windows [Version 10.0.18970.1005]",
    "Module                  Size  Used by",
    "bridge                335872  1 br_netfilter",
    "tun 61440 0 - Live 0x0000000000000000",
    "200 tun",
    "modprobe: FATAL: Module tun not found in directory /lib/modules/x",
    "depmod: ERROR: could not open directory /lib/modules/x: No such file",
    "[    1.904582] tun: Universal TUN/TAP device driver, 1.6",
    'PRETTY_NAME="Docker Desktop"',
    "[boot]",
    'command = "modprobe tun"',
    "Client:",
    " Version:           28.1.1",
    "Server: Docker Desktop 4.39.0 (184744)",
    " Engine:",
    "error during connect: open //./pipe/dockerDesktopLinuxEngine: x",
    "The command 'docker' could not be found in this WSL 2 distro.",
    "[2025-04-04T00:35:22.240001700Z][com.docker.backend.exe.WSLBootstrap] "
    "[2025-04-04T00:35:22.240355737Z][init                  ][E] FATAL: tap",
    "[20:03:51.572][IPCClient         ][Info   ] msg",
    'time="2025-04-01T10:42:31+02:00" level=fatal msg="creating tap device"',
    "2022-12-14T18:39:14.631Z: Running check",
    '{"component":"init","level":"fatal","msg":"x"}',
    "PS C:\\Users\\alice> wsl --version",
    "user@HOST:~$ uname -a",
    "> wsl --status",
    "`wsl -l -v",
    "",
    " ",
    "\x00",
    "\r",
    "\ufeff",
    "\x1b[31m",
    "：",
    "[",
    "]",
    '"',
    "#",
]

TEXT_PARSERS: list[Callable[[Any], Any]] = [
    parse_wsl_version,
    parse_wsl_list,
    parse_wsl_status,
    parse_kernel,
    parse_os_release,
    parse_wsl_conf,
    parse_docker_version,
    parse_proc_modules,
    parse_lsmod,
    parse_proc_misc,
    parse_modules_builtin,
    parse_modules_dep,
    parse_modprobe_output,
    parse_dmesg,
    undo_spaced_utf16,
    strip_ansi_and_controls,
    kernel_package_to_release,
    decode_output,
]


def _mixes() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
    return st.lists(piece, max_size=30).flatmap(
        lambda parts: st.sampled_from(["\n", "\r\n", "\r\r\n", "\n\n", " "]).map(
            lambda sep: sep.join(parts)
        )
    )


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _run_all(value: Any) -> None:
    for parser in TEXT_PARSERS:
        parser(value)
    for line in (value if isinstance(value, str) else "x").split("\n")[:50]:
        assert isinstance(parse_log_line(line), LogLine)
    parts = classify(value)
    for part in parts:
        assert part.kind in KINDS
        json.dumps(part.facts)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _run_all(data)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    _run_all(text)


@FUZZ
@given(
    _mixes(),
    st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-16", "cp1252", "gbk"]),
)
def test_real_fragments_in_any_encoding(text: str, encoding: str) -> None:
    _run_all(text)
    _run_all(_encoded(text, encoding))


@FUZZ
@given(_mixes(), _mixes())
def test_mixed_encodings_in_one_capture(first: str, second: str) -> None:
    _run_all(_encoded(first, "utf-16-le") + _encoded(second, "utf-8"))


@settings(max_examples=6, deadline=None)
@given(st.sampled_from(FRAGMENTS), st.integers(min_value=1_000, max_value=20_000))
def test_huge_lines(fragment: str, repeat: int) -> None:
    line = (fragment or "x") * (100_000 // max(1, len(fragment or "x")))
    _run_all(line[: repeat * 5])
    _run_all(line.encode("utf-8", errors="replace"))


@FUZZ
@given(st.binary(max_size=500))
def test_nul_heavy_input(data: bytes) -> None:
    interleaved = bytearray()
    for byte in data:
        interleaved += bytes((byte, 0))
    _run_all(bytes(interleaved))


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([None, 3, 1.5, [], {}, object()]))
def test_wrong_types_are_harmless(value: Any) -> None:
    for parser in TEXT_PARSERS:
        parser(value)
    parse_log_line(value)
    assert classify(value) == []
