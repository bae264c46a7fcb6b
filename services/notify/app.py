"""Notify service: ``vanthu.directives`` -> ``vanthu.assignments`` (and ``vanthu.review``).

Contract of :func:`on_directive_parsed`: builds the notices of one directive
(:func:`services.notify.notices.build_notices`), with presigned links to the original
and to the text artifact, and publishes each to ``vanthu.assignments`` keyed by unit id,
so one unit's notices stay in order. Notices for units the directory does not know go
to ``vanthu.review`` for a clerk, keyed by document id; then records ``notified`` in
the document's state (``notified/r<N>`` for revision N), with the notices then in force.
A revision no newer than one already notified sends nothing; a newer one (a clerk's
correction) sends only the difference from the notices in force
(:func:`services.notify.notices.revise`): new and changed notices, and cancellations.
The offset is committed only after every notice is acknowledged by Kafka; a directive
redelivered after a crash mid-way republishes the same idempotency keys. The record waits
out a brief outage of the state store (vanthu/delivery.py, ``record_made``), so a MinIO
restart after the notices went out does not send them all again.

The event is not trusted: links are made only to the original the OCR stage received as
this document and to this document's own text artifact; an event naming anything else is
one ``DocumentFailed`` (``invalid-reference``) and nothing is sent. A secret document
(``secrecy`` set or in doubt) gets no links at all, and each unit one identity-only notice
(services/notify/secrecy.py). Links to the original are signed for the version the OCR
stage read, so they keep downloading those bytes after the key is overwritten.

Superseded originals (other bytes put under the key of an original; the OCR stage records
it in both documents' state before the new one's text goes on): the notices in force of
the overwritten document are voided by cancellations that name the new document
(:func:`services.notify.notices.supersede`), recorded as its next ``notified`` revision
with nothing in force; a superseded document not yet notified sends nothing. Both
documents' notify runs look, after recording their own, so whichever comes second sees
the other's record: the units of the old document are always told, at least once (the
same keys if twice). Only the state store is believed here, never an event's
``supersedes``: a forged event cannot void another document's notices.

Urgent letters first: the service reads ``vanthu.directives`` in small batches (at most
``DIRECTIVES_AT_ONCE``, of what is waiting) and sends the batch's directives by the urgency
mark on the event (:func:`urgency_rank`: Hỏa tốc, then Thượng khẩn, then Khẩn, then the
rest, each in arrival order), so a HỎA TỐC directive behind a backlog of ordinary ones is
not sent after them. Each directive keeps the contract above (its own failure, retry and
dead letter; a poison message is refused alone); the batch is committed once every one of
its directives is done, so a crash mid-batch redelivers it, and the idempotency by
revision above makes the second sending a no-op for those already recorded.
"""

from __future__ import annotations

import asyncio

from faststream import FastStream
from faststream.kafka.annotations import KafkaMessage
from pydantic import SkipValidation, ValidationError

from services.notify.notices import build_notices, revise, supersede
from vanthu.delivery import batch_items, failure_for, make_app, record_made, subscribe, wire_stage
from vanthu.directory import UnitDirectory
from vanthu.events import AssignmentNotice, Directive, DirectiveParsed, ObjectRef, ReviewItem
from vanthu.logs import get_logger
from vanthu.normalize import fold
from vanthu.revisions import InForce, latest_revision, notices_in_force, notified_revisions, notified_step
from vanthu.settings import Settings, get_settings
from vanthu.state import StateStore
from vanthu.storage import Storage, check_artifact

STAGE = "notify"
# Directives read (and ordered by urgency) at once: a backlog's urgent letter waits for at
# most this many others' notices; few enough that a crash re-reads little (idempotently).
DIRECTIVES_AT_ONCE = 16
# Urgency marks (Decree 30/2020/NĐ-CP, "độ khẩn"), most urgent first, folded.
_URGENCY_LEVELS = ("hoa toc", "thuong khan", "khan")


def urgency_rank(urgency: str | None) -> int:
    """0 for Hỏa tốc (also "hẹn giờ"), 1 Thượng khẩn, 2 Khẩn, 3 none (any spelling or tone placement)."""
    folded = " ".join(fold(urgency or "").split())
    return next((rank for rank, level in enumerate(_URGENCY_LEVELS) if folded.startswith(level)),
                len(_URGENCY_LEVELS))


