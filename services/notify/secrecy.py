"""Secret documents: how a secrecy mark is recognised, and what of a secret document may travel.

The Law on Protection of State Secrets (2018) forbids sending a "MẬT", "TỐI MẬT" or
"TUYỆT MẬT" document over networks not cleared for it. vanthu's networks (Kafka, webhooks,
e-mail, presigned links) are not, so for a secret document every stage keeps to this:

* its public ``vanthu.directives`` event is :func:`withhold` of the parsed directive:
  identity (number, issuer, type, date), the secrecy level and the units assigned, but no
  subject, sections, tasks, warnings or object references;
* each unit gets one identity-only notice (:func:`identity_notices`): no links, no task,
  only the instruction to collect the document from the records office in person;
* its text artifact is sealed (AES-256-GCM with the key in ``VANTHU_SECRECY__KEY``) or
  removed once parsed (``VANTHU_SECRECY__TEXT=encrypt|drop``, see
  :class:`vanthu.settings.SecrecyOptions`).

A mark that may be there but cannot be read for sure (OCR-damaged, partly covered) counts
as secret: wrongly withholding an open document costs a walk to the records office,
wrongly sending a secret one breaks the law.

Why the text is sealed here rather than with MinIO's SSE-C: SSE-C needs TLS to MinIO
(MinIO refuses customer keys over plain HTTP, as on the local stack), and a sealed object
stays unreadable to anyone holding only MinIO credentials.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from vanthu.errors import DocumentError, FailureReason
from vanthu.events import (
    Assignment,
    AssignmentNotice,
    Directive,
    DirectiveParsed,
    DocumentSummary,
    ObjectRef,
    ReviewItem,
    Submission,
    TextArtifact,
)
from vanthu.normalize import fold
from vanthu.settings import SecrecyOptions
from vanthu.storage import Storage

LEVELS = {"mat": "Mật", "toi mat": "Tối mật", "tuyet mat": "Tuyệt mật"}
"""The marks of Decree 30/2020 and Guideline 36 (state and Party forms alike), folded -> as written."""
# Header lines looked at: the mark stands near the number, above the title.
_HEAD_LINES = 20
_PUNCTUATION = "*_.,:;!?\"'“”-–—"
# What separates a stamp from the text around it in a flattened header: a wide gap, a
# table cell's bar, the box drawn round it.
_CELL = re.compile(r"\s{2,}|[|\[\](){}]")
_TWO_WORD = [key for key in LEVELS if " " in key]
# Similarity (0-100) of a two-word cell to a two-word mark that makes it a damaged mark:
# one letter lost or wrong, not another pair of words ("CHỈ THỊ" scores 43).
_NEAR = 85
# A mark whose words ran together in OCR ("TỐIMẬT").
_RUN_TOGETHER = {"toimat": "toi mat", "tuyetmat": "tuyet mat"}

RECORDS_OFFICE = "Văn thư (records office)"
_SEALED = b"vanthu-sealed-v1\n"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class Secrecy:
    """The secrecy of one document: ``level`` as written (None: no mark), ``doubt``: a mark
    may be there but was not read for sure."""

    level: str | None = None
    doubt: bool = False

    @property
    def secret(self) -> bool:
        return self.level is not None or self.doubt


def find_mark(text: str) -> Secrecy:
    """The secrecy mark among the first lines of ``text``: the stamp's words in capitals,
    standing apart from other capitals: a line or cell of their own (set apart by a wide
    gap, a bar or a drawn box: "Số: 12/QĐ-UBND   | MẬT |"), or between words that are
    not capitals, as a text layer flattens a header ("Số 88-CV/TU TỐI MẬT Nam Định, ngày").
    A title or a name that merely contains the letters ("GIẢI PHÓNG MẶT BẰNG", "BẢO VỆ
    BÍ MẬT", "ỦY BAN MẶT TRẬN") is not a mark.

    A mark read exactly is certain; one whose tones or letters are damaged ("MAT", "TÓI
    MẶT", "TỐIMẬT", "TỐI MẬ") is a doubt, with the level it most likely is.
    """
    lines = [line for line in unicodedata.normalize("NFC", text).splitlines() if line.strip()][:_HEAD_LINES]
    for words in (run for line in lines for cell in _CELL.split(line) for run in _capital_runs(cell)):
        key = " ".join(fold(word) for word in words)
        key = _RUN_TOGETHER.get(key, key)
        if key in LEVELS:
            return Secrecy(LEVELS[key], doubt=" ".join(words) != LEVELS[key].upper())
        # A two-word mark with a letter lost or covered ("TỐI MẬ", "UYỆT MẬT").
        if len(words) == 2 and (near := process.extractOne(key, _TWO_WORD, scorer=fuzz.ratio,
                                                            score_cutoff=_NEAR)):
            return Secrecy(LEVELS[near[0]], doubt=True)
    return Secrecy()


def _capital_runs(cell: str) -> list[list[str]]:
    """The runs of one or two consecutive words in capitals (letters only, punctuation
    around them dropped) in ``cell``; longer runs are titles or names, not stamps."""
    runs: list[list[str]] = [[]]
    for token in cell.split():
        word = token.strip(_PUNCTUATION)
        if word.isalpha() and word.isupper():
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if 0 < len(run) <= 2]


def assess(directive: Directive, text: str) -> Secrecy:
    """The parser's reading of the mark (``directive.secrecy``) and this module's own look
    at the header (which also catches damaged marks), the higher level of the two; in
    doubt when either reading of that level is (the parser matches letters without tones,
    so it reads a damaged stamp as a sound one)."""
    readings = [find_mark(text)]
    if directive.secrecy:
        # as the parser writes it ("Mật") or as printed ("MẬT")
        level = LEVELS.get(" ".join(fold(directive.secrecy).split()), directive.secrecy)
        readings.append(Secrecy(level, doubt=directive.secrecy_doubt))
    order = list(LEVELS.values())
    level = max(readings, key=lambda r: order.index(r.level) if r.level in order else -1).level
    return Secrecy(level, doubt=any(r.doubt for r in readings if r.level == level))


def withhold(event: DirectiveParsed) -> DirectiveParsed:
    """What may be published of a secret directive: its identity, level and the units it
    assigns (each once per role, no task), nothing read from its body."""
    units: dict[tuple[str, str], Assignment] = {}
    for a in event.assignments:
        units.setdefault((a.unit_id or a.unit, a.role),
                         Assignment(unit=a.unit, unit_text=a.unit, unit_id=a.unit_id, role=a.role, task=""))
    return DirectiveParsed(
        document_id=event.document_id, text_source=event.text_source,
        issuer=event.issuer, parent_issuer=event.parent_issuer, system=event.system, number=event.number,
        number_seq=event.number_seq, symbol=event.symbol, doc_type=event.doc_type, place=event.place,
        date=event.date, date_partial=event.date_partial, urgency=event.urgency,
        secrecy=event.secrecy or LEVELS["mat"], secrecy_doubt=event.secrecy_doubt,
        assignments=list(units.values()),
        submission=Submission(submitted_by=event.submission.submitted_by, desk=event.submission.desk),
        withheld=True, at=event.at,
    )


def collect_in_person(level: str, document: DocumentSummary) -> str:
    """The instruction a unit receives instead of its task."""
    name = " ".join(p for p in (document.doc_type or "Văn bản", document.number) if p)
    return (f"{name} có độ mật \"{level.upper()}\": nội dung không gửi qua mạng. Đề nghị cử người đến văn thư "
            f"nhận văn bản trực tiếp. / This document is classified \"{level}\": its content is not sent over "
            "the network; collect it from the records office in person.")


def cancellation_text(document: DocumentSummary, revision: int) -> str:
    """What a unit is told when a correction takes its task away (nothing of the task itself;
    it opens with the cancellation, since a mail's subject shows the first words)."""
    name = " ".join(p for p in (document.doc_type or "Văn bản", document.number) if p)
    return (f"ĐÃ HỦY nhiệm vụ giao theo {name} (đính chính lần {revision}): thông báo trước đây không còn hiệu "
            f"lực. / CANCELLED: this task was withdrawn by correction {revision} of the document; the earlier "
            "notice is void.")


def superseded_text(document: DocumentSummary, new: str) -> str:
    """What a unit is told when the original of its document was overwritten by other
    bytes, document ``new`` (its type and number, or its id): identity only, like
    :func:`cancellation_text`."""
    name = " ".join(p for p in (document.doc_type or "Văn bản", document.number) if p)
    return (f"ĐÃ THAY THẾ: {name} đã được thay bằng văn bản gửi sau ({new}); thông báo trước đây không còn "
            f"hiệu lực, nhiệm vụ theo văn bản mới được gửi riêng. / SUPERSEDED: the original of this document "
            f"was replaced by a later submission ({new}); the earlier notice is void, the new document's "
            "notices follow.")


def identity_notice(notice: AssignmentNotice, level: str | None = None) -> AssignmentNotice:
    """``notice`` cut down to the document's identity and the instruction to collect it
    (or, for a cancellation, that the task was withdrawn), in the notice's revision."""
    level = level or notice.secrecy or LEVELS["mat"]
    document = DocumentSummary(issuer=notice.document.issuer, number=notice.document.number,
                               doc_type=notice.document.doc_type, date=notice.document.date)
    unit = notice.unit_id or notice.unit
    revision = f"r{notice.revision}:" if notice.revision else ""
    cancelled = notice.status == "cancelled"
    if cancelled and notice.superseded_by:
        task = superseded_text(document, f"mã {notice.superseded_by[:12]}")
    elif cancelled:
        task = cancellation_text(document, notice.revision)
    else:
        task = collect_in_person(level, document)
    return AssignmentNotice(
        idempotency_key=f"{notice.document_id}:{revision}secret:{unit}" + (":cancelled" if cancelled else ""),
        document_id=notice.document_id, unit_id=notice.unit_id, unit=notice.unit, unit_text=notice.unit,
        role=notice.role, task=task, document=document, secrecy=level, withheld=True,
        revision=notice.revision, status=notice.status, supersedes=notice.supersedes,
        superseded_by=notice.superseded_by, at=notice.at,
    )


def identity_notices(directive: Directive, notices: list[AssignmentNotice]) -> list[AssignmentNotice]:
    """``notices`` unchanged for an open directive; for a secret one, one identity-only
    notice per unit (a unit told to come to the records office needs telling once)."""
    if not (directive.secrecy or directive.secrecy_doubt or getattr(directive, "withheld", False)):
        return notices
    level = directive.secrecy or LEVELS["mat"]
    by_unit: dict[str, AssignmentNotice] = {}
    for notice in notices:
        by_unit.setdefault(notice.unit_id or notice.unit, identity_notice(notice, level))
    return list(by_unit.values())


def guard(notice: AssignmentNotice) -> AssignmentNotice:
    """What a channel may send of a notice from the bus: a notice that says its document
    is secret goes out identity-only whatever else it carries."""
    return identity_notice(notice) if notice.secrecy or notice.withheld else notice


def review_item(event: DirectiveParsed, why: str) -> ReviewItem:
    """A clerk's item about a secret document (held back, or its mark in doubt)."""
    return records_office_item(event, "secrecy", why, level=event.secrecy or LEVELS["mat"])


def records_office_item(event: DirectiveParsed, about: str, why: str, *, level: str | None = None) -> ReviewItem:
    """A clerk's item about a whole document (``why``: what to check), one per ``about``;
    a secret document's (``level``, or the event's own mark) names only its identity."""
    document = DocumentSummary(issuer=event.issuer, number=event.number, doc_type=event.doc_type, date=event.date)
    level = level or event.secrecy
    return ReviewItem(
        idempotency_key=f"{event.document_id}:{about}", document_id=event.document_id, unit_id=None,
        unit=RECORDS_OFFICE, unit_text=RECORDS_OFFICE, role="assigned", task=why, document=document,
        secrecy=level, withheld=level is not None,
    )


# --- the text artifact at rest ---------------------------------------------------------


def seal(data: bytes, key: bytes) -> bytes:
    """``data`` encrypted and authenticated with AES-256-GCM under ``key`` (32 bytes)."""
    nonce = os.urandom(_NONCE_BYTES)
    return _SEALED + nonce + AESGCM(key).encrypt(nonce, data, _SEALED)


def unseal(data: bytes, key: bytes) -> bytes:
    """The plain bytes of :func:`seal`'s output; DocumentError when they were altered or
    sealed under another key."""
    body = data[len(_SEALED):]
    try:
        return AESGCM(key).decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], _SEALED)
    except InvalidTag:
        raise DocumentError(FailureReason.ARTIFACT_INVALID, "a sealed text artifact does not open with "
                            "VANTHU_SECRECY__KEY (altered, or sealed under another key)") from None


def store_artifact(storage: Storage, options: SecrecyOptions, ref: ObjectRef, artifact: TextArtifact,
                   written: Path | None = None) -> Secrecy:
    """Write ``artifact`` to ``ref``, sealed when its header carries a secrecy mark and the
    configuration says to encrypt; returns the secrecy found. ``written``: the file that
    already holds the artifact's JSON, when ``artifact``'s pages come without their layout
    (a bulk document's, services/ocr/spool.py)."""
    secrecy = find_mark(artifact.text)
    write_artifact(storage, options, ref, artifact, sealed=secrecy.secret and options.text == "encrypt",
                   written=written)
    return secrecy


def write_artifact(storage: Storage, options: SecrecyOptions, ref: ObjectRef, artifact: TextArtifact, *,
                   sealed: bool, written: Path | None = None) -> None:
    """Write ``artifact`` (or the file ``written`` that holds its JSON) to ``ref``, sealed
    with ``options.key`` or as plain JSON. A file is uploaded in parts unless it is sealed."""
    if written is not None and not sealed:
        storage.put_file(ref, written, "application/json")
        return
    body = written.read_bytes() if written is not None else artifact.model_dump_json().encode()
    if sealed:
        storage.put_bytes(ref, seal(body, options.key_bytes()), "application/octet-stream")
    else:
        storage.put_bytes(ref, body, "application/json")


def load_artifact(storage: Storage, options: SecrecyOptions, ref: ObjectRef) -> tuple[TextArtifact, bool] | None:
    """The artifact at ``ref`` and whether it was sealed, or None when there is none.

    Raises DocumentError ``artifact-invalid`` when the object is not a text artifact (or is
    sealed and no key opens it): a permanent fault, not worth retrying."""
    try:
        data = storage.read(ref)
    except DocumentError as exc:
        if exc.reason is FailureReason.OBJECT_MISSING:
            return None
        raise
    sealed = data.startswith(_SEALED)
    if sealed:
        key = options.key_bytes()
        if key is None:
            raise DocumentError(FailureReason.ARTIFACT_INVALID, "the text artifact is sealed and "
                                "VANTHU_SECRECY__KEY is not set")
        data = unseal(data, key)
    try:
        return TextArtifact.model_validate_json(data), sealed
    except ValidationError as exc:
        raise DocumentError(FailureReason.ARTIFACT_INVALID,
                            f"s3://{ref.bucket}/{ref.key} is not a text artifact ({exc.error_count()} errors)") from None

