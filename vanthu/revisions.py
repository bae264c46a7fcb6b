"""A clerk's corrections as revisions of a document, the review queue's resolution, units'
task marks and deadline reminders: what the desk (and the ``vanthu correct``, ``review``
and ``task`` commands) do to the pipeline.

Every function here is blocking (call it from a thread in async code) and publishes with
``publish`` (default: a Kafka producer that waits for the broker's acknowledgement).

* :func:`correct` republishes the latest revision of a parsed directive (the artifact
  ``parsed/<document_id>.json`` the parse stage writes: a secret document's withheld form)
  with a clerk's edits, as revision N+1 on ``vanthu.directives`` keyed by document id;
  the notify stage then sends only the difference (services/notify/notices.py).
* :func:`resolve_review` is a correction too (the assignment gets the unit the clerk
  chose), plus the printed name as an alias in the deployment's overlay.
* :func:`mark_task` publishes a unit's "received" / "done" on ``vanthu.tasks``.
* :func:`due_reminders` / :func:`send_reminders` publish "nhắc việc" on
  ``vanthu.reminders`` for tasks in force whose deadline is near and not marked done.

What notify keeps of the notices in force per revision (``notified`` records, with
:class:`SentNotice` entries) is defined here too, as the desk reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import to_jsonable_python

from vanthu.directory import DirectoryError, UnitDirectory, learn_alias
from vanthu.events import (
    Assignment,
    Change,
    DirectiveParsed,
    DocumentSummary,
    Reminder,
    ReviewItem,
    Role,
    TaskMark,
    TaskMarked,
    utcnow,
)
from vanthu.kafka_auth import client_options
from vanthu.normalize import match_key
from vanthu.settings import Settings
from vanthu.state import StateStore, StepRecord
from vanthu.storage import Storage, parsed_artifact_ref

log = logging.getLogger(__name__)

Publish = Callable[[str, BaseModel, str], None]
"""``publish(topic, event, key)``: sends one event and returns once the broker has it."""

HEADER_FIELDS = ("issuer", "parent_issuer", "number", "number_seq", "symbol", "doc_type", "place", "date",
                 "date_partial", "urgency", "subject")
"""The header fields a clerk may correct. Not the secrecy mark: what a wrong mark let
travel cannot be called back, and a withheld document's text is not in its event."""
# What a withheld (secret) document's event never carries, so a correction cannot add it.
_WITHHELD_HEADER = {"subject"}
_WITHHELD_ASSIGNMENT = {"task", "deadline", "deadline_text"}
_NUMBER = re.compile(r"\s*(\d+)\s*/\s*(\S+)\s*")  # "12/TB-UBND": sequence and symbol


class CorrectionError(ValueError):
    """A correction that cannot be made as asked (the message says why, for the clerk)."""


class NothingChanged(CorrectionError):
    """The edits change nothing: no revision is published."""


class StaleRevision(CorrectionError):
    """The edits were made on a revision that is no longer the latest."""


class AssignmentEdit(BaseModel):
    """An assignment added, or the fields of one changed. Only the fields given are applied
    (``deadline=None`` given clears the deadline)."""

    unit_id: str | None = Field(None, description="A unit of the directory.")
    unit: str | None = Field(None, description="The unit's name as printed, when it has no id.")
    role: Role | None = None
    section: str | None = None
    task: str | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = None


class Edits(BaseModel):
    """A clerk's edits of one revision. Indices are those of ``base_revision``'s assignments."""

    base_revision: int | None = Field(None, description="The revision the clerk saw; a newer one refuses the edits.")
    header: dict[str, Any] = Field(default_factory=dict, description="Header field -> new value (see HEADER_FIELDS).")
    remove: list[int] = Field(default_factory=list)
    change: dict[int, AssignmentEdit] = Field(default_factory=dict)
    add: list[AssignmentEdit] = Field(default_factory=list)


# --- the parsed artifact -------------------------------------------------------------------


