"""The wizard: a Textual app over one machine (live or recorded).

``run_app(host)`` is what ``wslwizard`` with no command calls. Options on
:class:`WizardApp` exist so tests and snapshots can be deterministic: a short
probe bound, no elapsed times, and no live refresh.
"""

from __future__ import annotations

import io
import logging
import os
import shlex
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.console import Console
from textual import events, on
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from wslwizard.i18n import _
from wslwizard.journal.store import Journal
from wslwizard.runner.execute import bring_back_recorded, restart_recorded
from wslwizard.tui.messages import RepairsPrepared, UnfinishedStepsFound
from wslwizard.tui.screens.diagnosis import DiagnosisScreen
from wslwizard.tui.styles import stylesheet_path

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.host.base import Host
    from wslwizard.probes.model import MachineFacts
    from wslwizard.remedies.plans import Plan
    from wslwizard.tui.repair_model import RepairSession

log = logging.getLogger(__name__)

#: A pager is ended by the person reading; this bound only stops a forgotten
#: one from holding the wizard for ever.
PAGER_TIMEOUT = 12 * 3600.0
#: How long sudo may wait for the person to type a password.
SUDO_TIMEOUT = 300.0
#: How long the engine is given to answer after Docker Desktop restarts.
ENGINE_WAIT = 120.0
EXIT_UNKNOWN = 3


