"""Pure readers: text or bytes in, frozen dataclasses out, never an exception.

Only ``wslwizard.host`` touches the machine; these functions read what it
returns, and what users paste into ``wslwizard inspect``.
"""

from wslwizard.probes.parse.capture import CapturePart, classify
from wslwizard.probes.parse.docker_version import DockerVersion, parse_docker_version
from wslwizard.probes.parse.kernel import (
    KernelInfo,
    kernel_package_to_release,
    parse_kernel,
)
from wslwizard.probes.parse.logs import LogLine, parse_log_line
from wslwizard.probes.parse.modules import (
    DmesgFacts,
    ModprobeOutcome,
    ModuleLine,
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
    DecodedText,
    decode_output,
    strip_ansi_and_controls,
    undo_spaced_utf16,
)
from wslwizard.probes.parse.wsl_conf import WslConf, parse_wsl_conf
from wslwizard.probes.parse.wsl_list import Distro, WslList, parse_wsl_list
from wslwizard.probes.parse.wsl_status import WslStatus, parse_wsl_status
from wslwizard.probes.parse.wsl_version import WslVersion, parse_wsl_version

__all__ = [
    "CapturePart",
    "DecodedText",
    "Distro",
    "DmesgFacts",
    "DockerVersion",
    "KernelInfo",
    "LogLine",
    "ModprobeOutcome",
    "ModuleLine",
    "WslConf",
    "WslList",
    "WslStatus",
    "WslVersion",
    "classify",
    "decode_output",
    "kernel_package_to_release",
    "parse_dmesg",
    "parse_docker_version",
    "parse_kernel",
    "parse_log_line",
    "parse_lsmod",
    "parse_modprobe_output",
    "parse_modules_builtin",
    "parse_modules_dep",
    "parse_os_release",
    "parse_proc_misc",
    "parse_proc_modules",
    "parse_wsl_conf",
    "parse_wsl_list",
    "parse_wsl_status",
    "parse_wsl_version",
    "strip_ansi_and_controls",
    "undo_spaced_utf16",
]
