"""The machine layer: the only code that reads system files or runs commands."""

from wslwizard.host.base import (
    CommandResult,
    Host,
    PathInfo,
    ProcessInfo,
    TapCheck,
)
from wslwizard.host.real import RealHost
from wslwizard.host.recorded import (
    RecordedHost,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
)

__all__ = [
    "CommandResult",
    "Host",
    "PathInfo",
    "ProcessInfo",
    "RealHost",
    "RecordedHost",
    "ScenarioError",
    "TapCheck",
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
]