def keep_parsed(storage: Storage, event: DirectiveParsed) -> None:
    """Store ``event`` as the document's latest revision, unless a later one is stored (a
    re-parse of the document must not undo a clerk's correction)."""
    ref = parsed_artifact_ref(storage.settings, event.document_id)
    stored = storage.get_model(ref, DirectiveParsed)
    if stored is None or stored.revision <= event.revision:
        storage.put_model(ref, event)


def latest_revision(settings: Settings, storage: Storage, document_id: str) -> DirectiveParsed | None:
    """The document's latest revision as published, or None when none was (not parsed yet,
    or a secret document held back)."""
    return storage.get_model(parsed_artifact_ref(settings, document_id), DirectiveParsed)


# --- corrections ---------------------------------------------------------------------------


def correct(settings: Settings, storage: Storage, document_id: str, edits: Edits | dict[str, Any], by: str, *,
            directory: UnitDirectory | None = None, publish: Publish | None = None) -> DirectiveParsed:
    """Publish the document's latest revision with ``edits`` (an :class:`Edits` or its
    JSON form) applied as the next revision, with ``corrected_by`` ``by`` and the
    ``changes``; returns it.

    CorrectionError (nothing published) when the document has no published revision, an
    index is not an assignment of it, a unit id is not the directory's, a field is not a
    correctable header field, a value does not validate, or the edit would add text to a
    secret document's withheld event; StaleRevision when ``edits.base_revision`` is not
    the latest; NothingChanged when the edits leave the directive as it is."""
    try:
        edits = Edits.model_validate(edits)
    except ValidationError as exc:
        raise CorrectionError(f"the edits are not valid: {exc}") from None
    latest = latest_revision(settings, storage, document_id)
    if latest is None:
        raise CorrectionError(f"document {document_id[:12]} has no parsed directive to correct (not parsed yet, "
                              "or a secret document held back)")
    if edits.base_revision is not None and edits.base_revision != latest.revision:
        raise StaleRevision(f"the document was corrected meanwhile: revision {latest.revision} is the latest, "
                            f"not {edits.base_revision}")
    directory = directory or UnitDirectory.from_settings(settings)
    header, header_changes = _edit_header(latest, edits.header)
    assignments, assignment_changes = _edit_assignments(latest, edits, directory)
    changes = header_changes + assignment_changes
    if not changes:
        raise NothingChanged(f"the edits leave revision {latest.revision} as it is: nothing published")
    try:
        revision = DirectiveParsed.model_validate({
            **latest.model_dump(), **header, "assignments": [a.model_dump() for a in assignments],
            "revision": latest.revision + 1, "corrected_by": by, "changes": [c.model_dump() for c in changes],
            "at": utcnow(),
        })
    except ValidationError as exc:
        raise CorrectionError(f"the corrected directive is not valid: {exc}") from None
    # Stored before publishing, so that a second clerk working on revision N from now on
    # is told it is stale (this narrows the race, storage has no compare-and-set); put
    # back when the broker does not take it, so the clerk can simply try again.
    keep_parsed(storage, revision)
    try:
        (publish or kafka_publisher(settings))(settings.topics.directives, revision, document_id)
    except Exception:
        storage.put_model(parsed_artifact_ref(settings, document_id), latest)
        raise
    StateStore(storage).record(document_id, f"corrected/r{revision.revision}", by=by, changes=len(changes))
    return revision


