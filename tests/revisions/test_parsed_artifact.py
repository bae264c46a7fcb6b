"""The parse stage keeps what it published as the revision a clerk's correction starts from
(a secret document's withheld form only). Handler tests on FastStream's in-memory Kafka;
on the real stack, tests/integration/test_pipeline.py runs the same stage."""

from __future__ import annotations

import pytest
from faststream.kafka import TestKafkaBroker

from services.parse import app as parse_app
from tests.inmemory import capture
from vanthu.events import DirectiveParsed, ObjectRef, PageText, TextArtifact, TextExtracted
from vanthu.revisions import latest_revision
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step
from vanthu.storage import text_artifact_ref

SETTINGS = Settings()
TOPICS = SETTINGS.topics
SOURCE = ObjectRef(bucket=SETTINGS.buckets.incoming, key="a.pdf")


async def parse(storage, document_id: str, text: str) -> list[DirectiveParsed]:
    """Publish the text event of ``text`` to the parse stage; the directives it published."""
    ref = text_artifact_ref(SETTINGS, document_id)
    storage.put_model(ref, TextArtifact(document_id=document_id, media_type="application/pdf",
                                        pages=[PageText(number=1, text=text, source="text-layer")]))
    StateStore(storage).record(document_id, received_step(SOURCE), bucket=SOURCE.bucket, key=SOURCE.key)
    app = parse_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.directives)
    event = TextExtracted(document_id=document_id, source=SOURCE, artifact=ref, media_type="application/pdf",
                          pages=1, text_source="text-layer", page_sources=["text-layer"])
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(event.model_dump(mode="json"), TOPICS.text)
    return [DirectiveParsed.model_validate(d) for d in seen[TOPICS.directives]]


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
async def test_the_published_directive_is_kept_for_corrections(memory_storage, examples, secret):
    # GIVEN a directive's text, and the same with a "MẬT" stamp under its number
    lines = examples["002_d2642929b84c508e"].splitlines()
    if secret:
        number = next(i for i, line in enumerate(lines) if line.strip().startswith("Số"))
        lines.insert(number + 1, "MẬT")
    document_id = ("5" if secret else "4") * 64
    # WHEN the parse stage reads it
    [published] = await parse(memory_storage, document_id, "\n".join(lines))
    # THEN the revision kept is exactly what was published: the withheld form of a secret one
    assert latest_revision(SETTINGS, memory_storage, document_id) == published
    assert published.revision == 0 and published.withheld is secret
    assert (published.subject is None) is secret
