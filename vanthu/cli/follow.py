"""Commands that follow what the pipeline produced: notices, state, dead letters."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from typing import Annotated

import typer
from rich.table import Table

from vanthu.cli.common import JSON, app, console, err, print_notices
from vanthu.events import AssignmentNotice, DeadLetter, DocumentFailed
from vanthu.kafka_auth import client_options
from vanthu.settings import get_settings


@app.command()
def watch(
    unit: Annotated[str | None, typer.Option(help="Only this unit id.")] = None,
    document: Annotated[list[str] | None, typer.Option(help="Only these document ids (repeatable; a prefix is enough).")] = None,
    from_beginning: Annotated[bool, typer.Option(help="Read the topics from their start, not just new messages.")] = False,
    idle: Annotated[float, typer.Option(help="With --document: stop after this many quiet seconds once every document was heard of.")] = 15.0,
    timeout: Annotated[float, typer.Option(help="Stop after this many seconds (0: never).")] = 0.0,
    as_json: JSON = False,
) -> None:
    """Follow assignment notices (and review items and failures) as they arrive on Kafka.

    With --unit, only that unit's notices, in a consumer group of the unit's own
    (``vanthu.watch.<unit>``) that commits what was shown: a unit's watcher resumes where it
    stopped. Without it, everything, in no group."""
    from kafka import KafkaConsumer

    settings = get_settings()
    topics = settings.topics
    consumer = KafkaConsumer(
        *((topics.assignments,) if unit else (topics.assignments, topics.review, topics.failed)),
        bootstrap_servers=settings.kafka_bootstrap, **client_options(settings),
        group_id=f"{settings.group_prefix}.watch.{unit}" if unit else None,
        enable_auto_commit=bool(unit), auto_commit_interval_ms=1000,
        auto_offset_reset="earliest" if from_beginning else "latest", consumer_timeout_ms=1000,
    )
    wanted = tuple(document or ())
    heard: set[str] = set()
    by_unit: dict[str, list[AssignmentNotice]] = defaultdict(list)
    started = last = time.monotonic()
    try:
        while not (timeout and time.monotonic() - started > timeout):
            for message in consumer:
                payload = json.loads(message.value)
                doc_id = payload.get("document_id") or ""
                if wanted and not doc_id.startswith(wanted):
                    continue
                if unit and payload.get("unit_id") != unit:
                    continue
                heard.add(next((w for w in wanted if doc_id.startswith(w)), doc_id))
                last = time.monotonic()
                if as_json:
                    print(json.dumps({"topic": message.topic, **payload}, ensure_ascii=False), flush=True)
                elif message.topic == topics.failed:
                    failure = DocumentFailed.model_validate(payload)
                    console.print(f"[red]FAILED[/red] {failure.source.key if failure.source else doc_id[:12]}: "
                                  f"{failure.reason} at {failure.stage}: {failure.message}")
                else:
                    notice = AssignmentNotice.model_validate(payload)
                    by_unit[notice.unit_id or f"(review) {notice.unit}"].append(notice)
                    print_notices([notice], header=False)
            if wanted and heard >= set(wanted) and time.monotonic() - last > idle:
                break
    finally:
        consumer.close()
    if by_unit and not as_json:
        table = Table("unit", "lead", "cooperate", "assigned", title="Assignments received")
        for unit_id, notices in sorted(by_unit.items()):
            roles = [sum(n.role == r for n in notices) for r in ("lead", "cooperate", "assigned")]
            table.add_row(f"{notices[0].unit} [dim]{unit_id}[/dim]", *map(str, roles))
        console.print(table)
    if wanted and not heard >= set(wanted):
        err.print(f"[red]no message for {len(set(wanted) - heard)} document(s) before the timeout[/red]")
        raise typer.Exit(1)




@app.command()
def status(
    document: Annotated[str | None, typer.Argument(help="A document id (or its first characters), or a file to look up by its bytes.")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Instead, a batch's progress (`vanthu submit` names it).")] = None,
    as_json: JSON = False,
) -> None:
    """Show what happened to a document: received, text extracted, parsed, notified, or failed and why.

    With --batch, how far the batch's files got: done, failed (each with its reason), remaining."""
    import hashlib
    from pathlib import Path

    from vanthu.state import StateStore
    from vanthu.storage import Storage

    state = StateStore(Storage(get_settings()))
    if batch is not None:
        return _batch_status(state, batch, as_json)
    if document is None:
        raise typer.BadParameter("name a document (or a file), or --batch NAME")
    path = Path(document)
    prefix = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else document.lower()
    matches = state.documents(prefix)
    if len(matches) != 1:
        err.print(f"[red]{'no document' if not matches else f'{len(matches)} documents'} match {prefix[:16]}[/red]"
                  + "".join(f"\n  {m}" for m in matches[:20]))
        raise typer.Exit(1)
    steps = state.steps(matches[0])
    if as_json:
        print(json.dumps([s.model_dump(mode="json") for s in steps], ensure_ascii=False, indent=2))
        return
    table = Table("when (UTC)", "step", "details", title=f"document {matches[0]}")
    for step in steps:
        details = ", ".join(f"{k}={v}" for k, v in step.details.items() if v not in (None, [], ""))
        style = "red" if step.step.split("/")[0] == "failed" else None
        table.add_row(f"{step.at:%Y-%m-%d %H:%M:%S}", step.step.split("/")[0], details, style=style)
    console.print(table)


