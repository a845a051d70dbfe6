"""Executing repair steps: dry run, root, journal, verification, undo."""
