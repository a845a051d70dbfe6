"""The way forward from the verdict: the repairs that apply here, or what to
do where none does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from wslwizard.i18n import _, ngettext
from wslwizard.tui.widgets.machine import Panel

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.remedies.catalog import RemedyInfo


def applicable_remedies(diagnosis: Diagnosis) -> list[RemedyInfo]:
    """The remedies of the top finding, recommended first, that the catalog
    knows."""
    from wslwizard.remedies.catalog import REMEDIES

    top = diagnosis.top
    if top is None:
        return []
    return [REMEDIES[r] for r in top.remedies if r in REMEDIES]


def no_remedy_advice(diagnosis: Diagnosis) -> str:
    """What to do when no repair of this wizard applies."""
    top = diagnosis.top
    kind = diagnosis.verdict_kind
    if top is not None and kind in ("problem", "warning"):
        return _("None of this wizard's repairs can help with this. {advice}").format(
            advice=_(top.explanation)
        )
    if kind == "not-applicable":
        return _(
            "Nothing to repair here. The problem this wizard repairs happens only in "
            "WSL 2 on Windows: to check a Windows PC, run wslwizard inside a WSL 2 "
            "distro (Ubuntu, for example) on that PC."
        )
    if kind == "healthy":
        return _(
            "Nothing to repair. If Docker Desktop still does not start, read its "
            "log below (press o for the other logs) or use the Troubleshoot page in "
            "Docker Desktop."
        )
    return _(
        "Press r to check again. If a check keeps giving no answer, restart WSL "
        "with 'wsl --shutdown' in Windows PowerShell and run the wizard again."
    )


class NextStepPanel(Panel):
    """In a wide terminal, the list of options; in a narrow one, the first
    option and a key for the rest."""

    def __init__(self) -> None:
        super().__init__(_("What you can do"), id="next-panel")

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Waiting for the checks…")), id="next-body")

    def show(self, diagnosis: Diagnosis) -> None:
        remedies = applicable_remedies(diagnosis)
        text = Text()
        if not remedies:
            text.append(no_remedy_advice(diagnosis))
            self.query_one("#next-body", Static).update(text)
            return
        from rich.console import Group

        from wslwizard.tui.widgets.layout import bullets

        items = []
        for number, info in enumerate(remedies, start=1):
            item = Text(_(info.title), style="bold" if number == 1 else "")
            item.append("\n")
            item.append(_("Lasts: {lasts}").format(lasts=_(info.lasts)), style="dim")
            items.append((_("{number}.").format(number=number), item))
        body = Group(
            Text(_("Options that apply here, recommended first:")),
            bullets(None, items),
            Text(
                _(
                    "Press w to choose one: you see what it risks and how to undo "
                    "it, and every step asks you first."
                )
            ),
        )
        self.query_one("#next-body", Static).update(body)


class NextStepStrip(Static):
    """The narrow layout's one-line way forward."""

    def __init__(self) -> None:
        super().__init__(id="next-strip")

    def show(self, diagnosis: Diagnosis) -> None:
        remedies = applicable_remedies(diagnosis)
        if remedies:
            text = Text(_("Next step: "), style="bold")
            text.append(
                ngettext(
                    "{title}. Press w to start it; every step asks you first.",
                    "{title}. Press w to choose among {count} repairs; every step "
                    "asks you first.",
                    len(remedies),
                ).format(title=_(remedies[0].title), count=len(remedies))
            )
        else:
            text = Text(_("Next step: "), style="bold")
            text.append(
                {
                    "problem": _(
                        "none of this wizard's repairs apply here. Press w for what "
                        "you can do instead."
                    ),
                    "warning": _("press w for what you can do."),
                    "healthy": _(
                        "nothing to repair. Press w for where to look if Docker "
                        "still fails."
                    ),
                    "not-applicable": _(
                        "nothing to repair here. Press w for where this wizard helps."
                    ),
                }.get(
                    diagnosis.verdict_kind,
                    _("press r to check again, or w for what else to try."),
                )
            )
        self.update(text)
