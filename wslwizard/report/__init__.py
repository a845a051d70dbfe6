"""Support bundles: record what the checks read on a machine, replace
personal details, and write one scenario file that replays anywhere.

The API a presenter (the ``report`` command, the wizard's preview screen)
calls; ``docs/report.md`` describes it.
"""

from wslwizard.report.bundle import (
    MAX_PAYLOAD_BYTES,
    MAX_TOTAL_BYTES,
    CategorySummary,
    CutNote,
    Recording,
    RedactedBundle,
    RedactionSummary,
    default_bundle_path,
    record_bundle,
    redact,
    write_bundle,
    write_private_file,
)
from wslwizard.report.redaction import Names, Redactor, Replacement

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "MAX_TOTAL_BYTES",
    "CategorySummary",
    "CutNote",
    "Names",
    "Recording",
    "RedactedBundle",
    "RedactionSummary",
    "Redactor",
    "Replacement",
    "default_bundle_path",
    "record_bundle",
    "redact",
    "write_bundle",
    "write_private_file",
]
