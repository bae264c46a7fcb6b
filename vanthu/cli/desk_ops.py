"""``vanthu correct``, ``vanthu review list|resolve``, ``vanthu task mark|reminders``: a
clerk's and a unit's actions on the pipeline from the command line (vanthu/revisions.py)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from vanthu.cli.common import JSON, ROLE_LABEL, app, console, err
from vanthu.events import ReviewItem, TaskMark
from vanthu.kafka_auth import client_options
from vanthu.revisions import AssignmentEdit, CorrectionError, Edits, correct, mark_task, resolve_review, send_reminders
from vanthu.settings import Settings, get_settings
from vanthu.state import StateStore
from vanthu.storage import Storage

BY = Annotated[str, typer.Option("--by", help="Who makes the change (default: the login name).")]
_DATES = {"date", "deadline"}
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

review_app = typer.Typer(help="The review queue: assignments to units the directory does not know.",
                         no_args_is_help=True)
task_app = typer.Typer(help="Units' tasks: received / done marks, deadline reminders.", no_args_is_help=True)
app.add_typer(review_app, name="review")
app.add_typer(task_app, name="task")


def _login() -> str:
    return getpass.getuser()


def _today() -> dt.date:
    """Today in Vietnam, whose calendar the deadlines are in (whatever the server's zone)."""
    return dt.datetime.now(VIETNAM).date()


def _value(field: str, text: str) -> Any:
    """A value as typed: empty clears the field; a date also as Vietnamese write it (31/3/2025)."""
    if not text:
        return None
    if field in _DATES and "/" in text:
        try:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            raise typer.BadParameter(f"{field}: {text!r} is not a date (31/03/2025 or 2025-03-31)") from None
    return text


def _pairs(text: str) -> dict[str, Any]:
    """``"unit_id=vn:37:so-y-te,role=lead"`` as a mapping."""
    pairs = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep:
            raise typer.BadParameter(f"{part!r} is not FIELD=VALUE")
        pairs[name.strip()] = _value(name.strip(), value.strip())
    return pairs


def _edit(text: str) -> AssignmentEdit:
    try:
        return AssignmentEdit.model_validate(_pairs(text))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _document(settings: Settings, prefix: str) -> str:
    matches = StateStore(Storage(settings)).documents(prefix.lower())
    if len(matches) != 1:
        err.print(f"[red]{'no document' if not matches else f'{len(matches)} documents'} match {prefix[:16]}[/red]")
        raise typer.Exit(1)
    return matches[0]


@app.command("correct")
def correct_command(
    document: Annotated[str, typer.Argument(help="A document id (or its first characters).")],
    set_: Annotated[list[str], typer.Option("--set", help="A header field: number=12/TB-UBND, date=5/3/2025, ...")] = [],  # noqa: B006 - Typer reads the default
    remove: Annotated[list[int], typer.Option("--remove-assignment", help="Remove assignment N (0-based).")] = [],  # noqa: B006
    change: Annotated[list[str], typer.Option("--change", help="N:FIELD=VALUE,...: change assignment N "
                                              "(unit_id, unit, role, section, task, deadline).")] = [],  # noqa: B006
    add: Annotated[list[str], typer.Option("--add", help="FIELD=VALUE,...: add an assignment "
                                           "(unit_id=...,role=lead[,section=3][,deadline=31/3/2025]).")] = [],  # noqa: B006
    base: Annotated[int | None, typer.Option("--base-revision", help="Refuse if this is no longer the latest.")] = None,
    by: BY = "",
    as_json: JSON = False,
) -> None:
    """Correct what the parser read: publishes the next revision of the document, and the
    notify stage sends the units only the difference."""
    settings = get_settings()
    header = {}
    for item in set_:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set {item!r} is not FIELD=VALUE")
        header[name.strip()] = _value(name.strip(), value.strip())
    changes = {}
    for item in change:
        index, sep, fields = item.partition(":")
        if not sep or not index.strip().isdigit():
            raise typer.BadParameter(f"--change {item!r} is not N:FIELD=VALUE,...")
        changes[int(index)] = _edit(fields)
    edits = Edits(base_revision=base, header=header, remove=remove, change=changes, add=[_edit(a) for a in add])
    try:
        revision = correct(settings, Storage(settings), _document(settings, document), edits, by or _login())
    except CorrectionError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    if as_json:
        print(revision.model_dump_json(indent=2))
        return
    console.print(f"revision {revision.revision} of {revision.document_id[:12]} published by {revision.corrected_by}")
    for c in revision.changes:
        console.print(f"  {c.field}: {json.dumps(c.old, ensure_ascii=False)} -> {json.dumps(c.new, ensure_ascii=False)}")


def open_review_items(settings: Settings) -> list[ReviewItem]:
    """The items of ``vanthu.review`` not cancelled since (a resolved item is cancelled by
    the correction that routed it), oldest first."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False,
                             **client_options(settings))
    try:
        topic = settings.topics.review
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        items: list[ReviewItem] = []
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            for records in consumer.poll(timeout_ms=1000).values():
                items.extend(ReviewItem.model_validate_json(r.value) for r in records)
    finally:
        consumer.close()
    void = {item.supersedes for item in items if item.status == "cancelled"}
    unique = {item.idempotency_key: item for item in items if item.status != "cancelled"}
    return sorted((item for key, item in unique.items() if key not in void), key=lambda item: item.at)


@review_app.command("list")
def review_list(as_json: JSON = False) -> None:
    """The open review items: assignments waiting for a clerk to name their unit."""
    items = open_review_items(get_settings())
    if as_json:
        print(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2))
        return
    table = Table("key", "document", "unit as printed", "role", "§", "candidates", title="vanthu.review")
    for item in items:
        table.add_row(item.idempotency_key, " ".join(filter(None, (item.document.doc_type, item.document.number))),
                      item.unit_text, ROLE_LABEL[item.role], item.section or "-", ", ".join(item.candidates))
    console.print(table if items else "no open review items")


@review_app.command("resolve")
def review_resolve(
    key: Annotated[str, typer.Argument(help="The item's key, as `vanthu review list` shows it.")],
    unit_id: Annotated[str, typer.Argument(help="The unit it means, e.g. vn:37:so-y-te.")],
    by: BY = "",
) -> None:
    """Route a review item to a unit (a correction of its document) and store the printed
    name as the unit's alias in the overlay."""
    settings = get_settings()
    items = [item for item in open_review_items(settings) if item.idempotency_key == key]
    if not items:
        err.print(f"[red]no open review item {key!r}[/red]")
        raise typer.Exit(1)
    try:
        resolution = resolve_review(settings, Storage(settings), items[0], unit_id, by or _login())
    except CorrectionError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"routed to {unit_id} in revision {resolution.revision.revision}")
    if resolution.alias:
        console.print(f"alias {resolution.alias!r} -> {unit_id} stored")
    elif resolution.alias_error:
        err.print(f"[yellow]{resolution.alias_error}[/yellow]")