def _edit_header(latest: DirectiveParsed, edits: dict[str, Any]) -> tuple[dict[str, Any], list[Change]]:
    unknown = set(edits) - set(HEADER_FIELDS)
    if unknown:
        raise CorrectionError(f"not a header field a clerk corrects: {', '.join(sorted(unknown))}")
    if latest.withheld and set(edits) & _WITHHELD_HEADER:
        raise CorrectionError("a secret document's event carries no subject: it is not corrected here")
    new = dict(edits)
    if (number := new.get("number")) and (parts := _NUMBER.fullmatch(number)):
        # the number's parts follow it unless the clerk set them too
        new.setdefault("number_seq", int(parts[1]))
        new.setdefault("symbol", parts[2])
    if new.get("date"):  # a whole date replaces the parts read of a damaged one
        new.setdefault("date_partial", None)
    try:  # each value as the event holds it ("2025-03-05" -> a date), to compare and publish
        checked = DirectiveParsed.model_validate({**latest.model_dump(), **new})
    except ValidationError as exc:
        raise CorrectionError(f"a header value is not valid: {exc}") from None
    changes = [Change(field=name, old=_plain(getattr(latest, name)), new=_plain(getattr(checked, name)))
               for name in new if getattr(latest, name) != getattr(checked, name)]
    return {c.field: getattr(checked, c.field) for c in changes}, changes


def _edit_assignments(latest: DirectiveParsed, edits: Edits, directory: UnitDirectory
                      ) -> tuple[list[Assignment], list[Change]]:
    count = len(latest.assignments)
    wrong = [i for i in [*edits.remove, *edits.change] if not 0 <= i < count]
    if wrong:
        raise CorrectionError(f"revision {latest.revision} has {count} assignments: no assignment {wrong[0]}")
    changes: list[Change] = []
    kept: list[Assignment] = []
    for index, assignment in enumerate(latest.assignments):
        field = f"assignments[{index}]"
        if index in edits.remove:
            changes.append(Change(field=field, old=_who(assignment)))
            continue
        if index in edits.change:
            updated = _apply(assignment, edits.change[index], directory, latest.withheld)
            changes += [Change(field=f"{field}.{name}", old=_plain(getattr(assignment, name)),
                               new=_plain(getattr(updated, name)))
                        for name in AssignmentEdit.model_fields if getattr(assignment, name) != getattr(updated, name)]
            assignment = updated
        kept.append(assignment)
    for edit in edits.add:
        if edit.unit_id is None and not edit.unit:
            raise CorrectionError("an added assignment needs a unit (its id, or its name as printed)")
        if edit.role is None:
            raise CorrectionError("an added assignment needs a role (lead, cooperate or assigned)")
        blank = Assignment(unit=edit.unit or "", unit_text=edit.unit or "", role=edit.role, task="")
        kept.append(_apply(blank, edit, directory, latest.withheld))
        changes.append(Change(field=f"assignments[+{len(kept) - 1}]", new=_who(kept[-1])))
    return kept, changes


def _apply(assignment: Assignment, edit: AssignmentEdit, directory: UnitDirectory, withheld: bool) -> Assignment:
    """``assignment`` with the fields ``edit`` gives; a unit id brings the directory's name."""
    given = edit.model_dump(exclude_unset=True)
    if withheld and set(given) & _WITHHELD_ASSIGNMENT:
        raise CorrectionError("a secret document's event carries no task or deadline: they are not corrected here")
    if given.get("unit_id") is not None:
        unit = directory.get(given["unit_id"])
        if unit is None:
            raise CorrectionError(f"no unit {given['unit_id']!r} in the directory")
        # The clerk named the unit: the parser's reading of the printed name no longer applies.
        given |= {"unit_name": unit.name, "candidates": [], "succession": [], "members": []}
        given.setdefault("unit", assignment.unit or unit.name)
        given.setdefault("unit_text", assignment.unit_text or unit.name)
    elif "unit" in given:
        given |= {"unit_text": given["unit"], "unit_id": None, "unit_name": None, "candidates": [], "succession": []}
    if given.get("deadline") and "deadline_text" not in given:
        given["deadline_text"] = f"{given['deadline']:%d/%m/%Y}"
    return assignment.model_copy(update=given)


def _who(assignment: Assignment) -> dict[str, Any]:
    """An assignment in a change record: who, in what role and section (not its task)."""
    return assignment.model_dump(mode="json", include={"unit", "unit_id", "role", "section", "deadline"})


def _plain(value: Any) -> Any:
    """A value as JSON holds it (a date as "2025-03-05", a model as its fields)."""
    return to_jsonable_python(value)


