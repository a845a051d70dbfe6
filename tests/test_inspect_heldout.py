"""Real pastes in their wrapping (``tests/cases_heldout/capture``): what
``inspect`` reads at the top of its answer is the output, not the heading,
prompt, quote or prose around it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wslwizard.cli.inspect_report import inspect_json
from wslwizard.diagnosis.captures import inspect_bytes

CASES = Path(__file__).parent / "cases_heldout" / "capture"


def _read(name: str, folder: Path = CASES) -> dict[str, Any]:
    path = folder / name
    [entry] = inspect_json([inspect_bytes(path.read_bytes(), path.name)])
    return entry


def _findings(entry: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["status"] for f in entry["findings"]}


@pytest.mark.parametrize(
    ("name", "kind", "key", "value"),
    [
        ("uname-a-6.18.33.2-textblock.txt", "kernel", "release",
         "6.18.33.2-microsoft-standard-WSL2"),
        ("issue-template-kernel-version-proc-version-no-date.txt", "kernel",
         "release", "5.15.79.1-microsoft-standard-WSL2"),
        ("uname-a-wsl1-4.4.0-43-tilde-prompt.txt", "kernel", "wsl_generation", 1),
        ("wsl-version-de-DE-1.0.3.0-with-ver-line.txt", "wsl-version", "wsl",
         "1.0.3.0"),
        ("wsl-version-en-2.5.7.0-prose-intro.txt", "wsl-version", "kernel",
         "6.6.87.1-1"),
        ("wsl-status-en-blockquoted-5.10.60.1.txt", "wsl-status", "default_distro",
         "Ubuntu-20.04"),
        ("wslconfig-custom-kernel-commented-out.txt", "wsl-conf", "sections",
         {"wsl2": {}}),
    ],
)  # fmt: skip
def test_the_top_level_reading_is_the_output(
    name: str, kind: str, key: str, value: object
) -> None:
    entry = _read(name)
    assert entry["kind"] == kind
    assert entry["facts"][key] == value
    assert all(part["kind"] != "unknown" for part in entry["parts"])


def test_a_quoted_list_reads_as_the_list() -> None:
    entry = _read("wsl-l-v-en-blockquoted.txt")
    assert entry["kind"] == "wsl-list"
    names = [d["name"] for d in entry["facts"]["distros"]]
    assert names == ["Ubuntu", "docker-desktop", "docker-desktop-data"]
    assert entry["facts"]["distros"][0]["default"] is True


def test_a_quoted_legacy_log_keeps_its_version_and_error() -> None:
    entry = _read("dd-legacy-log-txt-quoted-markdown-gt-17.03.txt")
    assert entry["kind"] == "log"
    assert entry["facts"]["format"] == "docker-legacy"
    assert entry["facts"]["versions"] == ["17.03.0"]
    assert "An instance is already running. Exiting." in entry["facts"]["errors"]


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("dd-error-dialog-bootstrapping-main-distro-0xffffffff.txt", ["0xffffffff"]),
        ("dd-wsl-bootstrap-pid-kill-stack-pre.txt", ["1"]),
        ("dd-unexpected-wsl-error-mount-bare-usage-text.txt", ["4294967295"]),
    ],
)
def test_exit_codes_are_read_whole(name: str, codes: list[str]) -> None:
    entry = _read(name)
    assert entry["kind"] == "log"
    assert entry["facts"]["exit_codes"] == codes


def test_prose_names_the_docker_desktop_version_for_the_cgroup_rule() -> None:
    entry = _read("docker-version-client-only-wsl-2.5.7-combined.txt")
    assert entry["kind"] == "wsl-version"
    [cgroup] = [f for f in entry["findings"] if f["id"] == "cgroup-v1-unsupported"]
    assert any("4.41.2" in item["detail"] for item in cgroup["context"])
    # Both version conditions of the cgroup break hold; only one of tun's.
    assert entry["findings"][0]["id"] == "cgroup-v1-unsupported"


def test_a_wslconfig_kernel_line_is_a_custom_kernel() -> None:
    assert "custom-kernel" in _findings(
        _read("wslconfig-custom-kernel-and-modules-vhdx-it-version.txt")
    )
    assert "custom-kernel" not in _findings(
        _read("wslconfig-custom-kernel-commented-out.txt")
    )


def test_dockers_stub_in_a_wsl1_distro_is_a_wsl1_distro() -> None:
    entry = _read("docker-stub-wsl1-distro.txt")
    assert _findings(entry).get("wsl1-distro") == "present"


WSL_CASES = Path(__file__).parent / "cases_heldout" / "wsl"


def test_wsl_error_codes_are_read_in_a_log_part_and_a_list_part() -> None:
    entry = _read("wsl-l-v-en-exporting-state-error-code.txt", WSL_CASES)
    codes = [
        code
        for part in entry["parts"]
        for code in part["facts"].get("wsl_error_codes", [])
    ]
    assert codes == ["0x8000000d"]
    entry = _read(
        "wsl-no-distros-en-error-code-default-distro-not-found.txt", WSL_CASES
    )
    assert entry["kind"] == "wsl-list"
    assert entry["facts"]["error_code"] == "WSL_E_DEFAULT_DISTRO_NOT_FOUND"


def test_a_kernel_log_without_tun_lines_is_a_log() -> None:
    entry = _read("dmesg-vhci-manufacturer-linux-5.10.60.1-no-tun.txt")
    assert entry["kind"] == "log"
    assert entry["facts"]["format"] == "dmesg"
    assert entry["facts"]["version_details"]["kernel_release"] == (
        "5.10.60.1-microsoft-standard-WSL2"
    )


ROUND2 = Path(__file__).parent / "cases_heldout" / "round2"


def _read2(name: str) -> dict[str, Any]:
    return _read(name, ROUND2)


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("uname-r-v-5.10.60.1-plus-custom.txt", "kernel",
         {"release": "5.10.60.1-microsoft-standard-WSL2+", "custom": True}),
        ("docker-version-17.09.0-ce-mac-old-server-format.txt", "docker-version",
         {"server_version": "17.09.0-ce", "server_api": "1.32",
          "engine_reachable": True}),
        ("wsl-status-zh-CN-conda-ps-prompt-docker-desktop-default.txt", "wsl-status",
         {"default_distro": "docker-desktop", "default_version": 2}),
        ("os-release-kali-2023.3-nl-line-numbers.txt", "os-release",
         {"ID": "kali", "VERSION_ID": "2023.3", "ID_LIKE": "debian"}),
        ("os-release-oracle-6.10-c-comment-wrapped.txt", "os-release",
         {"ID": "ol", "VERSION_ID": "6.10"}),
        ("os-release-oracle-7.3-html-br-etc-star-release.txt", "os-release",
         {"ID": "ol", "VERSION_ID": "7.3",
          "PRETTY_NAME": "Oracle Linux Server 7.3"}),
        ("wsl-version-ko-KR-2.2.4.0-html-pre-code.txt", "wsl-version",
         {"wsl": "2.2.4.0", "windows": "10.0.22631.4037"}),
    ],
)  # fmt: skip
def test_wrapped_pastes_read_as_their_output(
    name: str, kind: str, expected: dict[str, object]
) -> None:
    entry = _read2(name)
    assert entry["kind"] == kind
    assert {key: entry["facts"].get(key) for key in expected} == expected


def test_a_self_built_kernel_in_uname_rv_is_a_custom_kernel() -> None:
    assert "custom-kernel" in _findings(_read2("uname-r-v-5.10.60.1-plus-custom.txt"))


def test_wsl_feature_off_is_wsl_unavailable() -> None:
    entry = _read2("wsl-list-optional-component-required-podman.txt")
    assert "wsl-unavailable" in _findings(entry)


def test_a_kernel_log_naming_a_self_built_kernel_is_a_custom_kernel() -> None:
    entry = _read2("dmesg-sigbus-not-tainted-5.15.90.1-plus.txt")
    assert entry["kind"] == "log"
    assert _findings(entry).get("custom-kernel") == "present"


def test_a_wsl_error_code_relayed_inside_a_line_is_read() -> None:
    entry = _read2("podman-desktop-distro-not-found-one-line-plus-wsl-l-v-cmd.txt")
    codes = [
        c for part in entry["parts"] for c in part["facts"].get("wsl_error_codes") or []
    ]
    assert codes == ["WSL_E_DISTRO_NOT_FOUND"]


def test_a_key_written_in_bold_is_still_read() -> None:
    entry = _read2("os-release-fedora-remix-33-numbered-list-bold.txt")
    assert entry["kind"] == "os-release"
    assert entry["facts"]["FEDORA_REMIX_VERSION"] == "33.2.1"
    assert entry["facts"]["ID"] == "fedoraremixforwsl"


ROUND3 = Path(__file__).parent / "cases_heldout" / "round3"


def _read3(name: str) -> dict[str, Any]:
    return _read(name, ROUND3)


def _all_facts(entry: dict[str, Any], key: str) -> list[Any]:
    return [part["facts"].get(key) for part in entry["parts"]]


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("wsl-v-fr-FR-2.4.13.0-tab-indented-markdown-list.txt", "wsl-version",
         {"wsl": "2.4.13.0", "kernel": "5.15.167.4-1", "wslg": "1.0.65",
          "windows": "10.0.26100.3775"}),
        ("wsl-version-tr-TR-1.1.3.0-readme-fence.txt", "wsl-version",
         {"wsl": "1.1.3.0", "kernel": "5.15.90.1", "windows": "10.0.22621.1265"}),
        ("wsl-version-pl-PL-2.3.14.0-inline-backticks-plus-config-usbip.txt",
         "wsl-version", {"wsl": "2.3.14.0", "kernel": "6.6.36.3-1",
                         "wslg": "1.0.64", "windows": "10.0.22631.3880"}),
        ("modprobe-sch_netem-4.19.84-inline-backtick-prompt.txt", "modules",
         {"release": "4.19.84-microsoft-standard", "module": "sch_netem"}),
        ("modprobe-usbip-13-modules-4.19.104-startusb-prompt-ip.txt", "modules",
         {"release": "4.19.104-microsoft-standard"}),
        ("modprobe-bluetooth-wsl1-4.4.0-17134-moddep-make-error.txt", "modules",
         {"release": "4.4.0-17134-Microsoft"}),
        ("proc-version-5.15.167.4-grep-inline-backtick-root-prompt.txt", "kernel",
         {"release": "5.15.167.4-microsoft-standard-WSL2", "wsl_generation": 2}),
        ("wsl-status-fr-FR-debian-then-list-online-fr-FR.txt", "wsl-status",
         {"default_distro": "Debian", "default_version": 2}),
    ],
)  # fmt: skip
def test_round3_pastes_read_as_their_output(
    name: str, kind: str, expected: dict[str, object]
) -> None:
    entry = _read3(name)
    assert entry["kind"] == kind, [p["kind"] for p in entry["parts"]]
    assert {key: entry["facts"].get(key) for key in expected} == expected


def test_prose_before_module_errors_is_not_a_log() -> None:
    """'I'm getting this error:' read as a one-line log said nothing and took
    the top of the answer from the modprobe lines below it."""
    entry = _read3("modprobe-usbip-13-modules-4.19.104-startusb-prompt-ip.txt")
    assert [p["kind"] for p in entry["parts"]] == ["modules"]
    assert len(entry["facts"]["modules"]) == 13


def test_markdown_italics_around_a_list_are_not_part_of_a_name() -> None:
    entry = _read3("wsl-l-pt-BR-padrao-markdown-italics.txt")
    assert entry["kind"] == "wsl-list"
    distros = [(d["name"], d["default"]) for d in entry["facts"]["distros"]]
    assert distros == [("Ubuntu", True), ("Ubuntu-20.04", False)]


def test_a_wsl_conf_with_commented_headers_enables_nothing() -> None:
    entry = _read3("wsl-conf-commented-section-headers-opensuse.txt")
    assert entry["kind"] == "wsl-conf"
    assert entry["facts"]["sections"] == {
        "": {"systemd": "true", "generateResolvConf": "false"}
    }
    assert entry["facts"]["systemd"] is None


def test_an_unknown_mount_option_relayed_by_docker_is_the_inbox_wsl() -> None:
    entry = _read3("dd-deploying-wsl2-wrapped-invalid-option-mount-inbox-head.txt")
    assert "inbox-wsl" in _findings(entry)
    [finding] = [f for f in entry["findings"] if f["id"] == "inbox-wsl"]
    assert any("--mount" in str(item) for item in finding["evidence"])
    assert ["4294967295"] in _all_facts(entry, "exit_codes")


def test_a_rancher_log_with_version_dash_and_a_relayed_error() -> None:
    entry = _read3("rd-1.8.1-wsl-log-import-exit-4294967295-registered-distros.txt")
    facts = entry["facts"]
    assert entry["kind"] == "log" and facts["format"] == "rancher"
    assert facts["version_details"]["rancher_desktop"] == "1.8.1"
    [error] = facts["errors"]
    assert "wsl.exe --import rancher-desktop" in error
    assert error.endswith("wsl.exe exited with code 4294967295")


def test_an_issue_form_names_the_wsl_and_kernel_versions() -> None:
    entry = _read3("wsl-install-HCS_E_HYPERV_NOT_INSTALLED-issue-form-2.5.9.txt")
    # The form's fields are what wsl --version printed: read as such.
    assert entry["kind"] == "wsl-version"
    assert entry["facts"]["wsl"] == "2.5.9.0"
    assert entry["facts"]["kernel"] == "6.6.87.2-1"
    assert entry["facts"]["windows"] is None, "Build 26100.0 is not 10.0.x"
    # The error below the form is a log of its own.
    assert ["HCS_E_HYPERV_NOT_INSTALLED"] in _all_facts(entry, "wsl_error_codes")
    assert "tun-not-loaded" not in _findings(entry)


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("dd-issue-form-vsock-handshake-eof-short-E-line-client-only.txt",
         "vsock-handshake-eof", "tun-not-loaded"),
        ("docker-v-and-info-19.03.13-wsl-engine-ce-not-running-prompt.txt",
         "engine-unreachable", "tun-not-loaded"),
        ("docker-version-18.09.0-pengwin-relay-eof-equals-rules.txt",
         "engine-unreachable", "tun-not-loaded"),
        ("modprobe-bluetooth-wsl1-4.4.0-17134-moddep-make-error.txt",
         "wsl1-distro", "tun-not-loaded"),
    ],
)  # fmt: skip
def test_round3_findings(name: str, present: str, absent: str) -> None:
    found = _findings(_read3(name))
    assert present in found
    assert absent not in found


ROUND4 = Path(__file__).parent / "cases_heldout" / "round4"


def _read4(name: str) -> dict[str, Any]:
    return _read(name, ROUND4)


def _errors(entry: dict[str, Any]) -> list[str]:
    return [e for part in entry["parts"] for e in part["facts"].get("errors") or []]


def test_a_wsl_bug_report_form_reads_as_the_versions_it_holds() -> None:
    entry = _read4("wsl-issue-form-2.5.1.0-prerelease-breaks-docker-desktop-4.38.txt")
    assert entry["kind"] == "wsl-version"
    facts = entry["facts"]
    assert (facts["wsl"], facts["kernel"], facts["windows"]) == (
        "2.5.1.0",
        "6.6.75.1-1",
        "10.0.26100.3476",
    )
    # A version alone is context: possible, never present.
    assert _findings(entry).get("tun-not-loaded") == "possible"


def test_a_form_fills_what_a_pasted_version_line_lacks() -> None:
    entry = _read4(
        "wslconfig-indented-experimental-mirrored-zh-CN-unsupported-warnings-"
        "2.3.24.0-form.txt"
    )
    assert entry["facts"]["wsl"] == "2.3.24.0"
    assert entry["facts"]["windows"] == "10.0.19045.5011"
    assert [p["kind"] for p in entry["parts"]] == ["wsl-version", "wsl-conf"]


@pytest.mark.parametrize(
    "name",
    [
        "dd-mount-invalid-option-bold-italic-dialog-then-docker-version-27.5.1.txt",
        "dd-mount-de-DE-inbox-ungueltige-befehlszeilenoption-prose-head.txt",
    ],
)
def test_wsl_refusing_mount_is_the_inbox_wsl_and_the_exit_code_is_kept(
    name: str,
) -> None:
    entry = _read4(name)
    assert _findings(entry).get("inbox-wsl") == "present"
    assert ["4294967295"] in _all_facts(entry, "exit_codes")


def test_a_docker_version_after_the_refusal_is_still_read() -> None:
    entry = _read4(
        "dd-mount-invalid-option-bold-italic-dialog-then-docker-version-27.5.1.txt"
    )
    assert "docker-version" in [p["kind"] for p in entry["parts"]]


def test_a_win32_error_name_is_a_wsl_error_code() -> None:
    entry = _read4("wsl-l-v-ko-blog-collapsed-whitespace-debug-shell-error.txt")
    assert ["ERROR_FILE_NOT_FOUND"] in _all_facts(entry, "wsl_error_codes")


def test_a_property_list_status_names_its_default_distro() -> None:
    entry = _read4(
        "wsl-status-powershell-property-style-DefaultWSLDistro-inline-backtick.txt"
    )
    assert entry["kind"] == "wsl-status"
    assert entry["facts"]["default_distro"] == "Ubuntu-20.04"
    assert entry["facts"]["default_version"] == 2


def test_a_bracketed_shell_prompt_is_not_a_docker_log() -> None:
    entry = _read4("ls-l-dev-net-tun-crw-------wsl2-19013-vs-fedora-host-prose.txt")
    assert [p["kind"] for p in entry["parts"]] == ["modules"]
    assert entry["facts"]["tun_device_present"] is True


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("dd-4.0.1-failed-to-deploy-distro-operation-timed-out-fenced.txt",
         "Failed to deploy distro docker-desktop to "),
        ("dd-unexpected-wsl-error-list-all-context-deadline-placeholder-versions.txt",
         "wsl.exe -l -v --all: context deadline exceeded"),
        ("dd-wsl-2.57-typo-context-deadline-conda-prompt-docker-v.txt",
         "running engine: waiting for the Docker API: context deadline exceeded"),
        ("dd-4.5.1-failed-to-set-version-ru-RU-mojibake-stack-head.txt",
         "Failed to set version to docker-desktop: exit code: -1"),
        ("tailscale-log-wsl-l-exit-1-go-escaped-utf16-fr-FR-usage-head.txt",
         "WSL SetDNS: wslRun([wsl.exe -l]): exit status 1"),
    ],
)  # fmt: skip
def test_plain_error_lines_are_listed_as_errors(name: str, error: str) -> None:
    errors = _errors(_read4(name))
    assert any(e.startswith(error) for e in errors), errors


def test_prose_about_an_error_is_not_an_error() -> None:
    entry = _read4(
        "dd-unexpected-wsl-error-list-all-context-deadline-placeholder-versions.txt"
    )
    assert not any("error above appears" in e for e in _errors(entry))


ROUND5 = Path(__file__).parent / "cases_heldout" / "round5"


def _read5(name: str) -> dict[str, Any]:
    return _read(name, ROUND5)


def _lists(entry: dict[str, Any]) -> list[tuple[list[str], str | None]]:
    return [
        ([d["name"] for d in part["facts"]["distros"]], part["facts"]["message"])
        for part in entry["parts"]
        if part["kind"] == "wsl-list"
    ]


def test_two_typed_lists_are_two_readings() -> None:
    entry = _read5("wsl-l-no-distributions-but-l-v-docker-desktop-Installing-19041.txt")
    assert _lists(entry) == [
        ([], "Windows Subsystem for Linux has no installed distributions."),
        (["docker-desktop"], None),
    ]
    entry = _read5("wsl-l-v-docker-desktop-Installing-wsl1-mixed-then-wslconfig-l.txt")
    assert [names for names, _message in _lists(entry)] == [
        ["Ubuntu-20.04", "Ubuntu-18.04", "docker-desktop"],
        ["Ubuntu-20.04", "Ubuntu-18.04"],
    ]


def test_uname_from_three_machines_gives_three_kernels() -> None:
    entry = _read5(
        "uname-a-three-kernels-4.19.104-5.10.16.3-5.4.72-pr-review-thread.txt"
    )
    assert _all_facts(entry, "release") == [
        "5.10.16.3-microsoft-standard-WSL2",
        "4.19.104-microsoft-standard",
        "5.4.72-microsoft-standard-WSL2",
    ]


def test_an_error_code_after_uname_is_a_log_of_its_own() -> None:
    entry = _read5(
        "uname-a-before-after-custom-6.1.21.2-plus-zh-CN-blockquote-then-WSAENOTCONN.txt"
    )
    assert ["WSAENOTCONN"] in _all_facts(entry, "wsl_error_codes")


def test_a_status_decoded_in_the_wrong_code_page_is_still_read() -> None:
    entry = _read5(
        "ps-transcript-es-ES-2.6.3.0-cp850-mojibake-blank-lines-status-list-"
        "running-uname.txt"
    )
    [status] = [p["facts"] for p in entry["parts"] if p["kind"] == "wsl-status"]
    assert (status["default_distro"], status["default_version"]) == ("Ubuntu2204", 2)


def test_automatic_updates_that_cannot_occur_are_off() -> None:
    entry = _read5(
        "wsl-status-no-default-distro-kernel-file-not-found-then-l-v-doubled-prompt-"
        "head.txt"
    )
    assert entry["facts"]["automatic_updates"] is False
    assert entry["facts"]["default_distro"] is None


def test_a_prompt_glued_after_os_release_is_not_its_value() -> None:
    entry = _read5(
        "uname-a-macos-docker-desktop-linuxkit-6.12.72-nsenter-os-release-glued-"
        "prompt.txt"
    )
    [facts] = [p["facts"] for p in entry["parts"] if p["kind"] == "os-release"]
    assert facts["PRETTY_NAME"] == "Docker Desktop"
    assert facts["docker_desktop_distro"] is True


def test_a_message_relayed_by_javascript_and_the_wsl_log_error() -> None:
    entry = _read5(
        "rd-background-log-no-distros-4294967295-js-stdout-crcrlf-escapes-and-"
        "wsl-log.txt"
    )
    assert _lists(entry) == [
        ([], "Windows Subsystem for Linux has no installed distributions.")
    ]
    assert any(
        e.startswith("WSL failed to execute wsl.exe --list --verbose")
        for e in _errors(entry)
    )


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("rd-1.11-wsl-helper-exit-code-11-img-tag-js-command-array.txt",
         'WSL distro "Ubuntu" Error: C:\\WINDOWS\\system32\\wsl.exe exited'),
        ("podman-desktop-js-error-exit-125-stderr-wsl-exe-0xffffffff-head.txt",
         "STDERR: [podman] Error when checking rootful machine:"),
    ],
)  # fmt: skip
def test_errors_relayed_inside_a_line_are_listed(name: str, error: str) -> None:
    errors = _errors(_read5(name))
    assert any(e.startswith(error) for e in errors), errors


ROUND6 = Path(__file__).parent / "cases_heldout" / "round6"


def _read6(name: str) -> dict[str, Any]:
    return _read(name, ROUND6)


@pytest.mark.parametrize(
    "name",
    [
        "docker-version-ce-client-24.0.6-in-wsl-server-docker-desktop-no-version-"
        "then-info-head.txt",
        "dd-4.34.2-wsl-keepalive-docker-desktop-data-terminated-abruptly-docker-"
        "version-ok-form-head.txt",
        "dd-4.25.2-update-web-download-not-supported-docker-version-500-internal-"
        "server-error-before-client-form-head.txt",
    ],
)
def test_paragraphs_of_prose_are_not_a_log(name: str) -> None:
    """An issue's sentences that name no error, version or code are not a
    part: the answer's top is the output."""
    entry = _read6(name)
    assert entry["kind"] == "docker-version"
    assert "log" not in [p["kind"] for p in entry["parts"]]


