"""Urgent letters first: with several directives waiting, the notify stage sends the notices
of those marked HỎA TỐC, then THƯỢNG KHẨN, before the others (services/notify/app.py).

Handler tests on FastStream's in-memory Kafka, whose ``publish_batch`` hands the stage a
backlog as one batch; tests/integration/test_urgent_on_kafka.py does it on the real Kafka."""

from __future__ import annotations

import datetime as dt

import pytest
from faststream.kafka import TestKafkaBroker

from services.notify import app as notify_app
from tests.inmemory import capture
from tests.units import unit
from vanthu.events import Assignment, DirectiveParsed
from vanthu.settings import Settings

SETTINGS = Settings()
TOPICS = SETTINGS.topics


def directive(n: int, urgency: str | None = None) -> DirectiveParsed:
    """A directive of its own document (``n``) assigning one task to Sở Y tế."""
    health = unit("Sở Y tế")
    return DirectiveParsed(
        document_id=f"{n:064x}", text_source="text-layer", doc_type="Công văn", number=f"{n}/UBND-VX",
        issuer="UBND tỉnh Ninh Bình", urgency=urgency,
        assignments=[Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", section="1",
                                task="Chủ trì triển khai", deadline=dt.date(2025, 3, 31))])


def backlog() -> list[DirectiveParsed]:
    """Five ordinary directives, a THƯỢNG KHẨN one, two more ordinary, then a HỎA TỐC one
    written with the old tone placement, last in the queue."""
    return [*(directive(n) for n in range(1, 6)), directive(6, "Thượng khẩn"), directive(7), directive(8, "Khẩn"),
            directive(9, "HOẢ TỐC")]


def sent_order(notices: list[dict]) -> list[int]:
    """The documents, by number, in the order their first notice was published."""
    order: list[int] = []
    for notice in notices:
        number = int(notice["document_id"], 16)
        if number not in order:
            order.append(number)
    return order


async def test_the_urgent_directive_behind_a_backlog_is_notified_first(memory_storage):
    # GIVEN the notify stage, and a backlog of directives with a HỎA TỐC one last
    app = notify_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.assignments, TOPICS.failed)
    # WHEN the backlog is read (one batch), with a message that is not a directive among it
    async with TestKafkaBroker(app.broker) as broker:
        events = [d.model_dump(mode="json") for d in backlog()]
        await broker.publish_batch(*events[:3], b'{"document_id": "not a directive"', *events[3:],
                                   topic=TOPICS.directives)
    # THEN the HỎA TỐC directive's notices went first, then THƯỢNG KHẨN's, then KHẨN's,
    # then the others in the order they came
    assert sent_order(seen[TOPICS.assignments]) == [9, 6, 8, 1, 2, 3, 4, 5, 7]
    # ... each directive's notices once, and the poison message refused alone
    assert len(seen[TOPICS.assignments]) == 9
    assert [f["reason"] for f in seen[TOPICS.failed]] == ["invalid-event"]


@pytest.mark.parametrize(("urgency", "rank"), [
    ("Hỏa tốc", 0), ("HOẢ TỐC", 0), ("Hỏa tốc hẹn giờ", 0), ("Thượng khẩn", 1), ("THƯỢNG KHẨN", 1), ("Khẩn", 2),
    (None, 3), ("", 3)])
def test_urgency_marks_rank_in_the_order_of_the_decree(urgency, rank):
    assert notify_app.urgency_rank(urgency) == rank
