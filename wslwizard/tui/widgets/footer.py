"""The key bar at the bottom of every screen."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer

#: Below this many columns the keys lose their padding and the palette hint
#: goes (the help screen names ctrl+p), so that a 60-column terminal (a
#: phone's SSH client, a split pane) still shows every key.
COMPACT_BELOW = 72


class WizardFooter(Footer):
    """A footer that packs its keys tighter on a narrow terminal."""

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < COMPACT_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