def test_a_quote_inside_a_form_is_read() -> None:
    entry = _read6(
        "dd-4.49-wsl-needs-updating-blockquoted-inbox-invalid-version-status-"
        "5.10.102.1-list-v-form-head.txt"
    )
    kinds = [p["kind"] for p in entry["parts"]]
    assert "wsl-list" in kinds
    [status] = [p["facts"] for p in entry["parts"] if p["kind"] == "wsl-status"]
    assert (status["default_distro"], status["default_version"]) == (
        "Ubuntu-24.04",
        2,
    )


def test_modprobe_warnings_name_missing_modules_too() -> None:
    entry = _read6(
        "wsl-form-custom-kernel-6.6.36.3-clear-linux-dockerd-modprobe-bridge-"
        "br_netfilter-ip_tables-not-found-head.txt"
    )
    [modules] = [p["facts"] for p in entry["parts"] if p["kind"] == "modules"]
    assert modules["modules"] == ["bridge", "br_netfilter", "ip_tables"]
    assert _findings(entry).get("custom-kernel") == "present"


def test_a_diagnose_report_lists_each_failure() -> None:
    entry = _read6(
        "dd-self-diagnose-2021-3-failures-wsl-exit-status-4294967295-docker-"
        "desktop-missing-hypervisorlaunchtype-off.txt"
    )
    assert _errors(entry) == [
        "Failed with: exit status 4294967295",
        "Failed with: WSL Distribution docker-desktop is missing",
        "Failed with: hypervisorlaunchtype is set to off in the bootloader",
    ]


