"""The named facts that known problems refer to.

Each fact looks at :class:`~wslwizard.probes.model.MachineFacts` and returns
the evidence that makes it true, or ``None`` when it is false or unknown.
The vocabulary is fixed here so that the TOML stays declarative.
"""

from __future__ import annotations

from collections.abc import Callable

from wslwizard.probes.model import Evidence, MachineFacts

FactCheck = Callable[[MachineFacts], "tuple[Evidence, ...] | None"]


def _tun_device_missing(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    modules = facts.modules
    if modules is None or modules.device.exists or modules.tun.registered:
        return None
    if facts.environment is not None and facts.environment.kind != "wsl2":
        return None
    return (Evidence("/dev/net/tun", "does not exist"),)


def _tun_device_unregistered(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    modules = facts.modules
    if modules is None or modules.tun.registered is not False:
        return None
    if modules.tun.state not in ("loadable", "missing"):
        return None
    if facts.environment is not None and facts.environment.kind != "wsl2":
        return None
    found = [Evidence("/proc/misc", "no 200 tun line: the driver is not in the kernel")]
    if modules.tun.module_file:
        found.append(
            Evidence(modules.tun.module_file, "module file exists, not loaded")
        )
    return tuple(found)


def _tap_check_failed(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    check = facts.modules.functional if facts.modules else None
    if check is None or not check.attempted or check.ok:
        return None
    if check.errno_name not in ("ENOENT", "ENODEV", "ENXIO"):
        return None
    return (Evidence("TAP check", f"{check.errno_name}: {check.message}"),)


def _tap_check_ok(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    check = facts.modules.functional if facts.modules else None
    if check is None or not check.ok:
        return None
    return (Evidence("TAP check", f"created and removed {check.interface}"),)


def _tun_registered(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    modules = facts.modules
    if modules is None:
        return None
    if modules.tun.registered:
        return (Evidence("/proc/misc", "200 tun"),)
    if modules.tun.state in ("loaded", "builtin"):
        return (Evidence("tun", modules.tun.state),)
    return None


def _tun_loaded_late(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    """tun was loaded by hand after start-up and nothing in this distro loads
    it at the next start (a modules-load.d file or a wsl.conf boot command
    would): after WSL restarts it will be missing again."""
    modules = facts.modules
    if modules is None or not modules.tun.loaded_late:
        return None
    env = facts.environment
    if env is not None and env.tun_at_boot:
        return None
    return (
        Evidence(
            "/proc/modules", "tun is listed first: loaded after start-up, by hand"
        ),
    )


def _wsl1(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    env = facts.environment
    if env is None or env.kind != "wsl1":
        return None
    return (Evidence("kernel", env.kernel_release or "WSL 1"),)


def _wsl_exe_missing(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    versions = facts.versions
    env = facts.environment
    if versions is None or versions.wsl_exe != "missing":
        return None
    if env is not None and env.kind != "windows":
        return None
    return (Evidence("wsl.exe", "not found"),)


def _wsl_exe_works(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    versions = facts.versions
    if versions is None or versions.wsl_exe != "works":
        return None
    return (Evidence("wsl.exe", "answers"),)


def _inbox_wsl(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    if facts.versions is None or not facts.versions.inbox_wsl:
        return None
    # The line wsl.exe printed, where it was kept.
    quoted = [e for e in facts.versions.evidence if e.source.startswith("wsl.exe")]
    return tuple(quoted[:1]) or (
        Evidence("wsl.exe --version", "Invalid command line option"),
    )


def _custom_kernel(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    env = facts.environment
    if env is None or env.kind != "wsl2" or not env.kernel_custom:
        return None
    return (Evidence("kernel", env.kernel_release or "custom"),)


def _engine_unreachable(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    versions = facts.versions
    if versions is None or versions.engine_reachable is not False:
        return None
    return (Evidence("docker version", versions.engine_error or "no answer"),)


def _engine_reachable(facts: MachineFacts) -> tuple[Evidence, ...] | None:
    versions = facts.versions
    if versions is None or not versions.engine_reachable:
        return None
    return (Evidence("docker version", f"engine {versions.engine or ''} answers"),)


FACTS: dict[str, FactCheck] = {
    "tun-device-missing": _tun_device_missing,
    "tun-device-unregistered": _tun_device_unregistered,
    "tap-check-failed": _tap_check_failed,
    "tap-check-ok": _tap_check_ok,
    "tun-registered": _tun_registered,
    "tun-loaded-late": _tun_loaded_late,
    "wsl1": _wsl1,
    "wsl-exe-missing": _wsl_exe_missing,
    "wsl-exe-works": _wsl_exe_works,
    "inbox-wsl": _inbox_wsl,
    "custom-kernel": _custom_kernel,
    "engine-unreachable": _engine_unreachable,
    "engine-reachable": _engine_reachable,
}
