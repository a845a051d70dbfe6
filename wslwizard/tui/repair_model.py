"""What the repair screens show and remember, without Textual.

The screens call these from their thread workers (anything that reads the
machine) or on the UI thread (pure words and bookkeeping), so the rules
(which repair is recommended, what a step's place and state are called, what
the person types by hand, where a repair goes next) are tested without a
screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wslwizard.i18n import _
from wslwizard.remedies.catalog import REMEDIES

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.host.base import Host
    from wslwizard.journal.store import Journal, JournalEntry
    from wslwizard.probes.model import MachineFacts
    from wslwizard.remedies.plans import Plan, Step
    from wslwizard.runner.execute import Privilege, StepResult, StepRunner
    from wslwizard.runner.verify import Verification

Authenticate = Callable[[tuple[str, ...]], bool]


# -- choosing a repair ---------------------------------------------------------


@dataclass(frozen=True)
class RepairChoice:
    plan: Plan
    recommended: bool

    @property
    def remedy_id(self) -> str:
        return self.plan.remedy.id


@dataclass
class RepairSession:
    """The plans built for one diagnosis, and the runner that carries them
    out. Rebuilt when the diagnosis changes (a re-check, a live change)."""

    diagnosis: Diagnosis
    plans: dict[str, Plan]
    choices: list[RepairChoice]
    runner: StepRunner

    @property
    def facts(self) -> MachineFacts:
        return self.diagnosis.facts

    @property
    def privilege(self) -> Privilege:
        return self.runner.privilege


def remedy_order(diagnosis: Diagnosis) -> list[str]:
    """The top finding's remedies in its order (recommended first), then the
    other repairs the wizard knows, quickest first."""
    top = diagnosis.top
    first = [r for r in (top.remedies if top else ()) if r in REMEDIES]
    rest = sorted(
        (r for r in REMEDIES if r not in first), key=lambda r: REMEDIES[r].effort
    )
    return first + rest


def order_choices(diagnosis: Diagnosis, plans: dict[str, Plan]) -> list[RepairChoice]:
    """Plans that apply first, in :func:`remedy_order`; the first of the top
    finding's remedies that applies is the recommended one. Plans that do not
    apply come last (shown dimmed, with their reason)."""
    top = diagnosis.top
    recommended_ids = set(top.remedies) if top else set()
    order = remedy_order(diagnosis)
    applicable = [r for r in order if plans[r].applicable]
    recommended = next((r for r in applicable if r in recommended_ids), None)
    choices = [RepairChoice(plans[r], r == recommended) for r in applicable]
    choices += [RepairChoice(plans[r], False) for r in order if not plans[r].applicable]
    return choices


def prepare_session(
    host: Host,
    diagnosis: Diagnosis,
    journal: Journal,
    authenticate: Authenticate,
    engine_wait: float,
) -> RepairSession:
    """Thread: build every plan for this machine and the runner (reads
    ``/etc/wsl.conf`` and looks for sudo, wsl.exe and docker.exe)."""
    from wslwizard.remedies.plans import plan_for
    from wslwizard.runner.execute import runner_for

    facts = diagnosis.facts
    plans = {remedy: plan_for(remedy, facts, host) for remedy in REMEDIES}
    runner = runner_for(host, facts, journal, authenticate, engine_wait)
    return RepairSession(diagnosis, plans, order_choices(diagnosis, plans), runner)


# -- words for a step ----------------------------------------------------------


def where_sentence(step: Step, privilege: Privilege) -> str:
    """Where a step runs and, for root, how the wizard becomes root."""
    from wslwizard.runner.execute import Privilege

    if step.manual or step.where == "desktop":
        return _("By you, at the Windows desktop: the lines below go into PowerShell.")
    if step.where == "windows":
        return _("On Windows, started from here through WSL's link to Windows.")
    if step.where == "distro":
        return _("In this Linux system (distro), as you.")
    return {
        Privilege.ROOT: _(
            "In this Linux system (distro), as administrator (root): the wizard "
            "already runs as root."
        ),
        Privilege.SUDO_NOPASSWD: _(
            "In this Linux system (distro), as administrator (root), through sudo "
            "(no password needed)."
        ),
        Privilege.SUDO_PASSWORD: _(
            "In this Linux system (distro), as administrator (root), through sudo. "
            "sudo asks for your password in this terminal; the wizard never sees it."
        ),
    }.get(
        privilege,
        _(
            "In this Linux system (distro), as administrator (root). sudo is not "
            "available here, so you will be shown the commands to run as root."
        ),
    )


def connection_warning() -> str:
    return _(
        "This stops WSL: this wizard and any SSH session into WSL will end. Start "
        "wslwizard again afterwards to check the result."
    )


def _printf_argument(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    text = text.replace("\\", "\\\\").replace("%", "%%").replace("\n", "\\n")
    return "'" + text.replace("'", "'\\''") + "'"


def by_hand_lines(step: Step) -> list[str]:
    """The step's root commands as someone types them in another terminal:
    with ``sudo`` in front, and input given through printf."""
    lines = []
    for command in step.commands:
        if command.where != "distro-root":
            continue
        line = _display(command.argv)
        if command.input is not None:
            line = f"printf {_printf_argument(command.input)} | sudo {line} >/dev/null"
        else:
            line = f"sudo {line}"
        lines.append(line)
    return lines


def _display(argv: tuple[str, ...]) -> str:
    from wslwizard.remedies.plans import Command

    return Command(argv, "distro").display()


def check_title(check: str) -> str:
    """What a verification looks at, in words."""
    name, _sep, argument = check.partition(":")
    return {
        "tun-registered": _("The network driver Docker needs (tun)"),
        "file-has-tun": _("The start-up file {path}").format(path=argument),
        "wsl-at-least": _("WSL's version"),
        "wsl-is": _("WSL's version"),
        "engine-answers": _("Docker's engine"),
    }.get(name, _("The result"))


def check_sentence(check: str, ok: bool) -> str:
    """The check's result in plain words, for the line above before/after."""
    name, _sep, argument = check.partition(":")
    if ok:
        return {
            "tun-registered": _(
                "It worked: the network driver Docker needs (tun) is in the kernel now."
            ),
            "file-has-tun": _(
                "It worked: {path} now asks for tun when this distro starts."
            ).format(path=argument),
            "wsl-at-least": _("It worked: WSL is new enough now."),
            "wsl-is": _("It worked: WSL has the version it should."),
            "engine-answers": _("It worked: Docker's engine answers."),
        }.get(name, _("It worked."))
    return {
        "tun-registered": _(
            "The step ran, but the network driver Docker needs (tun) is still "
            "not working."
        ),
        "file-has-tun": _(
            "The step ran, but {path} does not ask for tun as it should."
        ).format(path=argument),
        "wsl-at-least": _("The step ran, but WSL is still too old."),
        "wsl-is": _("The step ran, but WSL does not have the version it should."),
        "engine-answers": _("The step ran, but Docker's engine does not answer."),
    }.get(name, _("The step ran, but the check says it did not work."))


