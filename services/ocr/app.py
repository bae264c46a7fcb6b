"""OCR service: ``vanthu.objects`` (MinIO notifications) -> ``vanthu.text``.

Contract of :func:`on_object_created`, per S3 record of the notification:
- reads the object (never modifies it) as the version the record names, and refuses
  (``invalid-reference``) bytes whose eTag is not the record's; ``document_id`` is the
  sha256 of its bytes;
- records the submission in the document's state, with the object's version and eTag;
  the same bytes under another key, or put again under the same key, are a
  re-submission: ``DocumentFailed`` with reason ``duplicate``, nothing more; a second event
  of a version already read (an upload announced by its submitter, then MinIO's own event:
  vanthu/announce.py) is only logged;
- other bytes put under a key that held an original overwrite it (the intake bucket is
  versioned, so the old version stays): the new document ``supersedes`` the old one, in
  its ``received`` record and events, and the old one's state says ``superseded-by``
  (the notify stage then tells its units, services/notify/app.py);
- reuses the text artifact ``artifacts/text/<document_id>.json`` when one of the
  current schema version exists (same bytes, same text), otherwise extracts the text
  and writes the artifact;
- then publishes ``TextExtracted`` keyed by document id;
- bad input (missing, empty, corrupt, encrypted, unsupported, too big...) publishes
  ``DocumentFailed`` instead; storage or Kafka trouble sends the notification through
  the retry topic (vanthu.delivery), so nothing is lost.
Objects under the bulk prefix arrive on ``vanthu.objects`` too: they are moved to the bulk
lane's topic, read only when no ordinary document is (services/ocr/lanes.py). ``urgency``
on the event is the mark page 1 shows (HỎA TỐC, THƯỢNG KHẨN), as the parse stage reads it.
Objects in buckets other than the intake bucket are ignored; a key that could escape its
place (``..``, a leading ``/``) is a permanent ``invalid-reference`` failure. A text artifact
whose header carries a secrecy mark is sealed when ``VANTHU_SECRECY__TEXT=encrypt``
(services/notify/secrecy.py). Page images live in the process's private scratch directory
(:func:`vanthu.storage.scratch_dir`).

Throughput: a worker reads up to ``DOCUMENTS_IN_FLIGHT`` ordinary documents at once
(vanthu/delivery.py ``InFlight``), whose pages share the process's Tesseract slots (one
per core, services/ocr/pipeline.py ``Slots``): while one document's last pages are read,
or its bytes fetched, hashed, checked for duplicates, its artifact written and its event
published, the others' pages keep every core busy, and a document done makes room for
the next notification at once. A partition is committed up to its earliest document not
done (text event published and state recorded, or ``DocumentFailed`` published, or the
notification handed to the retry topic), never past it: a worker killed with documents
in flight has each read again (harmless: the document id makes every effect
idempotent). Memory stays bounded by the window: at most ``DOCUMENTS_IN_FLIGHT``
documents' bytes and artifacts, and ``workers`` page images being read. The bulk lane
takes one document at a time (it is read only when no ordinary one is, so nothing is
fetched ahead of the ordinary lane there).
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from faststream import FastStream
from faststream.kafka.annotations import KafkaMessage
from pydantic import SkipValidation, ValidationError

from services.notify import secrecy
from services.ocr.lanes import DownstreamLag, Lanes
from services.ocr.pipeline import Slots, extract
from services.parse.header import parse_header
from vanthu.announce import OneAtATime, already_read
from vanthu.delivery import InFlight, batch_items, make_app, subscribe, subscriber_options, wire_stage
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import ARTIFACT_SCHEMA_VERSION, DocumentFailed, ObjectCreated, S3Record, TextArtifact, TextExtracted
from vanthu.logs import get_logger
from vanthu.observability import OCR_PAGES
from vanthu.settings import Settings, get_settings
from vanthu.state import StateStore, StepRecord, received_step, superseded_step
from vanthu.storage import Storage, check_original, scratch_dir, text_artifact_ref

STAGE = "ocr"
# Ordinary documents a worker reads at once: enough that the cores never wait for one
# document's serial work or last page, few enough that their bytes and artifacts stay small.
DOCUMENTS_IN_FLIGHT = 8


def summarise(record: S3Record, artifact: TextArtifact, settings: Settings,
              supersedes: str | None = None) -> TextExtracted:
    """The ``vanthu.text`` event for an extracted artifact (of the document that overwrote
    ``supersedes``, when one did)."""
    ocr_confidences = [p.confidence for p in artifact.pages if p.confidence is not None]
    mean = sum(ocr_confidences) / len(ocr_confidences) if ocr_confidences else None
    return TextExtracted(
        document_id=artifact.document_id,
        source=record.ref,
        submission=record.submission,
        artifact=text_artifact_ref(settings, artifact.document_id),
        media_type=artifact.media_type,
        pages=len(artifact.pages),
        text_source=artifact.text_source,
        page_sources=[p.source for p in artifact.pages],
        mean_confidence=mean,
        low_confidence=(mean is not None and mean < settings.ocr.low_confidence) or any(p.warning for p in artifact.pages),
        failed_pages=[p.number for p in artifact.pages if p.error],
        review_pages=[p.number for p in artifact.pages if p.warning],
        urgency=parse_header(artifact.pages[0].text.splitlines()).urgency,
        supersedes=supersedes,
    )


def create_app(settings: Settings | None = None, storage: Storage | None = None,
               downstream_lag: Callable[[], int] | None = None) -> FastStream:
    """The OCR service; ``downstream_lag`` (default: read from Kafka, :class:`DownstreamLag`)
    is what the bulk lane waits on, as ``storage`` replaceable in tests."""
    settings = settings or get_settings()
    storage = storage or Storage(settings)
    state = StateStore(storage)
    log = get_logger(STAGE)
    scratch_dir()  # made (and a killed predecessor's removed) at start, not at the first page
    wiring = wire_stage(settings, STAGE, "on_objects", settings.topics.objects, state)
    text = wiring.broker.publisher(settings.topics.text, schema=TextExtracted, title="vanthu.text")
    to_bulk = wiring.broker.publisher(settings.topics.bulk, schema=ObjectCreated, title=f"{settings.topics.bulk}:moved")
    lanes = Lanes(settings.lanes, lag=downstream_lag or DownstreamLag(settings))
    versions = OneAtATime()
    in_flight = InFlight(STAGE, DOCUMENTS_IN_FLIGHT)  # the intake and its retry topic
    bulk_in_flight = InFlight(STAGE, 1)
    slots = Slots(settings.ocr.workers)
    # A thread per document being extracted (a batch from the intake and one from the retry
    # topic), apart from the default executor's, so that storage calls never queue behind them.
    documents = ThreadPoolExecutor(2 * DOCUMENTS_IN_FLIGHT, thread_name_prefix="ocr-document")

    def overwritten(record: S3Record, document_id: str) -> str | None:
        """The document whose original this version of the key overwrote (other bytes),
        told by hashing the version before it: the bucket keeps it, whatever became of
        its own event."""
        before = storage.previous_version(record.ref) if record.ref.version_id else None
        if before is None:
            return None
        try:
            old = hashlib.sha256(storage.read(before, max_bytes=settings.ocr.max_bytes)).hexdigest()
        except DocumentError:  # gone or too large: it was never a document
            return None
        return old if old != document_id else None

    def first_submission(document_id: str, record: S3Record, supersedes: str | None) -> StepRecord | None:
        """Record this submission (once: a redelivery keeps its first receipt); return the
        first submission of the same bytes when that is another one (another key, or an
        earlier version of this key).

        Deciding by the *first* receipt matters: an original retried after its duplicate
        arrived must not be taken for a duplicate of its own duplicate."""
        mine = received_step(record.ref)
        received = state.submissions(document_id)
        own = next((r for r in received if r.step == mine), None)
        if own is None:
            details = {"key": record.ref.key, "bucket": record.ref.bucket, "version_id": record.ref.version_id,
                       "etag": record.s3.object.etag, "supersedes": supersedes,
                       **record.submission.model_dump()}
            received.append(state.record(document_id, mine, **{k: v for k, v in details.items() if v is not None}))
        elif own.details.get("version_id") != record.ref.version_id:
            return own
        return received[0] if received[0].step != mine else None

    async def process(record: S3Record, seen: dict[str, str], bulk: bool) -> None:
        check_original(settings, record.ref)
        if bulk:
            await lanes.bulk_turn()
        data = await asyncio.to_thread(storage.read, record.ref, max_bytes=settings.ocr.max_bytes,
                                       etag=record.s3.object.etag)
        document_id = seen["document_id"] = hashlib.sha256(data).hexdigest()
        if await asyncio.to_thread(already_read, state, document_id, record):
            # vanthu/announce.py: the submitter announced it before MinIO did; nothing to do twice
            log.info("already read: a repeated event of this version", document_id=document_id, key=record.ref.key)
            return
        supersedes = await asyncio.to_thread(overwritten, record, document_id)
        if first := await asyncio.to_thread(first_submission, document_id, record, supersedes):
            raise DocumentError(FailureReason.DUPLICATE, f"the same bytes as s3://{first.details.get('bucket')}/"
                                f"{first.details.get('key')}, received {first.at:%Y-%m-%d %H:%M} UTC: "
                                "no new assignments are sent")
        if supersedes:  # before the text event: see services/notify/app.py, "superseded"
            await asyncio.to_thread(state.record, supersedes, superseded_step(document_id), key=record.ref.key,
                                    version_id=record.ref.version_id)
        artifact_ref = text_artifact_ref(settings, document_id)
        stored = await asyncio.to_thread(secrecy.load_artifact, storage, settings.secrecy, artifact_ref)
        artifact = stored[0] if stored else None
        if artifact is None or artifact.schema_version < ARTIFACT_SCHEMA_VERSION:  # an older artifact lacks the layout
            if bulk:
                # Handed over as a file, and let go of here while it is read, its artifact
                # handed back as a file: a bulk document may have hundreds of pages.
                document = scratch_dir() / f"bulk-{uuid.uuid4().hex}"  # unique: a retry may read it too
                written = document.with_suffix(".json")
                await asyncio.to_thread(document.write_bytes, data)
                del data
                try:
                    artifact = await lanes.extract_bulk(document, written, settings.ocr)
                    await asyncio.to_thread(secrecy.store_artifact, storage, settings.secrecy, artifact_ref, artifact,
                                            written)
                finally:
                    document.unlink(missing_ok=True)
                    written.unlink(missing_ok=True)
            else:
                artifact = await asyncio.get_running_loop().run_in_executor(
                    documents, lambda: extract(data, settings.ocr, slots=slots))
                await asyncio.to_thread(secrecy.store_artifact, storage, settings.secrecy, artifact_ref, artifact)
            for page in artifact.pages:
                OCR_PAGES.labels(page.source).inc()
        event = summarise(record, artifact, settings, supersedes)
        secret = secrecy.find_mark(artifact.text).secret  # flagged from the first stage on
        await text.publish(event, key=document_id.encode())
        await asyncio.to_thread(state.record, document_id, "text", pages=event.pages, text_source=event.text_source,
                                failed_pages=event.failed_pages, mean_confidence=event.mean_confidence,
                                secret=secret or None, urgency=event.urgency, bulk=bulk or None)
        log.info("text extracted", document_id=document_id, key=record.ref.key, pages=event.pages,
                 text_source=event.text_source, failed_pages=event.failed_pages, secret=secret,
                 urgency=event.urgency, bulk=bulk, supersedes=supersedes)

    async def handle(record: S3Record, message: KafkaMessage, bulk: bool) -> None:
        seen: dict[str, str] = {}
        await wiring.runner.run(
            message,
            # one at a time per version: an announced upload's two events may share a batch
            lambda: versions.run(record.ref, process(record, seen, bulk)),
            lambda exc: DocumentFailed(document_id=seen.get("document_id"), stage=STAGE, reason=exc.reason,
                                       message=exc.message, source=record.ref, submission=record.submission),
            key=record.ref.key,
        )

    async def on_object_created(event: ObjectCreated, message: KafkaMessage) -> None:
        """Extract the text of each object created in the intake bucket (bulk ones in the bulk lane)."""
        for record in event.records:
            if not record.event_name.startswith("s3:ObjectCreated") or record.ref.bucket != settings.buckets.incoming:
                continue
            bulk = lanes.is_bulk(record.ref.key)
            if bulk and message.raw_message.topic == settings.topics.objects:
                moved = event.model_copy(update={"records": [record]}).model_dump(mode="json", by_alias=True)
                await to_bulk.publish(moved, key=record.ref.key.encode())
            elif bulk:
                await handle(record, message, bulk=True)
            else:
                async with lanes.ordinary():
                    await handle(record, message, bulk=False)

    async def one(item: KafkaMessage) -> None:
        try:
            event = ObjectCreated.model_validate_json(item.body)
        except ValidationError as exc:
            await wiring.runner.refuse(item, exc)
            return
        await on_object_created(event, item)

    async def on_objects(records: SkipValidation[list[ObjectCreated]], message: KafkaMessage) -> None:
        """Extract the text of each object created in the intake bucket (bulk ones in the bulk
        lane), each document started as soon as a document before it is done (``InFlight``).
        ``records`` is left undecoded: each is validated alone (vanthu/delivery.py)."""
        topics = {item.raw_message.topic for item in batch_items(message)}
        await (bulk_in_flight if settings.topics.bulk in topics else in_flight).take(message, one)

    subscriber = subscribe(wiring, settings, STAGE, on_objects, batch=DOCUMENTS_IN_FLIGHT, in_flight=True)
    options = subscriber_options(settings, STAGE, batch=1, in_flight=True)
    wiring.broker.subscriber(settings.topics.bulk, title=settings.topics.bulk,
                             **{**options, "group_id": f"{options['group_id']}.bulk"})(subscriber)
    app = make_app(wiring.broker, STAGE, "Extracts the text of documents put into the intake bucket.")
    app.on_shutdown(in_flight.cancel)
    app.on_shutdown(bulk_in_flight.cancel)
    app.after_shutdown(lanes.close)
    app.after_shutdown(lambda: documents.shutdown(wait=False, cancel_futures=True))
    return app


app = create_app()
