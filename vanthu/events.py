"""Event payloads: the single source of truth for every topic's schema.

Each event carries ``schema_version``. A change that removes or renames a field, or
changes its meaning, bumps the version; adding an optional field does not.
The AsyncAPI document is generated from the apps that use these models.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from urllib.parse import unquote, unquote_plus

from pydantic import BaseModel, ConfigDict, Field

from vanthu.errors import FailureReason

SCHEMA_VERSION = 1

TextSource = Literal["text-layer", "ocr", "mixed"]
Role = Literal["lead", "cooperate", "assigned"]
Stage = Literal["ocr", "parse", "notify", "channels"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ObjectRef(BaseModel):
    """An object in storage."""

    bucket: str
    key: str


class Submission(BaseModel):
    """Who put the original into storage (from the object's user metadata)."""

    submitted_by: str | None = None
    desk: str | None = None
    filename: str | None = None


# --- vanthu.objects: MinIO's own bucket notification (S3 event format) ---------------


class _S3Bucket(BaseModel):
    name: str


class _S3Object(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    key: str
    size: int | None = None
    etag: str | None = Field(None, alias="eTag")
    content_type: str | None = Field(None, alias="contentType")
    user_metadata: dict[str, str] = Field(default_factory=dict, alias="userMetadata")


class _S3Entity(BaseModel):
    bucket: _S3Bucket
    object: _S3Object


class S3Record(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    event_name: str = Field(alias="eventName")
    s3: _S3Entity

    @property
    def ref(self) -> ObjectRef:
        # MinIO URL-escapes keys in events ("Công văn 1.pdf" arrives as "C%C3%B4ng+v%C4%83n+1.pdf").
        return ObjectRef(bucket=self.s3.bucket.name, key=unquote_plus(self.s3.object.key))

    @property
    def submission(self) -> Submission:
        meta = {k.lower().removeprefix("x-amz-meta-"): v for k, v in self.s3.object.user_metadata.items()}
        # `vanthu submit` percent-encodes values: S3 metadata headers are ASCII only.
        return Submission(**{
            field: unquote(meta[name])
            for field, name in (("submitted_by", "submitted-by"), ("desk", "desk"), ("filename", "filename"))
            if name in meta
        })


class ObjectCreated(BaseModel):
    """The S3-format notification MinIO publishes for ``s3:ObjectCreated:*``."""

    model_config = ConfigDict(populate_by_name=True)

    event_name: str = Field(alias="EventName")
    key: str = Field(alias="Key")
    records: list[S3Record] = Field(alias="Records", min_length=1)


# --- vanthu.text --------------------------------------------------------------------


class PageText(BaseModel):
    """One page of extracted text."""

    number: int = Field(ge=1)
    text: str
    source: Literal["text-layer", "ocr"]
    confidence: float | None = Field(None, description="Mean word confidence (0-100); null for text-layer pages.")
    rotation: int = Field(0, description="Degrees the page was turned before recognition.")
    seconds: float = 0.0
    error: str | None = Field(None, description="Why this page has no text, when it failed.")


class TextArtifact(BaseModel):
    """The text artifact stored in the ``artifacts`` bucket (``text/<document_id>.json``)."""

    schema_version: int = SCHEMA_VERSION
    document_id: str
    media_type: str
    pages: list[PageText]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages if p.text)

    @property
    def text_source(self) -> TextSource:
        sources = {p.source for p in self.pages if not p.error}
        if len(sources) == 1:
            return sources.pop()  # type: ignore[return-value]
        return "mixed" if sources else "ocr"


class TextExtracted(BaseModel):
    """``vanthu.text``: the text of a document is ready in the artifacts bucket."""

    schema_version: int = SCHEMA_VERSION
    document_id: str = Field(description="sha256 of the original bytes")
    source: ObjectRef
    submission: Submission = Submission()
    artifact: ObjectRef
    media_type: str
    pages: int
    text_source: TextSource
    page_sources: list[Literal["text-layer", "ocr"]]
    mean_confidence: float | None = None
    low_confidence: bool = False
    failed_pages: list[int] = Field(default_factory=list)
    at: dt.datetime = Field(default_factory=utcnow)


# --- vanthu.directives --------------------------------------------------------------


class PartialDate(BaseModel):
    day: int | None = None
    month: int | None = None
    year: int | None = None


class Recipient(BaseModel):
    text: str
    purpose: str | None = Field(None, description='"để báo cáo", "để thực hiện", ...')
    is_archive: bool = Field(False, description='The "Lưu" entry.')


class Reference(BaseModel):
    doc_type: str | None = None
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    text: str


class Section(BaseModel):
    path: str = Field(description='"3", "II.1.3", "Điều 2", "3.-2" for the second "-" item under 3')
    heading: str | None = None
    text: str
    children: list[Section] = Field(default_factory=list)


class Assignment(BaseModel):
    unit: str = Field(description="Canonical name from the directory, or the name as printed.")
    unit_text: str = Field(description="Exactly as printed.")
    unit_id: str | None = None
    role: Role
    section: str | None = None
    task: str
    deadline: dt.date | None = None
    deadline_text: str | None = None
    recurrence: str | None = None


class Signer(BaseModel):
    authority: str | None = Field(None, description='"T/M", "KT.", "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG"')
    on_behalf_of: str | None = None
    title: str | None = None
    name: str | None = None


class Directive(BaseModel):
    """The structure of one directive, as the parse stage reads it."""

    issuer: str | None = None
    parent_issuer: str | None = None
    system: Literal["party", "state"] | None = None
    number: str | None = None
    number_seq: int | None = None
    symbol: str | None = None
    doc_type: str | None = None
    place: str | None = None
    date: dt.date | None = None
    date_partial: PartialDate | None = None
    urgency: str | None = None
    secrecy: str | None = None
    subject: str | None = None
    recipients: list[str] = Field(default_factory=list)
    distribution: list[Recipient] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    signer: Signer = Signer()
    warnings: list[str] = Field(default_factory=list)


class DirectiveParsed(Directive):
    """``vanthu.directives``: the public parsed-directive event for downstream systems."""

    schema_version: int = SCHEMA_VERSION
    document_id: str
    text_source: TextSource
    source: ObjectRef | None = None
    artifact: ObjectRef | None = None
    submission: Submission = Submission()
    at: dt.datetime = Field(default_factory=utcnow)


# --- vanthu.assignments -------------------------------------------------------------


class DocumentSummary(BaseModel):
    issuer: str | None = None
    number: str | None = None
    doc_type: str | None = None
    date: dt.date | None = None
    subject: str | None = None


class AssignmentNotice(BaseModel):
    """``vanthu.assignments``: one message per (document, unit, role), keyed by unit id."""

    schema_version: int = SCHEMA_VERSION
    idempotency_key: str = Field(description="document_id:assignment index:unit_id")
    document_id: str
    unit_id: str | None
    unit: str
    unit_text: str
    role: Role
    section: str | None = None
    task: str
    deadline: dt.date | None = None
    deadline_text: str | None = None
    recurrence: str | None = None
    document: DocumentSummary
    original_url: str | None = None
    text_url: str | None = None
    at: dt.datetime = Field(default_factory=utcnow)


class ReviewItem(AssignmentNotice):
    """``vanthu.review``: an assignment to a unit the directory does not know, for a clerk
    to route by hand (``unit_id`` is null; ``unit_text`` is the name as printed)."""


# --- vanthu.failed ------------------------------------------------------------------


class DocumentFailed(BaseModel):
    """``vanthu.failed``: input a stage could not process. The original is untouched."""

    schema_version: int = SCHEMA_VERSION
    document_id: str | None = Field(None, description="Null when the input was not even a readable event.")
    stage: Stage
    reason: FailureReason
    message: str
    source: ObjectRef | None = None
    submission: Submission = Submission()
    at: dt.datetime = Field(default_factory=utcnow)


# --- vanthu.dlq ---------------------------------------------------------------------


class DeadLetter(BaseModel):
    """``vanthu.dlq``: a message a stage could not process after every retry.

    ``vanthu dlq replay`` publishes ``payload`` to ``topic`` again once the cause is fixed."""

    schema_version: int = SCHEMA_VERSION
    stage: Stage
    topic: str = Field(description="Where the message was first consumed from.")
    key: str | None = None
    payload: str = Field(description="The original message body.")
    error: str
    attempts: int
    document_id: str | None = None
    at: dt.datetime = Field(default_factory=utcnow)