# --- the review queue ------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What resolving a review item did: the revision that routes it, and the alias learned
    (None when the deployment has no overlay file; ``alias_error`` says why one was not)."""

    revision: DirectiveParsed
    alias: str | None = None
    alias_error: str | None = None


def resolve_review(settings: Settings, storage: Storage, item: ReviewItem, unit_id: str, by: str, *,
                   directory: UnitDirectory | None = None, publish: Publish | None = None) -> Resolution:
    """Route a ``vanthu.review`` item to ``unit_id``: a correction of the item's document
    that gives the assignment (the same printed unit, role and section, still without a
    unit) that unit, so the notify stage cancels the review item and sends the unit its
    notice; then the printed name becomes an alias of the unit in the deployment's overlay
    (``settings.directory.overlay``), so the next document that prints it routes itself.
    An item already resolved to that unit publishes nothing again.

    CorrectionError when the item is not about an assignment (a secret document's own
    review item) or no assignment of the latest revision matches it."""
    directory = directory or UnitDirectory.from_settings(settings)
    latest = latest_revision(settings, storage, item.document_id)
    if latest is None:
        raise CorrectionError(f"document {item.document_id[:12]} has no parsed directive")
    same = [i for i, a in enumerate(latest.assignments) if a.role == item.role and a.section == item.section
            and match_key(item.unit_text) in (match_key(a.unit_text), match_key(a.unit))]
    open_ = [i for i in same if latest.assignments[i].unit_id is None]
    if open_:
        revision = correct(settings, storage, item.document_id,
                           Edits(change={i: AssignmentEdit(unit_id=unit_id) for i in open_}), by,
                           directory=directory, publish=publish)
    elif any(latest.assignments[i].unit_id == unit_id for i in same):
        revision = latest  # resolved before (a redelivered item, a second click)
    else:
        raise CorrectionError(f"no assignment of document {item.document_id[:12]} waits for a unit named "
                              f"{item.unit_text!r} ({item.role}, section {item.section or '-'})")
    if not settings.directory.overlay:
        return Resolution(revision, alias_error="no overlay file (VANTHU_DIRECTORY__OVERLAY): no alias stored")
    try:
        learn_alias(settings.directory.overlay, item.unit_text, unit_id)
    except DirectoryError as exc:
        log.warning("alias not stored: %s", exc)
        return Resolution(revision, alias_error=str(exc))
    return Resolution(revision, alias=item.unit_text)


# --- what notify keeps: the notices in force -------------------------------------------------


class SentNotice(BaseModel):
    """What the state store keeps of a notice in force: its key, a digest of what the unit
    was told, its deadline, and enough of its addressee to cancel it (no task text)."""

    key: str
    digest: str
    unit_id: str | None
    unit: str
    unit_text: str
    role: Role
    section: str | None = None
    deadline: dt.date | None = None


InForce = dict[str, SentNotice]
"""The notices in force for a document, by their identity across revisions (notify's)."""


def notified_step(revision: int) -> str:
    """The state step of a notified revision: ``notified`` for revision 0 (as ever), then
    ``notified/r<N>``."""
    return f"notified/r{revision}" if revision else "notified"


def notified_revisions(state: StateStore, document_id: str) -> dict[int, StepRecord]:
    """The ``notified`` record of each revision of the document notified so far."""
    return {record.details.get("revision", 0): record for record in state.steps(document_id, "notified")}


def notices_in_force(notified: dict[int, StepRecord]) -> InForce:
    """The notices in force after the latest revision notified (none before the first)."""
    if not notified:
        return {}
    latest = notified[max(notified)].details.get("in_force", {})
    return {identity: SentNotice.model_validate(sent) for identity, sent in latest.items()}


# --- task marks and reminders ---------------------------------------------------------------


def mark_step(notice_key: str, mark: TaskMark) -> str:
    return f"marked/{hashlib.sha1(notice_key.encode()).hexdigest()[:20]}-{mark}"


def mark_task(settings: Settings, storage: Storage, notice_key: str, unit_id: str, mark: TaskMark, by: str, *,
              publish: Publish | None = None) -> TaskMarked:
    """Publish that ``unit_id`` received or finished the task of the notice ``notice_key``
    on ``vanthu.tasks`` (keyed by unit id) and record it in the document's state (a task
    marked done gets no more reminders). CorrectionError unless that notice is in force
    for that unit."""
    document_id = notice_key.split(":", 1)[0]
    state = StateStore(storage)
    in_force = notices_in_force(notified_revisions(state, document_id))
    if not any(sent.key == notice_key and sent.unit_id == unit_id for sent in in_force.values()):
        raise CorrectionError(f"no notice {notice_key!r} in force for unit {unit_id}")
    event = TaskMarked(notice_key=notice_key, document_id=document_id, unit_id=unit_id, mark=mark, by=by)
    (publish or kafka_publisher(settings))(settings.topics.tasks, event, unit_id)
    state.record(document_id, mark_step(notice_key, mark), notice_key=notice_key, unit_id=unit_id, by=by)
    return event


def due_reminders(today: dt.date, tasks: Iterable[tuple[str, SentNotice]], done: set[str], days: int
                  ) -> list[tuple[str, SentNotice, int]]:
    """(document id, notice, days left) of each task in force to a unit whose deadline is
    ``days`` days away or nearer, not past, and whose notice key is not in ``done``."""
    due = []
    for document_id, sent in tasks:
        if sent.unit_id and sent.deadline and sent.key not in done:
            left = (sent.deadline - today).days
            if 0 <= left <= days:
                due.append((document_id, sent, left))
    return due


def send_reminders(settings: Settings, storage: Storage, today: dt.date, days: int, *,
                   publish: Publish | None = None) -> list[Reminder]:
    """Publish a reminder on ``vanthu.reminders`` for each task :func:`due_reminders` finds
    among every document's notices in force, once per notice and deadline (recorded as
    ``reminded/...`` in the document's state, so a daily run, or a rerun, repeats none)."""
    state = StateStore(storage)
    publish = publish or kafka_publisher(settings)
    sent_reminders = []
    for document_id in state.documents(""):
        steps = {record.step for record in state.steps(document_id, "marked/")}
        in_force = notices_in_force(notified_revisions(state, document_id))
        done = {sent.key for sent in in_force.values() if mark_step(sent.key, "done") in steps}
        for _, sent, left in due_reminders(today, ((document_id, s) for s in in_force.values()), done, days):
            key = f"{sent.key}:reminder:{sent.deadline}"
            step = f"reminded/{hashlib.sha1(key.encode()).hexdigest()[:20]}"
            if state.has(document_id, step):
                continue
            latest = latest_revision(settings, storage, document_id)
            reminder = Reminder(idempotency_key=key, notice_key=sent.key, document_id=document_id,
                                unit_id=sent.unit_id or "", unit=sent.unit, deadline=sent.deadline, days_left=left,
                                document=_identity(latest))
            publish(settings.topics.reminders, reminder, reminder.unit_id)
            state.record(document_id, step, notice_key=sent.key, unit_id=sent.unit_id)
            sent_reminders.append(reminder)
    return sent_reminders


def _identity(directive: DirectiveParsed | None) -> DocumentSummary:
    """The document a reminder is about, by its identity only (no subject)."""
    if directive is None:
        return DocumentSummary()
    return DocumentSummary(issuer=directive.issuer, number=directive.number, doc_type=directive.doc_type,
                           date=directive.date)


# --- publishing ---------------------------------------------------------------------------


def kafka_publisher(settings: Settings) -> Publish:
    """A :data:`Publish` over a Kafka producer made for the one call (these are a clerk's
    clicks, not a stream)."""

    def publish(topic: str, event: BaseModel, key: str) -> None:
        from kafka import KafkaProducer

        producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, **client_options(settings), acks="all")
        try:
            producer.send(topic, event.model_dump_json().encode(), key=key.encode()).get(timeout=30)
        finally:
            producer.close()

    return publish
