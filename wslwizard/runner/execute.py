"""Running a step on the host: dry run, root, journal, commands, verify, undo.

Nothing here asks the user anything: presenters confirm before calling
:meth:`StepRunner.run_step`, and supply ``authenticate`` to hand the real
terminal to ``sudo -v`` when a password is needed. The password is typed
into sudo itself; the wizard never sees it.
"""

from __future__ import annotations

import contextlib
import logging
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Literal

from wslwizard.host.base import CommandResult, Host
from wslwizard.host.recorded import RecordedHost
from wslwizard.i18n import _
from wslwizard.journal.store import (
    CommandRecord,
    Journal,
    JournalEntry,
    JournalError,
    clip,
)
from wslwizard.probes.model import MachineFacts
from wslwizard.probes.parse.text import decode_output
from wslwizard.remedies.plans import Command, Step
from wslwizard.runner.verify import Verification, verify

log = logging.getLogger(__name__)

StepStatus = Literal[
    "done",
    "failed",
    "skipped",
    "manual",
    "dry-run",
    "needs-root",
    "journal-failed",
    "pending-restart",
]
OutputCallback = Callable[[str], None]
Authenticate = Callable[[tuple[str, ...]], bool]


class Privilege(Enum):
    ROOT = "root"
    SUDO_NOPASSWD = "sudo without a password"
    SUDO_PASSWORD = "sudo with a password"
    NONE = "no way to become root"

    @classmethod
    def of(cls, facts: MachineFacts, host: Host) -> Privilege:
        env = facts.environment
        if env is not None and env.root:
            return cls.ROOT
        if env is not None and env.sudo_without_password:
            return cls.SUDO_NOPASSWD
        if host.which("sudo"):
            return cls.SUDO_PASSWORD
        return cls.NONE


@dataclass(frozen=True)
class CommandRun:
    command: Command
    argv: tuple[str, ...]
    result: CommandResult

    @property
    def ok(self) -> bool:
        return self.result.ran and self.result.returncode in self.command.ok_codes

    @property
    def output(self) -> str:
        text = decode_output(self.result.stdout).text
        text += decode_output(self.result.stderr).text
        if self.result.timed_out:
            text += "\n" + _("(no answer within {seconds:.0f} s: stopped)").format(
                seconds=self.command.timeout
            )
        elif self.result.not_found:
            text += _("(command not found)")
        return text.strip()


@dataclass(frozen=True)
class StepResult:
    step: Step
    status: StepStatus
    runs: tuple[CommandRun, ...] = ()
    verification: Verification | None = None
    entry: JournalEntry | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        if self.status not in ("done", "skipped"):
            return False
        return self.verification is None or self.verification.ok is not False


