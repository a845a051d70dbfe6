"""The journal of applied steps: what ran, its output, its undo."""

from wslwizard.journal.store import (
    CommandRecord,
    Journal,
    JournalEntry,
    JournalError,
    state_dir,
)

__all__ = ["CommandRecord", "Journal", "JournalEntry", "JournalError", "state_dir"]
