"""The key bar at the bottom of every screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer

#: Columns the palette hint ("^p palette") takes on the right.
PALETTE_WIDTH = 14


class WizardFooter(Footer):
    """A footer that keeps every key on screen: on a narrow terminal (a
    phone's SSH client, a split pane) or a screen with many keys it packs the
    keys tighter, then drops the palette hint (the help screen names ctrl+p).
    """

    def compose(self) -> ComposeResult:
        self._fit(self.size.width)
        yield from super().compose()

    def on_resize(self, event: Resize) -> None:
        # The keys are laid out for a width: lay them out again for this one.
        self.call_after_refresh(self.recompose)

    def _fit(self, width: int) -> None:
        if width <= 0:
            return
        try:
            active = self.screen.active_bindings.values()
        except Exception:  # noqa: BLE001 - no screen yet: keep the defaults
            return
        keys: dict[str, tuple[str, str]] = {}
        for _node, binding, _enabled, _tooltip in active:
            if binding.show and binding.action not in keys:
                display = self.app.get_key_display(binding)
                keys[binding.action] = (display, binding.description)
        roomy = sum(len(key) + len(words) + 3 for key, words in keys.values())
        tight = sum(len(key) + len(words) + 2 for key, words in keys.values())
        compact = roomy + PALETTE_WIDTH > width
        palette = (tight if compact else roomy) + PALETTE_WIDTH <= width
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        self.set_reactive(Footer.show_command_palette, palette)
