"""Real WSL outputs from public issues and READMEs that the readers misread.

Each file in ``tests/cases_heldout/wsl`` keeps the name the tester gave it;
personal details were already replaced. Readings are checked through the
public reader functions, and through ``classify`` by the kind of the part
(never by its index: how leading text is split may change).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wslwizard.probes.parse.capture import CapturePart, classify
from wslwizard.probes.parse.text import text_lines
from wslwizard.probes.parse.wsl_list import (
    find_error_codes,
    list_line_numbers,
    parse_wsl_list,
    quiet_list_command,
)
from wslwizard.probes.parse.wsl_status import parse_wsl_status, status_line_numbers
from wslwizard.probes.parse.wsl_version import parse_wsl_version

CASES = Path(__file__).parent / "cases_heldout" / "wsl"


def raw(name: str) -> bytes:
    return (CASES / name).read_bytes()


def parts(name: str) -> list[CapturePart]:
    found = classify(raw(name))
    json.dumps([part.facts for part in found])
    return found


def parts_of(name: str, kind: str) -> list[dict[str, Any]]:
    return [part.facts for part in parts(name) if part.kind == kind]


# -- wsl --status ----------------------------------------------------------------


def test_docker_info_cgroup_lines_are_not_status() -> None:
    for name in (
        "docker-info-27.3.1-cgroup-v2-wsl2-5.15.167.4.txt",
        "docker-info-20.10.22-wsl2-5.15.90.1-cmder-lambda.txt",
    ):
        assert parse_wsl_status(raw(name)) is None, name
        assert status_line_numbers(raw(name).decode().splitlines()) == []
        assert parts_of(name, "wsl-status") == [], name


def test_status_not_claimed_inside_a_run_of_label_value_lines() -> None:
    text = " Logging Driver: json-file\n Default Distribution: Ubuntu\n Version: 2\n"
    assert parse_wsl_status(text) is None


def test_status_after_wsl_version_pair_still_read() -> None:
    text = "WSL version: 2.0.14.0\nDefault Distribution: Ubuntu\nDefault Version: 2\n"
    status = parse_wsl_status(text)
    assert status is not None
    assert status.default_distro == "Ubuntu"
    assert status.default_version == 2


def test_status_ja_jp_enable_updates_advice_is_not_updates_on() -> None:
    name = "wsl-status-ja-JP-old-5.10.16-no-distro.txt"
    status = parse_wsl_status(raw(name))
    assert status is not None
    assert status.automatic_updates is not True
    assert status.default_distro is None
    assert status.default_version == 2
    assert status.last_updated == "2021/09/24"
    assert status.kernel_version == "5.10.16"
    (facts,) = parts_of(name, "wsl-status")
    assert facts["automatic_updates"] is not True


def test_status_quoted_advice_in_korean_is_not_updates_on() -> None:
    text = (
        "기본 버전: 2\n\n"
        "자동 커널 업데이트를 받으려면 Windows 업데이트 설정을 사용하도록 "
        "설정하세요: 'Windows를 업데이트할 때 다른 Microsoft 제품에 대한 "
        "업데이트 받기'\n"
    )
    status = parse_wsl_status(text)
    assert status is not None
    assert status.automatic_updates is None


def test_status_ja_jp_updates_on_line_still_read() -> None:
    status = parse_wsl_status(
        "既定のバージョン: 2\nWSL の自動更新が有効になっています。\n"
    )
    assert status is not None
    assert status.automatic_updates is True


def test_status_en_vmp_disabled_note_is_wsl2_unsupported() -> None:
    name = "wsl-status-en-vmp-disabled-wsl2-install.txt"
    status = parse_wsl_status(raw(name))
    assert status is not None
    assert status.default_distro == "Ubuntu"
    assert status.default_version == 2
    note = status.wsl2_unsupported
    assert note is not None
    assert note.startswith("Please enable the Virtual Machine Platform")
    assert note.endswith("https://aka.ms/wsl2-install")
    assert status.wsl1_unsupported is None
    (facts,) = parts_of(name, "wsl-status")
    assert facts["wsl2_unsupported"] == note


def test_status_ru_ru_vmp_disabled_note_is_wsl2_unsupported() -> None:
    name = "wsl-status-and-list-ru-RU-vmp-disabled-wsl1.txt"
    (facts,) = parts_of(name, "wsl-status")
    assert facts["default_distro"] == "Ubuntu-20.04"
    assert facts["default_version"] == 2
    note = facts["wsl2_unsupported"]
    assert note.startswith("Включите функцию Windows для платформы виртуальных машин")
    assert "https://aka.ms/wsl2-install" in note
    (listing,) = parts_of(name, "wsl-list")
    assert listing["distros"] == [
        {"name": "Ubuntu-20.04", "state": "Stopped", "version": 1, "default": True}
    ]


def test_status_kernel_link_to_wsl2kernel_is_not_a_note() -> None:
    text = (
        "Default Version: 2\n\n"
        "To receive automatic kernel updates, please enable the Windows Update "
        "setting: 'Receive updates for other Microsoft products'.\n"
        "For more information please visit https://aka.ms/wsl2kernel.\n"
    )
    status = parse_wsl_status(text)
    assert status is not None
    assert status.wsl2_unsupported is None


def test_status_markdown_autolinked_kernel_version() -> None:
    name = "wsl-l-v-update-status-en-markdown-autolink-kernel.txt"
    (facts,) = parts_of(name, "wsl-status")
    assert facts["default_distro"] == "Ubuntu-22.04"
    assert facts["default_version"] == 2
    assert facts["last_updated"] == "01/05/2022"
    assert facts["automatic_updates"] is True
    assert facts["kernel_version"] == "5.10.102.1"
    status = parse_wsl_status("Kernel version: [5.10.102.1](https://5.10.102.1/)\n")
    assert status is not None
    assert status.kernel_version == "5.10.102.1"


# -- wsl --version ---------------------------------------------------------------


def test_issue_form_field_holding_a_kernel_line_is_not_wsl_version() -> None:
    name = "issue-form-wsl-version-kernel-only.txt"
    assert parse_wsl_version(raw(name)) is None
    assert parts_of(name, "wsl-version") == []
    status = parse_wsl_status(raw(name))
    assert status is not None
    assert status.kernel_version == "5.10.102.1"


def test_version_values_before_a_markdown_line_break() -> None:
    version = parse_wsl_version(raw("wsl-version-pl-PL-2.6.1.0-markdown-backslash.txt"))
    assert version is not None
    assert version.wsl == "2.6.1.0"
    assert version.kernel == "6.6.87.2-1"
    assert version.wslg == "1.0.66"
    assert version.msrdc == "1.2.6353"
    assert version.direct3d == "1.611.1-81528511"
    assert version.dxcore == "10.0.26100.1-240331-1435.ge-release"
    assert version.windows == "10.0.26100.7623"
    (facts,) = parts_of(
        "wsl-version-pl-PL-2.6.1.0-markdown-backslash.txt", "wsl-version"
    )
    assert facts["wsl"] == "2.6.1.0"
    assert facts["windows"] == "10.0.26100.7623"


def test_version_values_in_json_escaped_text() -> None:
    text = (
        '{"stdout": "WSL version: 2.0.14.0\\r\\nKernel version: 5.15.133.1-1\\r\\n'
        'WSLg version: 1.0.59\\r\\nMSRDC version: 1.2.4677\\r\\n"}'
    )
    version = parse_wsl_version(text)
    assert version is not None
    assert version.wsl == "2.0.14.0"
    assert version.kernel == "5.15.133.1-1"
    assert version.wslg == "1.0.59"
    assert version.msrdc == "1.2.4677"


def test_version_markdown_autolinked_values() -> None:
    text = (
        "WSL version: [2.0.14.0](https://2.0.14.0/)\n"
        "Kernel version: [5.15.133.1-1](https://5.15.133.1-1/)\n"
        "WSLg version: 1.0.59\n"
    )
    version = parse_wsl_version(text)
    assert version is not None
    assert version.wsl == "2.0.14.0"
    assert version.kernel == "5.15.133.1-1"
    assert version.wslg == "1.0.59"


# -- wsl -l ----------------------------------------------------------------------


def test_list_markdown_escaped_default_marker() -> None:
    name = "wsl-l-v-ru-RU-markdown-escaped-star.txt"
    listing = parse_wsl_list(raw(name))
    assert listing is not None
    assert listing.verbose
    (distro,) = listing.distros
    assert (distro.name, distro.state, distro.version, distro.default) == (
        "Ubuntu",
        "Stopped",
        2,
        True,
    )
    (facts,) = parts_of(name, "wsl-list")
    assert facts["distros"][0]["default"] is True
    (status,) = parts_of(name, "wsl-status")
    assert status["default_distro"] == "Ubuntu"
    assert status["default_version"] == 2


def test_list_no_distros_old_ja_jp_and_ko_kr_messages() -> None:
    expected = {
        "wsl-l-v-no-distros-ja-JP-old-after-unregister.txt": (
            "Linux 用 Windows サブシステムには、ディストリビューションが"
            "インストールされていません。"
        ),
        # Reconstructed by the tester (UTF-16LE, no BOM) from the quoted text.
        "wsl-no-distros-ja-JP-utf16le-old.bin": (
            "Linux 用 Windows サブシステムには、ディストリビューションが"
            "インストールされていません。"
        ),
        "wsl-l-v-no-distros-ko-KR-after-unregister.txt": (
            "Linux용 Windows 하위 시스템에는 설치된 배포판이 없습니다."
        ),
        "wsl-no-distros-ko-KR-then-list-online.txt": (
            "Linux용 Windows 하위 시스템에 설치된 배포판이 없습니다."
        ),
    }
    for name, message in expected.items():
        listing = parse_wsl_list(raw(name))
        assert listing is not None, name
        assert listing.distros == ()
        assert listing.message == message
        (facts,) = parts_of(name, "wsl-list")
        assert facts["message"] == message
        assert facts["distros"] == []


def test_list_quiet_names_after_the_typed_command() -> None:
    # Constructed by the tester from ``wsl --help``: names only, no header.
    name = "wsl-l-q-en-quiet-names.txt"
    listing = parse_wsl_list(raw(name))
    assert listing is not None
    assert [d.name for d in listing.distros] == [
        "Ubuntu-22.04",
        "docker-desktop",
        "docker-desktop-data",
    ]
    assert all(d.default is None and d.state is None for d in listing.distros)
    assert not listing.verbose
    (facts,) = parts_of(name, "wsl-list")
    assert [d["name"] for d in facts["distros"]] == [
        "Ubuntu-22.04",
        "docker-desktop",
        "docker-desktop-data",
    ]
    assert facts["distros"][0]["default"] is None


def test_list_quiet_names_with_the_command_given() -> None:
    body = ["Ubuntu", "docker-desktop", ""]
    assert list_line_numbers(body) == []
    assert list_line_numbers(body, command="wsl -l -q") == [0, 1]
    listing = parse_wsl_list("Ubuntu\ndocker-desktop\n", command="wsl.exe -l -q")
    assert listing is not None
    assert [d.name for d in listing.distros] == ["Ubuntu", "docker-desktop"]
    assert parse_wsl_list("Ubuntu\ndocker-desktop\n") is None


def test_quiet_list_command_shapes() -> None:
    assert quiet_list_command("PS C:\\Users\\alice> wsl --list --quiet")
    assert quiet_list_command("C:\\Users\\alice>wsl -l -q")
    assert quiet_list_command("`wsl.exe -q -l`")
    assert not quiet_list_command("wsl -l -v")
    assert not quiet_list_command("wsl --status")
    assert not quiet_list_command(None)


def test_wsl_error_code_lines() -> None:
    lines = text_lines(raw("wsl-l-v-en-exporting-state-error-code.txt"))
    assert [(path, code) for _n, path, code in find_error_codes(lines)] == [
        ("Wsl/Service/0x8000000d", "0x8000000d")
    ]
    (facts,) = parts_of("wsl-l-v-en-exporting-state-error-code.txt", "wsl-list")
    assert [d["name"] for d in facts["distros"]][:2] == ["Ubuntu", "Debian-nosystemd"]
    assert facts["distros"][0]["state"] == "Exporting"
    assert facts["distros"][0]["default"] is True
    # The translated label does not matter; the Wsl/ path and code do.
    korean = ["오류 코드: Wsl/WSL_E_DEFAULT_DISTRO_NOT_FOUND", "Error: Wsl is down"]
    assert find_error_codes(korean) == [
        (0, "Wsl/WSL_E_DEFAULT_DISTRO_NOT_FOUND", "WSL_E_DEFAULT_DISTRO_NOT_FOUND")
    ]


def test_no_distros_message_carries_its_error_code() -> None:
    for name in (
        "wsl-no-distros-en-error-code-default-distro-not-found.txt",
        "wsl-l-v-no-distros-ko-KR-after-unregister.txt",
        "wsl-no-distros-ko-KR-then-list-online.txt",
    ):
        listing = parse_wsl_list(raw(name))
        assert listing is not None, name
        assert listing.message is not None
        assert listing.error_code == "WSL_E_DEFAULT_DISTRO_NOT_FOUND", name


def test_no_distribution_with_that_name_is_not_no_distros() -> None:
    # podman-desktop/podman-desktop#305: French "no distribution with the
    # supplied name", an error about one name, not an empty listing.
    assert (
        parse_wsl_list("Il n’existe aucune distribution avec le nom fourni.\n") is None
    )
    listing = parse_wsl_list(
        "Le sous-système Windows pour Linux n’a aucune distribution installée.\n"
    )
    assert listing is not None
    assert listing.message is not None
