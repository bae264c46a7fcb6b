"""Parse service: ``vanthu.text`` -> ``vanthu.directives``.

Contract of :func:`on_text_extracted`: reads the text artifact named by the event,
structures it with :func:`services.parse.parser.parse_directive` (which never raises on
odd text: it returns nulls and warnings), and publishes ``DirectiveParsed`` keyed by
document id. A missing artifact or a document without any text publishes
``DocumentFailed``; storage or Kafka trouble sends the event through the retry topic.

The event is not trusted: its artifact must be the text artifact of its document id, its
source an original in the intake bucket that the OCR stage received as that document;
otherwise one ``DocumentFailed`` (``invalid-reference``) and nothing is read.

A page the OCR stage could not read, or read at low confidence, is named in the
directive's warnings and in one ``vanthu.review`` item for the records office, so that a
clerk checks the document against the original (the directive is published all the same).

A secret document (a secrecy mark, or a mark in doubt: services/notify/secrecy.py) is
published withheld (identity, level, units; no text), or with ``VANTHU_SECRECY__HOLD`` not
at all; either way a clerk gets an item on ``vanthu.review`` when it is held or its mark
in doubt. Its text artifact is then removed or kept sealed (``VANTHU_SECRECY__TEXT``).
"""

from __future__ import annotations

import asyncio
from functools import partial

from faststream import FastStream
from faststream.kafka.annotations import KafkaMessage

from services.notify import secrecy
from services.parse.parser import parse_directive
from services.parse.signings import signing_dates
from vanthu.delivery import failure_for, make_app, subscribe, wire_stage
from vanthu.directory import UnitDirectory
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import DirectiveParsed, ReviewItem, TextArtifact, TextExtracted
from vanthu.logs import get_logger
from vanthu.revisions import keep_parsed
from vanthu.settings import Settings, get_settings
from vanthu.state import StateStore
from vanthu.storage import Storage, check_artifact

STAGE = "parse"


def unread_pages(artifact: TextArtifact) -> list[str]:
    """What the OCR stage said of the pages it could not read, or not reliably."""
    return [f"page {page.number} could not be read ({page.error})" if page.error
            else f"page {page.number} may be misread ({page.warning})"
            for page in artifact.pages if page.error or page.warning]


def handwritten_readings(artifact: TextArtifact) -> list[str]:
    """The digits the OCR stage read from handwriting in the form's blanks, with their
    certainty: a clerk checks them against the original before trusting a number or day."""
    return [f"page {page.number}: \"{word.text}\" read from handwriting ({word.confidence or 0:.0f}% sure): check it"
            for page in artifact.pages for block in page.blocks for line in block.lines for word in line.words
            if word.handwritten]


def create_app(settings: Settings | None = None, storage: Storage | None = None) -> FastStream:
    settings = settings or get_settings()
    storage = storage or Storage(settings)
    state = StateStore(storage)
    directory = UnitDirectory.from_settings(settings)
    log = get_logger(STAGE)
    wiring = wire_stage(settings, STAGE, "on_text_extracted", settings.topics.text, state)
    directives = wiring.broker.publisher(settings.topics.directives, schema=DirectiveParsed, title="vanthu.directives")
    review = wiring.broker.publisher(settings.topics.review, schema=ReviewItem, title="vanthu.review")

    def check(event: TextExtracted) -> None:
        """What the event names is this document's (see the module docstring)."""
        check_artifact(settings, event.document_id, event.artifact)
        state.check_original(event.document_id, event.source)

    async def process(event: TextExtracted) -> None:
        await asyncio.to_thread(check, event)
        stored = await asyncio.to_thread(secrecy.load_artifact, storage, settings.secrecy, event.artifact)
        if stored is None:
            raise DocumentError(FailureReason.ARTIFACT_MISSING, f"text artifact {event.artifact.key} is gone")
        artifact, sealed = stored
        if artifact.document_id != event.document_id:
            raise DocumentError(FailureReason.ARTIFACT_INVALID, f"text artifact {event.artifact.key} is "
                                f"document {artifact.document_id[:80]}'s")
        if not artifact.text.strip():
            raise DocumentError(FailureReason.NO_TEXT, "no text was found on any page")
        signed = signing_dates(artifact)
        directive = await asyncio.to_thread(partial(parse_directive, signed=signed), artifact.text, directory)
        secret = secrecy.assess(directive, artifact.text)
        unread = unread_pages(artifact)
        parsed = DirectiveParsed(
            **directive.model_dump(exclude={"secrecy", "secrecy_doubt", "warnings"}),
            warnings=[*unread, *handwritten_readings(artifact), *directive.warnings],
            secrecy=secret.level,
            secrecy_doubt=secret.doubt,
            document_id=event.document_id,
            text_source=event.text_source,
            source=event.source,
            artifact=event.artifact,
            submission=event.submission,
            supersedes=event.supersedes,
        )
        if secret.secret:
            published = await publish_secret(parsed, artifact, sealed)
        else:
            await directives.publish(parsed, key=event.document_id.encode())
            published = parsed
        if checks := [*unread, *parsed.inferred.values()]:
            # never a silent, thin or guessed directive: a clerk compares it with the original
            item = secrecy.records_office_item(
                published or secrecy.withhold(parsed), "pages",
                "Check against the original and correct the directive: " + "; ".join(checks))
            await review.publish(item, key=event.document_id.encode())
        if published is not None:  # what a clerk's correction starts from (vanthu/revisions.py)
            await asyncio.to_thread(keep_parsed, storage, published)
        await asyncio.to_thread(state.record, event.document_id, "parsed", doc_type=parsed.doc_type,
                                number=parsed.number, assignments=len(parsed.assignments),
                                warnings=len(parsed.warnings), secrecy=parsed.secrecy,
                                held=(secret.secret and settings.secrecy.hold) or None)
        log.info("directive parsed", document_id=event.document_id, doc_type=parsed.doc_type,
                 number=parsed.number, assignments=len(parsed.assignments), warnings=len(parsed.warnings),
                 secrecy=parsed.secrecy)

    async def publish_secret(parsed: DirectiveParsed, artifact: TextArtifact, sealed: bool) -> DirectiveParsed | None:
        """Publish what may be published of a secret directive, then keep its text only
        sealed; returns what was published (None: held back)."""
        withheld = secrecy.withhold(parsed)
        if settings.secrecy.hold or parsed.secrecy_doubt:
            why = ("held back from the pipeline (VANTHU_SECRECY__HOLD): route it by hand" if settings.secrecy.hold
                   else "secrecy mark damaged or partly covered: check the original; it is treated as secret")
            await review.publish(secrecy.review_item(withheld, why), key=parsed.document_id.encode())
        if not settings.secrecy.hold:
            await directives.publish(withheld, key=parsed.document_id.encode())
        if settings.secrecy.text == "drop":
            await asyncio.to_thread(storage.remove, parsed.artifact)
        elif not sealed:
            await asyncio.to_thread(secrecy.write_artifact, storage, settings.secrecy, parsed.artifact, artifact,
                                    sealed=True)
        return None if settings.secrecy.hold else withheld

    async def on_text_extracted(event: TextExtracted, message: KafkaMessage) -> None:
        """Structure the extracted text of one document."""
        await wiring.runner.run(
            message,
            lambda: process(event),
            failure_for(STAGE, event.document_id, event.source, event.submission),
            document_id=event.document_id,
        )

    subscribe(wiring, settings, STAGE, on_text_extracted)
    return make_app(wiring.broker, STAGE, "Structures the text of a directive into the public parsed-directive event.")


app = create_app()
