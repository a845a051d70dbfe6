"""The first screen: what is wrong, how sure, the evidence live, what next.

Blocking work runs in named thread workers that post messages (see
``messages.py``); the handlers here are the only code that changes widgets.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from wslwizard.i18n import _
from wslwizard.tui.log_model import TailBuffer
from wslwizard.tui.messages import (
    CheckFailed,
    CheckFinished,
    LogChanged,
    LogOpened,
    LogSourcesFound,
    ModulesChanged,
    ProbeProgressed,
)
from wslwizard.tui.widgets.footer import WizardFooter
from wslwizard.tui.widgets.log_panel import LogPanel
from wslwizard.tui.widgets.log_tail import LogTail
from wslwizard.tui.widgets.machine import ModulesPanel, VersionsPanel
from wslwizard.tui.widgets.next_step import NextStepPanel, NextStepStrip
from wslwizard.tui.widgets.status import PanelTabs, ProbeList, TopBar, VerdictBox
from wslwizard.tui.words import stuck_commands

if TYPE_CHECKING:
    from wslwizard.diagnosis.rules import Diagnosis
    from wslwizard.probes.logs import LogFollower
    from wslwizard.probes.model import LogSource, MachineFacts, ModulesFacts
    from wslwizard.tui.app import WizardApp
    from wslwizard.tui.repair_model import RepairSession

log = logging.getLogger(__name__)

PANELS = ("modules", "versions", "log")
#: Lines read from the end of a log when it is opened.
TAIL_LINES = 1000
#: The wide layout (all panels at once) needs at least this much room.
WIDE_MIN_WIDTH = 110
WIDE_MIN_HEIGHT = 32


def most_relevant(sources: tuple[LogSource, ...], diagnosis: Diagnosis) -> int:
    """Index of the log to show first: one where a known problem's signature
    was seen, else the first (Docker, then Rancher, then the kernel)."""
    hit_paths = {hit.source for finding in diagnosis.findings for hit in finding.hits}
    for index, source in enumerate(sources):
        if source.path in hit_paths:
            return index
    return 0


class DiagnosisScreen(Screen):
    AUTO_FOCUS = None
    BINDINGS = [
        Binding(
            "e", "evidence", _("Evidence"), tooltip=_("What the wizard saw, and where")
        ),
        Binding(
            "w",
            "ways_forward",
            _("Repairs"),
            tooltip=_("Each option: how long it lasts, its risk, its undo"),
        ),
        Binding("r", "recheck", _("Re-check"), tooltip=_("Check the machine again")),
        Binding("o", "pick_log", _("Logs"), tooltip=_("Choose another log to read")),
        Binding("c", "copy_versions", _("Copy versions"), show=False),
        Binding("f", "first_error", _("First error"), show=False),
        Binding("n", "next_error", _("Next error"), show=False),
        Binding("slash", "filter_log", _("Filter log"), show=False),
        Binding("p", "pager", _("Open log in pager"), show=False),
        Binding("1", "show_panel('modules')", _("Driver panel"), show=False),
        Binding("2", "show_panel('versions')", _("Versions panel"), show=False),
        Binding("3", "show_panel('log')", _("Log panel"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.buffer = TailBuffer()
        self.generation = 0
        self.log_generation = 0
        self.facts: MachineFacts | None = None
        self.diagnosis: Diagnosis | None = None
        self.sources: tuple[LogSource, ...] = ()
        self.follower: LogFollower | None = None
        self.panel = "modules"
        self.checking = False
        self.panels_mounted = False
        self.log_ready = False
        """The first log (or the news that there is none) has arrived."""
        self._modules_busy = False
        self._log_busy = False
        self._tick: Timer | None = None
        self._live_timers: list[Timer] = []
        # Classes set before the widgets exist cost nothing; set later, they
        # restyle every widget (a tenth of a second on a slow machine).
        size = self.app.size
        self._apply_classes(size.width, size.height)

    @property
    def wizard(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        host = self.wizard.host
        yield TopBar(host.label if host.recorded else None)
        yield VerdictBox(id="verdict")
        yield ProbeList(self.wizard.show_timings)
        yield PanelTabs(self.panel)
        # The panels are mounted after the first frame: mount_panels_and_check.
        yield Vertical(id="panels")
        yield NextStepStrip()
        yield WizardFooter()

    def on_mount(self) -> None:
        self._apply_classes(self.app.size.width, self.app.size.height)

    async def mount_panels_and_check(self) -> None:
        """Show the verdict area first, then add the panels and start probing:
        the panels have nothing to show until the check answers, and the
        probes' threads would slow the first frame."""
        await self.query_one("#panels").mount_all(
            [
                Horizontal(ModulesPanel(), VersionsPanel(), id="upper"),
                Horizontal(LogPanel(self.buffer), NextStepPanel(), id="lower"),
            ]
        )
        self.panels_mounted = True
        self.start_check()

    # -- layout --------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._apply_classes(event.size.width, event.size.height)

    def _apply_classes(self, width: int, height: int) -> None:
        """Layout and shown panel as screen classes, set in one go: each
        change of classes restyles every widget."""
        wide = width >= WIDE_MIN_WIDTH and height >= WIDE_MIN_HEIGHT
        wanted = {"-wide" if wide else "-narrow", f"-show-{self.panel}"}
        ours = {"-wide", "-narrow"} | {f"-show-{name}" for name in PANELS}
        current = set(self.classes)
        if current & ours != wanted:
            self.set_classes((current - ours) | wanted)

    @property
    def is_wide(self) -> bool:
        return self.has_class("-wide")

    def action_show_panel(self, name: str) -> None:
        self.panel = name
        self.query_one(PanelTabs).show(name)
        self._apply_classes(self.size.width, self.size.height)
        if name == "log" and self.query(LogTail):
            self.query_one(LogTail).focus()
        elif not self.is_wide and self._focus_in_log():
            # The log is hidden now: keys must not go on into its filter field.
            self.set_focus(None)

    def _focus_in_log(self) -> bool:
        focused = self.focused
        return focused is not None and any(
            isinstance(node, LogPanel) for node in focused.ancestors_with_self
        )

    def _reveal_log(self) -> None:
        if not self.is_wide and self.panel != "log":
            self.action_show_panel("log")

    # -- checking ------------------------------------------------------------

    @property
    def settled(self) -> bool:
        """The check has finished and the first log is shown (tests wait for
        this before a snapshot)."""
        return self.diagnosis is not None and self.log_ready and not self.checking

    def start_check(self) -> None:
        """Probe the machine (again); older results still arriving are ignored."""
        self.generation += 1
        self.checking = True
        again = self.facts is not None
        self.query_one(VerdictBox).show_checking(again)
        probes = self.query_one(ProbeList)
        probes.reset()
        probes.display = True
        self.run_worker(
            partial(self._check, self.generation),
            name="check",
            group="check",
            thread=True,
            exit_on_error=False,
        )
        if self.wizard.show_timings and self._tick is None:
            self._tick = self.set_interval(0.5, self._redraw_probes)

    def _check(self, generation: int) -> None:
        """Thread: every probe, then the rules."""
        from wslwizard.diagnosis.rules import diagnose
        from wslwizard.probes.gather import DEFAULT_BOUND, gather_facts

        app = self.wizard
        bound = app.probe_bound or DEFAULT_BOUND

        def progress(outcome) -> None:  # noqa: ANN001 - ProbeOutcome
            self.post_message(ProbeProgressed(generation, outcome))

        facts = gather_facts(app.host, bound=bound, on_progress=progress)
        diagnosis = diagnose(facts)
        self.post_message(
            CheckFinished(generation, facts, diagnosis, self._repairs_for(diagnosis))
        )

    def _repairs_for(self, diagnosis: Diagnosis) -> RepairSession | None:
        """Thread: the plans for this diagnosis, built with the check so that
        the way forward (w) lists them at once. A failure here is logged and
        left to the way forward, which builds them again."""
        from wslwizard.tui.repair_model import prepare_session

        app = self.wizard
        try:
            return prepare_session(
                app.host,
                diagnosis,
                app.journal,
                app.sudo_through_terminal,
                app.engine_wait,
            )
        except Exception:  # noqa: BLE001 - never lose the verdict to the plans
            log.exception("building the repair plans failed")
            return None

    def _redraw_probes(self) -> None:
        self.query_one(ProbeList).redraw(self.wizard.clock())

    def on_probe_progressed(self, message: ProbeProgressed) -> None:
        if message.generation != self.generation:
            return
        probes = self.query_one(ProbeList)
        probes.record(message.outcome, self.wizard.clock())
        probes.redraw(self.wizard.clock())

    def on_check_finished(self, message: CheckFinished) -> None:
        if message.generation != self.generation:
            return
        self.checking = False
        if self._tick is not None:
            self._tick.stop()
            self._tick = None
        probes = self.query_one(ProbeList)
        probes.finish(stuck_commands(message.facts))
        probes.redraw(self.wizard.clock())
        self.facts = message.facts
        if message.repairs is not None:
            self.wizard.repair_session = message.repairs
        self._show_diagnosis(message.diagnosis, live_update=False)
        self._find_logs()
        self._start_live()

    def on_check_failed(self, message: CheckFailed) -> None:
        if message.generation == self.generation:
            self.checking = False
            self.query_one(VerdictBox).show_failure(message.reason)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "modules" and worker.is_finished:
            self._modules_busy = False
        elif worker.group == "log-follow" and worker.is_finished:
            self._log_busy = False
        if event.state != WorkerState.ERROR:
            return
        log.error("worker %s failed: %r", worker.name, worker.error)
        if worker.group == "check":
            self.post_message(CheckFailed(self.generation, str(worker.error)))
        elif worker.group == "log-open":
            self.follower = None
            self.log_ready = True
            self.query_one(LogPanel).show_no_source(
                _("Could not read this log: {error}").format(error=worker.error)
            )

    def _show_diagnosis(self, diagnosis: Diagnosis, live_update: bool) -> None:
        self.diagnosis = diagnosis
        self.query_one(VerdictBox).show(diagnosis)
        self.query_one(ModulesPanel).show(diagnosis, live_update=live_update)
        self.query_one(VersionsPanel).show(diagnosis.facts)
        self.query_one(NextStepPanel).show(diagnosis)
        self.query_one(NextStepStrip).show(diagnosis)

    # -- live refresh of the driver state ---------------------------------------

    def _start_live(self) -> None:
        if self._live_timers:
            return
        app = self.wizard
        if app.refresh_interval:
            self._live_timers.append(
                self.set_interval(app.refresh_interval, self._tick_modules)
            )
        if app.log_poll_interval:
            self._live_timers.append(
                self.set_interval(app.log_poll_interval, self._tick_log)
            )

    def _tick_modules(self) -> None:
        if self._modules_busy or self.facts is None:
            return
        self._modules_busy = True
        self.run_worker(
            partial(self._refresh_modules, self.generation, self.facts),
            name="modules",
            group="modules",
            thread=True,
            exit_on_error=False,
        )

    def _refresh_modules(self, generation: int, facts: MachineFacts) -> None:
        """Thread: look at the driver again; tell the screen only if it changed."""
        from wslwizard.diagnosis.rules import diagnose
        from wslwizard.probes.modules import probe_modules, same_kernel_state

        # The cheap look every second skips the TAP check; only a change in
        # what the kernel lists is worth the full probe.
        glance = probe_modules(self.wizard.host, functional_check=False)
        if same_kernel_state(glance, facts.modules):
            return
        modules = probe_modules(self.wizard.host)
        updated = replace(facts, modules=modules)
        self.post_message(ModulesChanged(generation, modules, diagnose(updated)))

    def on_modules_changed(self, message: ModulesChanged) -> None:
        if message.generation != self.generation or self.facts is None:
            return
        previous: ModulesFacts | None = self.facts.modules
        self.facts = message.diagnosis.facts
        log.info(
            "driver state changed: tun %s -> %s",
            previous.tun.state if previous else None,
            message.modules.tun.state,
        )
        self._show_diagnosis(message.diagnosis, live_update=True)
        note = self.query_one("#modules-note", Static)
        note.update(
            Text(
                _(
                    "The driver changed since the check (marked new); the verdict "
                    "above is updated."
                )
            )
        )

    # -- the log ----------------------------------------------------------------

    def _find_logs(self) -> None:
        self.log_generation += 1
        self.log_ready = False
        facts = self.facts
        assert facts is not None and self.diagnosis is not None
        self.run_worker(
            partial(self._open_first_log, self.log_generation, facts, self.diagnosis),
            name="log-open",
            group="log-open",
            thread=True,
            exit_on_error=False,
        )

    def _open_first_log(
        self, generation: int, facts: MachineFacts, diagnosis: Diagnosis
    ) -> None:
        """Thread: the log sources (from the check, else found now) and the
        most relevant one's tail."""
        from wslwizard.probes.logs import find_log_sources

        if facts.docker is not None:
            sources = facts.docker.logs
        else:
            sources = tuple(find_log_sources(self.wizard.host))
        self.post_message(LogSourcesFound(generation, sources))
        if sources:
            self._open_log(generation, sources[most_relevant(sources, diagnosis)])

    def _open_log(self, generation: int, source: LogSource) -> None:
        """Thread: read the end of one log and prepare to follow it."""
        from wslwizard.probes.logs import LogFollower, read_excerpt

        host = self.wizard.host
        if source.product == "kernel":
            excerpt = read_excerpt(host, source, max_lines=TAIL_LINES)
            self.post_message(
                LogOpened(
                    generation,
                    source,
                    list(excerpt.lines),
                    excerpt.truncated_head,
                    None,
                    excerpt.error,
                )
            )
            return
        follower = LogFollower(host, source.path)
        try:
            lines, older_unread = follower.start(TAIL_LINES)
        except OSError as exc:
            self.post_message(
                LogOpened(generation, source, [], False, None, exc.strerror or str(exc))
            )
            return
        self.post_message(LogOpened(generation, source, lines, older_unread, follower))

    def on_log_sources_found(self, message: LogSourcesFound) -> None:
        if message.generation != self.log_generation:
            return
        self.sources = message.sources
        if not message.sources:
            self.follower = None
            self.log_ready = True
            self.query_one(LogPanel).show_no_source(
                _("No Docker Desktop, Rancher Desktop or kernel log was found here.")
            )

    def on_log_opened(self, message: LogOpened) -> None:
        if message.generation != self.log_generation:
            return
        self.follower = message.follower
        self.log_ready = True
        self.query_one(LogPanel).show_opened(
            message.source,
            message.lines,
            message.older_unread,
            followed=message.follower is not None,
            source_count=len(self.sources),
            error=message.error,
        )

    def _tick_log(self) -> None:
        if self._log_busy or self.follower is None:
            return
        self._log_busy = True
        self.run_worker(
            partial(self._follow, self.log_generation, self.follower),
            name="log-follow",
            group="log-follow",
            thread=True,
            exit_on_error=False,
        )

    def _follow(self, generation: int, follower: LogFollower) -> None:
        """Thread: one poll of the followed log; silent when nothing changed."""
        update = follower.poll()
        if update.event != "unchanged":
            self.post_message(LogChanged(generation, update))

    def on_log_changed(self, message: LogChanged) -> None:
        if message.generation != self.log_generation:
            return
        if message.update.event in ("truncated", "rotated", "missing"):
            log.info(
                "log %s: %s",
                self.follower.path if self.follower else "?",
                message.update.event,
            )
        self.query_one(LogPanel).show_change(message.update)

    def open_source(self, source: LogSource | None) -> None:
        if source is None:
            return
        self.log_generation += 1
        self.log_ready = False
        self.follower = None
        panel = self.query_one(LogPanel)
        panel.show_no_source(_("Opening {label}…").format(label=source.label))
        self.run_worker(
            partial(self._open_log, self.log_generation, source),
            name="log-open",
            group="log-open",
            thread=True,
            exit_on_error=False,
        )
        self._reveal_log()

    # -- actions ---------------------------------------------------------------

    def action_recheck(self) -> None:
        if self.panels_mounted:
            self.start_check()

    def action_evidence(self) -> None:
        from wslwizard.tui.screens.evidence import EvidenceScreen

        if self.diagnosis is None:
            self.notify(_("The checks are still running."))
            return
        self.app.push_screen(EvidenceScreen(self.diagnosis))

    def action_ways_forward(self) -> None:
        from wslwizard.tui.screens.ways_forward import WaysForwardScreen

        if self.diagnosis is None:
            self.notify(_("The checks are still running."))
            return
        self.app.push_screen(WaysForwardScreen(self.diagnosis))

    def action_copy_versions(self) -> None:
        if self.facts is None:
            self.notify(_("The checks are still running."))
            return
        self.wizard.copy_versions(self.facts)

    def action_pick_log(self) -> None:
        from wslwizard.tui.screens.dialogs import LogPickerScreen

        if not self.sources:
            self.notify(_("No other log was found."))
            return
        current = self.query_one(LogPanel).source
        self.app.push_screen(LogPickerScreen(self.sources, current), self.open_source)

    def action_first_error(self) -> None:
        self._reveal_log()
        panel = self.query_one(LogPanel)
        if not panel.jump_first():
            self._no_marked_line(panel)

    def action_next_error(self) -> None:
        self._reveal_log()
        panel = self.query_one(LogPanel)
        if not panel.jump_next():
            self._no_marked_line(panel)

    def _no_marked_line(self, panel: LogPanel) -> None:
        if panel.buffer.filter_text and panel.buffer.hit_count:
            # The marked lines are there, hidden by the filter.
            self.notify(
                _(
                    "No line the filter shows matches a known problem. Press / "
                    "then Esc to clear the filter."
                )
            )
        else:
            self.notify(_("No line in this log matches a known problem."))

    def action_filter_log(self) -> None:
        self._reveal_log()
        self.query_one(LogPanel).open_filter()

    def action_pager(self) -> None:
        self.wizard.action_open_log_in_pager()

    def on_unmount(self) -> None:
        for timer in self._live_timers:
            timer.stop()