def _batch_status(state, batch: str, as_json: bool) -> None:
    """``vanthu status --batch``: the counts, then every file not done, failures first."""
    from vanthu import batches

    try:
        progress = batches.progress(state, batch)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--batch") from None
    if not progress.items:
        err.print(f"[red]no batch {batch}[/red]")
        raise typer.Exit(1)
    counts = {outcome: progress.count(outcome) for outcome in ("done", "failed", "remaining")}
    if as_json:
        print(json.dumps({"batch": batch, "files": len(progress.items), **counts, "items": [
            {"filename": i.item.filename, "document_id": i.item.document_id, "key": i.item.key, "outcome": i.outcome,
             "step": i.step, "reason": i.reason, "message": i.message} for i in progress.items
        ]}, ensure_ascii=False, indent=2))
        return
    console.print(f"batch [bold]{batch}[/bold]: {len(progress.items)} files; [green]{counts['done']} done[/green], "
                  f"[red]{counts['failed']} failed[/red], {counts['remaining']} remaining", highlight=False)
    table = Table("file", "outcome", "step", "reason", title=f"batch {batch}: not done")
    for item in sorted((i for i in progress.items if i.outcome != "done"), key=lambda i: i.outcome):
        reason = f"{item.reason}: {item.message}" if item.message else item.reason or ""
        table.add_row(item.item.filename, item.outcome, item.step or "submitted", reason,
                      style="red" if item.outcome == "failed" else None)
    if table.row_count:
        console.print(table)


dlq = typer.Typer(help="Dead letters: messages a stage gave up on after its retries.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")
REPLAY_GROUP = "dlq-replay"


def _dead_letters(not_yet_replayed: bool):
    """(consumer, entries) of the DLQ: all of it, or what the replay group has not replayed.

    Partitions are assigned by hand and positioned at the replay group's committed offsets,
    so nothing is read past without being returned."""
    from kafka import KafkaConsumer, TopicPartition

    settings = get_settings()
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False,
                             group_id=f"{settings.group_prefix}.{REPLAY_GROUP}", **client_options(settings))
    partitions = [TopicPartition(settings.topics.dlq, p) for p in consumer.partitions_for_topic(settings.topics.dlq) or ()]
    consumer.assign(partitions)
    for tp in partitions:
        committed = consumer.committed(tp) if not_yet_replayed else None
        if committed is None:
            consumer.seek_to_beginning(tp)
        else:
            consumer.seek(tp, committed)
    end = consumer.end_offsets(partitions)
    entries = []
    while any(consumer.position(tp) < end[tp] for tp in partitions):
        for records in consumer.poll(timeout_ms=1000).values():
            entries.extend((r, DeadLetter.model_validate_json(r.value)) for r in records)
    return consumer, entries


@dlq.command("list")
def dlq_list(as_json: JSON = False) -> None:
    """List every dead letter, oldest first."""
    consumer, entries = _dead_letters(not_yet_replayed=False)
    consumer.close()
    if as_json:
        print(json.dumps([e.model_dump(mode="json") | {"offset": r.offset, "partition": r.partition}
                          for r, e in entries], ensure_ascii=False, indent=2))
        return
    table = Table("partition:offset", "when (UTC)", "stage", "attempts", "document", "error", title="vanthu.dlq")
    for record, entry in entries:
        table.add_row(f"{record.partition}:{record.offset}", f"{entry.at:%Y-%m-%d %H:%M}", entry.stage,
                      str(entry.attempts), _which(entry), entry.error[:80])
    console.print(table if entries else "no dead letters")


def _which(entry: DeadLetter) -> str:
    """The document a dead letter is about: its id, or for the OCR stage (which gives up
    before it has read the bytes) the message key, the object's "bucket/key"."""
    return entry.document_id[:12] if entry.document_id else entry.key or "-"


@dlq.command("replay")
def dlq_replay(stage: Annotated[str | None, typer.Option(help="Only this stage's dead letters.")] = None) -> None:
    """Publish the dead letters not yet replayed to their original topics again (after a fix).

    Stages are idempotent by document id, so replaying a letter twice does no harm. A full
    replay commits the replay group's offsets, so the next one starts after it; a replay
    limited to one --stage commits nothing and can be repeated."""
    from kafka import KafkaProducer

    settings = get_settings()
    consumer, entries = _dead_letters(not_yet_replayed=True)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, **client_options(settings), acks="all")
    replayed = 0
    try:
        for _record, entry in entries:
            if stage and entry.stage != stage:
                continue
            producer.send(entry.topic, entry.payload.encode(), key=entry.key.encode() if entry.key else None)
            replayed += 1
        producer.flush()
        if entries and not stage:
            consumer.commit()  # a full replay: the positions are the new "replayed up to"
    finally:
        producer.close()
        consumer.close()
    console.print(f"replayed {replayed} dead letter(s)" + (f" of stage {stage}" if stage else ""))
