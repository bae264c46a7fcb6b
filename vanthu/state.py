"""Processing state per document, kept in object storage next to the artifacts.

Every step a stage completes for a document is one small JSON object,
``state/<document_id>/<step>.json`` in the artifacts bucket. Why object storage and not a
database: every stage already depends on it, it is shared by workers on any machine or
container, MinIO reads its own writes, and each step has its own key, so no two writers
ever update the same object (no read-modify-write races). ``vanthu status`` lists a
document's steps; the notify stage reads ``notified`` to send a document's assignments
once; the OCR stage reads the ``received`` records to recognise a re-submission, and the
parse and notify stages to check that an event's original is this document's. Every
failure is a step of its own (``failed/<stage>-<time>``) and a re-submission of the same
bytes is ``duplicate/<key digest>``, so no record replaces another
(:func:`vanthu.delivery.failure_step`). An original overwritten by other bytes under its
key is ``superseded-by/<new document id>``, written by the OCR stage when it receives the
new bytes (whose ``received`` record names the one it ``supersedes``): the notify stage
reads both, never an event's word for it. Records hold identifiers and counts, never a
document's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from pydantic import BaseModel, Field

from vanthu.events import ObjectRef, utcnow
from vanthu.errors import DocumentError, FailureReason
from vanthu.storage import Storage, check_original

PREFIX = "state"


class StepRecord(BaseModel):
    document_id: str
    step: str
    at: dt.datetime = Field(default_factory=utcnow)
    details: dict[str, Any] = Field(default_factory=dict)


def received_step(source: ObjectRef) -> str:
    """One ``received`` record per object key, so every submission of the bytes is kept."""
    return "received/" + hashlib.sha1(f"{source.bucket}/{source.key}".encode()).hexdigest()[:16]


SUPERSEDED_BY = "superseded-by/"


def superseded_step(new_document_id: str) -> str:
    """The step recorded in a document's state when ``new_document_id`` overwrote its original."""
    return SUPERSEDED_BY + new_document_id


class StateStore:
    """Blocking, like :class:`Storage`: call it from a thread in async code."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.bucket = storage.settings.buckets.artifacts

    def _ref(self, document_id: str, step: str) -> ObjectRef:
        return ObjectRef(bucket=self.bucket, key=f"{PREFIX}/{document_id}/{step}.json")

    def record(self, document_id: str, step: str, **details: Any) -> StepRecord:
        record = StepRecord(document_id=document_id, step=step, details=details)
        self.storage.put_model(self._ref(document_id, step), record)
        return record

    def has(self, document_id: str, step: str) -> bool:
        return self.storage.exists(self._ref(document_id, step))

    def check_original(self, document_id: str, source: ObjectRef) -> None:
        """DocumentError ``invalid-reference`` unless ``source`` is an object of the intake
        bucket that the OCR stage received as ``document_id`` (its bytes hash to that id):
        an event cannot pass off another document's original as this one's."""
        check_original(self.storage.settings, source)
        received = self.storage.get_model(self._ref(document_id, received_step(source)), StepRecord)
        # A version is the bytes received as this document only if it is the one recorded.
        if received is None or (source.version_id and received.details.get("version_id") != source.version_id):
            version = f" (version {source.version_id[:80]})" if source.version_id else ""
            raise DocumentError(FailureReason.INVALID_REFERENCE, f"s3://{source.bucket}/{source.key[:200]}{version} "
                                f"was never received as document {document_id}")

    def steps(self, document_id: str, prefix: str = "") -> list[StepRecord]:
        """The steps recorded for the document (those starting with ``prefix``), oldest first."""
        keys = self.storage.list_keys(self.bucket, f"{PREFIX}/{document_id}/{prefix}")
        records = [self.storage.get_model(ObjectRef(bucket=self.bucket, key=key), StepRecord) for key in keys]
        return sorted((r for r in records if r is not None), key=lambda r: r.at)

    def submissions(self, document_id: str) -> list[StepRecord]:
        """The ``received`` record of every submission of the document's bytes, first first."""
        return self.steps(document_id, "received/")

    def superseded_by(self, document_id: str) -> str | None:
        """The document whose bytes last overwrote this one's original, if any did."""
        records = self.steps(document_id, SUPERSEDED_BY)
        return records[-1].step.removeprefix(SUPERSEDED_BY) if records else None

    def supersedes(self, document_id: str) -> list[str]:
        """The documents whose originals this one's submissions overwrote."""
        return [r.details["supersedes"] for r in self.submissions(document_id) if r.details.get("supersedes")]

    def documents(self, prefix: str) -> list[str]:
        """Document ids starting with ``prefix`` (a shortened id, as people type them)."""
        keys = self.storage.list_keys(self.bucket, f"{PREFIX}/{prefix}")
        return sorted({key.split("/")[1] for key in keys})
