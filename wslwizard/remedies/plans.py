"""Repairs as plans of steps, built for the machine in front of us.

A step knows what it does in plain words, the exact commands, where they run
(this distro as root, Windows, or by the user at the desktop), whether and
how it can be undone, what it risks, and how success is verified. Plans only
describe; :mod:`wslwizard.runner` executes them.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from typing import Literal

from wslwizard.diagnosis.knowledge import version_less, version_tuple
from wslwizard.host.base import Host
from wslwizard.i18n import _
from wslwizard.probes.model import MachineFacts
from wslwizard.remedies.catalog import REMEDIES, RemedyInfo
from wslwizard.remedies.wslconf import add_boot_command

Where = Literal["distro-root", "distro", "windows", "desktop"]

FIXED_WSL = "2.5.9"
#: Docker Desktop 4.42 starts on WSL 2.5.7 and later even when another distro
#: still uses cgroup v1 (its release notes; the facts file, 1.5).
CGROUP_FIXED_DESKTOP = "4.42.0"
ROLLBACK_WSL = "2.4.13"
ROLLBACK_MSI_URL = (
    "https://github.com/microsoft/WSL/releases/download/2.4.13/wsl.2.4.13.0.x64.msi"
)
MODULES_LOAD_FILE = "/etc/modules-load.d/wslwizard-tun.conf"
MODULES_LOAD_CONTENT = (
    b"# Added by wslwizard: load the network driver Docker Desktop needs.\ntun\n"
)
WSL_CONF = "/etc/wsl.conf"
WSL_CONF_BACKUP = "/etc/wsl.conf.wslwizard-backup"
WSL_CONF_NEW = "/etc/wsl.conf.wslwizard-new"
ENGINE_WAIT = 120.0


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    where: Where
    timeout: float = 30.0
    input: bytes | None = None
    optional: bool = False
    """A failure is reported but does not fail the step."""
    ok_codes: tuple[int, ...] = (0,)

    def display(self) -> str:
        text = shlex.join(self.argv)
        if self.input is not None:
            preview = self.input.decode("utf-8", "replace").rstrip("\n")
            text += "  <<< " + preview.replace("\n", "⏎")
        return text


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    explanation: str
    where: Where
    commands: tuple[Command, ...] = ()
    manual_lines: tuple[str, ...] = ()
    """What the user types themselves (PowerShell on Windows) when the wizard
    cannot run it."""
    undo_note: str = ""
    undo_commands: tuple[Command, ...] = ()
    reversible: bool = False
    risk: str = ""
    cuts_connection: bool = False
    """Running it stops WSL: this wizard and any SSH session into WSL end."""
    until_restart: bool = False
    """What it does ends when WSL restarts (a driver loaded by hand): after a
    restart there is nothing left to undo."""
    verify: str = ""
    """A verification id understood by :mod:`wslwizard.runner.verify`."""
    undo_verify: str = ""
    """A verification id that is true once the undo has worked: an exit code of
    0 alone is not taken as proof."""
    skip_when: str = ""
    """A verification id that, when already true, makes the step unnecessary."""

    @property
    def manual(self) -> bool:
        return not self.commands and bool(self.manual_lines)

    @property
    def optional(self) -> bool:
        """Every command may fail (the tap driver): leaving it out is no failure."""
        return bool(self.commands) and all(c.optional for c in self.commands)


@dataclass(frozen=True)
class Plan:
    remedy: RemedyInfo
    steps: tuple[Step, ...]
    applicable: bool = True
    reason: str = ""
    """Why the plan does not apply here, in plain words."""
    notes: tuple[str, ...] = field(default=())
    follow_up: str | None = None
    """The remedy to offer next (usually restart-docker)."""


def _root(*argv: str, **kwargs: object) -> Command:
    return Command(tuple(argv), "distro-root", **kwargs)  # type: ignore[arg-type]


def _context(facts: MachineFacts) -> tuple[str, str | None, bool, bool]:
    env = facts.environment
    kind = env.kind if env else "other"
    versions = facts.versions
    wsl_exe = None
    if versions is not None and versions.wsl_exe == "works":
        wsl_exe = "wsl.exe"
    interop = bool(env and env.interop == "works")
    systemd = bool(env and env.systemd)
    return kind, wsl_exe, interop, systemd


def _load_tun_step(kind: str, release: str | None) -> Step:
    where: Where = "windows" if kind == "windows" else "distro-root"
    prefix: tuple[str, ...] = (
        ("wsl.exe", "-u", "root", "-e") if kind == "windows" else ()
    )
    return Step(
        id="load-tun",
        title=_("Load the tun driver into the running kernel"),
        explanation=_(
            "Adds the driver Docker Desktop needs to the WSL kernel that every "
            "distro (Docker's included) shares. It takes effect at once."
        ),
        where=where,
        commands=(Command((*prefix, "modprobe", "tun"), where, timeout=30.0),),
        undo_note=_(
            "Run 'modprobe -r tun' as root, or restart WSL ('wsl --shutdown' in "
            "PowerShell): the driver is then gone again, and Docker Desktop's "
            "engine cannot start until it is back."
        ),
        undo_commands=(Command((*prefix, "modprobe", "-r", "tun"), where),),
        undo_verify="tun-gone",
        reversible=True,
        until_restart=True,
        risk=_("None to your data."),
        verify="tun-registered",
        skip_when="tun-registered",
    )


def _load_tap_step(kind: str) -> Step:
    where: Where = "windows" if kind == "windows" else "distro-root"
    prefix: tuple[str, ...] = (
        ("wsl.exe", "-u", "root", "-e") if kind == "windows" else ()
    )
    return Step(
        id="load-tap",
        title=_("Also load the tap driver (optional)"),
        explanation=_(
            "The widely shared instructions also load tap. Docker does not need it; "
            "it is harmless, and if it fails the repair still counts."
        ),
        where=where,
        commands=(Command((*prefix, "modprobe", "tap"), where, optional=True),),
        undo_note=_("Run 'modprobe -r tap' as root, or restart WSL."),
        undo_commands=(
            Command((*prefix, "modprobe", "-r", "tap"), where, optional=True),
        ),
        reversible=True,
        until_restart=True,
        risk=_("None."),
    )


def _restart_wsl_lines() -> tuple[str, ...]:
    return ("wsl --shutdown",)


def plan_load_now(facts: MachineFacts) -> Plan:
    info = REMEDIES["load-now"]
    kind, _wsl, _interop, _systemd = _context(facts)
    modules = facts.modules
    if kind not in ("wsl2", "windows"):
        return Plan(info, (), False, _("Loading drivers only helps inside WSL 2."))
    if modules is not None and modules.tun.state in ("loaded", "builtin"):
        return Plan(info, (), False, _("The tun driver is already in the kernel."))
    if kind == "wsl2" and modules is not None and modules.module_dir_exists is False:
        return Plan(
            info,
            (),
            False,
            _(
                "The driver folder for the running kernel ({folder}) does not exist, "
                "so there is nothing to load from. This happens with a custom kernel "
                "or an old WSL. Update WSL, or roll it back, instead."
            ).format(folder=modules.module_dir),
        )
    release = modules.release if modules else None
    return Plan(
        info,
        (_load_tun_step(kind, release), _load_tap_step(kind)),
        notes=(
            _(
                "This lasts until WSL shuts down. After a restart of Windows or "
                "'wsl --shutdown' the driver is missing again."
            ),
        ),
        follow_up="restart-docker",
    )


def plan_load_at_boot(facts: MachineFacts, current_wsl_conf: bytes | None) -> Plan:
    info = REMEDIES["load-at-boot"]
    kind, _wsl, _interop, systemd = _context(facts)
    modules = facts.modules
    if kind != "wsl2":
        return Plan(
            info, (), False, _("This repair changes a file inside a WSL 2 distro.")
        )
    if modules is not None and modules.tun.state == "builtin":
        return Plan(info, (), False, _("The tun driver is built into this kernel."))
    if modules is not None and modules.module_dir_exists is False:
        return Plan(info, (), False, _("There is no driver folder for this kernel."))
    env = facts.environment
    if env is not None and env.tun_at_boot:
        return Plan(
            info,
            (),
            False,
            _("Already set up: {where} loads tun when this distro starts.").format(
                where=", ".join(env.tun_at_boot)
            ),
        )
    limit = _(
        "It runs only when this distro starts, so this distro must start before "
        "Docker Desktop's engine (open it once after Windows starts)."
    )
    if systemd:
        write = Step(
            id="modules-load-file",
            title=_("Ask systemd to load tun whenever this distro starts"),
            explanation=_("Creates {path} with the single word 'tun'. {limit}").format(
                path=MODULES_LOAD_FILE, limit=limit
            ),
            where="distro-root",
            commands=(
                _root(
                    "tee", MODULES_LOAD_FILE, input=MODULES_LOAD_CONTENT, timeout=15.0
                ),
            ),
            undo_note=_("Delete the file: rm {path}").format(path=MODULES_LOAD_FILE),
            undo_commands=(_root("rm", "-f", MODULES_LOAD_FILE, timeout=15.0),),
            reversible=True,
            risk=_("Adds one small file; nothing else changes."),
            verify=f"file-has-tun:{MODULES_LOAD_FILE}",
        )
    else:
        new = add_boot_command(current_wsl_conf or b"", "modprobe tun")
        commands: list[Command] = []
        if current_wsl_conf is not None:
            commands.append(_root("cp", "-p", WSL_CONF, WSL_CONF_BACKUP, timeout=15.0))
            undo = (_root("mv", "-f", WSL_CONF_BACKUP, WSL_CONF, timeout=15.0),)
            undo_note = _("Put the backup back: mv {backup} {path}").format(
                backup=WSL_CONF_BACKUP, path=WSL_CONF
            )
        else:
            undo = (_root("rm", "-f", WSL_CONF, timeout=15.0),)
            undo_note = _(
                "Delete the file, which did not exist before: rm {path}"
            ).format(path=WSL_CONF)
        commands.append(_root("tee", WSL_CONF_NEW, input=new, timeout=15.0))
        commands.append(_root("mv", "-f", WSL_CONF_NEW, WSL_CONF, timeout=15.0))
        write = Step(
            id="wsl-conf-boot-command",
            title=_("Add a start-up command to /etc/wsl.conf"),
            explanation=_(
                "Adds 'command = modprobe tun' to the [boot] section, keeping every "
                "other line and comment, with Linux line ends, after a backup. "
                "{limit}"
            ).format(limit=limit),
            where="distro-root",
            commands=tuple(commands),
            undo_note=undo_note,
            undo_commands=undo,
            reversible=True,
            risk=_("Changes /etc/wsl.conf; a backup is kept next to it."),
            verify=f"file-has-tun:{WSL_CONF}",
        )
    steps = [write]
    if modules is None or modules.tun.state != "loaded":
        now = _load_tun_step(kind, modules.release if modules else None)
        steps.append(
            replace(
                now,
                id="load-tun-now",
                title=_("Also load tun now, so you need not restart WSL"),
            )
        )
    notes = [
        _(
            "Takes effect the next time this distro starts (after 'wsl --shutdown' "
            "or a restart of Windows)."
        ),
    ]
    if not systemd:
        notes.append(_("Boot commands need Windows 11 or Windows Server 2022."))
    return Plan(info, tuple(steps), notes=tuple(notes), follow_up="restart-docker")


def plan_upgrade_wsl(facts: MachineFacts) -> Plan:
    info = REMEDIES["upgrade-wsl"]
    kind, wsl_exe, interop, _systemd = _context(facts)
    if kind not in ("wsl2", "wsl1", "windows"):
        return Plan(info, (), False, _("WSL is updated on Windows; this is not WSL."))
    current = facts.versions.wsl if facts.versions else None
    if current and not version_less(current, FIXED_WSL):
        return Plan(
            info,
            (),
            False,
            _("WSL {version} already has the fix (it loads tun at start).").format(
                version=current
            ),
            follow_up="restart-docker",
        )
    runnable = kind == "windows" or (interop and wsl_exe is not None)
    desktop = facts.docker_desktop_version
    old_desktop = desktop is not None and version_less(desktop, CGROUP_FIXED_DESKTOP)
    # WSL 2.5.7 and later mount only cgroup v2; Docker Desktop before 4.42
    # can then fail to start (a different problem, fixed in Docker Desktop).
    cgroup_note = (
        _(
            "Your Docker Desktop {version} is older than {fixed}. The WSL this "
            "update installs can stop it from starting when another distro still "
            "uses cgroup v1 (a different problem, fixed in Docker Desktop {fixed}): "
            "update Docker Desktop too."
        ).format(version=desktop, fixed=CGROUP_FIXED_DESKTOP)
        if old_desktop
        else _(
            "Docker Desktop older than {fixed} can fail to start on the WSL this "
            "update installs (a different problem, about cgroup v1); if yours is "
            "older, update it too."
        ).format(fixed=CGROUP_FIXED_DESKTOP)
    )
    notes = (
        cgroup_note,
        _(
            "'wsl --update' installs the newest stable WSL from Microsoft's GitHub "
            "releases. It cannot choose a version, and it never goes back to an "
            "older one."
        ),
        _(
            "If you got 2.5.4 as a pre-release, a plain update moves you to the "
            "current stable release, which has the fix ({version} or later)."
        ).format(version=FIXED_WSL),
        _(
            "Windows may ask for administrator permission. After the update, "
            "'wsl --version' can show the old version until 'wsl --shutdown'."
        ),
    )
    update = Step(
        id="wsl-update",
        title=_("Update WSL"),
        explanation=_(
            "Downloads and installs the current WSL release, which loads tun at "
            "start-up again. Windows may ask for administrator permission."
        ),
        where="windows" if runnable else "desktop",
        commands=(Command(("wsl.exe", "--update"), "windows", timeout=900.0),)
        if runnable
        else (),
        manual_lines=("wsl --update", "wsl --shutdown"),
        undo_note=_(
            "An update cannot be undone with 'wsl --update'; only a rollback "
            "to an older installer can."
        ),
        reversible=False,
        risk=_(
            "Stops every WSL session, including this wizard and any SSH session "
            "into WSL. Save your work in WSL first."
        )
        + (" " + cgroup_note if old_desktop else ""),
        cuts_connection=kind != "windows",
        verify=f"wsl-at-least:{FIXED_WSL}",
    )
    return Plan(info, (update,), notes=notes, follow_up="restart-docker")


def plan_rollback_wsl(facts: MachineFacts) -> Plan:
    info = REMEDIES["rollback-wsl"]
    kind, _wsl, _interop, _systemd = _context(facts)
    if kind not in ("wsl2", "wsl1", "windows"):
        return Plan(
            info, (), False, _("WSL is rolled back on Windows; this is not WSL.")
        )
    current = facts.versions.wsl if facts.versions else None
    if (version_tuple(current) or ())[:3] == version_tuple(ROLLBACK_WSL):
        return Plan(info, (), False, _("WSL is 2.4.13 already."))
    if current and not version_less(current, FIXED_WSL):
        return Plan(
            info,
            (),
            False,
            _(
                "WSL {version} already has the fix: going back would only bring "
                "an older WSL."
            ).format(version=current),
        )
    backup = Step(
        id="backup-docker-data",
        title=_("Back up Docker's data disk first"),
        explanation=_(
            "Quit Docker Desktop, stop WSL, and copy Docker's data disk (your images, "
            "containers and volumes). One user lost them following downgrade steps."
        ),
        where="desktop",
        manual_lines=(
            "wsl --shutdown",
            'Copy-Item "$env:LOCALAPPDATA\\Docker\\wsl\\disk\\docker_data.vhdx" '
            '"$env:USERPROFILE\\docker_data.vhdx.backup"',
        ),
        undo_note=_("Nothing to undo: delete the copy when you no longer need it."),
        reversible=True,
        risk=_(
            "Stops WSL and Docker Desktop. Needs free disk space the size of "
            "the data disk."
        ),
        cuts_connection=kind != "windows",
    )
    install = Step(
        id="install-2.4.13",
        title=_("Install WSL 2.4.13 over the current version"),
        explanation=_(
            "WSL's installer allows going back to an older version in place; your "
            "distros are kept. 'wsl --update' cannot do this: it never downgrades."
        ),
        where="desktop",
        manual_lines=(
            f"Invoke-WebRequest -Uri {ROLLBACK_MSI_URL} -OutFile "
            '"$env:TEMP\\wsl.2.4.13.0.x64.msi"',
            "Start-Process msiexec.exe -Wait -ArgumentList '/i', "
            '"$env:TEMP\\wsl.2.4.13.0.x64.msi"',
            "wsl --shutdown",
            "wsl --version",
        ),
        undo_note=_("Run 'wsl --update' to return to the newest WSL."),
        reversible=False,
        risk=_(
            "The hardest repair to reverse. On an ARM PC use the arm64 installer "
            "(wsl.2.4.13.0.arm64.msi). If the installer fails, keep "
            "%TEMP%\\wsl-install-logs.txt."
        ),
        cuts_connection=kind != "windows",
        verify=f"wsl-is:{ROLLBACK_WSL}",
    )
    notes = (
        _(
            "A rollback lasts only until something updates WSL again: the Microsoft "
            "Store (and, after it, WSL's installer service at the next boot), "
            "'wsl --update' or the 'update available' notification, and possibly "
            "Docker Desktop or your IT department."
        ),
        _(
            "Do not run 'wsl --update' (with or without --web-download) and do not "
            "click Update on WSL's notification: both install the newest release."
        ),
        _(
            "To hold the version: turn off (or pause) automatic app updates in the "
            "Microsoft Store; it is a setting for all apps, and newer Store versions "
            "only allow a pause of up to 5 weeks. On Windows Pro, Enterprise or "
            "Education the policy 'Turn off Automatic Download and Install of "
            "updates' is the lasting way."
        ),
        _(
            "Optionally set the registry values "
            "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss\\MSI\\"
            "AutoUpgradeViaMsix=0 and "
            "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss\\"
            "UpdateCheckPeriodMs=0. Both are undocumented internals of WSL."
        ),
        _(
            "'winget pin' only stops winget; it does not stop the Store, "
            "'wsl --update' or Docker Desktop."
        ),
        _(
            "Docker Desktop 4.42 and later accepts WSL 2.4.13. Avoid Docker Desktop "
            "4.25 to 4.33, which tended to update WSL at start-up."
        ),
        _(
            "Check with 'wsl --version' after restarts whether something raised the "
            "version again."
        ),
        _(
            "An old WSL misses later security fixes (for example CVE-2025-62220, "
            "fixed in 2.6.2): move forward once you can."
        ),
    )
    return Plan(info, (backup, install), notes=notes, follow_up="restart-docker")


def plan_restart_docker(facts: MachineFacts, docker_exe: str | None) -> Plan:
    info = REMEDIES["restart-docker"]
    kind, _wsl, interop, _systemd = _context(facts)
    if kind not in ("wsl2", "windows"):
        return Plan(info, (), False, _("Docker Desktop runs on Windows with WSL 2."))
    runnable = docker_exe is not None and (kind == "windows" or interop)
    restart = Step(
        id="restart-docker-desktop",
        title=_("Restart Docker Desktop"),
        explanation=_(
            "Docker Desktop starts its engine again, now with the repair in place. "
            "Then the wizard waits up to {seconds} seconds for the engine to answer."
        ).format(seconds=int(ENGINE_WAIT)),
        where="windows" if runnable else "desktop",
        commands=(
            Command(
                (docker_exe or "docker.exe", "desktop", "restart"),
                "windows",
                timeout=180.0,
            ),
        )
        if runnable
        else (),
        manual_lines=(
            _(
                "Right-click the Docker whale next to the clock and choose Restart "
                "(or Quit Docker Desktop, then start it again)."
            ),
        ),
        undo_note=_("Nothing to undo."),
        reversible=False,
        risk=_("Running containers stop while Docker Desktop restarts."),
        verify="engine-answers",
    )
    return Plan(info, (restart,))


def build_plan(
    remedy_id: str,
    facts: MachineFacts,
    current_wsl_conf: bytes | None = None,
    docker_exe: str | None = None,
) -> Plan:
    if remedy_id == "load-now":
        return plan_load_now(facts)
    if remedy_id == "load-at-boot":
        return plan_load_at_boot(facts, current_wsl_conf)
    if remedy_id == "upgrade-wsl":
        return plan_upgrade_wsl(facts)
    if remedy_id == "rollback-wsl":
        return plan_rollback_wsl(facts)
    if remedy_id == "restart-docker":
        return plan_restart_docker(facts, docker_exe)
    raise KeyError(remedy_id)


def plan_for(remedy_id: str, facts: MachineFacts, host: Host) -> Plan:
    """:func:`build_plan` with what it needs read through ``host``: the
    current ``/etc/wsl.conf`` and where Docker Desktop's Windows CLI is."""
    try:
        wsl_conf: bytes | None = host.read_bytes(WSL_CONF, 1 << 20)
    except OSError:
        wsl_conf = None
    return build_plan(remedy_id, facts, wsl_conf, host.which("docker.exe"))
