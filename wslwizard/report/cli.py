"""``wslwizard report``: record, show what will be replaced, ask, write.

Originals are shown next to their placeholders only when the summary goes
to a terminal; in a pipe or a log they are masked (``a…``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from wslwizard.host.base import Host
from wslwizard.i18n import _, ngettext
from wslwizard.report.bundle import (
    RedactedBundle,
    RedactionSummary,
    category_label,
    default_bundle_path,
    record_bundle,
    redact,
    write_bundle,
    write_private_file,
)

EXIT_WRITTEN, EXIT_DECLINED, EXIT_FAILED = 0, 1, 2
#: Replacements shown per category in the preview.
EXAMPLES = 3

Ask = Callable[[str], str]


def _size(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MiB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KiB"
    return f"{size} B"


def render_summary(summary: RedactionSummary, console: Console, reveal: bool) -> None:
    """What will be replaced, left out, kept and cut. ``reveal`` shows the
    originals (only for the user's own terminal)."""
    if not summary.categories:
        console.print(_("Nothing personal was found to replace."))
    else:
        console.print(Text(_("Replaced before anything is written:"), style="bold"))
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, justify="right")
        table.add_column(no_wrap=True, justify="right")
        table.add_column(overflow="fold")
        for category in summary.categories:
            values = ngettext(
                "{count} value", "{count} values", len(category.values)
            ).format(count=len(category.values))
            places = ngettext(
                "{count} place", "{count} places", category.places
            ).format(count=category.places)
            examples = ", ".join(
                f"{r.placeholder} ← {r.original if reveal else r.masked}"
                for r in category.values[:EXAMPLES]
            )
            if len(category.values) > EXAMPLES:
                examples += ", …"
            table.add_row(category.label, values, places, Text(examples, style="cyan"))
        console.print(table)

    if summary.environment_left_out:
        names = ", ".join(summary.environment_left_out[:8])
        if len(summary.environment_left_out) > 8:
            names += ", …"
        console.print(
            ngettext(
                "Left out: {count} environment variable the checks do not need "
                "({names}).",
                "Left out: {count} environment variables the checks do not need "
                "({names}).",
                len(summary.environment_left_out),
            ).format(count=len(summary.environment_left_out), names=escape(names)),
            markup=False,
        )
    if summary.process_details_left_out:
        console.print(
            ngettext(
                "Left out: the program path and command line of {count} process.",
                "Left out: the program paths and command lines of {count} processes.",
                summary.process_details_left_out,
            ).format(count=summary.process_details_left_out)
        )
    for category, name in summary.kept_names:
        console.print(
            _(
                "Kept as it is: {name} ({kind}), a common word or too short to "
                "replace safely. Add it with --remove if it is private."
            ).format(
                name=name if reveal else name[:1] + "…", kind=category_label(category)
            ),
            markup=False,
            style="yellow",
        )
    for cut in summary.cut:
        part = _("its end") if cut.kept_part == "end" else _("its start")
        console.print(
            _(
                "Cut to keep the bundle small: {where}, {kept} of {size} ({part})."
            ).format(
                where=cut.where,
                kept=_size(cut.kept),
                size=_size(cut.size or 0),
                part=part,
            ),
            markup=False,
            style="dim",
        )


def _terms(answer: str) -> list[str]:
    return [term.strip() for term in answer.split(",") if term.strip()]


def run_report(
    host: Host,
    *,
    output: str | None = None,
    yes: bool = False,
    markdown: bool = False,
    remove: Sequence[str] = (),
    console: Console | None = None,
    interactive: bool | None = None,
    ask: Ask = input,
) -> int:
    """The ``report`` command. Returns 0 when written (or printed), 1 when
    the user said no, 2 when the file could not be written."""
    to_stdout = markdown and output is None
    # The summary goes where the user looks; markdown for a paste goes alone
    # to standard output.
    screen = console or Console(stderr=to_stdout, highlight=False)
    if interactive is None:
        interactive = sys.stdin.isatty() and screen.is_terminal
    interactive = interactive and not yes
    reveal = screen.is_terminal or interactive

    screen.print(_("Running the checks and recording what they read…"), style="dim")
    recording = record_bundle(host)
    terms = list(remove)
    bundle = redact(recording, terms)
    render_summary(bundle.summary, screen, reveal)

    if interactive:
        while True:
            # The explanation wraps on the screen; the prompt itself is short.
            screen.print(
                _(
                    "Other words to remove (a project, a server, a company), "
                    "separated by commas; v shows the whole file as it would be "
                    "written; Enter alone when done."
                ),
                markup=False,
            )
            answer = ask(_("Remove: "))
            if answer.strip().lower() == "v":
                _show(bundle, screen)
                continue
            more = _terms(answer)
            if not more:
                break
            terms += more
            bundle = redact(recording, terms)
            render_summary(bundle.summary, screen, reveal)

    if to_stdout:
        sys.stdout.write(bundle.to_markdown())
        return EXIT_WRITTEN

    path = Path(output) if output else default_bundle_path()
    if interactive:
        question = (
            _("Write {path}? It replaces the file there. [y/N] ")
            if path.exists()
            else _("Write {path}? [y/N] ")
        ).format(path=path)
        if ask(question).strip().lower() not in ("y", "yes", _("y"), _("yes")):
            screen.print(_("Nothing was written."))
            return EXIT_DECLINED
    return _write(path, bundle, markdown, screen)


def _show(bundle: RedactedBundle, screen: Console) -> None:
    """The file as it would be written, through the terminal's pager."""
    text = bundle.to_toml().decode("utf-8", "replace")
    # Text, never markup: the file holds the machine's own output.
    with screen.pager():
        screen.print(text, markup=False, highlight=False, soft_wrap=True)


def _write(path: Path, bundle: RedactedBundle, markdown: bool, screen: Console) -> int:
    try:
        if markdown:
            data = bundle.to_markdown().encode("utf-8")
            write_private_file(path, data)
        else:
            data = bundle.to_toml()
            write_bundle(path, bundle)
    except OSError as exc:
        screen.print(
            _("wslwizard: cannot write {path}: {reason}").format(
                path=path, reason=exc.strerror or exc
            ),
            style="red",
            markup=False,
        )
        return EXIT_FAILED
    screen.print(
        _(
            "Wrote {path} ({size}, readable by you only). Nothing was sent anywhere."
        ).format(path=path, size=_size(len(data))),
        markup=False,
    )
    if not markdown:
        screen.print(
            _("See what a helper will see: wslwizard check --replay {path}").format(
                path=path
            ),
            markup=False,
        )
    return EXIT_WRITTEN
