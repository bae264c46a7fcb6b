"""The fault tests' marker and their figures, printed at the end of the run."""

from __future__ import annotations

from tests.faults.harness import FIGURES


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: fault injection against the real local Kafka and MinIO (slow)")


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    columns = ["test", "documents submitted", "faults injected", "expected notices", "messages lost",
               "duplicates seen", "notice messages", "failed events", "dead letters", "seconds"]
    terminalreporter.write_sep("=", "fault test figures")
    terminalreporter.write_line("| " + " | ".join(columns) + " |")
    terminalreporter.write_line("|" + "---|" * len(columns))
    for row in FIGURES:
        terminalreporter.write_line("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    total = {c: sum(r[c] for r in FIGURES) for c in columns[1:6]}
    terminalreporter.write_line("| total | " + " | ".join(str(total[c]) for c in columns[1:6]) + " | | | | |")
