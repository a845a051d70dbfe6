"""Edge cases of the parsers beyond the shared samples: the shapes the
incident notes describe (encodings, translations, old builds) in small,
made-up inputs."""

from __future__ import annotations

import codecs
import json
import time
from pathlib import Path

import pytest

from wslwizard.probes.parse.capture import classify
from wslwizard.probes.parse.docker_version import parse_docker_version
from wslwizard.probes.parse.kernel import kernel_package_to_release, parse_kernel
from wslwizard.probes.parse.logs import normalise_level, parse_log_line
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
from wslwizard.probes.parse.wsl_list import Distro, parse_wsl_list
from wslwizard.probes.parse.wsl_status import parse_wsl_status
from wslwizard.probes.parse.wsl_version import parse_wsl_version

PARSE_DIR = Path(__file__).parent.parent / "wslwizard" / "probes" / "parse"

EN_VERSION = (
    "WSL version: 2.5.4.0\n"
    "Kernel version: 6.6.75.1-1\n"
    "WSLg version: 1.0.66\n"
    "MSRDC version: 1.2.6074\n"
    "Direct3D version: 1.611.1-81528511\n"
    "DXCore version: 10.0.26100.1-240331-1435.ge-release\n"
    "Windows version: 10.0.22621.4317\n"
)


# -- layering ----------------------------------------------------------------


def test_parsers_touch_neither_files_nor_processes() -> None:
    for source in PARSE_DIR.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for forbidden in ("subprocess", "open(", "import os", "pathlib", "textual"):
            assert forbidden not in text, (source.name, forbidden)


# -- decoding ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + "WSL: 1\r\n".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "WSL: 1\r\n".encode("utf-16-be"), "utf-16-be"),
        ("WSL: 1\r\n".encode("utf-16-le"), "utf-16-le"),
        ("WSL: 1\r\n".encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF8 + b"WSL: 1\r\n", "utf-8-sig"),
        (b"WSL: 1\r\n", "utf-8"),
    ],
)
def test_decode_output_detects_encoding(data: bytes, encoding: str) -> None:
    decoded = decode_output(data)
    assert decoded.encoding == encoding
    assert decoded.text == "WSL: 1\n"
    assert decoded.replaced is False


def test_decode_output_cjk_utf16_without_bom() -> None:
    text = "WSL 版本： 2.4.11.0\r\n内核版本： 5.15.167.4-1\r\n"
    decoded = decode_output(text.encode("utf-16-le"))
    assert decoded.encoding == "utf-16-le"
    assert decoded.text == text.replace("\r", "")


def test_decode_output_crcrlf_is_one_line_break() -> None:
    data = "a\r\r\nb\r\r\n".encode("utf-16-le")
    assert decode_output(data).text == "a\nb\n"


def test_decode_output_falls_back_to_cp1252() -> None:
    decoded = decode_output(b"Version: caf\xe9 \x80")
    assert decoded.encoding == "cp1252"
    assert decoded.text == "Version: café €"
    assert decoded.replaced is False


def test_decode_output_mostly_utf8_keeps_its_text() -> None:
    decoded = decode_output("Versão do WSL: 2.5.9.0\n".encode() + b"\xff")
    assert decoded.encoding == "utf-8"
    assert decoded.replaced is True
    assert decoded.text.startswith("Versão do WSL: 2.5.9.0")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("WSL 版本: 2.5.9.0\n内核版本: 6.6.87.2-1\n", "gbk"),
        ("Docker Desktop 启动失败：无法连接到 WSL。", "gbk"),
        ("Docker Desktop のエンジンを起動できません", "cp932"),
        ("既定のディストリビューション: Ubuntu", "cp932"),
    ],
)
def test_decode_output_reads_east_asian_windows_code_pages(
    text: str, encoding: str
) -> None:
    decoded = decode_output(text.encode(encoding))
    assert (decoded.encoding, decoded.text) == (encoding, text)
    assert decoded.replaced is False


