"""Version information: WSL, kernel, WSLg, Windows, Docker Desktop, engine."""

from __future__ import annotations

from wslwizard.host.base import Host
from wslwizard.probes.common import first_line, read_text, run_text
from wslwizard.probes.model import Distro, Evidence, VersionFacts
from wslwizard.probes.parse.docker_version import parse_docker_version
from wslwizard.probes.parse.kernel import parse_kernel
from wslwizard.probes.parse.os_release import parse_os_release
from wslwizard.probes.parse.wsl_list import parse_wsl_list
from wslwizard.probes.parse.wsl_status import parse_wsl_status
from wslwizard.probes.parse.wsl_version import parse_wsl_version

#: Ask wsl.exe for UTF-8; from inside WSL the variable must cross via WSLENV.
WSL_UTF8_ENV = {"WSL_UTF8": "1", "WSLENV": "WSL_UTF8"}
FALLBACK_WSL_EXE = "/mnt/c/Windows/System32/wsl.exe"


def find_wsl_exe(host: Host) -> str | None:
    found = host.which("wsl.exe")
    if found:
        return found
    if host.platform().startswith("linux"):
        info = host.stat(FALLBACK_WSL_EXE)
        if info is not None and info.kind == "file":
            return FALLBACK_WSL_EXE
    return None


def probe_versions(host: Host) -> VersionFacts:
    evidence: list[Evidence] = []
    values: dict[str, object] = {}
    platform = host.platform()
    on_linux = platform.startswith("linux")

    if on_linux:
        kernel = parse_kernel(read_text(host, "/proc/version", 4096).text or "")
        if kernel:
            values["kernel_release"] = kernel.release
        for path in ("/etc/os-release", "/usr/lib/os-release"):
            text = read_text(host, path, 65536).text
            if text:
                release = parse_os_release(text)
                values["distro_pretty"] = release.get("PRETTY_NAME") or release.get(
                    "NAME"
                )
                break

    wsl_exe = find_wsl_exe(host)
    env = dict(host.environ())
    env_base = env.get("WSLENV", "")
    call_env = dict(WSL_UTF8_ENV)
    if env_base:
        call_env["WSLENV"] = f"{env_base}:WSL_UTF8"
    if wsl_exe is None:
        values["wsl_exe"] = (
            "missing" if platform == "win32" or on_linux else ("not-applicable")
        )
        evidence.append(Evidence("wsl.exe", "not found"))
    else:
        answer = run_text(host, [wsl_exe, "--version"], env=call_env)
        evidence.append(Evidence(f"{wsl_exe} --version", answer.summary))
        if answer.result.timed_out:
            values["wsl_exe"] = "timed-out"
        elif answer.result.not_found:
            values["wsl_exe"] = "missing"
        elif not answer.result.ran:
            values["wsl_exe"] = "failed"
        else:
            values["wsl_exe"] = "works"
            parsed = parse_wsl_version(answer.stdout + "\n" + answer.stderr)
            if parsed and parsed.inbox:
                values["inbox_wsl"] = True
                evidence.append(
                    Evidence("wsl.exe --version", first_line(answer.stdout))
                )
            elif parsed:
                values.update(
                    wsl=parsed.wsl,
                    wsl_source="wsl.exe --version",
                    kernel_package=parsed.kernel,
                    wslg=parsed.wslg,
                    windows=parsed.windows,
                )
                evidence.extend(
                    Evidence("wsl.exe --version", line) for line in parsed.lines[:2]
                )
        # After one hang, do not wait for wsl.exe again.
        if values["wsl_exe"] == "works":
            listing = run_text(host, [wsl_exe, "-l", "-v"], env=call_env)
            parsed_list = parse_wsl_list(listing.stdout) if listing.result.ok else None
            if parsed_list:
                values["distros"] = tuple(
                    Distro(d.name, d.state, d.version, d.default)
                    for d in parsed_list.distros
                )
            status = run_text(host, [wsl_exe, "--status"], env=call_env)
            parsed_status = parse_wsl_status(status.stdout) if status.stdout else None
            if parsed_status and parsed_status.default_distro:
                values["default_distro"] = parsed_status.default_distro

    if values.get("wsl") is None and on_linux and host.which("wslinfo"):
        info = run_text(host, ["wslinfo", "--wsl-version"], timeout=4.0)
        version = first_line(info.stdout)
        evidence.append(Evidence("wslinfo --wsl-version", version or info.summary))
        if info.result.ok and version[:1].isdigit():
            values["wsl"] = version
            values["wsl_source"] = "wslinfo --wsl-version"

    docker = host.which("docker") or host.which("docker.exe")
    if docker is None:
        values["docker_cli"] = "missing"
    else:
        answer = run_text(host, [docker, "version"])
        evidence.append(Evidence("docker version", answer.summary))
        if answer.result.timed_out:
            values["docker_cli"] = "timed-out"
        else:
            parsed_docker = parse_docker_version(answer.stdout + "\n" + answer.stderr)
            if parsed_docker is None:
                values["docker_cli"] = "unknown"
            elif parsed_docker.stub:
                values["docker_cli"] = "stub"
                evidence.append(
                    Evidence("docker", "the Windows-side stub: no WSL integration")
                )
            else:
                values["docker_cli"] = "works"
                values.update(
                    docker_client=parsed_docker.client_version,
                    docker_desktop=parsed_docker.desktop_version,
                    engine=parsed_docker.server_version,
                    engine_reachable=parsed_docker.engine_reachable,
                    engine_error=parsed_docker.error,
                )
                if parsed_docker.error:
                    evidence.append(Evidence("docker version", parsed_docker.error))

    return VersionFacts(evidence=tuple(evidence), **values)  # type: ignore[arg-type]