@task_app.command("mark")
def task_mark(
    notice_key: Annotated[str, typer.Argument(help="The notice's idempotency key.")],
    unit_id: Annotated[str, typer.Argument(help="The unit marking it.")],
    mark: Annotated[TaskMark, typer.Argument(help="received (đã nhận) or done (hoàn thành).")],
    by: BY = "",
) -> None:
    """Publish that a unit received or finished a task."""
    settings = get_settings()
    try:
        mark_task(settings, Storage(settings), notice_key, unit_id, mark, by or _login())
    except CorrectionError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"{notice_key}: {mark}")


@task_app.command("reminders")
def task_reminders(
    days: Annotated[int | None, typer.Option(help="Remind this many days before a deadline (default: "
                                             "VANTHU_REMINDER_DAYS).")] = None,
    today: Annotated[str | None, typer.Option(help="The day to remind as of (YYYY-MM-DD; default: today in Vietnam).")] = None,
) -> None:
    """Publish a reminder (nhắc việc) for each task whose deadline is near and that its unit
    has not marked done; each once, so it can run daily from cron (or `vanthu serve reminders`)."""
    settings = get_settings()
    day = dt.date.fromisoformat(today) if today else _today()
    reminders = send_reminders(settings, Storage(settings), day, settings.reminder_days if days is None else days)
    for r in reminders:
        console.print(f"  {r.unit_id}  hạn {r.deadline:%d/%m/%Y} (còn {r.days_left} ngày)  {r.notice_key}")
    console.print(f"{len(reminders)} reminder(s) sent")


def serve_reminders(every_s: float = 3600) -> None:
    """``vanthu serve reminders``: send the day's reminders every hour until interrupted
    (each reminder goes once, so the hourly runs after the first send only what a new
    notice or a new day brings)."""
    settings = get_settings()
    storage = Storage(settings)
    try:
        while True:
            sent = send_reminders(settings, storage, _today(), settings.reminder_days)
            console.print(f"{dt.datetime.now():%Y-%m-%d %H:%M} {len(sent)} reminder(s) sent")
            time.sleep(every_s)
    except KeyboardInterrupt:
        pass
