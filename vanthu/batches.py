"""Batches: the files of one ``vanthu submit`` (or of ``--batch NAME``), and how far they got.

Submitting a file in a batch writes one small record, ``batches/<batch>/<key digest>.json``
in the artifacts bucket (the document's id, its object key, its name): one object per file,
so that several submits (or desks) can add to one named batch without a read-modify-write
race. A batch's progress is read from the documents' own state (vanthu/state.py), which
every stage writes anyway: nothing else has to keep a batch's counts up to date, and a
file that fails does so alone, with its reason.

A file that fails before it is even read as a document (a truncated upload, an object
that cannot be read, one too big: the OCR stage has no document id for it) leaves no
state under a document id. Its ``DocumentFailed`` names the object and its batch, and is
kept under the object's key instead (:func:`record_failure`,
``batch-failures/<batch>/<key digest>.json``; a prefix apart, so that a batch's listing
stays one of files), where the batch's progress finds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from vanthu.events import DocumentFailed, ObjectRef, utcnow
from vanthu.state import PREFIX as STATE_PREFIX
from vanthu.state import StateStore, StepRecord, received_step
from vanthu.storage import Storage

PREFIX = "batches"
FAILURES = "batch-failures"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Reading a large batch's state is one listing per document: a few at a time.
_READERS = 8

Outcome = Literal["done", "failed", "remaining"]


class BatchItem(BaseModel):
    """One file submitted in a batch."""

    batch: str
    document_id: str
    key: str = Field(description="Its object key in the intake bucket.")
    filename: str
    at: dt.datetime = Field(default_factory=utcnow)


@dataclass
class ItemProgress:
    item: BatchItem
    outcome: Outcome
    step: str  # the last step reached: received, text, parsed, notified, failed, duplicate; "" before the OCR stage
    reason: str | None = None  # why it failed
    message: str | None = None


@dataclass
class BatchProgress:
    batch: str
    items: list[ItemProgress] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(i.outcome == outcome for i in self.items)


def new_name() -> str:
    """A batch name for a submit that was not given one: when, and a random suffix."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def check_name(name: str) -> str:
    """``name`` when it is usable as a batch name (it is part of object keys and metadata), else ValueError."""
    if not NAME.match(name):
        raise ValueError(f"{name!r} is not a batch name: 1 to 64 letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit")
    return name


def _ref(storage: Storage, batch: str, key: str, prefix: str = PREFIX) -> ObjectRef:
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return ObjectRef(bucket=storage.settings.buckets.artifacts, key=f"{prefix}/{batch}/{digest}.json")


def add(storage: Storage, item: BatchItem) -> None:
    """Record that ``item`` was submitted in its batch."""
    storage.put_model(_ref(storage, item.batch, item.key), item)


def record_failure(storage: Storage, event: DocumentFailed) -> bool:
    """Keep ``event``, a failure of a batch's object before it had a document id, for the
    batch's progress; False (nothing kept) when it names no object of the intake bucket or
    no usable batch (the batch name comes from the object's metadata: anyone's word)."""
    batch, source = event.submission.batch, event.source
    if event.document_id or not batch or not NAME.match(batch) or source is None \
            or source.bucket != storage.settings.buckets.incoming:
        return False
    storage.put_model(_ref(storage, batch, source.key, FAILURES), event)
    return True


def items(storage: Storage, batch: str) -> list[BatchItem]:
    """The batch's files, in the order they were submitted."""
    bucket = storage.settings.buckets.artifacts
    found = [storage.get_model(ObjectRef(bucket=bucket, key=key), BatchItem)
             for key in storage.list_keys(bucket, f"{PREFIX}/{check_name(batch)}/")]
    return sorted((i for i in found if i is not None), key=lambda i: i.at)


def progress(state: StateStore, batch: str) -> BatchProgress:
    """Where each file of ``batch`` is: done (its notices sent, or held for the records
    office), failed (with the reason of its latest failure; a re-submission of bytes
    received before is ``duplicate``), or remaining (with the last step it reached)."""
    with ThreadPoolExecutor(_READERS) as pool:
        return BatchProgress(batch, list(pool.map(lambda item: _item_progress(state, item), items(state.storage, batch))))


def _item_progress(state: StateStore, item: BatchItem) -> ItemProgress:
    storage = state.storage
    prefix = f"{STATE_PREFIX}/{item.document_id}/"
    steps = {key.removeprefix(prefix).removesuffix(".json") for key in storage.list_keys(state.bucket, prefix)}
    received = received_step(ObjectRef(bucket=storage.settings.buckets.incoming, key=item.key))
    duplicate = "duplicate/" + received.removeprefix("received/")
    if duplicate in steps:
        return _failed(item, "duplicate", state.steps(item.document_id, duplicate))
    if "notified" in steps:
        return ItemProgress(item, "done", "notified")
    if failures := state.steps(item.document_id, "failed/"):
        return _failed(item, "failed", failures)
    if not steps & {"text", "parsed"} and (
            unread := storage.get_model(_ref(storage, item.batch, item.key, FAILURES), DocumentFailed)):
        return ItemProgress(item, "failed", "failed", reason=str(unread.reason), message=unread.message)
    if "parsed" in steps:
        parsed = state.steps(item.document_id, "parsed")
        if parsed and parsed[0].details.get("held"):
            return ItemProgress(item, "done", "parsed", message="held for the records office (secret)")
        return ItemProgress(item, "remaining", "parsed")
    reached = "text" if "text" in steps else "received" if received in steps else ""
    return ItemProgress(item, "remaining", reached)


def _failed(item: BatchItem, step: str, records: list[StepRecord]) -> ItemProgress:
    latest = records[-1].details if records else {}
    return ItemProgress(item, "failed", step, reason=latest.get("reason") or step, message=latest.get("message"))