@pytest.mark.parametrize(
    "text", ["Versión de WSL: 2.5.9.0", "Grüße aus Köln", "Version du noyau : é"]
)
def test_decode_output_keeps_latin_text_in_cp1252(text: str) -> None:
    """An accented byte next to ASCII letters must not pass for Chinese."""
    decoded = decode_output(text.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("cp1252", text)


def test_decode_output_odd_length_utf16_marks_replacement() -> None:
    decoded = decode_output("WSL version: 2.5.4.0".encode("utf-16-le") + b"W")
    assert decoded.encoding == "utf-16-le"
    assert decoded.replaced is True
    assert decoded.text.startswith("WSL version: 2.5.4.0")


def test_decode_output_drops_stray_nuls_in_text() -> None:
    assert decode_output("W\x00S\x00L\x00").text == "WSL"


def test_undo_spaced_utf16_leaves_ordinary_text_alone() -> None:
    text = "a b c\nDefault Version: 2\nsome ordinary line of text\n"
    assert undo_spaced_utf16(text) == text


def test_undo_spaced_utf16_repairs_a_version_paste() -> None:
    spaced = (
        "W S L   v e r s i o n :   2 . 5 . 4 . 0\n"
        " K e r n e l   v e r s i o n :   6 . 6 . 7 5 . 1 - 1\n"
    )
    assert undo_spaced_utf16(spaced).splitlines() == [
        "WSL version: 2.5.4.0",
        "Kernel version: 6.6.75.1-1",
    ]
    version = parse_wsl_version(spaced)
    assert version is not None and version.kernel == "6.6.75.1-1"


def test_strip_ansi_and_controls() -> None:
    text = "\x1b[1;31mFATAL\x1b[0m: tap\x07 \x1b]0;title\x07done\r\n\tok\x9b2J"
    assert strip_ansi_and_controls(text) == "FATAL: tap\u2407 done\n\tok"


# -- wsl --version -----------------------------------------------------------


def test_wsl_version_all_on_one_line() -> None:
    version = parse_wsl_version(EN_VERSION.replace("\n", " "))
    assert version is not None
    assert (version.wsl, version.kernel, version.windows) == (
        "2.5.4.0",
        "6.6.75.1-1",
        "10.0.22621.4317",
    )


def test_wsl_version_full_width_colon_zh_tw() -> None:
    text = (
        "WSL 版本： 1.0.3.0\n核心版本： 5.15.79.1\nWSLg 版本： 1.0.47\n"
        "MSRDC 版本： 1.2.3575\nDirect3D 版本： 1.606.4\n"
        "DXCore 版本： 10.0.25131.1002-220531-1700.rs-onecore-base2-hyp\n"
        "Windows 版本： 10.0.22621.963\n"
    )
    version = parse_wsl_version(text.encode("utf-16-le"))
    assert version is not None
    assert version.wsl == "1.0.3.0"
    assert version.kernel == "5.15.79.1"
    assert version.windows == "10.0.22621.963"


@pytest.mark.parametrize(
    "labels",
    [
        ("WSL 버전", "커널 버전", "WSLg 버전", "MSRDC 버전", "Direct3D 버전"),
        ("Wersja podsystemu WSL", "Wersja jądra", "Wersja WSLg", "Wersja MSRDC", "x"),
        ("WSL sürümü", "Çekirdek sürümü", "WSLg sürümü", "MSRDC sürümü", "x"),
        ("Versione WSL", "Versione kernel", "Versione WSLg", "Versione MSRDC", "x"),
    ],
)
def test_wsl_version_other_languages(labels: tuple[str, ...]) -> None:
    wsl, kernel, wslg, msrdc, _ = labels
    text = f"{wsl}: 2.5.9.0\n{kernel}: 6.6.87.2-1\n{wslg}: 1.0.66\n{msrdc}: 1.2.6074\n"
    version = parse_wsl_version(text)
    assert version is not None
    assert (version.wsl, version.kernel, version.wslg, version.msrdc) == (
        "2.5.9.0",
        "6.6.87.2-1",
        "1.0.66",
        "1.2.6074",
    )
    assert version.dxcore is None


def test_wsl_version_survives_mojibake_labels() -> None:
    japanese = (
        "WSL バージョン: 2.5.9.0\nカーネル バージョン: 6.6.87.2-1\n"
        "WSLg バージョン: 1.0.66\n"
    )
    garbled = japanese.encode("utf-8").decode("cp1252", errors="replace")
    version = parse_wsl_version(garbled)
    assert version is not None
    assert (version.wsl, version.kernel, version.wslg) == (
        "2.5.9.0",
        "6.6.87.2-1",
        "1.0.66",
    )


def test_wsl_version_never_guesses_from_prose() -> None:
    assert parse_wsl_version("Kernel version: 5.10.102.1\n") is None
    assert parse_wsl_version("Updated to 2.5.4.0 yesterday\n") is None
    assert parse_wsl_version("") is None


def test_wsl_version_picks_the_complete_block() -> None:
    text = "WSL version: 2.5.4.0\n\n$ wsl --version\n" + EN_VERSION
    version = parse_wsl_version(text)
    assert version is not None
    assert version.windows == "10.0.22621.4317"
    assert len(version.lines) == 7


def test_wsl_version_inbox_in_chinese() -> None:
    text = (
        "命令行选项无效: -v\n"
        "版权所有 (c) Microsoft Corporation。保留所有权利。\n\n"
        "用法: wsl.exe [参数] [选项...] [命令行]\n"
    )
    version = parse_wsl_version(text)
    assert version is not None and version.inbox is True
    assert version.wsl is None


def test_wsl_version_modern_unknown_argument_is_not_inbox() -> None:
    text = (
        "Invalid command line argument: --versoin\n"
        "Please use 'wsl.exe --help' to get a list of supported arguments.\n"
    )
    assert parse_wsl_version(text) is None


# -- wsl -l, wsl --status ----------------------------------------------------


@pytest.mark.parametrize(
    ("header", "marker"),
    [
        ("Windows-Subsystem für Linux-Distributionen:", "(Standard)"),
        ("适用于 Linux 的 Windows 子系统分发:", "(默认值)"),
        ("Linux 用 Windows サブシステム ディストリビューション:", "(既定)"),
    ],
)
def test_wsl_list_plain_localised(header: str, marker: str) -> None:
    listing = parse_wsl_list(f"{header}\nUbuntu {marker}\ndocker-desktop\n")
    assert listing is not None
    assert listing.verbose is False
    assert listing.distros == (Distro("Ubuntu", default=True), Distro("docker-desktop"))


def test_wsl_list_no_running_distributions() -> None:
    listing = parse_wsl_list(
        "There are no running distributions.\r\n".encode("utf-16-le")
    )
    assert listing is not None
    assert listing.distros == ()
    assert listing.message == "There are no running distributions."


def test_wsl_list_states_and_wsl1() -> None:
    text = (
        "  NAME   STATE   VERSION\n* Arch   Installing   2\n  Old    Stopped      1\n"
    )
    listing = parse_wsl_list(text)
    assert listing is not None
    assert listing.distros == (
        Distro("Arch", "Installing", 2, True),
        Distro("Old", "Stopped", 1, False),
    )


def test_wsl_list_unknown_state_needs_the_header() -> None:
    listing = parse_wsl_list("  NAME STATE VERSION\n* Ubuntu Suspended 2\n")
    assert listing is not None
    assert listing.distros == (Distro("Ubuntu", "Suspended", 2, True),)
    assert parse_wsl_list("* Ubuntu Suspended 2\n") is None


def test_wsl_list_help_text_is_not_a_list() -> None:
    text = (
        "Arguments for running Linux binaries:\n\n"
        "    If no command line is provided, wsl.exe launches the default shell.\n"
    )
    assert parse_wsl_list(text) is None


@pytest.mark.parametrize(
    ("text", "distro"),
    [
        (
            "Distribution par défaut\u00a0: Ubuntu\nVersion par défaut\u00a0: 2\n",
            "Ubuntu",
        ),
        ("Дистрибутив по умолчанию: Ubuntu\nВерсия по умолчанию: 2\n", "Ubuntu"),
        ("默认分发: Ubuntu-24.04\n默认版本: 2\n", "Ubuntu-24.04"),
        ("Distribución predeterminada: Debian\nVersión predeterminada: 2\n", "Debian"),
        ("Standarddistribution: Ubuntu\nStandardversion: 2\n", "Ubuntu"),
    ],
)
def test_wsl_status_localised(text: str, distro: str) -> None:
    status = parse_wsl_status(text)
    assert status is not None
    assert status.default_distro == distro
    assert status.default_version == 2


def test_wsl_status_wsl2_note_and_updates_off() -> None:
    text = (
        "Default Version: 2\n\n"
        "WSL automatic updates are off.\n\n"
        "WSL2 is not supported with your current machine configuration.\n"
        'Please enable the "Virtual Machine Platform" optional component.\n'
    )
    status = parse_wsl_status(text)
    assert status is not None
    assert status.automatic_updates is False
    assert status.wsl2_unsupported is not None
    assert "Virtual Machine Platform" in status.wsl2_unsupported
    assert status.wsl1_unsupported is None


def test_wsl_status_ignores_other_label_value_pairs() -> None:
    assert parse_wsl_status("Containers: 2\nImages: 1\n") is None
    assert parse_wsl_status("Version: 20.10.17\n") is None


# -- kernel --------------------------------------------------------------------


def test_kernel_package_to_release() -> None:
    assert kernel_package_to_release("6.6.75.1-1") == "6.6.75.1"
    assert kernel_package_to_release("5.15.90.1") == "5.15.90.1"
    assert kernel_package_to_release("not a version") is None


@pytest.mark.parametrize(
    ("text", "release", "generation", "custom"),
    [
        (
            "6.6.87.2-microsoft-standard-WSL2\n",
            "6.6.87.2-microsoft-standard-WSL2",
            2,
            False,
        ),
        (
            "6.6.87.2-microsoft-standard-WSL2+\n",
            "6.6.87.2-microsoft-standard-WSL2+",
            2,
            True,
        ),
        ("6.1.0-12-amd64\n", "6.1.0-12-amd64", None, False),
        ("5.15.0-91-generic+\n", "5.15.0-91-generic+", None, True),
        ("6.8.0-WSL2-custom\n", "6.8.0-WSL2-custom", 2, True),
        ("4.4.0-19041-Microsoft\n", "4.4.0-19041-Microsoft", 1, False),
    ],
)
def test_kernel_bare_releases(
    text: str, release: str, generation: int | None, custom: bool
) -> None:
    kernel = parse_kernel(text)
    assert kernel is not None
    assert (kernel.release, kernel.wsl_generation, kernel.custom) == (
        release,
        generation,
        custom,
    )


def test_kernel_proc_version_6_6_87_2() -> None:
    text = (
        "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@439a258ad544) (gcc (GCC)"
        " 11.2.0, GNU ld (GNU Binutils) 2.37) #1 SMP PREEMPT_DYNAMIC Thu Jun  5 "
        "18:30:46 UTC 2025\n"
    )
    kernel = parse_kernel(text)
    assert kernel is not None
    assert kernel.source == "proc-version"
    assert kernel.builder == "root@439a258ad544"
    assert kernel.build_date == "Thu Jun  5 18:30:46 UTC 2025"
    assert kernel.version_tuple == (6, 6, 87, 2)


def test_kernel_uname_srm() -> None:
    kernel = parse_kernel(
        "$ uname -srm\nLinux 6.6.87.2-microsoft-standard-WSL2 x86_64\n"
    )
    assert kernel is not None
    assert (kernel.release, kernel.machine, kernel.source) == (
        "6.6.87.2-microsoft-standard-WSL2",
        "x86_64",
        "uname-sr",
    )


def test_kernel_none_without_a_release() -> None:
    assert parse_kernel("") is None
    assert parse_kernel("hello world\nKernel version: 5.10.102.1\n") is None


# -- os-release, wsl.conf --------------------------------------------------------


def test_os_release_quotes_comments_and_prompts() -> None:
    text = (
        "$ cat /etc/os-release\n# a comment\nNAME='Arch Linux'\n"
        'PRETTY_NAME="Say \\"hi\\""\nID=arch # trailing\nBROKEN="no end\n'
    )
    assert parse_os_release(text) == {
        "NAME": "Arch Linux",
        "PRETTY_NAME": 'Say "hi"',
        "ID": "arch",
        "BROKEN": "no end",
    }


def test_wsl_conf_crlf_comments_quotes_and_first_key_wins() -> None:
    data = (
        b"# wsl.conf\r\n[boot]\r\nsystemd = TRUE\r\n"
        b'command = "modprobe tun # keep" # comment\r\nsystemd=false\r\n'
        b"[interop]\r\nenabled=false\r\nappendWindowsPath = 0\r\n"
        b"[automount]\r\nroot = /win/\r\n"
    )
    conf = parse_wsl_conf(data)
    assert conf.crlf is True
    assert conf.systemd is True
    assert conf.boot_command == "modprobe tun # keep"
    assert conf.interop_enabled is False
    assert conf.append_windows_path is False
    assert conf.automount_root == "/win/"
    assert conf.get("BOOT", "Command") == "modprobe tun # keep"
    assert conf.get("boot", "missing") is None


def test_wsl_conf_not_a_boolean_is_none() -> None:
    conf = parse_wsl_conf("[boot]\nsystemd=yes please\n")
    assert conf.systemd is None
    assert conf.sections == {"boot": {"systemd": "yes please"}}


def test_wsl_conf_utf16_file() -> None:
    conf = parse_wsl_conf("[boot]\nsystemd=true\n".encode("utf-16"))
    assert conf.systemd is True


# -- docker ----------------------------------------------------------------------


@pytest.mark.parametrize("generation", [1, 2])
def test_docker_stub(generation: int) -> None:
    text = (
        f"The command 'docker' could not be found in this WSL {generation} distro.\n"
        "We recommend to activate the WSL integration in Docker Desktop settings.\n"
    )
    docker = parse_docker_version(text)
    assert docker is not None
    assert docker.stub is True
    assert docker.stub_wsl_generation == generation
    assert docker.engine_reachable is None


def test_docker_cannot_connect_unix_socket() -> None:
    text = (
        "Client: Docker Engine - Community\n Version:  27.3.1\n\n"
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
        "Is the docker daemon running?\n"
    )
    docker = parse_docker_version(text)
    assert docker is not None
    assert docker.client_version == "27.3.1"
    assert docker.engine_reachable is False
    assert docker.endpoint == "unix:///var/run/docker.sock"
    assert docker.engine_pipe is None


def test_docker_failed_to_connect_api() -> None:
    text = (
        "failed to connect to the docker API at "
        "npipe:////./pipe/dockerDesktopLinuxEngine; check if the path is correct "
        "and if the daemon is running: open //./pipe/dockerDesktopLinuxEngine: "
        "The system cannot find the file specified.\n"
    )
    docker = parse_docker_version(text)
    assert docker is not None
    assert docker.engine_pipe == "dockerDesktopLinuxEngine"
    assert docker.endpoint == "npipe:////./pipe/dockerDesktopLinuxEngine"


def test_docker_info_server_section() -> None:
    text = (
        "Client:\n Version:    28.0.4\n Context:    desktop-linux\n\nServer:\n"
        " Containers: 2\n  Running: 0\n Server Version: 28.0.4\n"
        " Kernel Version: 6.6.87.2-microsoft-standard-WSL2\n"
        " Operating System: Docker Desktop\n"
    )
    docker = parse_docker_version(text)
    assert docker is not None
    assert docker.info is True
    assert docker.server_version == "28.0.4"
    assert docker.server_kernel == "6.6.87.2-microsoft-standard-WSL2"
    assert docker.operating_system == "Docker Desktop"
    assert docker.engine_reachable is True
    assert parse_wsl_status(text) is None


def test_docker_none_for_other_text() -> None:
    assert parse_docker_version("Version: 2.3.1.0 (45408)\nBuild: 19645\n") is None


# -- modules -----------------------------------------------------------------------


def test_proc_modules() -> None:
    text = (
        "tun 61440 0 - Live 0x0000000000000000\n"
        "bridge 335872 1 br_netfilter, Live 0x0000000000000000\n"
        "llc 16384 2 bridge,stp, Loading 0x0000000000000000 (O)\n"
        "garbage line\n"
    )
    modules = parse_proc_modules(text)
    assert [m.name for m in modules] == ["tun", "bridge", "llc"]
    assert modules[1].deps == ("br_netfilter",)
    assert modules[2].deps == ("bridge", "stp")
    assert modules[2].state == "Loading"


def test_lsmod_without_header_and_permanent() -> None:
    assert [m.name for m in parse_lsmod("tun 61440 0\n")] == ["tun"]
    rows = parse_lsmod("Module Size Used by\nip_tables 32768 0 [permanent]\n")
    assert rows[0].deps == ()


def test_proc_misc_builtin_and_dep() -> None:
    assert parse_proc_misc("200 tun\n 58 memory_bandwidth\n")["tun"] == 200
    builtin = "kernel/drivers/net/tun.ko\nkernel/net/netfilter/nf-nat.ko\n"
    assert parse_modules_builtin(builtin) == {"tun", "nf_nat"}
    dep = "kernel/drivers/net/tap.ko.xz: kernel/net/core/x.ko.xz\n"
    assert parse_modules_dep(dep) == {"tap": "kernel/drivers/net/tap.ko.xz"}


def test_modprobe_not_permitted() -> None:
    outcome = parse_modprobe_output(
        "modprobe: ERROR: could not insert 'tun': Operation not permitted\n"
    )
    assert outcome.module == "tun"
    assert outcome.not_permitted is True
    assert outcome.not_found is False


def test_insmod_error_names_the_module() -> None:
    outcome = parse_modprobe_output(
        "insmod: ERROR: could not insert module tun.ko: Invalid module format\n"
    )
    assert (outcome.module, outcome.insert_error) == ("tun", "Invalid module format")


def test_dmesg_wsl_module_failure() -> None:
    text = (
        "[    0.000000] Linux version 6.6.75.1-microsoft-standard-WSL2 (root@x) #1\n"
        "[    2.100000] WSL (1) ERROR: Failed to load module 'tun', 2\n"
    )
    dmesg = parse_dmesg(text)
    assert dmesg.failed_modules == ("tun",)
    assert dmesg.tun_registered is False
    assert dmesg.release == "6.6.75.1-microsoft-standard-WSL2"


# -- logs ----------------------------------------------------------------------------


def test_log_json_line() -> None:
    line = parse_log_line(
        '{"component":"dockerd","level":"error","msg":"failed","time":"2026-05-01T10:00:00Z"}'
    )
    assert (line.format, line.component, line.level, line.message) == (
        "json",
        "dockerd",
        "error",
        "failed",
    )


def test_log_wsl_bootstrap_fatal() -> None:
    line = parse_log_line(
        "[2025-03-26T16:59:21.508166733Z][wsl-bootstrap][F] context canceled"
    )
    assert (line.component, line.level, line.message) == (
        "wsl-bootstrap",
        "fatal",
        "context canceled",
    )


def test_log_diagnose_check() -> None:
    line = parse_log_line("[FAIL] DD0031: does the Docker API work? no")
    assert (line.format, line.level) == ("diagnose", "error")


def test_log_levels() -> None:
    assert [normalise_level(w) for w in ("I", "Warning", "E", "F", "debug", "?")] == [
        "info",
        "warning",
        "error",
        "fatal",
        "debug",
        None,
    ]


def test_log_plain_line_keeps_everything() -> None:
    line = parse_log_line("just words\n")
    assert (line.raw, line.message, line.level, line.format) == (
        "just words",
        "just words",
        None,
        "plain",
    )


@pytest.mark.parametrize(
    "line",
    [
        "[" * 100_000,
        "[2025-01-01T00:00:00Z]" * 5_000,
        'time="' + "a" * 100_000,
        'time="x" ' + 'k="' * 30_000,
        "{" * 100_000,
        "2025-01-01T00:00:00Z: " + "x" * 100_000,
        "x" * 100_000,
    ],
)
def test_log_line_is_fast_on_huge_lines(line: str) -> None:
    started = time.perf_counter()
    parse_log_line(line)
    assert time.perf_counter() - started < 0.5


# -- capture -------------------------------------------------------------------------


def test_classify_status_then_version_without_prompts() -> None:
    text = "Default Distribution: Ubuntu\nDefault Version: 2\n\n" + EN_VERSION
    assert [part.kind for part in classify(text.encode())] == [
        "wsl-status",
        "wsl-version",
    ]


def test_classify_version_then_uname() -> None:
    text = (
        "PS C:\\> wsl --version\n" + EN_VERSION + "PS C:\\> wsl uname -a\n"
        "Linux HOST 6.6.75.1-microsoft-standard-WSL2 #1 SMP PREEMPT_DYNAMIC "
        "Sat Feb  8 02:00:20 UTC 2025 x86_64 Linux\n"
    )
    found = classify(text.encode("utf-16-le"))
    assert [part.kind for part in found] == ["wsl-version", "kernel"]
    assert found[0].facts["wsl"] == "2.5.4.0"
    assert found[1].facts["release"] == "6.6.75.1-microsoft-standard-WSL2"


def test_classify_wsl_conf_file_with_crlf() -> None:
    found = classify(b"[boot]\r\ncommand=modprobe tun\r\n")
    assert [part.kind for part in found] == ["wsl-conf"]
    assert found[0].facts["crlf"] is True
    assert found[0].facts["boot_command"] == "modprobe tun"


def test_classify_json_log_and_unknown() -> None:
    log = b'{"component":"init","level":"fatal","msg":"opening tap interface"}\n'
    found = classify(log)
    assert [part.kind for part in found] == ["log"]
    assert found[0].facts["format"] == "json"
    assert found[0].facts["errors"] == ["opening tap interface"]
    assert [part.kind for part in classify(b"hello\nworld\n")] == ["unknown"]
    assert classify(b"") == []
    assert classify(b"\n\n  \n") == []


def test_classify_lsmod_piped_to_grep() -> None:
    found = classify(b"$ lsmod | grep tun\ntun                    61440  0\n")
    assert [part.kind for part in found] == ["modules"]
    assert found[0].facts["tun_loaded"] is True


def test_classify_proc_misc() -> None:
    found = classify(b"$ cat /proc/misc\n200 tun\n 58 memory_bandwidth\n")
    assert [part.kind for part in found] == ["modules"]
    assert found[0].facts["tun_registered"] is True


def test_classify_docker_desktop_os_release_and_stub() -> None:
    text = (
        '# cat /etc/os-release\nPRETTY_NAME="Docker Desktop"\n'
        "$ docker version\n"
        "The command 'docker' could not be found in this WSL 2 distro.\n"
    )
    found = classify(text.encode())
    assert [part.kind for part in found] == ["os-release", "docker-version"]
    assert found[0].facts["docker_desktop_distro"] is True
    assert found[1].facts["stub"] is True


def test_classify_facts_survive_json() -> None:
    for part in classify(
        (EN_VERSION + "\n\n  NAME STATE VERSION\n* U Running 2\n").encode()
    ):
        assert json.loads(json.dumps(part.facts)) == part.facts


def test_log_level_only_header() -> None:
    line = parse_log_line(
        "[E] FATAL: initializing TAP AF_VSOCK: opening tap interface: "
        "no such file or directory"
    )
    assert (line.level, line.component, line.timestamp) == ("error", None, None)
    assert line.message.startswith("FATAL: initializing TAP AF_VSOCK")


@pytest.mark.parametrize(
    "text",
    [
        "[Mon Apr  1 10:00:00 2025] tun: Universal TUN/TAP device driver, 1.6\n",
        "Apr 01 10:00:00 HOST kernel: tun: Universal TUN/TAP device driver, 1.6\n",
    ],
)
def test_tun_banner_in_dmesg_t_and_journal(text: str) -> None:
    assert parse_dmesg(text).tun_registered is True
    found = classify(text.encode())
    assert [part.kind for part in found] == ["modules"]
    assert found[0].facts["tun_builtin_evidence"] == text.strip()


def test_classify_tun_device_node() -> None:
    present = classify(
        b"$ ls -l /dev/net/tun\n"
        b"crw-rw-rw- 1 root root 10, 200 Apr  1 10:00 /dev/net/tun\n"
    )
    assert [part.kind for part in present] == ["modules"]
    assert present[0].facts["tun_device_present"] is True
    missing = classify(
        b"$ ls -l /dev/net/tun\n"
        b"ls: cannot access '/dev/net/tun': No such file or directory\n"
    )
    assert missing[0].facts["tun_device_missing"] is True


def test_classify_ignores_markdown_fences() -> None:
    text = (
        "```text\n"
        + EN_VERSION
        + "```\n\n```\n$ uname -r\n6.6.75.1-microsoft-standard-WSL2\n```\n"
    )
    found = classify(text.encode())
    assert [part.kind for part in found] == ["wsl-version", "kernel"]
