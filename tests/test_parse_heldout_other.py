"""Real outputs that were misread once: ``docker``, kernel, modules and logs.

The inputs in ``tests/cases_heldout/other`` come from public GitHub issues and
repositories (each ``.expected`` sidecar names its source). Parts are found by
kind, not by position, because how a capture's leading lines are grouped is
not what these tests are about.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wslwizard.probes.parse.capture import CapturePart, classify
from wslwizard.probes.parse.docker_version import (
    docker_line_numbers,
    parse_docker_version,
)
from wslwizard.probes.parse.kernel import (
    kernel_line_numbers,
    parse_kernel,
    read_kernel,
)
from wslwizard.probes.parse.logs import parse_log_line
from wslwizard.probes.parse.modules import parse_lsmod, parse_modprobe_output
from wslwizard.probes.parse.text import decode_output

CASES = Path(__file__).parent / "cases_heldout" / "other"


def raw(name: str) -> bytes:
    return (CASES / name).read_bytes()


def lines(name: str) -> list[str]:
    return decode_output(raw(name)).text.splitlines()


def parts_of(name: str, kind: str) -> list[CapturePart]:
    found = classify(raw(name))
    json.dumps([part.facts for part in found])
    return [part for part in found if part.kind == kind]


def only(name: str, kind: str) -> dict[str, Any]:
    matching = parts_of(name, kind)
    assert len(matching) == 1, [part.kind for part in classify(raw(name))]
    return matching[0].facts


# -- docker version / docker info ---------------------------------------------


def test_docker_info_27_3_1_reads_server_kernel_and_os() -> None:
    docker = parse_docker_version(
        raw("docker-info-27.3.1-cgroup-v2-wsl2-5.15.167.4.txt")
    )
    assert docker is not None
    assert docker.info is True
    assert docker.client_version == "27.3.1"
    assert docker.context == "desktop-linux"
    assert docker.server_version == "27.3.1"
    assert docker.server_kernel == "5.15.167.4-microsoft-standard-WSL2"
    assert docker.operating_system == "Docker Desktop"
    assert (docker.cgroup_driver, docker.cgroup_version) == ("cgroupfs", "2")
    assert docker.engine_reachable is True
    assert docker.error is None


def test_docker_info_27_3_1_is_claimed_by_the_docker_reader() -> None:
    name = "docker-info-27.3.1-cgroup-v2-wsl2-5.15.167.4.txt"
    text = lines(name)
    numbers = docker_line_numbers(text)
    wanted = ("Server Version:", "Kernel Version:", "Operating System:")
    for label in wanted:
        assert any(text[n].strip().startswith(label) for n in numbers), label
    facts = only(name, "docker-version")
    assert facts["server_version"] == "27.3.1"
    assert facts["server_kernel"] == "5.15.167.4-microsoft-standard-WSL2"
    assert facts["operating_system"] == "Docker Desktop"
    assert facts["cgroup_version"] == "2"
    assert facts["engine_reachable"] is True
    # ``Cgroup Driver``/``Kernel Version`` are not ``wsl --status`` lines.
    assert parts_of(name, "wsl-status") == []


def test_docker_info_20_10_22_cmder_no_client_version() -> None:
    name = "docker-info-20.10.22-wsl2-5.15.90.1-cmder-lambda.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.info is True
    assert docker.context == "default"
    assert docker.client_version is None
    assert docker.server_version == "20.10.22"
    assert docker.server_kernel == "5.15.90.1-microsoft-standard-WSL2"
    assert docker.operating_system == "Docker Desktop"
    assert docker.cgroup_version == "1"
    assert docker.engine_reachable is True
    # ``WARNING: No blkio ...`` lines are no connection error.
    assert docker.error is None
    facts = parts_of(name, "docker-version")[0].facts
    assert facts["server_version"] == "20.10.22"
    assert facts["client_version"] is None


def test_docker_version_engine_section_without_server_header() -> None:
    name = "docker-version-engine-section-without-server-header-29.6.1.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.server_version == "29.6.1"
    assert docker.server_api == "1.55"
    assert docker.server_os_arch == "linux/amd64"
    assert docker.engine_reachable is True
    assert docker.components == (
        ("containerd", "v2.2.5"),
        ("runc", "1.3.6"),
        ("docker-init", "0.19.0"),
    )
    # The client section after it has its own version, the same number here.
    assert docker.client_version == "29.6.1"
    assert docker.context == "default"
    text = lines(name)
    assert 0 in docker_line_numbers(text)  # the ``Engine:`` line
    facts = only(name, "docker-version")
    assert facts["server_version"] == "29.6.1"
    assert facts["engine_reachable"] is True


def test_docker_engine_section_is_not_the_client_version() -> None:
    docker = parse_docker_version("Engine:\n  Version:  29.6.1\n")
    assert docker is not None
    assert (docker.client_version, docker.server_version) == (None, "29.6.1")


def test_docker_engine_word_alone_is_no_docker_output() -> None:
    assert parse_docker_version("Engine:\nsomething else\n") is None


def test_docker_version_oneliner_in_environment_list() -> None:
    name = "docker-version-oneliner-in-env-list-easyconnect.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert (docker.client_version, docker.client_build) == ("20.10.7", "f0df350")
    assert docker.engine_reachable is None
    text = lines(name)
    numbers = docker_line_numbers(text)
    assert [text[n] for n in numbers] == ["Docker version 20.10.7, build f0df350"]
    facts = only(name, "docker-version")
    assert facts["client_version"] == "20.10.7"
    assert facts["engine_reachable"] is None


def test_docker_version_oneliner_and_info_cannot_connect() -> None:
    name = "docker-version-oneliner-and-info-cannot-connect.txt"
    docker = parse_docker_version(raw(name))
    assert docker is not None
    assert docker.client_version == "19.03.8"
    assert docker.engine_reachable is False
    facts = only(name, "docker-version")
    assert facts["client_version"] == "19.03.8"
    assert facts["engine_reachable"] is False
    assert facts["endpoint"] == "unix:///var/run/docker.sock"


def test_docker_oneliner_needs_the_build() -> None:
    # Prose naming a version is no ``docker --version`` output.
    assert parse_docker_version("I use Docker version 20.10.7 on WSL\n") is None


# -- kernel --------------------------------------------------------------------


def test_uname_a_and_proc_version_are_one_kernel_part() -> None:
    name = "uname-a-and-proc-version-6.6.114.1-new-builder.txt"
    text = lines(name)
    assert kernel_line_numbers(text) == [0, 1]
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "6.6.114.1-microsoft-standard-WSL2"
    assert (kernel.wsl_generation, kernel.custom) == (2, False)
    assert kernel.build_date == "Mon Dec  1 20:46:23 UTC 2025"
    assert kernel.source == "proc-version"
    facts = only(name, "kernel")
    assert facts["release"] == "6.6.114.1-microsoft-standard-WSL2"
    assert parts_of(name, "unknown") == []


def test_uname_r_wsl1_inline_backticks_dollar() -> None:
    name = "uname-r-wsl1-inline-backticks-dollar.txt"
    kernel = parse_kernel(raw(name))
    assert kernel is not None
    assert kernel.release == "4.4.0-18985-Microsoft"
    assert (kernel.wsl_generation, kernel.windows_build) == (1, 18985)
    facts = only(name, "kernel")
    assert facts["release"] == "4.4.0-18985-Microsoft"
    assert facts["wsl_generation"] == 1


UNAME_A = (
    "Linux HOST 5.15.90.1-microsoft-standard-WSL2 #1 SMP Fri Jan 27 02:56:13 UTC "
    "2023 x86_64 x86_64 x86_64 GNU/Linux"
)
PROC_VERSION = (
    "Linux version 5.15.90.1-microsoft-standard-WSL2 (oe-user@oe-host) "
    "(x86_64-msft-linux-gcc (GCC) 9.3.0) #1 SMP Fri Jan 27 02:56:13 UTC 2023"
)
UNAME_SR = "Linux 5.15.90.1-microsoft-standard-WSL2 x86_64"


def test_kernel_shapes_keep_their_precedence() -> None:
    # One helper now walks the three shapes; the most detailed still wins
    # wherever it stands, and each shape keeps the details it carries.
    both = read_kernel([UNAME_A, PROC_VERSION])
    assert both is not None
    assert (both.source, both.builder, both.hostname) == (
        "proc-version",
        "oe-user@oe-host",
        None,
    )
    uname = read_kernel(["$ uname -a", UNAME_A, UNAME_SR])
    assert uname is not None
    assert (uname.source, uname.hostname, uname.machine) == (
        "uname-a",
        "HOST",
        "x86_64",
    )
    assert uname.build_date == "Fri Jan 27 02:56:13 UTC 2023"
    short = read_kernel([UNAME_SR])
    assert short is not None
    assert (short.source, short.machine) == ("uname-sr", "x86_64")
    bare = read_kernel(["$ uname -r", "5.15.90.1-microsoft-standard-WSL2"])
    assert bare is not None
    assert bare.source == "uname-r"


def test_kernel_claims_lines_of_the_same_release_only() -> None:
    other = UNAME_A.replace("5.15.90.1", "6.6.87.2")
    assert kernel_line_numbers([PROC_VERSION, "", UNAME_A]) == [0, 2]
    assert kernel_line_numbers([PROC_VERSION, other]) == [0]
    assert kernel_line_numbers([UNAME_A, "hello", UNAME_SR]) == [0, 2]


# -- modules -------------------------------------------------------------------


def test_modprobe_tun_wrapped_directory_and_device_missing() -> None:
    name = "tailscale-wsl1-modprobe-tun-wrapped-4.4.0-17763.txt"
    outcome = parse_modprobe_output(raw(name))
    assert (outcome.module, outcome.not_found) == ("tun", True)
    assert outcome.directory == "/lib/modules/4.4.0-17763-Microsoft"
    assert outcome.stated_release == "4.4.0-17763-Microsoft"
    assert outcome.release == "4.4.0-17763-Microsoft"
    assert outcome.tun_device_missing is True
    facts = only(name, "modules")
    assert facts["release"] == "4.4.0-17763-Microsoft"
    assert facts["directory"] == "/lib/modules/4.4.0-17763-Microsoft"
    assert facts["tun_device_missing"] is True
    assert facts["not_found"] is True


def test_stated_release_alone_names_the_release() -> None:
    outcome = parse_modprobe_output(
        "Linux kernel version: 5.15.90.1-microsoft-standard-WSL2\n"
        "modprobe: FATAL: Module tun not found.\n"
    )
    assert outcome.release == "5.15.90.1-microsoft-standard-WSL2"


def test_lsmod_header_only_is_an_empty_reading_not_absence() -> None:
    name = "lsmod-empty-header-only-5.10.16.txt"
    assert parse_lsmod(raw(name)) == ()
    assert parse_modprobe_output(raw(name)).lsmod_header_only is True
    facts = only(name, "modules")
    assert facts["loaded"] == []
    # An empty lsmod says nothing about a driver built into the kernel.
    assert facts["tun_loaded"] is None
    assert facts["lsmod_header_only"] is True


def test_lsmod_with_rows_is_not_header_only() -> None:
    text = "Module                  Size  Used by\ntun 61440 0\n"
    assert parse_modprobe_output(text).lsmod_header_only is False
    assert parse_modprobe_output(text).lines == ()


# -- logs ----------------------------------------------------------------------


def test_go_log_slash_date_fatal() -> None:
    name = "rd-guestagent-and-network-setup-logs-2.5.4.txt"
    fatal = next(line for line in lines(name) if "[FATAL]" in line)
    line = parse_log_line(fatal)
    assert (line.format, line.timestamp, line.level) == (
        "golog",
        "2025/04/01 10:48:52",
        "fatal",
    )
    assert line.message.startswith("scanning /proc/net/{tcp, udp} failed")
    info = parse_log_line("2025/04/01 10:48:52 [INFO]    Starting Rancher Desktop")
    assert info.level == "info"
    facts = only(name, "log")
    assert any(error.startswith("scanning /proc/net") for error in facts["errors"])
    assert any("listenForHandshake" in error for error in facts["errors"])


def test_error_dialog_quoting_a_fatal_bootstrap_line() -> None:
    name = "dd-error-dialog-wslbootstrap-exit-status-32-custom-kernel.txt"
    line = parse_log_line(lines(name)[0])
    assert (line.format, line.level) == ("plain", "fatal")
    assert line.message == lines(name)[0]
    facts = only(name, "log")
    assert len(facts["errors"]) == 1
    assert facts["exit_codes"] == ["32"]


def test_quoted_text_without_a_timestamp_gives_no_level() -> None:
    assert parse_log_line('the dialog said "[init][F] hello"').level is None


def test_backtick_wrapped_relayed_lines_keep_the_inner_level() -> None:
    name = "docker-backend-wslbootstrap-tap-and-cgroup-freezer-backticks.txt"
    logged = [parse_log_line(line) for line in lines(name) if line.startswith("`")]
    assert [line.level for line in logged] == ["error", "error"]
    assert [line.component for line in logged] == ["init", "init"]
    assert logged[0].relay_component == "com.docker.backend.exe.WSLBootstrap"
    assert logged[0].message == (
        "FATAL: initializing TAP AF_VSOCK: opening tap interface: "
        "no such file or directory"
    )
    assert logged[1].message.endswith("cgroup.procs: no such file or directory")
    facts = only(name, "log")
    assert len(facts["errors"]) == 2


def test_backticks_around_prose_stay() -> None:
    line = parse_log_line("`docker version`")
    assert (line.format, line.message) == ("plain", "`docker version`")


def test_dmesg_wsl_init_levels() -> None:
    name = "dmesg-W-nixos-wsl-init-errors.txt"
    parsed = [parse_log_line(line) for line in lines(name)[1:]]
    wsl = [(line.component, line.level) for line in parsed if "WSL (" in line.raw]
    assert wsl == [("WSL", "error"), ("WSL", "warning"), ("WSL", "warning")]
    assert all(line.level is None for line in parsed if "WSL (" not in line.raw)
    errors = [
        error for part in classify(raw(name)) for error in part.facts.get("errors", [])
    ]
    assert errors == ["WSL (299) ERROR: CheckConnection: getaddrinfo() failed: -5"]
