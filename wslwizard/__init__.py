"""wslwizard: diagnose and repair Docker Desktop start failures on WSL 2."""

__version__ = "0.1.0"