class StepRunner:
    """Executes steps on one host with one way of becoming root."""

    def __init__(
        self,
        host: Host,
        journal: Journal,
        privilege: Privilege,
        wsl_exe: str | None = None,
        docker_exe: str | None = None,
        authenticate: Authenticate | None = None,
        engine_wait: float = 120.0,
    ) -> None:
        self.host = host
        self.journal = journal
        self.privilege = privilege
        self.wsl_exe = wsl_exe
        self.docker_exe = docker_exe
        self.authenticate = authenticate
        self.engine_wait = engine_wait
        self._authenticated = False

    # -- what would run --------------------------------------------------

    def resolve(self, command: Command) -> tuple[str, ...]:
        """The exact argv that will run, with the root wrapper and the real
        path of wsl.exe."""
        argv = command.argv
        if argv and argv[0] == "wsl.exe" and self.wsl_exe:
            argv = (self.wsl_exe, *argv[1:])
        sudo = (Privilege.SUDO_NOPASSWD, Privilege.SUDO_PASSWORD)
        if command.where == "distro-root" and self.privilege in sudo:
            argv = ("sudo", "-n", *argv)
        return argv

    def describe(self, step: Step) -> list[str]:
        """What a dry run prints: every command exactly, or the lines the user
        types by hand."""
        if step.manual:
            return [f"[{_('you, in PowerShell')}] {line}" for line in step.manual_lines]
        lines = []
        if self.privilege is Privilege.SUDO_PASSWORD and any(
            c.where == "distro-root" for c in step.commands
        ):
            lines.append(f"[{_('sudo asks for your password')}] sudo -v")
        for command in step.commands:
            where = {
                "distro-root": _("this distro, as root"),
                "distro": _("this distro"),
                "windows": _("Windows"),
                "desktop": _("you"),
            }[command.where]
            text = Command(
                self.resolve(command), command.where, input=command.input
            ).display()
            lines.append(f"[{where}] {text}")
        return lines

    # -- running ---------------------------------------------------------

    def _ensure_root(self, step: Step) -> str | None:
        """None when root commands can run; otherwise why not."""
        if not any(c.where == "distro-root" for c in step.commands):
            return None
        if self.privilege in (Privilege.ROOT, Privilege.SUDO_NOPASSWD):
            return None
        if self.privilege is Privilege.SUDO_PASSWORD:
            if self._authenticated:
                return None
            if self.authenticate is not None and self.authenticate(("sudo", "-v")):
                self._authenticated = True
                return None
            return _("sudo could not be asked for a password here.")
        return _("This needs administrator (root) rights, and sudo is not available.")

    def _run(self, command: Command, on_output: OutputCallback | None) -> CommandRun:
        argv = self.resolve(command)
        if on_output:
            on_output("$ " + Command(argv, command.where).display())
        result = self.host.run(argv, timeout=command.timeout, input=command.input)
        run = CommandRun(command, argv, result)
        if on_output and run.output:
            on_output(run.output)
        log.info("ran %s -> %s", argv, result.returncode)
        return run

    def _entry(self, remedy: str, step: Step) -> JournalEntry:
        return JournalEntry(
            id=self.journal.new_id(remedy, step.id),
            remedy=remedy,
            step=step.id,
            title=step.title,
            machine=self.host.label,
            recorded=self.host.recorded,
            status="verify-pending" if step.cuts_connection else "running",
            started_at=time.time(),
            undo_note=step.undo_note,
            undo_commands=[
                {
                    "argv": list(c.argv),
                    "where": c.where,
                    "timeout": c.timeout,
                    "optional": c.optional,
                }
                for c in step.undo_commands
            ],
            reversible=step.reversible,
            verify=step.verify,
            undo_verify=step.undo_verify,
            restarts_wsl=step.cuts_connection,
            until_restart=step.until_restart,
        )

    def run_step(
        self,
        remedy: str,
        step: Step,
        dry_run: bool = False,
        on_output: OutputCallback | None = None,
    ) -> StepResult:
        if step.skip_when:
            already = verify(step.skip_when, self.host, self.engine_wait)
            if already.ok:
                return StepResult(
                    step,
                    "skipped",
                    verification=already,
                    message=_("Already done: {detail}").format(detail=already.detail),
                )
        if dry_run:
            return StepResult(step, "dry-run", message="\n".join(self.describe(step)))
        if step.manual:
            return StepResult(step, "manual", message="\n".join(step.manual_lines))

        reason = self._ensure_root(step)
        if reason is not None:
            by_hand = "\n".join(
                shlex.join(("sudo", *c.argv))
                for c in step.commands
                if c.where == "distro-root"
            )
            return StepResult(step, "needs-root", message=f"{reason}\n{by_hand}")

        entry = self._entry(remedy, step)
        try:
            self.journal.write(entry)
        except JournalError as exc:
            return StepResult(step, "journal-failed", message=str(exc))

        runs: list[CommandRun] = []
        failed = None
        for command in step.commands:
            run = self._run(command, on_output)
            runs.append(run)
            if not run.ok and not command.optional:
                failed = run
                break

        records = [
            CommandRecord(
                list(r.argv),
                r.command.where,
                r.result.returncode,
                clip(r.output),
                r.result.timed_out,
            )
            for r in runs
        ]
        if step.cuts_connection:
            # Normally we never get here: WSL stopped and took this process
            # with it. If we did, the entry stays pending and the next start
            # verifies it, after WSL has restarted.
            entry = self.journal.update(entry, commands=records)
            self._keep_recorded(restart_pending=True)
            return StepResult(
                step,
                "pending-restart",
                tuple(runs),
                entry=entry,
                message=_(
                    "WSL is restarting. Start wslwizard again in a minute: it will "
                    "check whether this worked."
                ),
            )
        self._keep_recorded(restart_pending=False)
        if failed is not None:
            entry = self.journal.update(
                entry, status="failed", commands=records, finished_at=time.time()
            )
            return StepResult(
                step,
                "failed",
                tuple(runs),
                entry=entry,
                message=failed.output or failed.result.error or "",
            )

        verification = None
        status = "done"
        if step.verify:
            verification = verify(step.verify, self.host, self.engine_wait)
            if verification.ok is True:
                status = "verified"
            elif verification.ok is False:
                status = "verification-failed"
        entry = self.journal.update(
            entry,
            status=status,
            commands=records,
            finished_at=time.time(),
            verification=verification.detail if verification else "",
        )
        return StepResult(step, "done", tuple(runs), verification, entry)

    def undo_step(self, entry: JournalEntry) -> Step:
        """The undo of a journal entry as a step, so that presenters can show
        exactly what :meth:`undo` will run (``describe``) before asking."""
        commands = tuple(
            Command(
                tuple(c["argv"]),
                c["where"],
                timeout=c.get("timeout", 30.0),
                optional=c.get("optional", False),
            )
            for c in entry.undo_commands
        )
        return Step(
            id=f"undo-{entry.step}",
            title=entry.title,
            explanation="",
            where="distro-root",
            commands=commands,
        )

    def undo(
        self, entry: JournalEntry, on_output: OutputCallback | None = None
    ) -> StepResult:
        step = self.undo_step(entry)
        commands = step.commands
        reason = self._ensure_root(step)
        if reason is not None:
            return StepResult(step, "needs-root", message=reason)
        runs = [self._run(c, on_output) for c in commands]
        self._keep_recorded(restart_pending=False)
        failed = [r for r in runs if not r.ok and not r.command.optional]
        check = None
        if not failed and entry.undo_verify:
            # An exit code of 0 is not proof: look again.
            check = verify(entry.undo_verify, self.host, self.engine_wait)
        if failed or (check is not None and check.ok is False):
            return StepResult(
                step,
                "failed",
                tuple(runs),
                verification=check,
                message=_undo_failure(failed[0] if failed else None, check),
            )
        updated = self.journal.update(entry, status="undone", note=_("undone"))
        return StepResult(step, "done", tuple(runs), check, updated)

    def expect_manual(self, remedy: str, step: Step) -> JournalEntry:
        """Note a step the person is about to do by hand (at the Windows
        desktop) as pending. Such a step may stop WSL and this program with
        it; the next start then finds the entry and verifies it (:meth:`resume`).
        Raises :class:`JournalError` when the journal cannot be written."""
        entry = self._entry(remedy, step)
        entry = replace(entry, status="verify-pending")
        self.journal.write(entry)
        return entry

    def _keep_recorded(self, restart_pending: bool) -> None:
        """On a recorded machine, keep what the commands changed for the next
        run (a real machine keeps its own changes)."""
        if not isinstance(self.host, RecordedHost):
            return
        try:
            self.journal.save_recorded(
                self.host.label, self.host.changes(), restart_pending
            )
        except JournalError as exc:
            log.warning("could not keep the recorded machine's changes: %s", exc)

    def check_by_hand(self, entry: JournalEntry) -> tuple[JournalEntry, Verification]:
        """Check a step the person does by hand (at the Windows desktop). Not
        done yet is not a failure: the entry stays pending, so the next start
        checks it again once they have done it."""
        if not entry.verify:
            return self.resume(entry)
        verification = verify(entry.verify, self.host, self.engine_wait)
        if verification.ok is False:
            updated = self.journal.update(
                entry,
                verification=verification.detail,
                note=_("Not done yet when checked; the next start checks again."),
            )
            return updated, verification
        return self.resume(entry)

    def resume(self, entry: JournalEntry) -> tuple[JournalEntry, Verification]:
        """Verify a step the wizard did not see finish; never run it again."""
        if entry.verify:
            verification = verify(entry.verify, self.host, self.engine_wait)
        else:
            verification = Verification(
                None, _("This step cannot be checked; look at its output.")
            )
        status = {True: "verified", False: "verification-failed"}.get(
            verification.ok,
            "done",  # type: ignore[arg-type]
        )
        note = _("Checked after the wizard restarted.")
        updated = self.journal.update(
            entry,
            status=status,
            verification=verification.detail,
            note=note,
            finished_at=entry.finished_at or time.time(),
        )
        return updated, verification


