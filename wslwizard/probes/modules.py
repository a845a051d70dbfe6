"""Is the network driver Docker needs (tun) in the kernel, and can it be?

Three separate facts decide it: the module file for the running kernel, the
driver's registration (``200 tun`` in ``/proc/misc``), and the device node
``/dev/net/tun``. ``lsmod`` alone proves nothing: built-in drivers never
appear there and a kernel without module support has no ``/proc/modules``.
"""

from __future__ import annotations

from wslwizard.host.base import Host
from wslwizard.probes.common import first_line, read_text
from wslwizard.probes.model import (
    DeviceFacts,
    Evidence,
    ModuleFacts,
    ModulesFacts,
    ModuleState,
)
from wslwizard.probes.parse.kernel import parse_kernel
from wslwizard.probes.parse.modules import (
    parse_modules_builtin,
    parse_modules_dep,
    parse_proc_misc,
    parse_proc_modules,
)

TUN_DEVICE = "/dev/net/tun"
#: What WSL itself loads at VM start (its default list and what they pull in).
WSL_BOOT_MODULES = frozenset(
    {"tun", "tap", "ip_tables", "x_tables", "br_netfilter", "bridge", "stp", "llc"}
)
MODULE_SUFFIXES = (".ko", ".ko.zst", ".ko.xz", ".ko.gz")


def _module_file(
    host: Host, module_dir: str, name: str, dep: dict[str, str]
) -> str | None:
    relative = dep.get(name)
    candidates = [relative] if relative else []
    candidates += [f"kernel/drivers/net/{name}{suffix}" for suffix in MODULE_SUFFIXES]
    for candidate in candidates:
        path = f"{module_dir}/{candidate}"
        info = host.stat(path)
        if info is not None and info.kind == "file":
            return path
    return None


def _decide(
    *,
    listed: bool | None,
    registered: bool | None,
    in_sysfs: bool | None,
    builtin_listed: bool | None,
    module_file: str | None,
    module_support: bool,
    wsl1: bool,
    complete: bool,
) -> ModuleState:
    """Turn the separate observations into one state, preferring what the
    running kernel says over what files on disk say."""
    if wsl1:
        return "missing"
    if listed:
        return "loaded"
    if registered or in_sysfs:
        if builtin_listed or not module_support or listed is False:
            return "builtin"
        return "loaded"
    if builtin_listed:
        return "builtin"
    if module_file:
        return "loadable"
    if complete:
        return "missing"
    return "unknown"


