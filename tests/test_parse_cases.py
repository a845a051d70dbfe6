"""One test per real sample in ``tests/cases``: the reading INDEX.md expects.

Each test checks the parser for that kind of output and what ``classify``
makes of the whole file, because ``wslwizard inspect`` sees files like these.
Where this file deliberately differs from INDEX.md, a comment says why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from wslwizard.probes.parse.capture import CapturePart, classify
from wslwizard.probes.parse.docker_version import parse_docker_version
from wslwizard.probes.parse.kernel import parse_kernel
from wslwizard.probes.parse.logs import parse_log_line
from wslwizard.probes.parse.modules import (
    parse_dmesg,
    parse_lsmod,
    parse_modprobe_output,
)
from wslwizard.probes.parse.os_release import parse_os_release
from wslwizard.probes.parse.text import decode_output, undo_spaced_utf16
from wslwizard.probes.parse.wsl_conf import parse_wsl_conf
from wslwizard.probes.parse.wsl_list import Distro, parse_wsl_list
from wslwizard.probes.parse.wsl_status import parse_wsl_status
from wslwizard.probes.parse.wsl_version import FIELDS, parse_wsl_version

CASES = Path(__file__).parent / "cases"
ABSENT = None


def raw(name: str) -> bytes:
    return (CASES / name).read_bytes()


def lines(name: str) -> list[str]:
    return decode_output(raw(name)).text.splitlines()


def parts(name: str) -> list[CapturePart]:
    found = classify(raw(name))
    json.dumps([part.facts for part in found])
    return found


def kinds(name: str) -> list[str]:
    return [part.kind for part in parts(name)]


def facts(name: str, kind: str) -> dict[str, Any]:
    matching = [part for part in parts(name) if part.kind == kind]
    assert len(matching) == 1, [part.kind for part in parts(name)]
    return matching[0].facts


def check_version(name: str, **expected: str | None) -> None:
    """All seven ``wsl --version`` fields, from the parser and from classify."""
    version = parse_wsl_version(raw(name))
    assert version is not None
    assert not version.inbox
    read = {field: getattr(version, field) for field in FIELDS}
    assert read == expected
    part_facts = facts(name, "wsl-version")
    assert {field: part_facts[field] for field in FIELDS} == expected
    assert set(part_facts) == {*FIELDS, "inbox"}


def check_status(name: str, **expected: object) -> None:
    status = parse_wsl_status(raw(name))
    assert status is not None
    for field, value in expected.items():
        assert getattr(status, field) == value, field
    part_facts = facts(name, "wsl-status")
    for field, value in expected.items():
        assert part_facts[field] == value, field


def check_distros(name: str, *expected: Distro, verbose: bool = True) -> None:
    listing = parse_wsl_list(raw(name))
    assert listing is not None
    assert listing.distros == expected
    assert listing.verbose is verbose
    assert facts(name, "wsl-list")["distros"] == [
        {"name": d.name, "state": d.state, "version": d.version, "default": d.default}
        for d in expected
    ]


def test_every_case_file_has_a_test() -> None:
    names = sorted(p.name for p in CASES.iterdir() if p.name != "INDEX.md")
    assert len(names) == 64
    tested = {name for name in globals() if name.startswith("test_")}
    for name in names:
        slug = "test_" + re.sub(r"[^0-9a-zA-Z]+", "_", name.rsplit(".", 1)[0]).lower()
        assert slug in tested, name


# -- wsl --version ---------------------------------------------------------


def test_wsl_version_en_2_5_4_0_win11_22621() -> None:
    check_version(
        "wsl-version-en-2.5.4.0-win11-22621.txt",
        wsl="2.5.4.0",
        kernel="6.6.75.1-1",
        wslg="1.0.66",
        msrdc="1.2.6074",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26100.1-240331-1435.ge-release",
        windows="10.0.22621.4317",
    )


def test_wsl_version_en_1_2_5_0_from_bash_prompt() -> None:
    name = "wsl-version-en-1.2.5.0-from-bash-prompt.txt"
    check_version(
        name,
        wsl="1.2.5.0",
        kernel="5.15.90.1",
        wslg="1.0.51",
        msrdc="1.2.3770",
        direct3d="1.608.2-61064218",
        dxcore="10.0.25131.1002-220531-1700.rs-onecore-base2-hyp",
        windows="10.0.19045.3393",
    )
    assert kinds(name) == ["wsl-version"]


def test_wsl_version_de_de_2_4_12_0_gitbash() -> None:
    check_version(
        "wsl-version-de-DE-2.4.12.0-gitbash.txt",
        wsl="2.4.12.0",
        kernel="5.15.167.4-1",
        wslg="1.0.65",
        msrdc="1.2.5716",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26100.1-240331-1435.ge-release",
        windows="10.0.26100.8037",
    )


def test_wsl_status_and_version_ja_jp_1_1_3_0() -> None:
    name = "wsl-status-and-version-ja-JP-1.1.3.0.txt"
    assert kinds(name) == ["wsl-status", "wsl-version"]
    check_status(
        name, default_distro="Ubuntu-22.04_E", default_version=2, kernel_version=ABSENT
    )
    # 'Windowsバージョン:' has no space before the label word.
    check_version(
        name,
        wsl="1.1.3.0",
        kernel="5.15.90.1",
        wslg="1.0.49",
        msrdc="1.2.3770",
        direct3d="1.608.2-61064218",
        dxcore="10.0.25131.1002-220531-1700.rs-onecore-base2-hyp",
        windows="10.0.22623.1325",
    )


def test_wsl_version_zh_cn_2_5_9_0_windows_label() -> None:
    check_version(
        "wsl-version-zh-CN-2.5.9.0-windows-label.txt",
        wsl="2.5.9.0",
        kernel="6.6.87.2-1",
        wslg="1.0.66",
        msrdc="1.2.6074",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26100.1-240331-1435.ge-release",
        windows="10.0.26100.4202",
    )


def test_wsl_version_fr_fr_2_7_11_0_custom_kernel_uname() -> None:
    name = "wsl-version-fr-FR-2.7.11.0-custom-kernel-uname.txt"
    assert kinds(name) == ["wsl-version", "kernel"]
    check_version(
        name,
        wsl="2.7.11.0",
        kernel="6.18.33.2-2",
        wslg="1.0.73.2",
        msrdc="1.2.7214",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26100.1-240331-1435.ge-release",
        windows="10.0.26200.8973",
    )
    # The running kernel is a custom build and differs from the package.
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "6.18.40.1-microsoft-standard-WSL2+"
    assert kernel.custom is True
    assert kernel.wsl_generation == 2
    assert kernel.hostname == "HOST"
    kernel_facts = facts(name, "kernel")
    assert kernel_facts["release"] == "6.18.40.1-microsoft-standard-WSL2+"
    assert kernel_facts["custom"] is True


def test_wsl_version_pt_br_2_5_9_0() -> None:
    check_version(
        "wsl-version-pt-BR-2.5.9.0.txt",
        wsl="2.5.9.0",
        kernel="6.6.87.2-1",
        wslg="1.0.66",
        msrdc="1.2.6074",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26100.1-240331-1435.ge-release",
        windows="10.0.22631.5472",
    )


def test_wsl_version_ru_ru_2_2_4_0_and_list() -> None:
    name = "wsl-version-ru-RU-2.2.4.0-and-list.txt"
    assert kinds(name) == ["wsl-version", "wsl-list"]
    check_version(
        name,
        wsl="2.2.4.0",
        kernel="5.15.153.1-2",
        wslg="1.0.61",
        msrdc="1.2.5326",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26091.1-240325-1447.ge-release",
        windows="10.0.19045.4529",
    )
    check_distros(
        name,
        Distro("Ubuntu", "Running", 2, True),
        Distro("docker-desktop", "Running", 2, False),
        Distro("docker-desktop-data", "Running", 2, False),
    )


def test_wsl_version_en_0_58_3_0_store_preview_no_dxcore() -> None:
    check_version(
        "wsl-version-en-0.58.3.0-store-preview-no-dxcore.txt",
        wsl="0.58.3.0",
        kernel="5.10.102.1",
        wslg="1.0.33",
        msrdc="1.2.2924",
        direct3d="1.601.0",
        dxcore=ABSENT,
        windows="10.0.22000.675",
    )


def test_wsl_version_en_1_3_17_0_prerelease_dxcore_main() -> None:
    check_version(
        "wsl-version-en-1.3.17.0-prerelease-dxcore-main.txt",
        wsl="1.3.17.0",
        kernel="5.15.90.4-1",
        wslg="1.0.57",
        msrdc="1.2.4485",
        direct3d="1.608.2-61064218",
        dxcore="10.0.25880.1000-230602-1350.main",
        windows="10.0.22621.2134",
    )


def test_wsl_version_en_1_1_3_0_powershell_array_blank_lines() -> None:
    check_version(
        "wsl-version-en-1.1.3.0-powershell-array-blank-lines.txt",
        wsl="1.1.3.0",
        kernel="5.15.90.1",
        wslg="1.0.49",
        msrdc="1.2.3770",
        direct3d="1.608.2-61064218",
        dxcore="10.0.25131.1002-220531-1700.rs-onecore-base2-hyp",
        windows="10.0.19044.2604",
    )


def test_wsl_version_invalid_option_inbox_wsl() -> None:
    name = "wsl-version-invalid-option-inbox-wsl.txt"
    version = parse_wsl_version(raw(name))
    assert version is not None
    assert version.inbox is True
    assert all(getattr(version, field) is None for field in FIELDS)
    assert version.lines == ("Invalid command line option: --version",)
    assert kinds(name) == ["wsl-version"]
    assert facts(name, "wsl-version")["inbox"] is True


def test_wsl_version_de_de_2_0_0_0_prerelease_rd_update_log() -> None:
    name = "wsl-version-de-DE-2.0.0.0-prerelease-rd-update-log.txt"
    # INDEX calls dxcore "truncated ('10.0.25880.1000-230...')": the capture
    # is cut inside the value and nothing in it says so, so the reading is
    # the text that is there. Windows is cut off entirely: absent.
    check_version(
        name,
        wsl="2.0.0.0",
        kernel="5.15.123.1-1",
        wslg="1.0.57",
        msrdc="1.2.4485",
        direct3d="1.608.2-61064218",
        dxcore="10.0.25880.1000-230",
        windows=ABSENT,
    )
    assert kinds(name) == ["log", "wsl-version"]
    error_line = parse_log_line(lines(name)[1])
    assert error_line.timestamp == "2023-09-20T10:25:58.026Z"
    assert error_line.format == "rancher"
    assert error_line.level == "error"
    log_facts = facts(name, "log")
    assert log_facts["format"] == "rancher"
    assert any("failed to find WSL version" in e for e in log_facts["errors"])


def test_wsl_version_en_2_3_26_0_utf16le_crlf() -> None:
    name = "wsl-version-en-2.3.26.0-utf16le-crlf.bin"
    decoded = decode_output(raw(name))
    assert decoded.encoding == "utf-16-le"
    assert not decoded.replaced
    assert "\r" not in decoded.text and "\x00" not in decoded.text
    check_version(
        name,
        wsl="2.3.26.0",
        kernel="5.15.167.4-1",
        wslg="1.0.65",
        msrdc="1.2.5620",
        direct3d="1.611.1-81528511",
        dxcore="10.0.26100.1-240331-1435.ge-release",
        windows="10.0.26100.3037",
    )


# -- wsl.exe: help, list, status -------------------------------------------


def test_wsl_help_en_utf16le_crcrlf_head() -> None:
    name = "wsl-help-en-utf16le-crcrlf-head.bin"
    decoded = decode_output(raw(name))
    assert decoded.encoding == "utf-16-le"
    assert decoded.text.splitlines() == [
        "Copyright (c) Microsoft Corporation. All rights reserved.",
        "",
        "Usage: wsl.exe [Argument] [Options...] [CommandLine]",
    ]
    assert parse_wsl_version(raw(name)) is None
    assert kinds(name) == ["unknown"]


def test_wsl_l_en_utf16_spaced_out_powershell_pipe() -> None:
    name = "wsl-l-en-utf16-spaced-out-powershell-pipe.txt"
    repaired = undo_spaced_utf16(raw(name).decode())
    assert repaired.splitlines()[0] == "Windows Subsystem for Linux Distributions:"
    check_distros(
        name,
        Distro("Ubuntu", default=True),
        Distro("Legacy"),
        Distro("Ubuntu-tmp"),
        verbose=False,
    )
    assert kinds(name) == ["wsl-list"]


def test_wsl_status_ja_jp_5_10_102_1() -> None:
    name = "wsl-status-ja-JP-5.10.102.1.txt"
    check_status(
        name,
        default_distro="Ubuntu-22.04",
        default_version=2,
        last_updated="2022/08/02",
        automatic_updates=True,
        kernel_version="5.10.102.1",
    )
    # Old --status: the kernel line is not a WSL package version.
    assert parse_wsl_version(raw(name)) is None
    assert kinds(name) == ["wsl-status"]


def test_wsl_l_v_ja_jp_docker_desktop_data() -> None:
    check_distros(
        "wsl-l-v-ja-JP-docker-desktop-data.txt",
        Distro("Ubuntu-22.04", "Stopped", 2, True),
        Distro("docker-desktop", "Stopped", 2, False),
        Distro("docker-desktop-data", "Stopped", 2, False),
    )


def test_wsl_status_zh_tw_no_kernel_line() -> None:
    name = "wsl-status-zh-TW-no-kernel-line.txt"
    check_status(
        name, default_distro="rancher-desktop", default_version=2, kernel_version=ABSENT
    )
    assert kinds(name) == ["wsl-status"]


def test_wsl_status_de_de_updates_blocked() -> None:
    check_status(
        "wsl-status-de-DE-updates-blocked.txt",
        default_distro="rancher-desktop-data",
        default_version=2,
        last_updated="05.02.2024",
        kernel_version=ABSENT,
    )


def test_wsl_status_en_two_lines_only() -> None:
    check_status(
        "wsl-status-en-two-lines-only.txt",
        default_distro="Debian",
        default_version=2,
        kernel_version=ABSENT,
        last_updated=ABSENT,
        automatic_updates=ABSENT,
    )


def test_wsl_status_en_last_updated_27_mar_22() -> None:
    check_status(
        "wsl-status-en-last-updated-27-Mar-22.txt",
        default_distro="Ubuntu-22.04",
        default_version=2,
        last_updated="27-Mar-22",
        automatic_updates=True,
        kernel_version="5.10.102.1",
    )


def test_wsl_status_en_no_default_distro_rd() -> None:
    name = "wsl-status-en-no-default-distro-rd.txt"
    check_status(
        name,
        default_distro=ABSENT,
        default_version=2,
        last_updated="03/11/2021",
        automatic_updates=True,
        kernel_version="5.10.60.1",
    )
    assert kinds(name) == ["wsl-status"]


def test_wsl_l_v_en_insider_18917() -> None:
    name = "wsl-l-v-en-insider-18917.txt"
    check_distros(name, Distro("Ubuntu", "Running", 2, True))
    assert kinds(name) == ["wsl-list"]


def test_wsl_l_v_en_mixed_wsl1_default() -> None:
    check_distros(
        "wsl-l-v-en-mixed-wsl1-default.txt",
        Distro("Ubuntu-18.04", "Stopped", 1, True),
        Distro("Ubuntu-16.04", "Running", 2, False),
        Distro("Ubuntu", "Running", 2, False),
    )


def test_wsl_l_v_en_three_distros_backtick_wrapped() -> None:
    name = "wsl-l-v-en-three-distros-backtick-wrapped.txt"
    check_distros(
        name,
        Distro("Ubuntu-24.04", "Running", 2, True),
        Distro("Ubuntu-24.04-DS-Pandas", "Stopped", 2, False),
        Distro("Ubuntu", "Stopped", 2, False),
    )
    assert kinds(name) == ["wsl-list"]


def test_wsl_status_and_list_es_es_2_7_14_no_distros() -> None:
    name = "wsl-status-and-list-es-ES-2.7.14-no-distros.txt"
    assert kinds(name) == ["wsl-status", "wsl-list"]
    check_status(name, default_version=2, default_distro=ABSENT)
    status = parse_wsl_status(raw(name))
    assert status is not None and status.wsl1_unsupported is not None
    assert status.wsl1_unsupported.startswith("WSL1 no es compatible")
    assert status.wsl2_unsupported is None
    listing = parse_wsl_list(raw(name))
    assert listing is not None
    assert listing.distros == ()
    assert listing.message is not None and "no tiene distribuciones" in listing.message
    assert facts(name, "wsl-list")["distros"] == []


# -- kernel strings --------------------------------------------------------


def test_proc_version_wsl1_4_4_0_18985() -> None:
    name = "proc-version-wsl1-4.4.0-18985.txt"
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "4.4.0-18985-Microsoft"
    assert kernel.wsl_generation == 1
    assert kernel.windows_build == 18985
    assert kernel.custom is False
    assert facts(name, "kernel")["wsl_generation"] == 1


def test_proc_version_wsl2_4_19_67_first_wsl2() -> None:
    name = "proc-version-wsl2-4.19.67-first-wsl2.txt"
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "4.19.67-microsoft-standard"
    assert kernel.wsl_generation == 2
    assert kernel.builder == "oe-user@oe-host"
    assert kernel.custom is False
    assert kernel.version_tuple == (4, 19, 67)


def test_uname_a_wsl1_4_4_0_17763() -> None:
    name = "uname-a-wsl1-4.4.0-17763.txt"
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "4.4.0-17763-Microsoft"
    assert kernel.version == "#379-Microsoft Wed Mar 06 19:16:00 PST 2019"
    assert kernel.machine == "x86_64"
    assert kernel.hostname == "HOST"
    assert kernel.wsl_generation == 1
    assert kinds(name) == ["kernel"]


def test_proc_version_wsl2_5_4_72() -> None:
    kernel = parse_kernel(raw("proc-version-wsl2-5.4.72.txt"))
    assert kernel is not None
    assert kernel.release == "5.4.72-microsoft-standard-WSL2"
    assert kernel.wsl_generation == 2
    assert kernel.builder == "oe-user@oe-host"
    assert kernel.build_date == "Wed Oct 28 23:40:43 UTC 2020"


def test_uname_a_wsl2_5_15_133_1() -> None:
    kernel = parse_kernel(raw("uname-a-wsl2-5.15.133.1.txt"))
    assert kernel is not None
    assert kernel.release == "5.15.133.1-microsoft-standard-WSL2"
    assert kernel.wsl_generation == 2
    assert kernel.machine == "x86_64"
    assert kernel.version_tuple == (5, 15, 133, 1)


def test_uname_a_docker_desktop_distro_busybox_6_6_87_2() -> None:
    name = "uname-a-docker-desktop-distro-busybox-6.6.87.2.txt"
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "6.6.87.2-microsoft-standard-WSL2"
    assert kernel.version == "#1 SMP PREEMPT_DYNAMIC Thu Jun  5 18:30:46 UTC 2025"
    assert kernel.machine == "x86_64"
    assert kernel.custom is False
    assert kinds(name) == ["kernel"]


def test_proc_version_custom_5_19_0() -> None:
    kernel = parse_kernel(raw("proc-version-custom-5.19.0.txt"))
    assert kernel is not None
    assert kernel.release == "5.19.0-microsoft-standard"
    assert kernel.wsl_generation == 2
    assert kernel.custom is True
    assert kernel.builder == "user@HOST"
    assert kernel.version == "#2 SMP PREEMPT_DYNAMIC Wed Aug 3 01:11:12 +04 2022"


def test_wsl_update_status_vs_uname_r_4_19() -> None:
    name = "wsl-update-status-vs-uname-r-4.19.txt"
    assert kinds(name) == ["wsl-status", "kernel"]
    assert facts(name, "wsl-status")["kernel_version"] == "4.19.128"
    kernel = parse_kernel(raw(name))
    assert kernel is not None and kernel.release == "4.19.104-microsoft-standard"
    assert facts(name, "kernel")["release"] == "4.19.104-microsoft-standard"


def test_ver_and_wsl_uname_a_4_19_59_insider() -> None:
    name = "ver-and-wsl-uname-a-4.19.59-insider.txt"
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.windows_version == "10.0.18970.1005"
    assert kernel.release == "4.19.59-microsoft-standard"
    assert kernel.version == "#1 SMP Sun Jul 21 13:26:57 UtC 2019"
    assert kernel.machine == "x86_64"
    assert kinds(name) == ["kernel"]


# -- module evidence -------------------------------------------------------


def test_modprobe_tun_wsl1_4_4_0_43_no_prefix() -> None:
    name = "modprobe-tun-wsl1-4.4.0-43-no-prefix.txt"
    outcome = parse_modprobe_output(raw(name))
    assert outcome.module == "tun"
    assert outcome.not_found is True
    assert outcome.directory == "/lib/modules/4.4.0-43-Microsoft"
    assert outcome.tun_device_missing is True
    module_facts = facts(name, "modules")
    assert module_facts["release"] == "4.4.0-43-Microsoft"
    assert parse_kernel(module_facts["release"]).wsl_generation == 1


def test_modprobe_tun_5_4_72_wsl2_in_container_log() -> None:
    name = "modprobe-tun-5.4.72-wsl2-in-container-log.txt"
    outcome = parse_modprobe_output(raw(name))
    assert outcome.modules == ("tun", "iptable_mangle")
    assert outcome.directory == "/lib/modules/5.4.72-microsoft-standard-WSL2"
    assert facts(name, "modules")["release"] == "5.4.72-microsoft-standard-WSL2"


def test_modprobe_loop_depmod_debian_5_15_90_1() -> None:
    name = "modprobe-loop-depmod-debian-5.15.90.1.txt"
    outcome = parse_modprobe_output(raw(name))
    assert outcome.module == "loop"
    assert outcome.not_found is True
    assert outcome.depmod_dir_missing is True
    assert outcome.release == "5.15.90.1-microsoft-standard-WSL2"
    assert outcome.listed_releases == ("6.1.0-12-amd64",)
    assert kinds(name) == ["modules"]


def test_modprobe_fuse_moddep_4_19_84() -> None:
    name = "modprobe-fuse-moddep-4.19.84.txt"
    outcome = parse_modprobe_output(raw(name))
    assert outcome.module == "fuse"
    assert outcome.moddep_missing is True
    assert outcome.not_found is True
    assert outcome.directory == "/lib/modules/4.19.84-microsoft-standard"
    assert facts(name, "modules")["moddep_missing"] is True


def test_lsmod_6_6_36_3_modular_no_tun() -> None:
    name = "lsmod-6.6.36.3-modular-no-tun.txt"
    loaded = parse_lsmod(raw(name))
    assert [module.name for module in loaded] == [
        "nf_conntrack_netlink",
        "br_netfilter",
        "bridge",
        "stp",
        "llc",
        "intel_rapl_msr",
        "intel_rapl_common",
        "crc32c_intel",
        "configfs",
        "ip_tables",
        "autofs4",
    ]
    configfs = loaded[8]
    assert (configfs.size, configfs.refcount, configfs.deps) == (61440, 1, ())
    assert loaded[4].deps == ("bridge", "stp")
    assert kinds(name) == ["kernel", "modules"]
    assert facts(name, "kernel")["release"] == "6.6.36.3-microsoft-standard-WSL2"
    module_facts = facts(name, "modules")
    assert module_facts["tun_loaded"] is False
    assert module_facts["tap_loaded"] is False


def test_dmesg_tun_builtin_usb_kernel() -> None:
    name = "dmesg-tun-builtin-usb-kernel.txt"
    dmesg = parse_dmesg(raw(name))
    assert dmesg.tun_registered is True
    assert dmesg.tun_line == "[    1.904582] tun: Universal TUN/TAP device driver, 1.6"
    assert parse_log_line(dmesg.tun_line).timestamp == "1.904582"
    module_facts = facts(name, "modules")
    assert module_facts["tun_builtin_evidence"] == dmesg.tun_line
    assert module_facts["tun_loaded"] is None


# -- Docker Desktop, Rancher Desktop and Podman logs -----------------------


def test_docker_log_wslbootstrap_init_2_5_4() -> None:
    name = "docker-log-wslbootstrap-init-2.5.4.txt"
    first, second = (parse_log_line(line) for line in lines(name)[:2])
    assert first.relay_timestamp == "2025-04-04T00:35:22.240001700Z"
    assert first.relay_component == "com.docker.backend.exe.WSLBootstrap"
    assert first.timestamp == "2025-04-04T00:35:22.240355737Z"
    assert first.component == "init"
    assert first.level is None
    assert first.message == "VM init started"
    # Relayed lines: host and VM clocks are not in step.
    assert second.relay_timestamp == "2025-04-04T00:35:22.240616900Z"
    assert second.timestamp == "2025-04-04T00:35:22.240513641Z"
    assert second.message == "error mounting devtmpfs to /dev: device or resource busy"
    # Benign noise: it states no level, so it is not reported as an error.
    assert second.level is None
    log_facts = facts(name, "log")
    assert log_facts["format"] == "docker-backend"
    assert log_facts["errors"] == []


def test_docker_log_tap_af_vsock_fatal_stripped() -> None:
    name = "docker-log-tap-af-vsock-fatal-stripped.txt"
    line = parse_log_line(lines(name)[0])
    assert line.timestamp is None
    assert line.component == "init"
    assert line.level == "error"
    message = (
        "FATAL: initializing TAP AF_VSOCK: opening tap interface: "
        "no such file or directory"
    )
    assert line.message == message
    assert facts(name, "log")["errors"] == [message]


def test_docker_desktop_log_txt_legacy_2_3_1_0() -> None:
    name = "docker-desktop-log-txt-legacy-2.3.1.0.txt"
    text = lines(name)
    first = parse_log_line(text[13])
    assert (first.timestamp, first.component, first.level, first.message) == (
        "10:49:49.961",
        "GUI",
        "info",
        "Starting...",
    )
    assert first.format == "docker-legacy"
    overflow = next(parse_log_line(t) for t in text if "Templates" in t)
    assert overflow.component == "ApplicationTemplatesTracking"
    log_facts = facts(name, "log")
    assert log_facts["format"] == "docker-legacy"
    assert log_facts["versions"] == ["2.3.1.0"]
    assert log_facts["version_details"]["docker_desktop_build"] == "45408"


def test_docker_desktop_log_txt_3_6_0_wsl_query_failed() -> None:
    name = "docker-desktop-log-txt-3.6.0-wsl-query-failed.txt"
    line = next(parse_log_line(t) for t in lines(name) if "unable to query" in t)
    assert line.component == "GoBackendProcess"
    assert line.message == 'msg="unable to query WSL distros: exit status 3221226505"'
    log_facts = facts(name, "log")
    assert log_facts["versions"] == ["3.6.0"]
    assert "3221226505" in log_facts["exit_codes"]


def test_docker_desktop_log_txt_failed_to_check_distro_multiline() -> None:
    name = "docker-desktop-log-txt-failed-to-check-distro-multiline.txt"
    levels = {parse_log_line(t).level for t in lines(name) if t.startswith("[")}
    assert levels == {"info", "error", "debug"}
    log_facts = facts(name, "log")
    assert log_facts["errors"] == [
        "Failed to check distro: exit code: -1",
        "Failed to check distro: exit code: -1",
        "Start failed with Failed to check distro: exit code: -1",
    ]
    assert log_facts["exit_codes"] == ["-1"]


def test_docker_diagnose_log_pipe_not_found_2022() -> None:
    name = "docker-diagnose-log-pipe-not-found-2022.txt"
    parsed = [parse_log_line(t) for t in lines(name)]
    assert [line.level for line in parsed[:2]] == ["warning", "info"]
    assert parsed[0].timestamp == "2022-09-01T19:37:34.437899000Z"
    assert parsed[0].component == "com.docker.diagnose.exe"
    assert "dockerBackendV2" in parsed[0].message
    assert facts(name, "log")["format"] == "diagnose"


def test_docker_backend_log_4_65_startup_ipc_micro_sign() -> None:
    name = "docker-backend-log-4.65-startup-ipc-micro-sign.txt"
    parsed = [parse_log_line(t) for t in lines(name)]
    assert parsed[0].message.endswith("(992.8µs)")
    assert {line.component for line in parsed} == {
        "com.docker.backend.exe.ipc",
        "com.docker.backend.exe.allowed-orgs",
        "com.docker.backend.exe.heartbeat",
    }
    assert all(line.level is None for line in parsed)
    log_facts = facts(name, "log")
    assert log_facts["versions"] == ["4.65.0"]
    assert log_facts["errors"] == []


def test_docker_backend_log_4_65_apiproxy_engine_error() -> None:
    name = "docker-backend-log-4.65-apiproxy-engine-error.txt"
    line = next(
        parse_log_line(t) for t in raw(name).decode().split("\n") if "apiproxy" in t
    )
    assert line.component == "com.docker.backend.exe.apiproxy"
    assert line.message == "returning engine error: "
    assert kinds(name) == ["log"]


def test_docker_backend_log_custom_kernel_stuck_no_timestamps() -> None:
    name = "docker-backend-log-custom-kernel-stuck-no-timestamps.txt"
    parsed = [parse_log_line(t) for t in lines(name)]
    assert [line.timestamp for line in parsed] == [None, None, None]
    assert [line.component for line in parsed] == [
        "apiproxy",
        "vpnkit-bridge",
        "enginedependencies",
    ]
    assert parsed[1].message.startswith("/run/guest-services/")
    assert kinds(name) == ["log"]


def test_rd_vm_switch_log_tap_eth0_failed() -> None:
    name = "rd-vm-switch-log-tap-eth0-failed.txt"
    debug, fatal = (parse_log_line(t) for t in lines(name))
    assert debug.level == "debug"
    assert fatal.level == "fatal"
    assert fatal.timestamp == "2025-04-01T10:42:31+02:00"
    assert fatal.message == "creating tap device eth0 failed: no such file or directory"
    log_facts = facts(name, "log")
    assert log_facts["format"] == "logrus"
    assert log_facts["errors"] == [fatal.message]


def test_rd_diagnostics_log_wsl_kernel_not_detected() -> None:
    name = "rd-diagnostics-log-wsl-kernel-not-detected.txt"
    parsed = [parse_log_line(t) for t in lines(name)]
    assert parsed[0].timestamp == "2022-12-14T18:39:14.631Z"
    assert parsed[0].message == "WSL_FROM_STORE is applicable"
    assert [line.format for line in parsed] == ["rancher"] * 4 + ["plain"]
    assert kinds(name) == ["log"]
    assert facts(name, "log")["lines"] == 5


def test_podman_machine_start_de_de_pipe_busy() -> None:
    name = "podman-machine-start-de-DE-pipe-busy.txt"
    assert kinds(name) == ["log"]
    log_facts = facts(name, "log")
    assert log_facts["errors"] == [
        "Error: machine did not transition into running state: ssh error: "
        "machine not in running state"
    ]
    assert "Alle Pipeinstanzen sind ausgelastet." in parts(name)[0].text
    # Not a docker CLI error: the pipe is busy, not missing.
    assert parse_docker_version(raw(name)) is None


def test_docker_desktop_exception_zh_cn_gbk_mojibake_title() -> None:
    name = "docker-desktop-exception-zh-CN-gbk-mojibake-title.txt"
    assert kinds(name) == ["log"]
    log_facts = facts(name, "log")
    assert log_facts["exit_codes"] == ["-1"]
    assert log_facts["replacement_characters"] is True


# -- docker version / docker info ------------------------------------------


def test_docker_version_dd_4_11_0_ok() -> None:
    name = "docker-version-dd-4.11.0-ok.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.client_version == "20.10.17"
    assert docker.client_os_arch == "windows/amd64"
    assert docker.context == "default"
    assert (docker.desktop_version, docker.desktop_build) == ("4.11.0", "83626")
    assert docker.server_version == "20.10.17"
    assert docker.server_os_arch == "linux/amd64"
    assert dict(docker.components) == {
        "containerd": "1.6.6",
        "runc": "1.1.2",
        "docker-init": "0.19.0",
    }
    assert docker.engine_reachable is True
    assert docker.error is None
    assert facts(name, "docker-version")["desktop_version"] == "4.11.0"


def test_docker_version_engine_down_dockerdesktoplinuxengine_28_1_1() -> None:
    name = "docker-version-engine-down-dockerDesktopLinuxEngine-28.1.1.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.client_version == "28.1.1"
    assert docker.client_api == "1.49"
    assert docker.client_os_arch == "windows/amd64"
    assert docker.context == "desktop-linux"
    assert docker.engine_reachable is False
    assert docker.engine_pipe == "dockerDesktopLinuxEngine"
    assert docker.error is not None and docker.error.startswith("error during connect")
    assert kinds(name) == ["docker-version"]


def test_docker_info_windows_engine_pipe_errors_pretty_printing() -> None:
    name = "docker-info-windows-engine-pipe-errors-pretty-printing.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.info is True
    assert docker.info_errors is True
    assert docker.client_version == "28.0.4"  # not a plugin's version
    assert docker.context == "desktop-windows"
    assert docker.engine_pipe == "dockerDesktopWindowsEngine"
    assert docker.engine_reachable is False
    assert kinds(name) == ["docker-version"]


def test_docker_version_18_09_2_old_error_no_client_header() -> None:
    name = "docker-version-18.09.2-old-error-no-client-header.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.client_version == "18.09.2"
    assert docker.client_api == "1.39"
    assert docker.client_os_arch == "windows/amd64"
    assert docker.engine_reachable is False
    assert docker.engine_pipe == "docker_engine"
    assert docker.error is not None and "daemon is not running" in docker.error
    assert kinds(name) == ["docker-version"]


# -- os-release and wsl.conf -----------------------------------------------


def test_os_release_docker_desktop_pretty_name_only() -> None:
    name = "os-release-docker-desktop-pretty-name-only.txt"
    values = parse_os_release(raw(name))
    assert values == {"PRETTY_NAME": "Docker Desktop"}
    assert values.get("ID") is ABSENT and values.get("VERSION_ID") is ABSENT
    assert kinds(name) == ["os-release"]
    assert facts(name, "os-release")["docker_desktop_distro"] is True


def test_os_release_ubuntu_24_04_3() -> None:
    name = "os-release-ubuntu-24.04.3.txt"
    values = parse_os_release(raw(name))
    expected = {
        "PRETTY_NAME": "Ubuntu 24.04.3 LTS",
        "NAME": "Ubuntu",
        "VERSION_ID": "24.04",
        "VERSION": "24.04.3 LTS (Noble Numbat)",
        "VERSION_CODENAME": "noble",
        "ID": "ubuntu",
        "ID_LIKE": "debian",
        "UBUNTU_CODENAME": "noble",
        "LOGO": "ubuntu-logo",
    }
    assert {key: values[key] for key in expected} == expected
    assert facts(name, "os-release")["docker_desktop_distro"] is False


def test_os_release_debian_10_partial() -> None:
    values = parse_os_release(raw("os-release-debian-10-partial.txt"))
    assert values == {
        "PRETTY_NAME": "Debian GNU/Linux 10 (buster)",
        "NAME": "Debian GNU/Linux",
        "VERSION_ID": "10",
        "VERSION": "10 (buster)",
        "VERSION_CODENAME": "buster",
        "ID": "debian",
    }
    assert values.get("HOME_URL") is ABSENT


def test_wsl_conf_boot_automount_network_spaces() -> None:
    name = "wsl-conf-boot-automount-network-spaces.txt"
    conf = parse_wsl_conf(raw(name))
    assert conf.sections == {
        "boot": {"systemd": "true"},
        "automount": {"enabled": "true", "options": "metadata", "mountFsTab": "true"},
        "network": {"generateResolvConf": "false"},
    }
    assert conf.systemd is True
    assert conf.crlf is False
    assert conf.boot_command is None
    assert conf.get("AUTOMOUNT", "mountfstab") == "true"
    assert kinds(name) == ["wsl-conf"]
    assert facts(name, "wsl-conf")["systemd"] is True


def test_wsl_conf_network_only_generateresolvconf() -> None:
    name = "wsl-conf-network-only-generateResolvConf.txt"
    conf = parse_wsl_conf(raw(name))
    assert conf.sections == {"network": {"generateResolvConf": "false"}}
    assert conf.get_bool("network", "generateresolvconf") is False
    assert conf.systemd is None
    assert kinds(name) == ["wsl-conf"]
    assert facts(name, "wsl-conf")["crlf"] is False


@pytest.mark.parametrize(
    "name", sorted(p.name for p in CASES.iterdir() if p.name != "INDEX.md")
)
def test_classify_facts_are_json(name: str) -> None:
    for part in classify(raw(name)):
        assert json.loads(json.dumps(part.facts)) == part.facts
        assert part.text.strip()
