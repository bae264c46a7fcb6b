"""``vanthu summary``: what ``vanthu watch --json`` heard, as one short table of the units
and their tasks (how many, the nearest deadline) instead of every notice.

    vanthu watch --json --from-beginning --document ID ... | vanthu summary

A directive gives most of its tasks through collective names ("các sở, ban, ngành", "UBND
các xã, phường"), so a few documents reach hundreds of units, most of them with the very
same tasks. Units given the same tasks share one row ("57 units such as Ủy ban nhân dân
xã …"), so the table stays short and a unit named on its own keeps a row of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, TextIO, TypeVar

import typer
from rich.markup import escape
from rich.table import Column, Table

from vanthu.cli.common import app, console, err
from vanthu.events import AssignmentNotice, DocumentFailed, ReviewItem
from vanthu.normalize import fold
from vanthu.settings import Topics, get_settings

NoticeT = TypeVar("NoticeT", bound=AssignmentNotice)


@dataclass
class Heard:
    """The messages of one watch: notices (to known units), review items, failures."""

    topics: Topics
    notices: list[AssignmentNotice] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    failed: list[DocumentFailed] = field(default_factory=list)

    def add(self, line: str) -> None:
        """Take one line of ``vanthu watch --json`` (its payload with the ``topic`` it came from)."""
        payload = json.loads(line)
        topic = payload.pop("topic", None)
        if topic == self.topics.assignments:
            self.notices.append(AssignmentNotice.model_validate(payload))
        elif topic == self.topics.review:
            self.review.append(ReviewItem.model_validate(payload))
        elif topic == self.topics.failed:
            self.failed.append(DocumentFailed.model_validate(payload))

    def documents(self) -> int:
        return len({m.document_id for m in (*self.notices, *self.review, *self.failed)})


def in_force(notices: Iterable[NoticeT]) -> list[NoticeT]:
    """The notices still in force: each once (a redelivery repeats its idempotency key), and
    none that a clerk's correction cancelled or replaced (the later notice names it in
    ``supersedes``; a cancellation is itself no task)."""
    unique = {n.idempotency_key: n for n in notices}
    void = {n.supersedes for n in unique.values() if n.supersedes}
    return [n for key, n in unique.items() if key not in void and n.status != "cancelled"]


@dataclass
class Row:
    """One row of the summary: the units that were given the same tasks."""

    units: list[AssignmentNotice]  # one notice per unit, for its id and name; by name
    tasks: int
    deadline: dt.date | None  # the nearest

    def sort_key(self) -> tuple:
        # The most pressing first: the nearest deadline, then the most tasks, then by name.
        return (self.deadline or dt.date.max, -self.tasks, fold(self.units[0].unit))


def rows(notices: Iterable[AssignmentNotice]) -> list[Row]:
    """Per unit, its tasks in force; units with the very same tasks (the same document,
    section, role, task and deadline: what a collective name gives each unit it reaches)
    in one row; the most pressing rows first."""
    by_unit: dict[str, list[AssignmentNotice]] = defaultdict(list)
    for n in in_force(notices):
        by_unit[n.unit_id].append(n)  # review items, with no unit id, are not in ``notices``
    groups: dict[frozenset, list[list[AssignmentNotice]]] = defaultdict(list)
    for tasks in by_unit.values():
        groups[frozenset((n.document_id, n.section, n.role, n.task, n.deadline) for n in tasks)].append(tasks)
    result = []
    for same in groups.values():
        deadlines = [n.deadline for n in same[0] if n.deadline]
        # By name, not by arrival: the partitions of a topic interleave in no fixed order.
        units = sorted((tasks[0] for tasks in same), key=lambda n: fold(n.unit))
        result.append(Row(units, len(same[0]), min(deadlines, default=None)))
    return sorted(result, key=Row.sort_key)


def _unit_cell(row: Row) -> str:
    # The directory's name only (it names the province too): the width goes to the name.
    name = escape(row.units[0].unit)
    return name if len(row.units) == 1 else f"[bold]{len(row.units)} units[/bold] such as {name}"


def _deadline_cell(deadline: dt.date | None, today: dt.date) -> str:
    if deadline is None:
        return "[dim]none[/dim]"
    return f"{deadline:%d/%m/%Y}" + (" [red]overdue[/red]" if deadline < today else "")


def render(heard: Heard, limit: int, today: dt.date) -> None:
    """Print the table (at most ``limit`` rows, 0: all) and one line each for the totals,
    the review queue and every failure."""
    table_rows = rows(heard.notices)
    units = sum(len(r.units) for r in table_rows)
    shown = table_rows[:limit] if limit else table_rows
    if shown:
        # One line per row, however narrow the terminal: a long unit name is cut, not wrapped.
        table = Table(Column("unit", ratio=1, no_wrap=True, overflow="ellipsis"), Column("tasks", width=8),
                      Column("nearest deadline", width=18), title="Tasks per unit", expand=True)
        for row in shown:
            tasks = f"{row.tasks} each" if len(row.units) > 1 else str(row.tasks)
            table.add_row(_unit_cell(row), tasks, _deadline_cell(row.deadline, today))
        console.print(table)
    if rest := table_rows[len(shown):]:
        console.print(f"… and {len(rest)} more rows ({sum(len(r.units) for r in rest)} units): "
                      "every unit's tasks are on the desk", highlight=False)
    tasks = sum(r.tasks * len(r.units) for r in table_rows)
    console.print(f"[bold]{tasks} tasks[/bold] for {units} units from {heard.documents()} documents", highlight=False)
    if review := in_force(heard.review):
        console.print(f"[yellow]{len(review)} tasks name a unit the directory does not know[/yellow]: a clerk "
                      "routes them from the desk's review queue (or `vanthu review list`)", highlight=False)
    for failure in heard.failed:
        what = failure.source.key if failure.source else (failure.document_id or "")[:12]
        err.print(f"[red]failed[/red] {escape(what)}: {failure.reason} at {failure.stage}: {escape(failure.message)}")


@app.command()
def summary(
    source: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False, help=(
        "A file of `vanthu watch --json` lines (default: standard input)."))] = None,
    limit: Annotated[int, typer.Option("--rows", help="Show at most this many rows (0: all).")] = 25,
) -> None:
    """Summarise what `vanthu watch --json` heard: per unit, how many tasks it was given and
    its nearest deadline (units given the same tasks share a row), then the tasks waiting
    for review and the documents that failed.

    Reading standard input, it says how much it has heard so far while the watch runs."""
    from vanthu.cli.desk_ops import _today  # today in Vietnam, whose calendar the deadlines are in

    heard = Heard(get_settings().topics)
    if source is not None:
        with source.open(encoding="utf-8") as lines:
            _read(lines, heard)
    else:
        with err.status("waiting for the pipeline's notices") as status:
            _read(sys.stdin, heard, lambda: status.update(
                f"heard {len(heard.notices) + len(heard.review)} notices about {heard.documents()} documents"))
    render(heard, limit, _today())


def _read(lines: TextIO, heard: Heard, progress=lambda: None) -> None:
    for line in lines:
        if line.strip():
            heard.add(line)
            progress()
