"""Help for someone who has never heard of a kernel module."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wslwizard.i18n import _
from wslwizard.tui.widgets.footer import WizardFooter


def _keys() -> list[tuple[str, str]]:
    return [
        ("e", _("Show the evidence: what the wizard saw and where.")),
        (
            "w",
            _(
                "Choose a repair: each one with how long it lasts, its risk and "
                "its undo. Every step shows exactly what runs and asks you first."
            ),
        ),
        ("h", _("History of repairs on this machine; undo a step.")),
        (
            "b",
            _(
                "Make a support bundle: one file for someone who helps you, with "
                "your names and addresses replaced. You see it before it is written."
            ),
        ),
        ("r", _("Check the machine again.")),
        ("1 2 3", _("In a small window: show the driver, versions or log panel.")),
        ("c", _("Copy the versions as text, for a bug report.")),
        ("o", _("Choose another log to read.")),
        ("f  n", _("Jump to the first, then the next, log line of a known problem.")),
        ("/", _("Show only log lines that contain some text.")),
        ("p", _("Open the log in a pager (less), to scroll and search it.")),
        ("ctrl+p", _("All commands, including copying the whole report.")),
        ("? F1", _("This help.")),
        ("Esc", _("Go back from a page like this one.")),
        ("q ctrl+c", _("Quit.")),
    ]


def _repair_keys() -> list[tuple[str, str]]:
    return [
        ("Enter", _("On a step: ask to run it. Nothing runs before you say yes.")),
        ("y  n Esc", _("In a question: yes; no (nothing is run).")),
        ("d", _("Dry run: show exactly what would run, and change nothing.")),
        ("c", _("For a step you do yourself on Windows: check whether it worked.")),
        ("l", _("Copy the lines you type in PowerShell.")),
        ("u", _("Undo a step (asks first).")),
        ("r", _("After a repair: check the whole machine again.")),
    ]


def _glossary() -> list[tuple[str, str]]:
    """Words the screens use that a newcomer may not know."""
    return [
        (
            _("/dev/net/tun"),
            _(
                "The file (device) through which programs use the tun driver. "
                "It exists only while the driver is loaded."
            ),
        ),
        (
            _("crw-------, crw-rw-rw-"),
            _(
                "Who may use /dev/net/tun: only the administrator (root), or "
                "everyone. Docker's engine runs as root, so either works for it."
            ),
        ),
        (
            _("Docker's test"),
            _(
                "(TAP check) The wizard does what Docker's engine does first: it "
                "opens /dev/net/tun and makes a throwaway network device, which "
                "is gone at once. Making the device needs administrator rights; "
                "without them the test says so and the other lines decide."
            ),
        ),
        (
            _("Module folder"),
            _(
                "Where the running kernel keeps the drivers it can load "
                "(/lib/modules/ and the kernel's version). Without it, no driver "
                "can be loaded."
            ),
        ),
        (
            _("Docker's engine"),
            _(
                "The background program that runs your containers. Docker "
                "Desktop starts it inside WSL."
            ),
        ),
        (
            _("root, sudo"),
            _(
                "Administrator rights in the distro. sudo asks for your Linux "
                "password to use them; the wizard never sees it."
            ),
        ),
        (
            _("systemd"),
            _("The program that starts services when a distro starts."),
        ),
        (
            _("ENOENT, EACCES, EPERM"),
            _("What Linux answered: no such file, access denied, not permitted."),
        ),
        (
            _("tun-not-loaded"),
            _(
                "Names like this identify a known problem, for bug reports and "
                "searches."
            ),
        ),
    ]


class HelpScreen(Screen):
    """Plain words first, the technical term in brackets."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("question_mark", "app.pop_screen", _("Back"), show=False),
        Binding("f1", "app.pop_screen", _("Back"), show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="page"):
            yield Static(Text(_("Help"), style="bold"), classes="page-title")
            yield Static(
                Text(
                    _(
                        "Docker Desktop runs its engine inside WSL 2, a small Linux "
                        "system that Windows runs for you. Since WSL 2.5 the "
                        "network driver Docker needs (tun, a kernel module) must be "
                        "switched on when WSL starts. WSL 2.5.4 forgot to do that, "
                        "so Docker Desktop stops right after it starts."
                    )
                ),
                classes="page-text",
            )
            yield Static(
                Text(
                    _(
                        "This wizard looks at the machine, says in one sentence what "
                        "is wrong and how sure it is, and lists what you can do. "
                        "Looking changes nothing that lasts. A repair changes your "
                        "machine only "
                        "step by step, each after you have seen exactly what runs "
                        "and said yes; every change is written down with its undo."
                    )
                ),
                classes="page-text",
            )
            yield Static(
                Text(_("What the screen shows"), style="bold"), classes="page-title"
            )
            yield Static(
                Text(
                    _(
                        "The sentence at the top is the verdict. The driver panel says "
                        "whether tun is there; it is looked at again every second, so "
                        "you see a fix work as soon as you make it. The versions panel "
                        "marks each version good, affected (by a known problem) or "
                        "unknown. The log panel shows the end of Docker Desktop's log; "
                        "lines that match a known problem are marked with !."
                    )
                ),
                classes="page-text",
            )
            yield Static(
                Text(
                    _(
                        "Marks: ✔ fine, ✖ a problem, ! worth a look, ? unknown, – does "
                        "not apply here. They mean the same without colour."
                    )
                ),
                classes="page-text",
            )
            yield Static(Text(_("Keys"), style="bold"), classes="page-title")
            keys = Table.grid(padding=(0, 2))
            keys.add_column(no_wrap=True, style="bold")
            keys.add_column()
            for key, meaning in _keys():
                keys.add_row(key, meaning)
            yield Static(keys, classes="page-text")
            yield Static(
                Text(_("Keys during a repair"), style="bold"), classes="page-title"
            )
            repair_keys = Table.grid(padding=(0, 2))
            repair_keys.add_column(no_wrap=True, style="bold")
            repair_keys.add_column()
            for key, meaning in _repair_keys():
                repair_keys.add_row(key, meaning)
            yield Static(repair_keys, classes="page-text")
            yield Static(Text(_("Words"), style="bold"), classes="page-title")
            yield Static(
                Text(
                    _(
                        "Driver (kernel module): a part of Linux that can be loaded "
                        "when needed. tun is the one Docker needs; tap is not needed. "
                        "WSL: the Windows Subsystem for Linux. Distro: one Linux "
                        "system inside WSL, for example Ubuntu. Recorded machine: a "
                        "saved description of another computer, used for "
                        "demonstrations and for support."
                    )
                ),
                classes="page-text",
            )
            glossary = Table.grid(padding=(0, 2))
            glossary.add_column(no_wrap=True, style="bold")
            glossary.add_column()
            for word, meaning in _glossary():
                glossary.add_row(word, meaning)
            yield Static(glossary, classes="page-text")
            yield Static(
                Text(
                    _(
                        "Everything works with the keyboard alone, over SSH and "
                        "without colour. The mouse works too where the terminal "
                        "allows it."
                    )
                ),
                classes="page-text",
            )
        yield WizardFooter()
