"""Checking that a step worked, by probing again (never by trusting an exit
code alone)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from wslwizard.diagnosis.knowledge import version_less
from wslwizard.host.base import Host
from wslwizard.i18n import _
from wslwizard.probes.common import read_text
from wslwizard.probes.modules import probe_modules
from wslwizard.probes.parse.wsl_conf import parse_wsl_conf
from wslwizard.probes.versions import probe_versions


@dataclass(frozen=True)
class Verification:
    ok: bool | None
    """True: it worked. False: it did not. None: could not tell."""
    detail: str
    before: str = ""
    after: str = ""


def _tun_summary(host: Host) -> tuple[bool, str]:
    modules = probe_modules(host)
    registered = bool(modules.tun.registered) or modules.tun.state in (
        "loaded",
        "builtin",
    )
    device = modules.device
    parts = [
        _("tun: {state}").format(state=modules.tun.state),
        _("/dev/net/tun: {state}").format(
            state=device.permissions if device.exists else _("missing")
        ),
    ]
    check = modules.functional
    if check is not None and check.attempted:
        if check.ok:
            parts.append(_("Docker's test: works"))
        elif check.errno_name not in ("EPERM", "EACCES"):
            registered = False
            parts.append(_("Docker's test: {error}").format(error=check.errno_name))
    return registered, ", ".join(parts)


def _file_has_tun(host: Host, path: str) -> Verification:
    read = read_text(host, path, 65536)
    if read.text is None:
        return Verification(
            False, _("{path}: {reason}").format(path=path, reason=read.error)
        )
    if path.endswith("wsl.conf"):
        try:
            raw = host.read_bytes(path, 65536)
        except OSError:
            raw = read.text.encode()
        conf = parse_wsl_conf(raw)
        ok = (
            bool(conf.boot_command and "modprobe tun" in conf.boot_command)
            and not conf.crlf
        )
        return Verification(
            ok,
            _("[boot] command = {command}").format(command=conf.boot_command or "—"),
        )
    lines = [line.strip() for line in read.text.splitlines()]
    ok = "tun" in lines
    return Verification(
        ok,
        _("{path} lists tun").format(path=path)
        if ok
        else _("{path} does not list tun").format(path=path),
    )


def _wsl_version(host: Host) -> str | None:
    return probe_versions(host).wsl


def engine_answers(
    host: Host,
    wait: float,
    interval: float = 3.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Verification:
    """Poll ``docker version`` until the engine answers or ``wait`` passes."""
    deadline = time.monotonic() + wait
    last = ""
    while True:
        versions = probe_versions(host)
        if versions.engine_reachable:
            return Verification(
                True,
                _("the engine answers (version {version})").format(
                    version=versions.engine or "?"
                ),
            )
        last = versions.engine_error or versions.docker_cli
        if time.monotonic() + interval > deadline:
            break
        sleep(interval)
    return Verification(
        False,
        _("the engine did not answer within {seconds} s ({reason})").format(
            seconds=int(wait), reason=last
        ),
    )


def verify(check: str, host: Host, engine_wait: float = 120.0) -> Verification:
    """Run one verification by id: ``tun-registered``, ``tun-gone``,
    ``file-has-tun:PATH``, ``wsl-at-least:VERSION``, ``wsl-is:VERSION``,
    ``engine-answers``."""
    name, _sep, argument = check.partition(":")
    if name == "tun-registered":
        ok, summary = _tun_summary(host)
        return Verification(ok, summary, after=summary)
    if name == "tun-gone":
        ok, summary = _tun_summary(host)
        return Verification(not ok, summary, after=summary)
    if name == "file-has-tun":
        return _file_has_tun(host, argument)
    if name in ("wsl-at-least", "wsl-is"):
        version = _wsl_version(host)
        if version is None:
            return Verification(None, _("the WSL version could not be read"))
        if name == "wsl-is":
            ok = version == argument or version.startswith(argument + ".")
        else:
            ok = not version_less(version, argument)
        return Verification(ok, _("WSL {version}").format(version=version))
    if name == "engine-answers":
        return engine_answers(host, engine_wait)
    return Verification(None, _("nothing to verify"))
