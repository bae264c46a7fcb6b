"""Parse service: ``vanthu.text`` -> ``vanthu.directives``.

Contract of :func:`on_text_extracted`: reads the text artifact named by the event,
structures it with :func:`services.parse.parser.parse_directive` (which never raises on
odd text: it returns nulls and warnings), and publishes ``DirectiveParsed`` keyed by
document id. A missing artifact or a document without any text publishes
``DocumentFailed``; storage or Kafka trouble sends the event through the retry topic.
"""

from __future__ import annotations

import asyncio

from faststream import FastStream
from faststream.kafka.annotations import KafkaMessage

from services.parse.parser import parse_directive
from vanthu.delivery import failure_for, make_app, subscribe, wire_stage
from vanthu.directory import UnitDirectory
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import DirectiveParsed, TextArtifact, TextExtracted
from vanthu.logs import get_logger
from vanthu.settings import Settings, get_settings
from vanthu.state import StateStore
from vanthu.storage import Storage

STAGE = "parse"


def create_app(settings: Settings | None = None, storage: Storage | None = None) -> FastStream:
    settings = settings or get_settings()
    storage = storage or Storage(settings)
    state = StateStore(storage)
    directory = UnitDirectory.load(settings.directory_path)
    log = get_logger(STAGE)
    wiring = wire_stage(settings, STAGE, "on_text_extracted", settings.topics.text, state)
    directives = wiring.broker.publisher(settings.topics.directives, schema=DirectiveParsed, title="vanthu.directives")

    async def process(event: TextExtracted) -> None:
        artifact = await asyncio.to_thread(storage.get_model, event.artifact, TextArtifact)
        if artifact is None:
            raise DocumentError(FailureReason.ARTIFACT_MISSING, f"text artifact {event.artifact.key} is gone")
        if not artifact.text.strip():
            raise DocumentError(FailureReason.NO_TEXT, "no text was found on any page")
        directive = await asyncio.to_thread(parse_directive, artifact.text, directory)
        parsed = DirectiveParsed(
            **directive.model_dump(),
            document_id=event.document_id,
            text_source=event.text_source,
            source=event.source,
            artifact=event.artifact,
            submission=event.submission,
        )
        await directives.publish(parsed, key=event.document_id.encode())
        await asyncio.to_thread(state.record, event.document_id, "parsed", doc_type=parsed.doc_type,
                                number=parsed.number, assignments=len(parsed.assignments),
                                warnings=len(parsed.warnings))
        log.info("directive parsed", document_id=event.document_id, doc_type=parsed.doc_type,
                 number=parsed.number, assignments=len(parsed.assignments), warnings=len(parsed.warnings))

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