def engine_state(facts: MachineFacts) -> str:
    versions = facts.versions
    if versions is None:
        return _("not known")
    if versions.engine_reachable:
        return _("the engine answers (version {version})").format(
            version=versions.engine or "?"
        )
    if versions.engine_reachable is False:
        return _("the engine does not answer ({reason})").format(
            reason=versions.engine_error or versions.docker_cli
        )
    return _("not known")


def state_from_facts(check: str, facts: MachineFacts) -> str:
    """How the thing a check looks at was when the machine was last checked
    (for a step done by hand: by the time it is checked, it has changed)."""
    name, _sep, _argument = check.partition(":")
    if name == "tun-registered" and facts.modules is not None:
        modules = facts.modules
        device = modules.device
        parts = [
            _("tun: {state}").format(state=modules.tun.state),
            _("/dev/net/tun: {state}").format(
                state=device.permissions if device.exists else _("missing")
            ),
        ]
        return ", ".join(parts)
    versions = facts.versions
    if name in ("wsl-at-least", "wsl-is") and versions is not None and versions.wsl:
        return _("WSL {version}").format(version=versions.wsl)
    if name == "engine-answers":
        return engine_state(facts)
    return _("not known")


def state_before(check: str, host: Host, facts: MachineFacts) -> str:
    """Thread: how the thing a step changes looks before it runs. The engine
    is taken from the check's facts (asking it again would wait for it); the
    rest is looked at now."""
    from wslwizard.runner.verify import verify

    if not check:
        return ""
    if check == "engine-answers":
        return engine_state(facts)
    return verify(check, host).detail


# -- outcomes --------------------------------------------------------------------


@dataclass(frozen=True)
class StepOutcome:
    """What became of one step of a repair, as the screens tell it."""

    step: Step
    status: str
    """A runner status (done, failed, skipped, needs-root, journal-failed,
    pending-restart), or ``by-hand`` (the person did it and the check agrees,
    or it cannot be checked), ``not-verified`` (checked by hand, not done),
    ``undone``, ``skipped-by-you`` (an optional step the person skipped)."""
    verification: Verification | None = None
    before: str = ""
    entry: JournalEntry | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        if self.status in ("skipped", "by-hand", "skipped-by-you"):
            return True
        if self.status != "done":
            return False
        return self.verification is None or self.verification.ok is not False

    @property
    def verification_failed(self) -> bool:
        return (
            self.status == "done"
            and self.verification is not None
            and self.verification.ok is False
        )

    @property
    def can_undo(self) -> bool:
        entry = self.entry
        return entry is not None and entry.can_undo and bool(entry.undo_commands)

    @classmethod
    def of(cls, result: StepResult, before: str) -> StepOutcome:
        return cls(
            result.step,
            result.status,
            result.verification,
            before,
            result.entry,
            result.message,
        )


def outcome_mark(outcome: StepOutcome) -> str:
    if outcome.status == "skipped-by-you":
        return "–"
    if outcome.ok:
        verification = outcome.verification
        return "?" if verification is not None and verification.ok is None else "✔"
    if outcome.status in ("pending-restart", "undone"):
        return "…" if outcome.status == "pending-restart" else "–"
    return "✖"


