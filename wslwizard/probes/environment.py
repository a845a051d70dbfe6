"""Where are we running: WSL 2, WSL 1, Windows, plain Linux, macOS?"""

from __future__ import annotations

import re
from collections.abc import Mapping

from wslwizard.host.base import Host
from wslwizard.probes.common import first_line, read_text, run_text
from wslwizard.probes.model import EnvironmentFacts, Evidence, InteropState
from wslwizard.probes.parse.kernel import parse_kernel
from wslwizard.probes.parse.os_release import parse_os_release
from wslwizard.probes.parse.wsl_conf import parse_wsl_conf

BINFMT_ENTRIES = (
    "/proc/sys/fs/binfmt_misc/WSLInterop",
    "/proc/sys/fs/binfmt_misc/WSLInterop-late",
)


def over_ssh(env: Mapping[str, str]) -> bool:
    """The session came in over SSH (sshd sets these for the login)."""
    return any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def _interop(
    host: Host, env: dict[str, str], conf_enabled: bool | None, evidence: list[Evidence]
) -> InteropState:
    """Interop works only if the config allows it, a binfmt entry is enabled
    and the socket named by ``WSL_INTEROP`` exists."""
    if conf_enabled is False:
        evidence.append(Evidence("/etc/wsl.conf", "[interop] enabled=false"))
        return "disabled"
    enabled_entry = None
    for path in BINFMT_ENTRIES:
        read = read_text(host, path, 4096)
        if read.text is not None:
            state = first_line(read.text)
            evidence.append(Evidence(path, state))
            if state == "enabled":
                enabled_entry = path
    socket_path = env.get("WSL_INTEROP")
    if socket_path:
        info = host.stat(socket_path)
        evidence.append(
            Evidence(
                "WSL_INTEROP",
                f"{socket_path} ({info.kind if info else 'missing'})",
            )
        )
        socket_ok = info is not None and info.kind == "socket"
    else:
        evidence.append(Evidence("WSL_INTEROP", "not set"))
        socket_ok = False
    if enabled_entry and socket_ok:
        return "works"
    if enabled_entry is None and not socket_path:
        return "disabled"
    return "broken"


def probe_environment(host: Host) -> EnvironmentFacts:
    platform = host.platform()
    env = dict(host.environ())
    uid = host.uid()
    evidence: list[Evidence] = [Evidence("platform", platform)]
    ssh = over_ssh(env)
    if ssh:
        evidence.append(Evidence("SSH_CONNECTION", "set: this is an SSH session"))

    if platform == "win32":
        return EnvironmentFacts(
            kind="windows",
            platform=platform,
            root=False,
            ssh=ssh,
            interop="not-applicable",
            evidence=tuple(evidence),
        )
    if platform == "darwin":
        return EnvironmentFacts(
            kind="macos", platform=platform, ssh=ssh, evidence=tuple(evidence)
        )
    if not platform.startswith("linux"):
        return EnvironmentFacts(
            kind="other", platform=platform, ssh=ssh, evidence=tuple(evidence)
        )

    version_read = read_text(host, "/proc/version", 4096)
    release_read = read_text(host, "/proc/sys/kernel/osrelease", 4096)
    kernel = parse_kernel(version_read.text or "") or parse_kernel(
        release_read.text or ""
    )
    if version_read.text:
        evidence.append(Evidence("/proc/version", first_line(version_read.text)))
    release = kernel.release if kernel else first_line(release_read.text) or None

    generation = kernel.wsl_generation if kernel else None
    wsl_markers = [name for name in ("WSL_DISTRO_NAME", "WSL_INTEROP") if env.get(name)]
    if host.stat("/run/WSL") is not None:
        wsl_markers.append("/run/WSL")
    if generation is None and wsl_markers:
        # A custom kernel without "microsoft" in its name still runs in WSL 2.
        generation = 2
        evidence.append(Evidence("WSL markers", ", ".join(wsl_markers)))
    kind = {1: "wsl1", 2: "wsl2"}.get(generation or 0, "linux")

    conf = None
    conf_read = read_text(host, "/etc/wsl.conf", 65536)
    if conf_read.text is not None:
        try:
            raw = host.read_bytes("/etc/wsl.conf", 65536)
        except OSError:
            raw = conf_read.text.encode()
        conf = parse_wsl_conf(raw)

    os_release: dict[str, str] = {}
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        read = read_text(host, path, 65536)
        if read.text:
            os_release = parse_os_release(read.text)
            evidence.append(Evidence(path, os_release.get("PRETTY_NAME", "")))
            break
    pretty = os_release.get("PRETTY_NAME") or os_release.get("NAME")
    docker_distro = pretty == "Docker Desktop" or env.get(
        "WSL_DISTRO_NAME", ""
    ).startswith("docker-desktop")

    interop: InteropState = "not-applicable"
    if kind in ("wsl2", "wsl1"):
        interop = _interop(host, env, conf.interop_enabled if conf else None, evidence)

    systemd = None
    if host.stat("/run/systemd/system") is not None:
        systemd = True
    else:
        comm = read_text(host, "/proc/1/comm", 256)
        if comm.text is not None:
            systemd = first_line(comm.text) == "systemd"

    sudo = None
    root = uid == 0
    if not root and host.which("sudo"):
        answer = run_text(host, ["sudo", "-n", "true"], timeout=4.0)
        sudo = answer.result.ok
        evidence.append(Evidence("sudo -n true", answer.summary))
    if uid is not None:
        evidence.append(Evidence("user id", str(uid)))

    return EnvironmentFacts(
        kind=kind,
        platform=platform,
        distro_name=env.get("WSL_DISTRO_NAME"),
        distro_pretty=pretty,
        distro_id=os_release.get("ID"),
        docker_desktop_distro=docker_distro,
        kernel_release=release,
        kernel_custom=bool(kernel and kernel.custom),
        interop=interop,
        systemd=systemd,
        root=root,
        sudo_without_password=sudo,
        ssh=ssh,
        wsl_conf_crlf=bool(conf and conf.crlf),
        boot_command=conf.boot_command if conf else None,
        tun_at_boot=_tun_at_boot(host, conf.boot_command if conf else None)
        if kind == "wsl2"
        else (),
        evidence=tuple(evidence),
    )


#: systemd-modules-load reads these folders; Debian's kmod also /etc/modules.
_MODULES_LOAD_DIRS = ("/etc/modules-load.d", "/usr/lib/modules-load.d")
_MODULES_LOAD_MAX = 64


def _tun_at_boot(host: Host, boot_command: str | None) -> tuple[str, ...]:
    """Where the distro is told to load tun at start (a repair done before,
    by this wizard or by hand), so the wizard neither offers it again nor
    warns that tun will be gone after a restart."""
    found: list[str] = []
    if boot_command and re.search(r"\bmodprobe\b[^;&|]*\btun\b", boot_command):
        found.append("/etc/wsl.conf")
    paths = ["/etc/modules"]
    for folder in _MODULES_LOAD_DIRS:
        try:
            names = sorted(host.list_dir(folder))[:_MODULES_LOAD_MAX]
        except OSError:
            continue
        paths.extend(f"{folder}/{name}" for name in names if name.endswith(".conf"))
    for path in paths:
        read = read_text(host, path, 65536)
        lines = (read.text or "").splitlines()
        if any(line.split("#")[0].strip() == "tun" for line in lines):
            found.append(path)
    return tuple(found)
