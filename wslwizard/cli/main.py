"""Command line: ``wslwizard`` (the wizard), ``check``, ``inspect``.

Exit codes: 0 nothing wrong, 1 a problem found, 2 usage error, 3 could not
determine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from collections.abc import Sequence

from rich.console import Console

from wslwizard import __version__
from wslwizard.i18n import _

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_UNKNOWN = 0, 1, 2, 3
DEMO_SCENARIO = "demo"
REMEDY_IDS = (
    "load-now",
    "load-at-boot",
    "upgrade-wsl",
    "rollback-wsl",
    "restart-docker",
)

log = logging.getLogger("wslwizard")


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and a plain message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(_("wslwizard: error: {message}\n").format(message=message))
        raise SystemExit(EXIT_USAGE)


def _add_machine_options(parser: argparse.ArgumentParser, sub: bool = False) -> None:
    # In a subcommand the defaults are suppressed, so that "wslwizard --demo
    # check" and "wslwizard check --demo" both work.
    default = argparse.SUPPRESS if sub else None
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--replay",
        default=default,
        metavar="SCENARIO",
        help=_(
            "use a recorded machine (a scenario file or a bundled name) "
            "instead of this machine"
        ),
    )
    group.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS if sub else False,
        help=_("use the bundled demonstration machine: WSL 2.5.4 with Docker failing"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wslwizard",
        description=_(
            "Find out why Docker Desktop will not start on WSL 2, and repair it "
            "step by step. With no command, opens the full-screen wizard."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"wslwizard {__version__}"
    )
    _add_machine_options(parser)
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )

    check = commands.add_parser(
        "check", help=_("diagnose this machine and print a report")
    )
    _add_machine_options(check, sub=True)
    check.add_argument("--json", action="store_true", help=_("print one JSON object"))
    check.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help=_("show the evidence behind every line"),
    )
    check.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=_("the longest to wait for any check (default 10)"),
    )

    inspect = commands.add_parser(
        "inspect", help=_("read outputs captured on another machine and diagnose them")
    )
    inspect.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=_("captured output ('-' reads standard input)"),
    )
    inspect.add_argument("--json", action="store_true", help=_("print a JSON array"))
    _add_machine_options(inspect, sub=True)

    from wslwizard.remedies.catalog import REMEDIES

    fix = commands.add_parser(
        "fix",
        help=_("run one repair step by step, without the full-screen UI"),
        description=textwrap.fill(
            _(
                "Run one repair step by step. Each step shows its exact commands "
                "and how to undo it, and asks first (--yes answers for you)."
            ),
            76,
        ),
        # One repair a line, as written: argparse would run them together.
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_("repairs:")
        + "".join(
            f"\n  {info.id:<16} {_(info.title)}"
            for info in (REMEDIES[remedy] for remedy in REMEDY_IDS)
        )
        + "\n\n"
        + _("'wslwizard check' names the ones that apply to a machine."),
    )
    fix.add_argument(
        "remedy",
        choices=REMEDY_IDS,
        metavar="REPAIR",
        help=_("which repair (see the list below)"),
    )
    fix.add_argument(
        "--dry-run",
        action="store_true",
        help=_("show exactly what would run, and change nothing"),
    )
    fix.add_argument(
        "--yes", action="store_true", help=_("confirm every step without asking")
    )
    _add_machine_options(fix, sub=True)

    report = commands.add_parser(
        "report",
        help=_("write a support bundle with personal details removed, to share"),
    )
    report.add_argument(
        "-o", "--output", metavar="FILE", help=_("where to write (default: here)")
    )
    report.add_argument(
        "--yes", action="store_true", help=_("write without asking; print the summary")
    )
    report.add_argument(
        "--markdown",
        action="store_true",
        help=_("a short markdown summary to paste into an issue, instead"),
    )
    report.add_argument(
        "--remove",
        action="append",
        default=[],
        metavar="TERM",
        help=_("also remove this word wherever it appears (repeatable)"),
    )
    _add_machine_options(report, sub=True)

    history = commands.add_parser("history", help=_("list the repairs applied so far"))
    history.add_argument(
        "--forget",
        action="store_true",
        help=_(
            "with --demo or --replay: forget that recorded machine's repairs, so "
            "that it starts from its file again"
        ),
    )
    _add_machine_options(history, sub=True)

    undo = commands.add_parser("undo", help=_("undo the last reversible repair step"))
    undo.add_argument("entry", nargs="?", help=_("a journal entry id from 'history'"))
    undo.add_argument("--yes", action="store_true", help=_("do not ask"))
    _add_machine_options(undo, sub=True)

    commands.add_parser("scenarios", help=_("list the bundled recorded machines"))
    return parser


def _setup_logging() -> None:
    """Log decisions to a file; never print while a full-screen app runs."""
    try:
        from platformdirs import user_log_dir

        folder = user_log_dir("wslwizard", appauthor=False)
        os.makedirs(folder, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(
            os.path.join(folder, "wslwizard.log"), encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
    )
    root = logging.getLogger("wslwizard")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    root.propagate = False


def open_host(args: argparse.Namespace):  # noqa: ANN201 - returns a Host
    from wslwizard.host import RealHost, load_scenario

    if getattr(args, "demo", False):
        host = load_scenario(DEMO_SCENARIO)
    elif getattr(args, "replay", None):
        host = load_scenario(args.replay)
    else:
        return RealHost()
    # As the last run on it left it (a repair, an update of WSL).
    from wslwizard.journal.store import Journal
    from wslwizard.runner.execute import bring_back_recorded

    if bring_back_recorded(host, Journal()):
        from wslwizard.cli.fix import carried_changes_note

        # On standard error: JSON on standard output stays clean.
        print(f"wslwizard: {carried_changes_note(host.label)}", file=sys.stderr)
    return host


def load_machine_label(args: argparse.Namespace) -> str:
    """The label of the recorded machine the options name, without putting
    back its kept changes (listing or forgetting them must not change them)."""
    from wslwizard.host import load_scenario

    name = DEMO_SCENARIO if getattr(args, "demo", False) else args.replay
    return load_scenario(name).label


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def run_check(args: argparse.Namespace) -> int:
    from wslwizard.cli.report import render_check
    from wslwizard.cli.serialize import diagnosis_json
    from wslwizard.diagnosis.rules import diagnose
    from wslwizard.probes.gather import DEFAULT_BOUND, gather_facts

    host = open_host(args)
    bound = args.timeout if getattr(args, "timeout", None) else DEFAULT_BOUND
    facts = gather_facts(host, bound=bound)
    diagnosis = diagnose(facts)
    if getattr(args, "json", False):
        print(json.dumps(diagnosis_json(diagnosis), indent=2, ensure_ascii=False))
    else:
        console = _console()
        render_check(diagnosis, console, verbose=getattr(args, "verbose", False))
    return diagnosis.exit_code


def run_inspect(args: argparse.Namespace) -> int:
    from wslwizard.cli.inspect_report import inspect_json, render_inspect
    from wslwizard.diagnosis.captures import InspectedFile, inspect_bytes

    results: list[InspectedFile] = []
    for name in args.files:
        try:
            if name == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(name, "rb") as handle:
                    data = handle.read(16 << 20)
        except OSError as exc:
            results.append(InspectedFile(name, (), (), error=exc.strerror or str(exc)))
            continue
        results.append(inspect_bytes(data, name))
    if args.json:
        print(json.dumps(inspect_json(results), indent=2, ensure_ascii=False))
    else:
        render_inspect(results, _console())
    if not any(r.parts for r in results):
        # Nothing was read: a file could not be opened (a wrong name is a
        # usage error), or held nothing to read (empty, not text).
        return EXIT_USAGE if any(r.error for r in results) else EXIT_UNKNOWN
    if any(
        f.severity == "error" and f.status == "present"
        for r in results
        for f in r.findings
    ):
        return EXIT_PROBLEM
    return EXIT_OK


def run_wizard(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            _(
                "wslwizard: not a terminal, so printing the check report instead of "
                "opening the wizard."
            ),
            file=sys.stderr,
        )
        return run_check(args)
    from wslwizard.tui.app import run_app

    return run_app(open_host(args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging()
    from wslwizard.host.recorded import ScenarioError, bundled_scenarios

    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "inspect":
            return run_inspect(args)
        if args.command == "fix":
            from wslwizard.cli.fix import run_fix

            return run_fix(
                open_host(args), args.remedy, args.dry_run, args.yes, _console()
            )
        if args.command == "report":
            from wslwizard.report.cli import run_report

            return run_report(
                open_host(args),
                output=args.output,
                yes=args.yes,
                markdown=args.markdown,
                remove=args.remove,
            )
        if args.command == "history":
            from wslwizard.cli.fix import run_history

            machine = None
            if getattr(args, "demo", False) or getattr(args, "replay", None):
                machine = load_machine_label(args)
            if args.forget:
                if machine is None:
                    print(
                        _(
                            "wslwizard: --forget is only for a recorded machine "
                            "(--demo or --replay): this machine's journal is the "
                            "record of real changes."
                        ),
                        file=sys.stderr,
                    )
                    return EXIT_USAGE
                from wslwizard.cli.fix import forget_recorded

                return forget_recorded(machine, _console())
            return run_history(_console(), machine=machine)
        if args.command == "undo":
            from wslwizard.cli.fix import run_undo

            return run_undo(open_host(args), args.entry, args.yes, _console())
        if args.command == "scenarios":
            from wslwizard.host.recorded import load_scenario

            for name in bundled_scenarios():
                print(f"{name:<28} {load_scenario(name).scenario.description}")
            return EXIT_OK
        return run_wizard(args)
    except ScenarioError as exc:
        _console(stderr=True).print(
            _("wslwizard: cannot use that recorded machine: {reason}").format(
                reason=exc
            ),
            style="red",
            markup=False,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (for example "| head") went away: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