def _undo_failure(failed: CommandRun | None, check: Verification | None) -> str:
    """Why an undo did not take, with what the person can do about it."""
    lines: list[str] = []
    output = ""
    if failed is not None:
        output = failed.output or failed.result.error or ""
        lines.append(
            output
            or _("'{command}' ended with exit code {code}.").format(
                command=shlex.join(failed.argv), code=failed.result.returncode
            )
        )
    elif check is not None:
        lines.append(_("It is still there: {detail}").format(detail=check.detail))
    if "in use" in output.lower():
        # kmod's words for a module with users ("Module tun is in use").
        lines.append(
            _(
                "Something still uses the driver (Docker Desktop does while its "
                "engine runs), so it cannot be removed now. Quit Docker Desktop "
                "and undo again, or restart WSL ('wsl --shutdown' in PowerShell), "
                "which removes it."
            )
        )
    return "\n".join(lines)


def bring_back_recorded(host: Host, journal: Journal) -> bool:
    """Put a recorded machine back as the last run left it (the runner kept
    its changes in the state folder); after a step that restarted WSL, as it
    is after that restart. Once per host; True (then and later) when the
    machine differs from its file."""
    if not isinstance(host, RecordedHost):
        return False
    if host.brought_back:
        return host.carries_changes
    host.brought_back = True
    kept = journal.load_recorded(host.label)
    if not kept or not isinstance(kept.get("changes"), dict):
        return False
    restarted = kept.get("restart_pending") is True
    host.restore_changes(kept["changes"], restarted)
    host.carries_changes = not host.unchanged
    if restarted:
        # The restart has happened now; the next run must not repeat it.
        with contextlib.suppress(JournalError):
            journal.save_recorded(host.label, host.changes(), False)
    log.info("recorded machine %s put back (restarted: %s)", host.label, restarted)
    return host.carries_changes


def restart_recorded(host: Host, journal: Journal) -> bool:
    """On a recorded machine whose last step restarted WSL: play that restart
    now, as the next start would. True when there was one to play."""
    if not isinstance(host, RecordedHost):
        return False
    kept = journal.load_recorded(host.label)
    if not kept or kept.get("restart_pending") is not True:
        return False
    host.restart_wsl()
    with contextlib.suppress(JournalError):
        journal.save_recorded(host.label, host.changes(), False)
    return True


def runner_for(
    host: Host,
    facts: MachineFacts,
    journal: Journal,
    authenticate: Authenticate | None,
    engine_wait: float = 120.0,
) -> StepRunner:
    """The runner for this machine: its way to root, its wsl.exe and docker.exe."""
    from wslwizard.probes.versions import find_wsl_exe

    return StepRunner(
        host,
        journal,
        Privilege.of(facts, host),
        wsl_exe=find_wsl_exe(host),
        docker_exe=host.which("docker.exe"),
        authenticate=authenticate,
        engine_wait=engine_wait,
    )
