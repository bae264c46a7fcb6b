"""Event payloads: the single source of truth for every topic's schema.

Each event carries ``schema_version``. A change that removes or renames a field, or
changes its meaning, bumps the version; adding an optional field does not.
The AsyncAPI document is generated from the apps that use these models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from urllib.parse import unquote, unquote_plus

from pydantic import BaseModel, ConfigDict, Field

from vanthu.errors import FailureReason

SCHEMA_VERSION = 1

TextSource = Literal["text-layer", "ocr", "mixed"]
Role = Literal["lead", "cooperate", "assigned"]
Stage = Literal["ocr", "parse", "notify", "channels"]
NoticeStatus = Literal["assigned", "cancelled"]
TaskMark = Literal["received", "done"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ObjectRef(BaseModel):
    """An object in storage: one version of it when ``version_id`` is set (an original in
    the versioned intake bucket), else the object as it is now."""

    bucket: str
    key: str
    version_id: str | None = Field(None, description="The version of the object (S3 versioning); an original's "
                                   "version is what it was when submitted, whatever later overwrites its key.")


class Submission(BaseModel):
    """Who put the original into storage (from the object's user metadata)."""

    submitted_by: str | None = None
    desk: str | None = None
    filename: str | None = None
    batch: str | None = Field(None, description="The batch it was submitted in (`vanthu status --batch`).")


# --- vanthu.objects: MinIO's own bucket notification (S3 event format) ---------------


class _S3Bucket(BaseModel):
    name: str


class _S3Object(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    key: str
    size: int | None = None
    etag: str | None = Field(None, alias="eTag")
    version_id: str | None = Field(None, alias="versionId")
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
        return ObjectRef(bucket=self.s3.bucket.name, key=unquote_plus(self.s3.object.key),
                         version_id=self.s3.object.version_id)

    @property
    def submission(self) -> Submission:
        meta = {k.lower().removeprefix("x-amz-meta-"): v for k, v in self.s3.object.user_metadata.items()}
        # `vanthu submit` percent-encodes values: S3 metadata headers are ASCII only.
        return Submission(**{
            field: unquote(meta[name])
            for field, name in (("submitted_by", "submitted-by"), ("desk", "desk"), ("filename", "filename"),
                                ("batch", "batch"))
            if name in meta
        })


class ObjectCreated(BaseModel):
    """The S3-format notification MinIO publishes for ``s3:ObjectCreated:*``."""

    model_config = ConfigDict(populate_by_name=True)

    event_name: str = Field(alias="EventName")
    key: str = Field(alias="Key")
    records: list[S3Record] = Field(alias="Records", min_length=1)


# --- vanthu.text --------------------------------------------------------------------


Box = tuple[float, float, float, float]
"""x0, top, x1, bottom in points (1/72 inch) from the top left corner of the upright page."""

ARTIFACT_SCHEMA_VERSION = 4
"""Version of :class:`TextArtifact`. 2: pages carry their layout (blocks, lines, words with
boxes) and ``text`` reads a two-column header or closing column by column. 3: the PDF's
digital signatures (``signatures``). 4: the ink of the header's blanks that handwriting
filled but OCR could not surely read (``PageText.blanks``)."""

BlockKind = Literal[
    "header-left", "header-right", "marks", "title", "body", "table", "column-left", "column-right",
    "closing-left", "closing-right", "appendix",
]
AsideKind = Literal[
    "received-stamp", "e-signature", "copy-certification", "page-number", "noise", "attached-draft",
]


class Word(BaseModel):
    """One word as printed (text layer) or recognised (OCR)."""

    text: str
    box: Box
    size: float | None = Field(None, description="Font size in points; text layer only.")
    bold: bool | None = Field(None, description="Set in a bold font; text layer only.")
    confidence: float | None = Field(None, description="Recognition confidence (0-100); OCR only.")
    stamped: bool = Field(
        False, description="Drawn into a blank by a signing system's stamp (an annotation), not printed in the text.")
    handwritten: bool = Field(
        False, description="Written by hand into a blank of the form and read as digits (``confidence``: the "
        "least certain digit's probability, in percent).")


class Line(BaseModel):
    """One line of a block, its words left to right. ``text`` is the line as it reads
    (for a table row: ``| cell | cell |``)."""

    text: str
    box: Box
    words: list[Word] = Field(default_factory=list)
    starts_paragraph: bool = Field(False, description="A paragraph break comes before this line.")


class Block(BaseModel):
    """Lines that read as one unit: a column of the header, the body, a stamp, ..."""

    kind: BlockKind | AsideKind
    box: Box
    lines: list[Line]

    @property
    def text(self) -> str:
        return lines_text(self.lines)


def lines_text(lines: list[Line]) -> str:
    """``lines`` one to a line of text, a blank line before each that starts a paragraph (but the first)."""
    return "\n".join(("\n" if line.starts_paragraph and i else "") + line.text for i, line in enumerate(lines))


class BlankInk(BaseModel):
    """Handwriting in a blank of the header's form that could not be read surely as digits:
    what each of its glyphs may be, for the parse stage to weigh a candidate against (the
    day of an e-signature's signing time)."""

    field: Literal["number", "day", "month"]
    glyphs: list[list[float]] = Field(description="Each glyph's probabilities of the digits 0-9, left to right "
                                      "(the rest of 1: not a digit).")
    line: str | None = Field(None, description="The digits the second reader (a text-line recogniser) read in "
                             "the blank, when it read digits alone.")
    line_confidence: float = Field(0.0, description="That reader's confidence in ``line``, 0 to 1.")


class PageText(BaseModel):
    """One page of extracted text and its layout.

    ``text`` is ``blocks`` in reading order (a two-column header as its left column's lines,
    then its right column's), blocks separated by a blank line. ``aside`` holds what is on
    the page but not the document's text (received stamps, e-signature overlays, a copy's
    certification, page numbers, unreadable specks), each with its kind.
    """

    number: int = Field(ge=1)
    text: str
    source: Literal["text-layer", "ocr"]
    confidence: float | None = Field(None, description="Mean word confidence (0-100); null for text-layer pages.")
    rotation: int = Field(0, description="Degrees the page was turned before recognition.")
    seconds: float = 0.0
    error: str | None = Field(None, description="Why this page has no text, when it failed.")
    warning: str | None = Field(None, description="Why this page's text should be checked by a person.")
    width: float | None = Field(None, description="Page width in points, upright.")
    height: float | None = Field(None, description="Page height in points, upright.")
    blocks: list[Block] = Field(default_factory=list)
    aside: list[Block] = Field(default_factory=list)
    blanks: list[BlankInk] = Field(default_factory=list, description="The ink of the header's blanks written by "
                                   "hand and not read (OCR only).")


class DigitalSignature(BaseModel):
    """A digital signature of the PDF (a signature field's value, as the signing system
    wrote it), whether or not the page shows an overlay for it. Not verified: it tells who
    says they signed and when, which the parse stage weighs as evidence of the date."""

    signer: str | None = Field(None, description="The signing certificate's common name: a person "
                               "(\"Nguyễn Tuấn Anh\"), the issuing body, or a portal that publishes or copies.")
    signed_at: dt.datetime = Field(description="The signing time the signature records, with its UTC offset.")


class TextArtifact(BaseModel):
    """The text artifact stored in the ``artifacts`` bucket (``text/<document_id>.json``)."""

    schema_version: int = ARTIFACT_SCHEMA_VERSION
    document_id: str
    media_type: str
    pages: list[PageText]
    signatures: list[DigitalSignature] = Field(default_factory=list, description="The PDF's digital signatures, "
                                               "in the file's order.")

    @property
    def text(self) -> str:
        """The pages' text, each page after a form feed on a line of its own (a blank page
        too), so that a position in it tells its page (the parse stage's evidence)."""
        return "\n\f\n".join(p.text for p in self.pages)

    def aside_texts(self, kind: AsideKind) -> list[str]:
        """The text of each block of ``kind`` set aside from the pages, in page order."""
        return [block.text for page in self.pages for block in page.aside if block.kind == kind]

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
    review_pages: list[int] = Field(
        default_factory=list, description="Pages read, but too poorly to trust (PageText.warning): for a person to check."
    )
    urgency: str | None = Field(None, description='The urgency mark page 1 shows ("Hỏa tốc", "Thượng khẩn", "Khẩn").')
    supersedes: str | None = Field(None, description="The document id of the original this one overwrote (the "
                                   "same object key, other bytes): its units are told it is superseded.")
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


class Span(BaseModel):
    """Character offsets ``[start, end)`` in the parsed text (the NFC form of the text given
    to the parser)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class AssignmentEvidence(BaseModel):
    """Where one reading of an assignment came from, so a clerk can check it."""

    rule: str = Field(description='The rule that found it: "subject", "trigger", "heading", "plan-table", ...')
    point: str | None = Field(None, description='The lettered point or item it was read in ("a", "-2"), if any.')
    page: int = Field(1, ge=1, description="Page of the unit span (form feeds in the text), 1 without page breaks.")
    unit_span: Span | None = Field(None, description="The unit as printed; null when it could not be located.")
    task_span: Span | None = Field(None, description="The start of the task clause to its end; null when not located.")


class Assignment(BaseModel):
    """One (unit, role, section) of the directive: the lettered points it was read in
    are listed in ``points``, each reading's source in ``evidence``."""

    unit: str = Field(description="The unit as the document names it (as printed, its spacing and marks cleaned).")
    unit_text: str = Field(description="Exactly as printed.")
    unit_id: str | None = None
    unit_name: str | None = Field(None, description="The directory's name of the unit ``unit_id`` is (today's "
                                  "unit for a former name); null when the name did not resolve.")
    succession: list[str] = Field(default_factory=list, description="How the printed body became the unit of "
                                  "``unit_id`` ('Sở Lao động - Thương binh và Xã hội until 2025-03-01 (45/2025/NĐ-CP)').")
    candidates: list[str] = Field(default_factory=list, description="Ids of the units an ambiguous name may mean "
                                  "(``unit_id`` is then null): a clerk picks one.")
    members: list[str] = Field(
        default_factory=list, description='A shared head\'s expansion ("các Bộ: Quốc phòng, Công an" -> "Bộ Quốc phòng", ...).'
    )
    member_ids: list[str | None] = Field(
        default_factory=list, description="The directory's unit for each of ``members``, in order; null where the "
        "name did not resolve. Each member is notified when the whole name has no ``unit_id``.")
    role: Role
    section: str | None = Field(None, description='The numbered path ("II.1.3", "Điều 2"); null for the unnumbered body.')
    points: list[str] = Field(default_factory=list, description='Lettered points and items within the section ("a", "-2").')
    task: str
    deadline: dt.date | None = None
    deadline_text: str | None = None
    recurrence: str | None = None
    evidence: list[AssignmentEvidence] = Field(default_factory=list)


HeaderField = Literal["issuer", "number", "doc_type", "date", "subject", "signer"]


class FieldEvidence(BaseModel):
    """Where a header field was read: its page and its span in the parsed text (as
    :class:`AssignmentEvidence` locates an assignment), so a clerk can check it."""

    page: int = Field(1, ge=1, description="Page of the span (form feeds in the text), 1 without page breaks.")
    span: Span


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
    secrecy: str | None = Field(None, description='The secrecy mark ("Mật", "Tối mật", "Tuyệt mật"); '
                                "a secret document's events carry no text (README, Security).")
    secrecy_doubt: bool = Field(False, description="A secrecy mark may be there but could not be read for sure "
                                "(damaged or partly covered): treated as secret, and sent to a clerk to check.")
    subject: str | None = None
    recipients: list[str] = Field(default_factory=list)
    distribution: list[Recipient] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    signer: Signer = Signer()
    warnings: list[str] = Field(default_factory=list)
    evidence: dict[HeaderField, FieldEvidence] = Field(
        default_factory=dict, description="Where each header field found was read; a field not located is absent.")
    inferred: dict[HeaderField, str] = Field(
        default_factory=dict, description="Header fields not read from the page but inferred from other "
        "evidence (a date's day from an e-signature's signing time, a symbol's type code from the title), each "
        "with what a clerk should check; the parse stage asks the records office to confirm them.")


class Change(BaseModel):
    """One field a clerk corrected: ``field`` is a header field ("number") or an assignment
    of the revision corrected ("assignments[2].unit_id"; "assignments[2]" for an assignment
    removed, "assignments[+5]" for one added as index 5 of the new revision)."""

    field: str
    old: Any = None
    new: Any = None


class DirectiveParsed(Directive):
    """``vanthu.directives``: the public parsed-directive event for downstream systems.

    A clerk's correction is a new revision of the same document (same key): the whole
    directive again, ``revision`` one more than the one corrected, with who changed what."""

    schema_version: int = SCHEMA_VERSION
    document_id: str
    revision: int = Field(0, ge=0, description="0 as parsed; each correction by a clerk adds one.")
    corrected_by: str | None = Field(None, description="Who made this revision's correction.")
    changes: list[Change] = Field(default_factory=list, description="What this revision changed in the one before.")
    text_source: TextSource
    source: ObjectRef | None = None
    artifact: ObjectRef | None = None
    submission: Submission = Submission()
    withheld: bool = Field(False, description="A secret document: only its identity and secrecy level are "
                           "published (no subject, sections, tasks, text or object references); assignments "
                           "name the units only.")
    supersedes: str | None = Field(None, description="The document id of the original this one overwrote "
                                   "(TextExtracted.supersedes).")
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
    succession: list[str] = Field(default_factory=list, description="How the printed body became this unit.")
    candidates: list[str] = Field(default_factory=list, description="For review: the units an ambiguous name may mean.")
    role: Role
    section: str | None = None
    task: str
    deadline: dt.date | None = None
    deadline_text: str | None = None
    recurrence: str | None = None
    document: DocumentSummary
    original_url: str | None = None
    text_url: str | None = None
    secrecy: str | None = Field(None, description="The document's secrecy mark, when it has one.")
    withheld: bool = Field(False, description="A secret document's notice: its identity only, no links and no "
                           "task; ``task`` says to collect the document from the records office in person.")
    revision: int = Field(0, ge=0, description="The directive's revision this notice was sent for.")
    status: NoticeStatus = Field("assigned", description='"cancelled": a correction took this task away from '
                                 "the unit (the notice ``supersedes`` names is void).")
    supersedes: str | None = Field(None, description="The idempotency key of the notice this one replaces (a "
                                   "corrected task or deadline) or cancels.")
    superseded_by: str | None = Field(None, description="On a cancellation: the document id of the original that "
                                      "overwrote this notice's document (its own notices follow).")
    at: dt.datetime = Field(default_factory=utcnow)


class ReviewItem(AssignmentNotice):
    """``vanthu.review``: an assignment to a unit the directory does not know, for a clerk
    to route by hand (``unit_id`` is null; ``unit_text`` is the name as printed)."""


# --- vanthu.tasks, vanthu.reminders ------------------------------------------------------------------


class TaskMarked(BaseModel):
    """``vanthu.tasks``: a unit says it received ("đã nhận") or finished ("hoàn thành")
    the task of one notice; keyed by unit id."""

    schema_version: int = SCHEMA_VERSION
    notice_key: str = Field(description="The idempotency key of the notice marked.")
    document_id: str
    unit_id: str
    mark: TaskMark
    by: str = Field(description="Who marked it.")
    at: dt.datetime = Field(default_factory=utcnow)


class Reminder(BaseModel):
    """``vanthu.reminders``: a task's deadline is near ("nhắc việc"), for a unit that has
    not marked it done; keyed by unit id, one per notice and deadline. It names the task
    (``notice_key``) but does not repeat it: a secret document's reminder says no more than
    its notice did."""

    schema_version: int = SCHEMA_VERSION
    idempotency_key: str = Field(description="notice key:reminder:deadline")
    notice_key: str
    document_id: str
    unit_id: str
    unit: str
    deadline: dt.date
    days_left: int = Field(description="Days from the reminder's day to the deadline (0: due today).")
    document: DocumentSummary
    at: dt.datetime = Field(default_factory=utcnow)


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
