"""Once a directive's notices are out, the notify stage records them in the state store;
when that store is down for a moment (MinIO restarting), the record waits for it rather
than sending every notice again (services/notify/app.py)."""

from __future__ import annotations

from faststream.kafka import TestKafkaBroker

from services.notify import app as notify_app
from tests.conftest import MemoryStorage
from tests.inmemory import capture
from tests.notify.test_urgent_first import SETTINGS, TOPICS, directive


class StoreDownForAMoment(MemoryStorage):
    """The state store refuses the first ``outage`` writes of a "notified" record, as a
    MinIO that is restarting does (the connection is refused)."""

    def __init__(self, outage: int) -> None:
        super().__init__(SETTINGS)
        self.outage = outage

    def put_bytes(self, ref, data, content_type) -> None:
        if "/notified" in ref.key and self.outage:
            self.outage -= 1
            raise ConnectionRefusedError("the state store is restarting")
        super().put_bytes(ref, data, content_type)


async def test_notices_are_sent_once_when_the_store_blinks_after_sending():
    # GIVEN the notify stage whose state store refuses the record of the notices twice
    storage = StoreDownForAMoment(outage=2)
    app = notify_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.assignments, TOPICS.failed)
    # WHEN a directive comes, then the same directive again (a redelivery)
    async with TestKafkaBroker(app.broker) as broker:
        event = directive(1).model_dump(mode="json")
        await broker.publish(event, topic=TOPICS.directives)
        await broker.publish(event, topic=TOPICS.directives)
    # THEN its notice went out once, the record was made when the store was back, and
    # nothing failed
    assert len(seen[TOPICS.assignments]) == 1
    assert storage.outage == 0 and any("/notified" in key for _, key in storage.objects)
    assert not seen[TOPICS.failed]
