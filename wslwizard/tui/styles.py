"""Where the wizard's stylesheet is, installed or in a checkout.

The stylesheet lives in the top-level ``css/`` folder of the repository. A
wheel maps that folder to ``wslwizard/css`` (hatchling ``force-include``), so
an installed package finds it beside itself, and a checkout (or an editable
install) finds it one folder up. Textual resolves a relative ``CSS_PATH``
against the file of the concrete App class, so the path is made absolute here.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = "wizard.tcss"
_PACKAGE = Path(__file__).resolve().parent.parent


def stylesheet_candidates() -> tuple[Path, ...]:
    """Installed location first, then the checkout's ``css/`` folder."""
    return (_PACKAGE / "css" / STYLESHEET, _PACKAGE.parent / "css" / STYLESHEET)


def stylesheet_path() -> Path:
    """The absolute path of the stylesheet; the installed one when both exist."""
    for candidate in stylesheet_candidates():
        if candidate.is_file():
            return candidate
    # Textual reports a missing stylesheet clearly; name the installed place.
    return stylesheet_candidates()[0]
