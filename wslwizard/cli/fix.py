"""``wslwizard fix``, ``history`` and ``undo``: repairs without the
full-screen UI, for scripts and for helpers over SSH."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from wslwizard.diagnosis.rules import diagnose
from wslwizard.host.base import Host
from wslwizard.i18n import _
from wslwizard.journal.store import Journal, JournalEntry, still_undoable
from wslwizard.probes.gather import gather_facts
from wslwizard.probes.model import MachineFacts
from wslwizard.remedies.plans import Step, plan_for
from wslwizard.runner.execute import StepResult, StepRunner, runner_for

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_UNKNOWN = 0, 1, 2, 3
Ask = Callable[[str], bool]


def make_runner(
    host: Host,
    facts: MachineFacts,
    journal: Journal,
    interactive: bool,
    engine_wait: float = 120.0,
) -> StepRunner:
    def authenticate(argv: tuple[str, ...]) -> bool:
        # The real terminal goes to sudo, which asks for the password itself.
        return interactive and host.run_interactive(argv, timeout=120.0).ok

    return runner_for(host, facts, journal, authenticate, engine_wait)


def _say(console: Console, text: str, indent: int = 0, style: str = "") -> None:
    """One paragraph; its wrapped lines keep its indent."""
    body = Text(text, style=style)
    console.print(Padding(body, (0, 0, 0, indent)) if indent else body)


def _command(console: Console, line: str) -> None:
    """A command to read or copy: never broken by an inserted line break (a
    long one runs on; the terminal wraps it, and a copy stays one line)."""
    console.print(Text(f"    {line}", style="cyan"), soft_wrap=True)


def _ask_terminal(question: str) -> bool:
    try:
        answer = input(question + " [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", _("y"), _("yes"))


def resume_pending(
    host: Host, runner: StepRunner, journal: Journal, console: Console
) -> list[JournalEntry]:
    """Verify steps that did not finish in an earlier run (WSL restarted)."""
    resumed = []
    for entry in journal.unfinished(machine=host.label):
        console.print(
            Text(
                _(
                    "An earlier step did not finish: '{title}' ({remedy}). It may have "
                    "restarted WSL. Checking whether it worked…"
                ).format(title=entry.title, remedy=entry.remedy),
                style="yellow",
            )
        )
        updated, verification = runner.resume(entry)
        style = {True: "green", False: "red"}.get(verification.ok, "magenta")  # type: ignore[arg-type]
        _say(console, verification.detail, 2, style)
        resumed.append(updated)
    return resumed


def _print_step(console: Console, runner: StepRunner, step: Step, number: int) -> None:
    console.print(
        Text(
            _("Step {number}: {title}").format(number=number, title=step.title),
            style="bold",
        )
    )
    _say(console, step.explanation, 2)
    _say(console, _("What runs:"), 2, "bold")
    for line in runner.describe(step):
        _command(console, line)
    if step.risk:
        _say(console, _("Risk: {risk}").format(risk=step.risk), 2)
    if step.cuts_connection:
        _say(
            console,
            _(
                "This stops WSL: this program and any SSH session into WSL "
                "will end. Run 'wslwizard' again afterwards to check the "
                "result."
            ),
            2,
            "bold yellow",
        )
    _say(console, _("Undo: {undo}").format(undo=step.undo_note), 2, "dim")


def _print_result(console: Console, result: StepResult) -> None:
    status_text = {
        "done": _("done"),
        "failed": _("failed"),
        "skipped": _("not needed"),
        "manual": _("for you to do"),
        "dry-run": _("dry run: nothing was changed"),
        "needs-root": _("needs administrator rights"),
        "journal-failed": _("not run: the journal could not be written"),
        "pending-restart": _("started; WSL restarts now"),
    }[result.status]
    style = (
        "green"
        if result.ok
        else ("yellow" if result.status in ("manual", "dry-run", "skipped") else "red")
    )
    console.print(Text("  → " + status_text, style=style))
    if result.message and result.status not in ("dry-run",):
        for line in result.message.splitlines():
            _say(console, line, 4)
    if result.verification is not None:
        check = result.verification
        mark = {True: _("verified"), False: _("NOT verified")}.get(
            check.ok,
            _("could not verify"),  # type: ignore[arg-type]
        )
        _say(console, f"{mark}: {check.detail}", 2, style)


def run_fix(
    host: Host,
    remedy: str,
    dry_run: bool,
    yes: bool,
    console: Console,
    ask: Ask | None = None,
    journal: Journal | None = None,
    interactive: bool | None = None,
    engine_wait: float = 120.0,
) -> int:
    interactive = sys.stdin.isatty() if interactive is None else interactive
    ask = ask or (_ask_terminal if interactive else (lambda _q: False))
    journal = journal or Journal()
    facts = gather_facts(host)
    runner = make_runner(host, facts, journal, interactive, engine_wait)
    if not dry_run:
        resume_pending(host, runner, journal, console)

    try:
        plan = plan_for(remedy, facts, host)
    except KeyError:
        console.print(Text(_("Unknown repair '{id}'.").format(id=remedy), style="red"))
        return EXIT_USAGE
    if host.recorded:
        console.print(
            Text(
                _("Recorded machine: {name} (not the machine you are on)").format(
                    name=host.label
                ),
                style="reverse",
            )
        )
    console.print(Text(plan.remedy.title, style="bold underline"))
    if not plan.applicable:
        console.print(
            Text(
                _("Does not apply here: {reason}").format(reason=plan.reason),
                style="yellow",
            )
        )
        return EXIT_PROBLEM
    console.print(Text(_("Lasts: {lasts}").format(lasts=_(plan.remedy.lasts))))
    console.print(Text(_("Risk: {risk}").format(risk=_(plan.remedy.risk))))
    if plan.notes:
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(no_wrap=True)
        bullets.add_column()
        for note in plan.notes:
            bullets.add_row("•", Text(note))
        console.print(bullets)

    if not dry_run and not yes and not interactive:
        console.print(
            Text(
                _(
                    "Nothing was changed: there is no terminal to confirm "
                    "each step. Run again with --yes to confirm them all, or "
                    "--dry-run to see what would run."
                ),
                style="yellow",
            )
        )
        return EXIT_USAGE

    all_ok = True
    for number, step in enumerate(plan.steps, start=1):
        console.print()
        _print_step(console, runner, step, number)
        if dry_run:
            result = runner.run_step(remedy, step, dry_run=True)
            _print_result(console, result)
            continue
        if step.manual:
            for line in step.manual_lines:
                _command(console, line)
            if not interactive:
                console.print(
                    Text(
                        _("Do this by hand, then run 'wslwizard check'."),
                        style="yellow",
                    )
                )
                return EXIT_OK if all_ok else EXIT_PROBLEM
            if not ask(_("Have you done this?")):
                console.print(Text(_("Stopped. Nothing else was changed.")))
                return EXIT_PROBLEM
            if step.verify:
                from wslwizard.runner.verify import verify

                check = verify(step.verify, host, engine_wait)
                _print_result(console, StepResult(step, "manual", verification=check))
                all_ok = all_ok and check.ok is not False
            continue
        if not yes and not ask(_("Run this step?")):
            if step.optional:
                _say(console, _("Skipped: it is optional. Nothing was run."), 2)
                continue
            console.print(Text(_("Skipped at your request. Nothing was run.")))
            return EXIT_PROBLEM
        result = runner.run_step(
            remedy,
            step,
            on_output=lambda line: console.print(Text(f"    {line}", style="dim")),
        )
        _print_result(console, result)
        if result.status == "pending-restart":
            return EXIT_OK
        if not result.ok:
            all_ok = False
            if result.entry is not None and result.entry.can_undo:
                console.print(
                    Text(
                        _("To undo it: wslwizard undo {id}").format(id=result.entry.id)
                    )
                )
            break
    if plan.follow_up and all_ok and not dry_run:
        console.print()
        console.print(
            Text(
                _("Next: wslwizard fix {id}{option}").format(
                    id=plan.follow_up,
                    option=machine_option(host.label) if host.recorded else "",
                ),
                style="bold",
            )
        )
    if not dry_run:
        diagnosis = diagnose(gather_facts(host))
        console.print(Text(_("Now: {verdict}").format(verdict=diagnosis.verdict)))
    return EXIT_OK if all_ok else EXIT_PROBLEM


def _machine_option(entry: JournalEntry) -> str:
    """The option that names a recorded machine, for a command to copy."""
    return machine_option(entry.machine) if entry.recorded else ""


def machine_option(label: str) -> str:
    """The option that names the recorded machine ``label``, with a space
    before it: ``--demo``, ``--replay NAME`` for a bundled one."""
    from wslwizard.host.recorded import bundled_scenarios

    if label == "demo":
        return " --demo"
    if label in bundled_scenarios():
        return f" --replay {label}"
    return " --replay FILE"


def carried_changes_note(label: str) -> str:
    """Said when a recorded machine starts with what earlier repairs changed
    on it, not as its file describes it."""
    return _(
        "The recorded machine {name} keeps what your earlier repairs changed on "
        "it. To start it as recorded: wslwizard history{option} --forget"
    ).format(name=label, option=machine_option(label))


def forget_recorded(
    machine: str, console: Console, journal: Journal | None = None
) -> int:
    """Let a recorded machine start from its file again."""
    journal = journal or Journal()
    if journal.forget_recorded(machine):
        console.print(
            _(
                "Forgot the repairs on the recorded machine {machine}: it starts "
                "from its file again."
            ).format(machine=machine)
        )
    else:
        console.print(
            _("The recorded machine {machine} has no repairs to forget.").format(
                machine=machine
            )
        )
    return EXIT_OK


def run_history(
    console: Console, journal: Journal | None = None, machine: str | None = None
) -> int:
    """The journal, newest first; each entry names the machine it ran on."""
    journal = journal or Journal()
    everything = journal.entries()
    entries = [e for e in everything if machine is None or e.machine == machine]
    if not entries:
        console.print(_("No repairs have been applied yet."))
        return EXIT_OK
    for entry in reversed(entries):
        where = entry.machine + (_(" (recorded)") if entry.recorded else "")
        console.print(Text(f"{entry.title}", style="bold"))
        console.print(Text(f"  {entry.status} · {where}"))
        if entry.verification and entry.status != "undone":
            console.print(Text(f"  {entry.verification}", style="dim"))
        if still_undoable(entry, everything):
            console.print(
                Text(
                    f"  wslwizard undo {entry.id}{_machine_option(entry)}", style="cyan"
                ),
                no_wrap=True,
                crop=False,
            )
        elif entry.can_undo:
            console.print(
                Text("  " + _("gone since WSL restarted: nothing to undo"), style="dim")
            )
    console.print(
        Text(_("Journal folder: {path}").format(path=journal.folder), style="dim")
    )
    return EXIT_OK


def run_undo(
    host: Host,
    entry_id: str | None,
    yes: bool,
    console: Console,
    ask: Ask | None = None,
    journal: Journal | None = None,
    interactive: bool | None = None,
) -> int:
    interactive = sys.stdin.isatty() if interactive is None else interactive
    ask = ask or (_ask_terminal if interactive else (lambda _q: False))
    journal = journal or Journal()
    everything = journal.entries()
    candidates = [
        e
        for e in everything
        if e.machine == host.label and still_undoable(e, everything)
    ]
    if entry_id:
        candidates = [e for e in candidates if e.id == entry_id]
    if not candidates:
        console.print(_("Nothing to undo on this machine."))
        return EXIT_PROBLEM
    entry = candidates[-1]
    console.print(Text(_("Undo: {title}").format(title=entry.title), style="bold"))
    _say(console, entry.undo_note, 2)
    for command in entry.undo_commands:
        _command(console, shlex.join(command["argv"]))
    if not yes and not interactive:
        _say(
            console,
            _(
                "Nothing was changed: there is no terminal to confirm the undo. "
                "Run again with --yes to confirm it."
            ),
            style="yellow",
        )
        return EXIT_USAGE
    if not yes and not ask(_("Undo this step?")):
        console.print(_("Nothing was changed."))
        return EXIT_PROBLEM
    facts = gather_facts(host)
    runner = make_runner(host, facts, journal, interactive)
    result = runner.undo(entry)
    _print_result(console, result)
    return EXIT_OK if result.status == "done" else EXIT_PROBLEM
