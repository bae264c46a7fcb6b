"""A corrected directive (a new revision of the same document) sends the units only the
difference: new notices, replacements for changed ones, cancellations for removed ones,
and never the same notice twice. Revision 0 sends exactly what it always did.

Handler tests on FastStream's in-memory Kafka with in-memory storage; the same flow on
the real Kafka and MinIO is tests/revisions/test_on_the_stack.py."""

from __future__ import annotations

import datetime as dt

import pytest
from faststream.kafka import TestKafkaBroker

from services.notify import app as notify_app
from services.notify.channels.email import subject
from services.notify.notices import build_notices, revise
from services.notify.secrecy import guard
from tests.inmemory import capture
from tests.units import directory, unit
from vanthu.events import Assignment, AssignmentNotice, DirectiveParsed
from vanthu.settings import Settings

SETTINGS = Settings()
TOPICS = SETTINGS.topics
DOCUMENT = "b" * 64




def directive(revision: int = 0, **fields) -> DirectiveParsed:
    health, finance = unit("Sở Y tế"), unit("Sở Tài chính")
    values = dict(
        document_id=DOCUMENT, text_source="text-layer", doc_type="Thông báo", number="12/TB-UBND",
        issuer="UBND tỉnh Ninh Bình", revision=revision,
        assignments=[
            Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", section="1",
                       task="Chủ trì tổ chức tiêm vắc xin", deadline=dt.date(2025, 3, 31)),
            Assignment(unit=finance.name, unit_text="Sở Tài chính", unit_id=finance.id, role="cooperate",
                       section="1", task="Phối hợp bảo đảm kinh phí"),
        ],
    )
    return DirectiveParsed(**(values | fields))


def with_assignment(event: DirectiveParsed, index: int, revision: int, **fields) -> DirectiveParsed:
    assignments = list(event.assignments)
    assignments[index] = assignments[index].model_copy(update=fields)
    return event.model_copy(update={"assignments": assignments, "revision": revision})


def notices(event: DirectiveParsed) -> list[AssignmentNotice]:
    return build_notices(event, event.document_id, directory())


def test_revision_zero_sends_every_notice_as_before():
    # GIVEN a parsed directive and nothing sent for it yet
    event = directive()
    # WHEN its notices are revised against nothing in force
    sent, in_force = revise(event, notices(event), {})
    # THEN every notice goes, with the keys notify always gave them, and both are in force
    assert [n.model_dump(exclude={"at"}) for n in sent] == [n.model_dump(exclude={"at"}) for n in notices(event)]
    assert [n.idempotency_key for n in sent] == [f"{DOCUMENT}:0:{unit('Sở Y tế').id}",
                                                 f"{DOCUMENT}:1:{unit('Sở Tài chính').id}"]
    assert {s.key for s in in_force.values()} == {n.idempotency_key for n in sent}


def test_a_corrected_unit_cancels_the_old_unit_and_tells_the_new_one():
    # GIVEN revision 0 sent, and revision 1 giving assignment 1 to Sở Xây dựng instead of Sở Tài chính
    first = directive()
    sent, in_force = revise(first, notices(first), {})
    builder = unit("Sở Xây dựng")
    second = with_assignment(first, 1, 1, unit_id=builder.id, unit=builder.name)
    # WHEN revision 1 is revised against what is in force
    again, after = revise(second, notices(second), in_force)
    # THEN Sở Tài chính gets one cancellation of its notice, Sở Xây dựng one new notice, Sở Y tế nothing
    assert [(n.unit_id, n.status) for n in again] == [(builder.id, "assigned"), (unit("Sở Tài chính").id, "cancelled")]
    new, cancelled = again
    assert new.revision == cancelled.revision == 1
    assert new.idempotency_key == f"{DOCUMENT}:r1:1:{builder.id}" and new.supersedes is None
    assert cancelled.supersedes == sent[1].idempotency_key
    assert "ĐÃ HỦY" in subject(cancelled)  # what the unit's mailbox shows first
    assert cancelled.idempotency_key not in {n.idempotency_key for n in sent}
    # ... and the same revision against what is now in force sends nothing
    assert revise(second, notices(second), after)[0] == []


def test_a_changed_deadline_replaces_the_notice():
    # GIVEN revision 0 sent, and revision 1 moving Sở Y tế's deadline
    first = directive()
    sent, in_force = revise(first, notices(first), {})
    second = with_assignment(first, 0, 1, deadline=dt.date(2025, 4, 15), deadline_text="15/04/2025")
    # WHEN it is revised
    again, _ = revise(second, notices(second), in_force)
    # THEN Sở Y tế alone gets the new deadline, naming the notice it replaces; nothing is cancelled
    [replaced] = again
    assert replaced.unit_id == unit("Sở Y tế").id and replaced.deadline == dt.date(2025, 4, 15)
    assert replaced.status == "assigned" and replaced.supersedes == sent[0].idempotency_key
    assert replaced.idempotency_key == f"{DOCUMENT}:r1:0:{unit('Sở Y tế').id}"


