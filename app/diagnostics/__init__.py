"""Diagnostics for the field: the log file (logsetup) and `--diagnostics` (report). No Qt."""