def create_app(settings: Settings | None = None, storage: Storage | None = None) -> FastStream:
    settings = settings or get_settings()
    storage = storage or Storage(settings)
    state = StateStore(storage)
    directory = UnitDirectory.from_settings(settings)
    log = get_logger(STAGE)
    wiring = wire_stage(settings, STAGE, "on_directive_parsed", settings.topics.directives, state)
    assignments = wiring.broker.publisher(settings.topics.assignments, schema=AssignmentNotice,
                                          title="vanthu.assignments")
    review = wiring.broker.publisher(settings.topics.review, schema=ReviewItem, title="vanthu.review")

    def check(event: DirectiveParsed) -> None:
        """What the event names is this document's (see the module docstring)."""
        if event.artifact:
            check_artifact(settings, event.document_id, event.artifact)
        if event.source:
            state.check_original(event.document_id, event.source)

    async def link(ref: ObjectRef | None, secret: bool) -> str | None:
        if ref is None or secret:
            return None
        return await asyncio.to_thread(storage.presigned_url, ref, settings.link_expiry_s)

    async def send(document_id: str, revision: int, notices: list[AssignmentNotice], in_force: InForce,
                   **details: str) -> None:
        """Publish ``notices`` of one revision, each acknowledged by the broker, then record
        it ``notified`` with ``in_force``."""
        for notice in notices:
            if notice.unit_id:
                await assignments.publish(notice, key=notice.unit_id.encode())
            else:
                await review.publish(ReviewItem(**notice.model_dump()), key=document_id.encode())
        units = len({n.unit_id for n in notices if n.unit_id})
        for_review = sum(1 for n in notices if not n.unit_id)
        cancelled = sum(1 for n in notices if n.status == "cancelled")
        # The notices are out: a store that blinks now must not make them go out again.
        await record_made(
            lambda: state.record(document_id, notified_step(revision), notices=len(notices), units=units,
                                 for_review=for_review, revision=revision, cancelled=cancelled,
                                 in_force={k: v.model_dump() for k, v in in_force.items()}, **details),
            stage=STAGE, document_id=document_id)
        log.info("assignments sent", document_id=document_id, units=units, for_review=for_review,
                 revision=revision, cancelled=cancelled, **details)

    async def notify(event: DirectiveParsed, notified: dict) -> None:
        await asyncio.to_thread(check, event)
        secret = bool(event.secrecy or event.secrecy_doubt or event.withheld)
        superseded = await asyncio.to_thread(state.superseded_by, event.document_id)
        notices = [] if superseded else build_notices(
            event, event.document_id, directory, original_url=await link(event.source, secret),
            text_url=await link(event.artifact, secret))
        notices, in_force = revise(event, notices, notices_in_force(notified))
        await send(event.document_id, event.revision, notices, in_force,
                   **({"superseded_by": superseded} if superseded else {}))

    async def retire(document_id: str, new_id: str, new: Directive | None) -> None:
        """Void the notices in force of ``document_id``, whose original ``new_id`` overwrote."""
        notified = await asyncio.to_thread(notified_revisions, state, document_id)
        in_force = notices_in_force(notified)
        if not in_force:
            return
        revision = max(notified) + 1
        old = await asyncio.to_thread(latest_revision, settings, storage, document_id)
        if new is None:
            new = await asyncio.to_thread(latest_revision, settings, storage, new_id)
        await send(document_id, revision, supersede(document_id, revision, old, in_force, new_id, new), {},
                   superseded_by=new_id)

    async def process(event: DirectiveParsed) -> None:
        notified = await asyncio.to_thread(notified_revisions, state, event.document_id)
        if notified and max(notified) >= event.revision:
            log.info("already notified: nothing sent again", document_id=event.document_id, revision=event.revision)
        else:
            await notify(event, notified)
        # After this document's own record (see the module docstring), and on a redelivery too.
        for old in await asyncio.to_thread(state.supersedes, event.document_id):
            await retire(old, event.document_id, event)
        if newer := await asyncio.to_thread(state.superseded_by, event.document_id):
            await retire(event.document_id, newer, None)

    async def on_directive_parsed(records: SkipValidation[list[DirectiveParsed]], message: KafkaMessage) -> None:
        """Send each unit its assignments from the directives of one batch, the most urgent
        first (``records`` is left undecoded: each is validated alone, vanthu/delivery.py)."""
        directives = []
        for item in batch_items(message):
            try:
                directives.append((DirectiveParsed.model_validate_json(item.body), item))
            except ValidationError as exc:
                await wiring.runner.refuse(item, exc)
        for event, item in sorted(directives, key=lambda d: urgency_rank(d[0].urgency)):  # stable: arrival order
            await wiring.runner.run(
                item,
                lambda event=event: process(event),
                failure_for(STAGE, event.document_id, event.source, event.submission),
                document_id=event.document_id,
            )

    subscribe(wiring, settings, STAGE, on_directive_parsed, batch=DIRECTIVES_AT_ONCE)
    return make_app(wiring.broker, STAGE, "Sends each unit its assignments from a parsed directive.")


app = create_app()