def test_revision_keys_do_not_pile_up():
    # GIVEN three revisions, each moving Sở Y tế's deadline
    event = directive()
    _, in_force = revise(event, notices(event), {})
    for revision, day in ((1, 10), (2, 20)):
        event = with_assignment(event, 0, revision, deadline=dt.date(2025, 4, day))
        [sent], in_force = revise(event, notices(event), in_force)
    # THEN the last key names revision 2 once, and supersedes revision 1's
    assert sent.idempotency_key == f"{DOCUMENT}:r2:0:{unit('Sở Y tế').id}"
    assert sent.supersedes == f"{DOCUMENT}:r1:0:{unit('Sở Y tế').id}"


def test_a_secret_documents_correction_stays_identity_only():
    # GIVEN a secret directive's withheld revision 0, sent, and revision 1 moving a unit
    first = directive(secrecy="Mật", withheld=True, assignments=[
        a.model_copy(update={"task": "", "deadline": None}) for a in directive().assignments])
    sent, in_force = revise(first, notices(first), {})
    builder = unit("Sở Xây dựng")
    second = with_assignment(first, 1, 1, unit_id=builder.id, unit=builder.name)
    # WHEN it is revised
    again, _ = revise(second, notices(second), in_force)
    # THEN both the new notice and the cancellation are identity-only, and a channel's guard
    # keeps them what they are (a cancellation stays a cancellation, under its own key)
    assert [(n.unit_id, n.status, n.withheld) for n in again] == [
        (builder.id, "assigned", True), (unit("Sở Tài chính").id, "cancelled", True)]
    assert all(n.document.subject is None and n.original_url is None for n in again)
    for notice in again:
        guarded = guard(notice)
        assert (guarded.status, guarded.idempotency_key, guarded.supersedes) == (
            notice.status, notice.idempotency_key, notice.supersedes)
    assert "văn thư" in guard(again[0]).task and "ĐÃ HỦY" in guard(again[1]).task


@pytest.fixture
def notify(memory_storage):
    app = notify_app.create_app(SETTINGS, memory_storage)
    return app, capture(app.broker, TOPICS.assignments, TOPICS.review)


async def test_the_notify_stage_sends_each_revision_once(notify):
    # GIVEN the notify stage
    app, seen = notify
    first = directive()
    builder = unit("Sở Xây dựng")
    second = with_assignment(first, 1, 1, unit_id=builder.id, unit=builder.name)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN revision 0 arrives, then revision 1, then both again (redelivered, replayed)
        for event in (first, second, second, first):
            await broker.publish(event.model_dump(mode="json"), TOPICS.directives)
    # THEN the units got revision 0's two notices, then one new notice and one cancellation, nothing more
    sent = [(n["unit_id"], n["status"], n["revision"]) for n in seen[TOPICS.assignments]]
    assert sent == [(unit("Sở Y tế").id, "assigned", 0), (unit("Sở Tài chính").id, "assigned", 0),
                    (builder.id, "assigned", 1), (unit("Sở Tài chính").id, "cancelled", 1)]
    assert len({n["idempotency_key"] for n in seen[TOPICS.assignments]}) == 4


async def test_a_resolved_review_item_is_cancelled_and_the_unit_told(notify):
    # GIVEN a directive whose second assignee the directory does not know
    app, seen = notify
    first = with_assignment(directive(), 1, 0, unit_id=None, unit="Ban Quản lý dự án", unit_text="Ban Quản lý dự án")
    builder = unit("Sở Xây dựng")
    second = with_assignment(first, 1, 1, unit_id=builder.id, unit=builder.name)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN it is notified, and then a clerk names the unit in revision 1
        for event in (first, second):
            await broker.publish(event.model_dump(mode="json"), TOPICS.directives)
    # THEN the review item is cancelled on the review topic and the unit gets its notice
    assert [(n["unit"], n["status"]) for n in seen[TOPICS.review]] == [
        ("Ban Quản lý dự án", "assigned"), ("Ban Quản lý dự án", "cancelled")]
    assert seen[TOPICS.review][1]["supersedes"] == seen[TOPICS.review][0]["idempotency_key"]
    assert [(n["unit_id"], n["revision"]) for n in seen[TOPICS.assignments]] == [
        (unit("Sở Y tế").id, 0), (builder.id, 1)]
