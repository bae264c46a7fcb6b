"""CPU time of a process with its children, from /proc (Linux): an OCR worker's
Tesseract hosts live as long as it does, so ``getrusage(RUSAGE_CHILDREN)``, which counts
only reaped children, misses them."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid``, of its children it has reaped and of
    those still running (an OCR worker's Tesseract hosts and runs)."""
    total = 0.0
    for each in (pid, *descendants(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile: its time is its parent's now
        total += sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def descendants(pid: int) -> list[int]:
    """The process ids of ``pid``'s living children, their children, and so on."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children + [d for c in children for d in descendants(c)]