class WizardApp(App[int]):
    """Diagnosis first; from its way forward, the guided repairs."""

    CSS_PATH = str(stylesheet_path())
    TITLE = "wslwizard"
    BINDINGS = [
        Binding(
            "question_mark",
            "help",
            _("Help"),
            key_display="?",
            tooltip=_("What this wizard does, in plain words, and its keys"),
        ),
        Binding("f1", "help", _("Help"), show=False),
        # Hidden here to keep the diagnosis footer within 80 columns; the
        # repair screens show it.
        Binding("h", "history", _("History"), show=False),
        Binding("b", "support_bundle", _("Support bundle"), show=False),
        Binding("q", "quit", _("Quit")),
        Binding("ctrl+c", "quit", _("Quit"), show=False, priority=True),
    ]

    def __init__(
        self,
        host: Host,
        *,
        probe_bound: float | None = None,
        refresh_interval: float | None = 1.0,
        log_poll_interval: float | None = 1.0,
        show_timings: bool = True,
        clock: Callable[[], float] = time.monotonic,
        journal: Journal | None = None,
        engine_wait: float = ENGINE_WAIT,
    ) -> None:
        super().__init__()
        self.host = host
        self.probe_bound = probe_bound
        """The longest the check waits for a probe; None for the check's default."""
        self.refresh_interval = refresh_interval
        """Seconds between looks at the driver; None switches the refresh off."""
        self.log_poll_interval = log_poll_interval
        self.show_timings = show_timings
        """Elapsed times on screen; off for snapshots, which must not vary."""
        self.clock = clock
        self.journal = journal or Journal()
        """Where repairs are written down (``WSLWIZARD_STATE_DIR`` moves it)."""
        # A recorded machine as the last run on it left it (once per host).
        from wslwizard.probes.environment import over_ssh

        self.over_ssh = over_ssh(host.environ())
        """The session is over SSH: every screen says so."""
        self.carries_changes = bring_back_recorded(host, self.journal)
        """The recorded machine starts with what earlier repairs changed."""
        self.engine_wait = engine_wait
        """Seconds a repair waits for Docker's engine to answer."""
        self.repair_session: RepairSession | None = None
        """Plans and runner for the latest diagnosis (built on first use)."""
        self._step_running = False
        self.sudo_outcome: str | None = None
        """How the last request for a sudo password went: ``ok``, ``refused``
        or ``unsupported`` (this terminal cannot be lent)."""
        self._quit_warned = False

    def get_default_screen(self) -> Screen:
        return DiagnosisScreen()

    @on(events.Ready)
    async def _first_frame_shown(self) -> None:
        await self.diagnosis_screen.mount_panels_and_check()
        if self.carries_changes:
            from wslwizard.cli.fix import carried_changes_note

            self.notify(carried_changes_note(self.host.label), timeout=12)
        self.run_worker(
            self._find_unfinished,
            name="unfinished",
            group="resume",
            thread=True,
            exit_on_error=False,
        )

    def _find_unfinished(self) -> None:
        """Thread: steps of this machine that an earlier run did not see end."""
        entries = self.journal.unfinished(machine=self.host.label)
        if entries:
            log.info("unfinished journal entries: %s", [e.id for e in entries])
            self.post_message(UnfinishedStepsFound(entries))

    def on_unfinished_steps_found(self, message: UnfinishedStepsFound) -> None:
        from wslwizard.tui.screens.resume import ResumeScreen

        self.push_screen(ResumeScreen(message.entries))

    @property
    def diagnosis_screen(self) -> DiagnosisScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, DiagnosisScreen)
        return screen

    # -- commands ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(
            _("Check again"),
            _("Look at the machine again and update the verdict"),
            self.action_recheck,
        )
        yield SystemCommand(
            _("Copy the report"),
            _("Copy the whole diagnosis as text, for a bug report or a helper"),
            self.action_copy_report,
        )
        yield SystemCommand(
            _("Copy the versions"),
            _("Copy the versions as text"),
            self.action_copy_versions,
        )
        yield SystemCommand(
            _("Open the log in a pager"),
            _("Read the log with less (or $PAGER); quit it to come back here"),
            self.action_open_log_in_pager,
        )
        yield SystemCommand(
            _("Repair history"),
            _("Repairs run on this machine; undo the ones that can be undone"),
            self.action_history,
        )
        yield SystemCommand(
            _("Make a support bundle"),
            _(
                "One file with what the checks read, personal details replaced, "
                "for someone who helps you"
            ),
            self.action_support_bundle,
        )
        yield SystemCommand(
            _("Help"), _("What this wizard does, and its keys"), self.action_help
        )
        yield from super().get_system_commands(screen)

    def action_help(self) -> None:
        from wslwizard.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_recheck(self) -> None:
        self.diagnosis_screen.action_recheck()

    @property
    def step_running(self) -> bool:
        """A repair step is running: quitting now would leave it unfinished."""
        return self._step_running

    @step_running.setter
    def step_running(self, running: bool) -> None:
        self._step_running = running
        self._quit_warned = False

    def action_history(self) -> None:
        from textual.screen import ModalScreen

        from wslwizard.tui.screens.history import HistoryScreen

        if self.step_running or isinstance(self.screen, (HistoryScreen, ModalScreen)):
            return
        self.push_screen(HistoryScreen())

    def action_support_bundle(self) -> None:
        from textual.screen import ModalScreen

        from wslwizard.tui.screens.report import ReportScreen

        if self.step_running or isinstance(self.screen, (ReportScreen, ModalScreen)):
            return
        self.push_screen(ReportScreen(self.host))

    async def action_quit(self) -> None:
        if self.step_running and not self._quit_warned:
            # A step cut off here stays 'running' in the journal; the next
            # start checks it, but the person should choose that knowingly.
            self._quit_warned = True
            self.notify(
                _(
                    "A repair step is running. Wait for it to end (it gives up by "
                    "itself), or press q again to quit anyway: the next start then "
                    "checks the step."
                ),
                severity="warning",
            )
            return
        diagnosis = self.diagnosis_screen.diagnosis
        self.exit(diagnosis.exit_code if diagnosis else EXIT_UNKNOWN)

    # -- repairs -----------------------------------------------------------------

    def cached_session(self, diagnosis: Diagnosis) -> RepairSession | None:
        """The plans built for this very diagnosis, if they were built."""
        session = self.repair_session
        if session is not None and session.diagnosis is diagnosis:
            return session
        return None

    def prepare_repairs(self, screen: Screen, diagnosis: Diagnosis) -> None:
        """Build every plan and the runner in a thread worker of ``screen``,
        which then receives :class:`RepairsPrepared`."""
        from wslwizard.tui.repair_model import prepare_session

        def prepare() -> None:
            session = prepare_session(
                self.host,
                diagnosis,
                self.journal,
                self.sudo_through_terminal,
                self.engine_wait,
            )
            screen.post_message(RepairsPrepared(session))

        screen.run_worker(
            prepare,
            name="repair-plans",
            group="repair-plans",
            thread=True,
            exit_on_error=False,
        )

    def start_repair(self, session: RepairSession, plan: Plan, index: int = 0) -> None:
        from wslwizard.tui.repair_model import RepairFlow
        from wslwizard.tui.screens.repair import StepScreen

        log.info("repair %s chosen, from step %d", plan.remedy.id, index + 1)
        self.push_screen(StepScreen(session, RepairFlow(plan, index)))

    def restart_recorded_wsl(self) -> None:
        """A recorded machine cannot end this process the way a restart of
        WSL would: the restart is played on it, then the wizard does what its
        next start would do (check the machine, verify the pending step)."""
        self.run_worker(
            self._restart_recorded,
            name="restart-recorded",
            group="resume",
            thread=True,
            exit_on_error=False,
        )

    def _restart_recorded(self) -> None:
        """Thread: the restart (it writes the kept state), then the checks."""
        restart_recorded(self.host, self.journal)
        self.call_from_thread(self.back_to_diagnosis, True)
        self._find_unfinished()

    def back_to_diagnosis(self, recheck: bool) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if recheck:
            self.diagnosis_screen.action_recheck()

    def sudo_through_terminal(self, argv: tuple[str, ...]) -> bool:
        """The runner's ``authenticate``, called from a worker thread: lend
        the real terminal to ``sudo -v`` on the UI thread and wait."""
        return self.call_from_thread(self._lend_terminal_to_sudo, argv)

    def _lend_terminal_to_sudo(self, argv: tuple[str, ...]) -> bool:
        """sudo asks for the password itself, where the person types it; the
        wizard never sees it. False when the terminal cannot be lent."""
        try:
            with self.suspend():
                print(
                    _(
                        "wslwizard: sudo asks for your password to run the step as "
                        "administrator (root). The wizard comes back afterwards."
                    ),
                    flush=True,
                )
                result = self.host.run_interactive(argv, timeout=SUDO_TIMEOUT)
                # What stays in the terminal after the wizard ends must not
                # look like sudo still waiting for a password.
                print(_("wslwizard: back to the wizard."), flush=True)
        except SuspendNotSupported:
            log.info("cannot lend the terminal to sudo here")
            self.sudo_outcome = "unsupported"
            return False
        self.sudo_outcome = "ok" if result.ok else "refused"
        log.info("sudo -v: %s", self.sudo_outcome)
        return result.ok

    def show_copied(self, title: str, text: str) -> None:
        from wslwizard.tui.screens.dialogs import TextScreen

        self.copy_to_clipboard(text)
        self.push_screen(
            TextScreen(
                title,
                text,
                _(
                    "Copied to the clipboard, if your terminal allows it. If not, "
                    "select the text below with the mouse; a long line wraps here "
                    "but is one line."
                ),
            )
        )

    def copy_versions(self, facts: MachineFacts) -> None:
        from wslwizard.diagnosis.summary import versions_as_text

        self.show_copied(_("Versions"), versions_as_text(facts))

    def action_copy_versions(self) -> None:
        facts = self.diagnosis_screen.facts
        if facts is None:
            self.notify(_("The checks are still running."))
            return
        self.copy_versions(facts)

    def action_copy_report(self) -> None:
        from wslwizard.cli.report import render_check

        diagnosis = self.diagnosis_screen.diagnosis
        if diagnosis is None:
            self.notify(_("The checks are still running."))
            return
        out = io.StringIO()
        console = Console(
            file=out,
            width=88,
            color_system=None,
            force_terminal=False,
            highlight=False,
            emoji=False,
        )
        render_check(diagnosis, console, verbose=True)
        self.show_copied(_("Report"), out.getvalue())

    # -- the pager ---------------------------------------------------------------

    def action_open_log_in_pager(self) -> None:
        """Hand the terminal to a pager; show the log full-screen here when the
        terminal cannot be handed over (no pager, a browser, the test driver)."""
        from wslwizard.host.real import RealHost
        from wslwizard.tui.screens.dialogs import PagerScreen
        from wslwizard.tui.widgets.log_panel import LogPanel

        panel = self.diagnosis_screen.query_one(LogPanel)
        source = panel.source
        if source is None:
            self.notify(_("No log is open."))
            return
        fallback = PagerScreen(
            _("{label} — Esc goes back").format(label=source.label),
            [line.text for line in panel.buffer.visible],
            panel.buffer,
        )
        # The pager runs on the machine the user sits at, even when the
        # screen shows a recorded machine; then it pages the lines shown.
        here = RealHost()
        argv = self._pager_argv(here)
        if argv is None:
            self.push_screen(fallback)
            return
        real_file = not self.host.recorded and source.product != "kernel"
        temporary = None
        if real_file:
            target = source.path
        else:
            handle, temporary = tempfile.mkstemp(prefix="wslwizard-log-", suffix=".txt")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(panel.buffer.text())
            target = temporary
        try:
            with self.suspend():
                result = here.run_interactive([*argv, target], timeout=PAGER_TIMEOUT)
        except SuspendNotSupported:
            self.push_screen(fallback)
            return
        finally:
            if temporary is not None:
                os.unlink(temporary)
        if not result.ran:
            log.warning("pager %s did not run: %s", argv, result.error)
            self.push_screen(fallback)

    @staticmethod
    def _pager_argv(here: Host) -> list[str] | None:
        """``$PAGER`` if it names a program, else ``less`` from the end, else
        ``more``."""
        configured = here.environ().get("PAGER", "").strip()
        if configured:
            argv = shlex.split(configured)
            if argv and here.which(argv[0]):
                return argv
        if here.which("less"):
            return ["less", "+G"]
        if here.which("more"):
            return ["more"]
        return None


def run_app(host: Host) -> int:
    """Run the wizard on ``host`` in this terminal; returns the exit code."""
    result = WizardApp(host).run()
    return EXIT_UNKNOWN if result is None else result