def probe_modules(host: Host, functional_check: bool = True) -> ModulesFacts:
    """Read the driver's state. ``functional_check=False`` skips the TAP check,
    for the frequent live refresh (it creates a network device each time)."""
    evidence: list[Evidence] = []

    version = read_text(host, "/proc/version", 4096)
    kernel = parse_kernel(version.text or "")
    release = kernel.release if kernel else None
    if release is None:
        release = first_line(read_text(host, "/proc/sys/kernel/osrelease").text) or None
    wsl1 = bool(kernel and kernel.wsl_generation == 1)

    proc_modules = read_text(host, "/proc/modules")
    if proc_modules.text is None:
        modules_state = "absent" if proc_modules.absent else "unreadable"
        loaded_names: set[str] | None = None
        order: list[str] = []
        evidence.append(Evidence("/proc/modules", proc_modules.error or ""))
    else:
        lines = parse_proc_modules(proc_modules.text)
        order = [line.name for line in lines]
        loaded_names = set(order)
        modules_state = "present" if lines else "empty"
        evidence.append(Evidence("/proc/modules", f"{len(lines)} modules listed"))

    misc_read = read_text(host, "/proc/misc", 65536)
    misc = parse_proc_misc(misc_read.text) if misc_read.text is not None else None
    if misc is not None:
        tun_minor = misc.get("tun")
        evidence.append(
            Evidence("/proc/misc", f"{tun_minor} tun" if tun_minor else "no tun line")
        )
    else:
        evidence.append(Evidence("/proc/misc", misc_read.error or ""))

    module_dir = f"/lib/modules/{release}" if release else None
    dir_info = host.stat(module_dir) if module_dir else None
    dir_exists = None if module_dir is None else dir_info is not None
    builtin: set[str] = set()
    dep: dict[str, str] = {}
    if module_dir and dir_info is not None:
        evidence.append(Evidence(module_dir, "exists"))
        text = read_text(host, f"{module_dir}/modules.builtin").text
        builtin = parse_modules_builtin(text or "")
        text = read_text(host, f"{module_dir}/modules.dep", 4 << 20).text
        dep = parse_modules_dep(text or "")
    elif module_dir:
        evidence.append(Evidence(module_dir, "does not exist"))

    node = host.stat(TUN_DEVICE)
    device = DeviceFacts(
        exists=node is not None,
        kind=node.kind if node else None,
        device=node.device if node else None,
        permissions=node.permissions if node else None,
    )
    evidence.append(
        Evidence(
            TUN_DEVICE,
            f"{device.permissions} {device.device[0]}, {device.device[1]}"
            if node and device.device
            else (node.kind if node else "does not exist"),
        )
    )

    module_support = modules_state in ("present", "empty")
    facts_by_name: dict[str, ModuleFacts] = {}
    for name in ("tun", "tap"):
        listed = None if loaded_names is None else name in loaded_names
        registered = None
        if name == "tun" and misc is not None:
            registered = "tun" in misc
        sysfs = host.stat(f"/sys/module/{name}") is not None
        builtin_listed = (name in builtin) if builtin else None
        file_path = (
            _module_file(host, module_dir, name, dep)
            if module_dir and dir_info is not None
            else None
        )
        complete = dir_exists is not None and (name != "tun" or misc is not None)
        state = _decide(
            listed=listed,
            registered=registered,
            in_sysfs=sysfs,
            builtin_listed=builtin_listed,
            module_file=file_path,
            module_support=module_support,
            wsl1=wsl1,
            complete=complete and (module_support or dir_exists is True),
        )
        own: list[Evidence] = []
        if listed is not None:
            own.append(
                Evidence(
                    "/proc/modules", f"{name} {'listed' if listed else 'not listed'}"
                )
            )
        if registered is not None:
            own.append(
                Evidence("/proc/misc", "200 tun" if registered else "no tun line")
            )
        if sysfs:
            own.append(Evidence(f"/sys/module/{name}", "exists"))
        if builtin_listed:
            own.append(Evidence(f"{module_dir}/modules.builtin", f"lists {name}"))
        if file_path:
            own.append(Evidence(file_path, "module file exists"))
        loaded_late = None
        if listed:
            # /proc/modules is newest first. WSL loads its boot modules before
            # any distro starts, so they sit below everything a distro loads;
            # a distro's module listed below this one means it came later.
            older = order[order.index(name) + 1 :]
            later_than = [m for m in older if m not in WSL_BOOT_MODULES]
            loaded_late = bool(later_than)
            if loaded_late:
                own.append(
                    Evidence(
                        "/proc/modules",
                        f"{name} was loaded after {later_than[0]}: by hand, "
                        "not by WSL at start-up",
                    )
                )
        facts_by_name[name] = ModuleFacts(
            name=name,
            state=state,
            listed_in_proc_modules=listed,
            registered=registered,
            in_sysfs=sysfs,
            module_file=file_path,
            builtin_listed=builtin_listed,
            loaded_late=loaded_late,
            evidence=tuple(own),
        )

    functional = None
    if functional_check and host.platform().startswith("linux") and not wsl1:
        functional = host.tap_check()
        if functional.attempted:
            evidence.append(
                Evidence(
                    "TAP check",
                    f"created {functional.interface}"
                    if functional.ok
                    else f"{functional.errno_name}: {functional.message}",
                )
            )

    return ModulesFacts(
        release=release,
        tun=facts_by_name["tun"],
        tap=facts_by_name["tap"],
        device=device,
        module_dir=module_dir,
        module_dir_exists=dir_exists,
        proc_modules=modules_state,
        functional=functional,
        evidence=tuple(evidence),
    )


def same_kernel_state(a: ModulesFacts | None, b: ModulesFacts | None) -> bool:
    """True when two readings agree on everything but the TAP check."""
    if a is None or b is None:
        return a is b
    return (a.tun, a.tap, a.device, a.proc_modules, a.module_dir_exists) == (
        b.tun,
        b.tap,
        b.device,
        b.proc_modules,
        b.module_dir_exists,
    )
