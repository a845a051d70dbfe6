"""The one translation function every user-facing sentence goes through.

English is the source language. Catalogues live in ``wslwizard/locale`` as
standard gettext ``.mo`` files; a missing catalogue falls back to English.
Sentences are whole strings with named placeholders so that a translation can
reorder them: ``_("{count} probes timed out").format(count=n)``.
"""

from __future__ import annotations

import gettext
from pathlib import Path

_LOCALE_DIR = Path(__file__).with_name("locale")
_translation = gettext.translation(
    "wslwizard", localedir=str(_LOCALE_DIR), fallback=True
)


def _(message: str) -> str:
    """Translate one whole sentence."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a sentence whose form depends on a count."""
    return _translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a sentence for translation where it is defined; translate on use."""
    return message