def outcome_sentence(outcome: StepOutcome) -> str:
    """One line: how the step ended, with the check's words."""
    verification = outcome.verification
    detail = verification.detail if verification is not None else ""
    status = outcome.status
    if status == "skipped":
        return _("Not needed: it was already done ({detail}).").format(detail=detail)
    if status == "by-hand":
        if verification is None or verification.ok is None:
            return _("Done by you; the wizard cannot check this step.")
        return _("Done by you, and checked: {detail}.").format(detail=detail)
    if status == "not-verified":
        return _("Not done yet, says the check: {detail}.").format(detail=detail)
    if status == "pending-restart":
        return _("Started; WSL restarts now. The next start of the wizard checks it.")
    if status == "undone":
        return _("Undone.")
    if status == "skipped-by-you":
        return _("Skipped at your request. Nothing was run.")
    if status == "needs-root":
        return _("Not run: it needs administrator (root) rights.")
    if status == "journal-failed":
        return _("Not run: the journal could not be written.")
    if status == "failed":
        return _("The command failed.")
    if verification is None:
        return _("Done.")
    if verification.ok is True:
        return _("Done, and it works: {detail}.").format(detail=detail)
    if verification.ok is False:
        return _("Done, but the check says it did not work: {detail}.").format(
            detail=detail
        )
    return _("Done; the wizard could not check it: {detail}.").format(detail=detail)


# -- a repair in progress --------------------------------------------------------


@dataclass
class RepairFlow:
    """One plan being carried out, step by step."""

    plan: Plan
    index: int = 0
    outcomes: list[StepOutcome] = field(default_factory=list)
    pending_entries: dict[str, JournalEntry] = field(default_factory=dict)
    """Entries written before a step done by hand (step id -> entry)."""

    @property
    def remedy_id(self) -> str:
        return self.plan.remedy.id

    @property
    def step(self) -> Step:
        return self.plan.steps[self.index]

    @property
    def total(self) -> int:
        return len(self.plan.steps)

    @property
    def finished(self) -> bool:
        return self.index >= self.total

    def record(self, outcome: StepOutcome) -> None:
        """Keep the latest outcome of each step."""
        self.outcomes = [o for o in self.outcomes if o.step.id != outcome.step.id]
        self.outcomes.append(outcome)

    def advance(self) -> None:
        self.index += 1

    @property
    def waiting_for_restart(self) -> bool:
        return any(o.status == "pending-restart" for o in self.outcomes)

    @property
    def all_ok(self) -> bool:
        return (
            self.finished
            and len(self.outcomes) == self.total
            and all(o.ok for o in self.outcomes)
        )


def continuation(
    entry: JournalEntry, plans: dict[str, Plan], verified: bool | None
) -> tuple[Plan, int] | None:
    """Where a repair goes on after ``entry`` was checked on a new start: the
    next step of its plan, else (when it worked) the plan's follow-up."""
    plan = plans.get(entry.remedy)
    if plan is None:
        return None
    ids = [step.id for step in plan.steps]
    # A repair that has just worked may no longer apply (WSL is updated now);
    # its follow-up still does.
    if plan.applicable and entry.step in ids and ids.index(entry.step) + 1 < len(ids):
        return plan, ids.index(entry.step) + 1
    if verified is not False and plan.follow_up:
        follow = plans.get(plan.follow_up)
        if follow is not None and follow.applicable and follow.steps:
            return follow, 0
    return None


def resume_sentence(entry: JournalEntry) -> str:
    """What the wizard checks on start for a step it did not see finish."""
    if entry.step == "wsl-update":
        return _(
            "You started an update of WSL, which restarts WSL and ended the "
            "wizard before it could see the result. Checking whether it worked…"
        )
    if entry.step == "install-2.4.13":
        return _(
            "You started the rollback of WSL to 2.4.13, which ended the wizard "
            "before it could see the result. Checking whether it worked…"
        )
    if entry.step == "backup-docker-data":
        return _(
            "You were backing up Docker's data disk when the wizard ended; "
            "checking now…"
        )
    return _(
        "The wizard ended before it saw the end of '{title}'. Checking whether it "
        "worked…"
    ).format(title=entry.title)


def verification_sentence(verification: Verification) -> str:
    if verification.ok is True:
        return _("It worked: {detail}.").format(detail=verification.detail)
    if verification.ok is False:
        return _("It did not work: {detail}.").format(detail=verification.detail)
    return _("The wizard cannot tell: {detail}").format(detail=verification.detail)


def display_path(path: Path) -> str:
    """A path as a person reads it: the home folder as ``~``."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def entry_time(entry: JournalEntry) -> str:
    """When a step started, in local time (no seconds: a person reads it)."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.started_at))


def status_words(status: str) -> str:
    return {
        "running": _("running (not seen to finish)"),
        "verify-pending": _("waiting to be checked"),
        "done": _("done"),
        "failed": _("failed"),
        "verified": _("done and checked"),
        "verification-failed": _("done, but the check failed"),
        "undone": _("undone"),
        "cancelled": _("cancelled"),
    }.get(status, status)