def test_a_go_fatal_error_is_an_error() -> None:
    entry = _read6(
        "docker-version-18.06-wsl1-epollwait-failed-38-netpoll-fatal-error-go-"
        "stack-head.txt"
    )
    assert "fatal error: runtime: netpoll failed" in _errors(entry)


def test_docker_version_run_onto_its_command_line_is_read() -> None:
    entry = _read6(
        "docker-version-18.09.2-client-flattened-into-issue-title-cmd-prompt.txt"
    )
    assert entry["kind"] == "docker-version"
    facts = entry["facts"]
    assert (facts["client_version"], facts["client_api"], facts["client_os_arch"]) == (
        "18.09.2",
        "1.39",
        "windows/amd64",
    )
    assert facts["server_version"] is None


ROUND7 = Path(__file__).parent / "cases_heldout" / "round7"


def test_an_inline_code_span_mid_line_leaves_no_backtick_in_the_release() -> None:
    entry = _read(
        "wsl-form-1.2.5.0-5.15.90.1-modprobe-loop-not-found-backtick-inline.txt", ROUND7
    )
    [modules] = [p["facts"] for p in entry["parts"] if p["kind"] == "modules"]
    assert modules["release"] == "5.15.90.1-microsoft-standard-WSL2"
    assert modules["directory"] == "/lib/modules/5.15.90.1-microsoft-standard-WSL2"


def test_a_four_part_docker_desktop_version_is_read_whole() -> None:
    entry = _read(
        "dd-2.2.2.0-BackendException-failed-to-check-wsl-bootstrap-version-exit-code-"
        "minus1-form.txt",
        ROUND7,
    )
    assert ["2.2.2.0"] in _all_facts(entry, "versions")
