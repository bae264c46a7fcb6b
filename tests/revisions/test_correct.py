"""A clerk's corrections, review resolutions, task marks and reminders (vanthu/revisions.py),
on in-memory storage with the events they publish recorded; the notify stage's answer to
a revision is run on FastStream's in-memory Kafka. The same on the real Kafka and MinIO:
test_on_the_stack.py."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from faststream.kafka import TestKafkaBroker

from services.notify import app as notify_app
from tests.inmemory import capture
from tests.units import directory, unit
from vanthu.directory import UnitDirectory
from vanthu.events import Assignment, DirectiveParsed, ReviewItem, TaskMarked
from vanthu.revisions import (
    AssignmentEdit,
    CorrectionError,
    Edits,
    NothingChanged,
    StaleRevision,
    correct,
    keep_parsed,
    latest_revision,
    mark_task,
    resolve_review,
    send_reminders,
)
from vanthu.settings import Settings

SETTINGS = Settings()
TOPICS = SETTINGS.topics
DOCUMENT = "c" * 64




class Recorder:
    """Stands in for the Kafka producer: keeps (topic, event, key) of each publish."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, object, str]] = []

    def __call__(self, topic, event, key) -> None:
        self.sent.append((topic, event, key))

    def on(self, topic: str) -> list:
        return [event for t, event, _ in self.sent if t == topic]


@pytest.fixture
def publish() -> Recorder:
    return Recorder()


def parsed(**fields) -> DirectiveParsed:
    health = unit("Sở Y tế")
    values = dict(
        document_id=DOCUMENT, text_source="text-layer", doc_type="Kế hoạch", number="15/KH-UBND",
        number_seq=15, symbol="KH-UBND", issuer="UBND tỉnh Ninh Bình", subject="Tiêm chủng mở rộng",
        assignments=[
            Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", section="2",
                       task="Chủ trì triển khai kế hoạch", deadline=dt.date(2025, 6, 30), deadline_text="30/6/2025"),
            Assignment(unit="Ban Quản lý các dự án", unit_text="Ban Quản lý các dự án", role="cooperate",
                       section="2", task="Phối hợp thực hiện"),
        ],
    )
    return DirectiveParsed(**(values | fields))


@pytest.fixture
def stored(memory_storage) -> DirectiveParsed:
    """Revision 0 as the parse stage keeps it."""
    event = parsed()
    keep_parsed(memory_storage, event)
    return event


def run(memory_storage, publish, edits: Edits, by: str = "Nguyễn Thị Lan") -> DirectiveParsed:
    return correct(SETTINGS, memory_storage, DOCUMENT, edits, by, directory=directory(), publish=publish)


def test_a_header_correction_is_the_next_revision_with_who_changed_what(memory_storage, publish, stored):
    # WHEN a clerk corrects the number and sets the date
    revision = run(memory_storage, publish, Edits(header={"number": "16/KH-UBND", "date": "2025-03-05"}))
    # THEN revision 1 is published keyed by the document, the number's parts follow it,
    # the change names the clerk, field, old and new, and the stored latest revision is it
    [(topic, event, key)] = publish.sent
    assert (topic, key, event) == (TOPICS.directives, DOCUMENT, revision)
    assert revision.revision == 1 and revision.corrected_by == "Nguyễn Thị Lan"
    assert (revision.number, revision.number_seq, revision.symbol) == ("16/KH-UBND", 16, "KH-UBND")
    assert revision.date == dt.date(2025, 3, 5)
    assert {(c.field, c.old, c.new) for c in revision.changes} == {
        ("number", "15/KH-UBND", "16/KH-UBND"), ("number_seq", 15, 16), ("date", None, "2025-03-05")}
    assert revision.assignments == stored.assignments and revision.subject == stored.subject
    assert latest_revision(SETTINGS, memory_storage, DOCUMENT) == revision


def test_assignments_removed_changed_and_added(memory_storage, publish, stored):
    # WHEN a clerk removes the unknown unit, moves Sở Y tế's deadline and adds Sở Tài chính
    finance = unit("Sở Tài chính")
    revision = run(memory_storage, publish, Edits(
        remove=[1], change={0: AssignmentEdit(deadline=dt.date(2025, 7, 31))},
        add=[AssignmentEdit(unit_id=finance.id, role="cooperate", section="2", task="Bảo đảm kinh phí")]))
    # THEN the revision has the two, the added one named as the directory names it
    assert [(a.unit_id, a.role, a.deadline) for a in revision.assignments] == [
        (unit("Sở Y tế").id, "lead", dt.date(2025, 7, 31)), (finance.id, "cooperate", None)]
    assert revision.assignments[1].unit_name == finance.name
    assert revision.assignments[0].deadline_text == "31/07/2025"
    fields = [c.field for c in revision.changes]
    assert fields == ["assignments[0].deadline", "assignments[0].deadline_text", "assignments[1]", "assignments[+1]"]
    removed = revision.changes[2]
    assert removed.old["unit"] == "Ban Quản lý các dự án" and removed.new is None


def test_corrections_that_cannot_be_made_publish_nothing(memory_storage, publish, stored):
    # WHEN edits name a unit the directory lacks, an assignment that is not there, a field
    # that is not a header field, an invalid value, nothing new, or an older revision
    bad = [
        (Edits(change={0: AssignmentEdit(unit_id="vn:99:khong-co")}), CorrectionError),
        (Edits(remove=[5]), CorrectionError),
        (Edits(header={"secrecy": None}), CorrectionError),
        (Edits(header={"date": "32/13/2025"}), CorrectionError),
        (Edits(header={"number": "15/KH-UBND"}), NothingChanged),
        (Edits(base_revision=3, header={"number": "1/KH-UBND"}), StaleRevision),
    ]
    for edits, error in bad:
        with pytest.raises(error):
            run(memory_storage, publish, edits)
    # THEN nothing was published and revision 0 is still the latest
    assert publish.sent == [] and latest_revision(SETTINGS, memory_storage, DOCUMENT).revision == 0


def test_edits_in_their_json_form_and_a_broker_that_refuses(memory_storage, publish, stored):
    # WHEN the desk posts the edits as JSON and the broker does not take the revision
    def down(topic, event, key):
        raise ConnectionError("Kafka unreachable")

    edits = {"base_revision": 0, "change": {"0": {"role": "cooperate"}}}
    with pytest.raises(ConnectionError):
        correct(SETTINGS, memory_storage, DOCUMENT, edits, "Lan", directory=directory(), publish=down)
    # THEN revision 0 is still the latest, and the same edits go through once the broker is back
    assert latest_revision(SETTINGS, memory_storage, DOCUMENT) == stored
    revision = run(memory_storage, publish, Edits.model_validate(edits))
    assert revision.revision == 1 and revision.assignments[0].role == "cooperate"


def test_a_secret_document_is_corrected_in_its_withheld_form_only(memory_storage, publish):
    # GIVEN a secret document's withheld revision 0
    keep_parsed(memory_storage, parsed(secrecy="Mật", withheld=True, subject=None, assignments=[
        a.model_copy(update={"task": "", "deadline": None, "deadline_text": None}) for a in parsed().assignments]))
    # WHEN a clerk tries to give it a subject or a task THEN it is refused
    for edits in (Edits(header={"subject": "Nội dung mật"}), Edits(change={0: AssignmentEdit(task="Nội dung mật")})):
        with pytest.raises(CorrectionError):
            run(memory_storage, publish, edits)
    # ... while moving a unit is a withheld revision like the first
    revision = run(memory_storage, publish, Edits(change={1: AssignmentEdit(unit_id=unit("Sở Xây dựng").id)}))
    assert revision.withheld and revision.secrecy == "Mật" and revision.subject is None
    assert all(a.task == "" for a in revision.assignments)


def test_a_reparse_does_not_undo_a_correction(memory_storage, publish, stored):
    # GIVEN a corrected document
    run(memory_storage, publish, Edits(header={"number": "16/KH-UBND"}))
    # WHEN the parse stage stores revision 0 again (a replayed text event)
    keep_parsed(memory_storage, parsed())
    # THEN the correction is still the latest revision
    assert latest_revision(SETTINGS, memory_storage, DOCUMENT).number == "16/KH-UBND"


async def notified(memory_storage, *events: DirectiveParsed) -> dict[str, list[dict]]:
    """What the notify stage sends for ``events``, in turn (it keeps its state in ``memory_storage``)."""
    app = notify_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.assignments, TOPICS.review)
    async with TestKafkaBroker(app.broker) as broker:
        for event in events:
            await broker.publish(event.model_dump(mode="json"), TOPICS.directives)
    return seen


async def test_a_corrected_unit_reaches_the_units_as_a_cancellation_and_a_notice(memory_storage, publish, stored):
    # GIVEN revision 0 notified
    await notified(memory_storage, stored)
    # WHEN a clerk gives Sở Y tế's assignment to Sở Giáo dục và Đào tạo, and the revision
    # reaches the notify stage twice
    education = unit("Sở Giáo dục và Đào tạo")
    revision = run(memory_storage, publish, Edits(change={0: AssignmentEdit(unit_id=education.id)}))
    seen = await notified(memory_storage, revision, revision)
    # THEN Sở Y tế gets one cancellation, Sở Giáo dục và Đào tạo one notice, and nothing more
    assert [(n["unit_id"], n["status"]) for n in seen[TOPICS.assignments]] == [
        (education.id, "assigned"), (unit("Sở Y tế").id, "cancelled")]
    assert seen[TOPICS.review] == []


async def test_resolving_a_review_item_routes_it_and_teaches_an_alias(memory_storage, publish, stored, tmp_path):
    # GIVEN revision 0 notified (its second assignee went to review) and a deployment overlay
    seen = await notified(memory_storage, stored)
    [item] = [ReviewItem.model_validate(i) for i in seen[TOPICS.review]]
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(yaml.safe_dump({"national": True}), encoding="utf-8")
    settings = SETTINGS.model_copy(update={"directory": SETTINGS.directory.model_copy(update={"overlay": str(overlay)})})
    builder = unit("Sở Xây dựng")
    # WHEN a clerk resolves it to Sở Xây dựng, twice (a second click)
    first = resolve_review(settings, memory_storage, item, builder.id, "Trần Văn Minh", directory=directory(),
                           publish=publish)
    second = resolve_review(settings, memory_storage, item, builder.id, "Trần Văn Minh", directory=directory(),
                            publish=publish)
    # THEN one revision gives the assignment that unit, and the notify stage cancels the
    # review item and tells the unit
    assert len(publish.on(TOPICS.directives)) == 1 and second.revision == first.revision
    assert first.revision.assignments[1].unit_id == builder.id and first.revision.corrected_by == "Trần Văn Minh"
    after = await notified(memory_storage, first.revision)
    assert [(n["unit_id"], n["status"]) for n in after[TOPICS.assignments]] == [(builder.id, "assigned")]
    assert [n["status"] for n in after[TOPICS.review]] == ["cancelled"]
    # ... and the printed name now resolves to the unit through the overlay
    assert first.alias == "Ban Quản lý các dự án"
    taught = UnitDirectory.national(overlay=overlay)
    assert taught.match("Ban Quản lý các dự án", builder.scope).unit.id == builder.id


async def test_task_marks_and_reminders(memory_storage, publish, stored):
    # GIVEN revision 0 notified: Sở Y tế's task is due on 30/6/2025
    seen = await notified(memory_storage, stored)
    [notice] = seen[TOPICS.assignments]
    health = unit("Sở Y tế").id
    # WHEN a unit marks a task that is not its own THEN it is refused
    with pytest.raises(CorrectionError):
        mark_task(SETTINGS, memory_storage, notice["idempotency_key"], unit("Sở Tài chính").id, "received", "x",
                  publish=publish)
    # WHEN Sở Y tế marks it received THEN the mark is published, keyed by the unit
    mark_task(SETTINGS, memory_storage, notice["idempotency_key"], health, "received", "Lê Hoa", publish=publish)
    [(topic, mark, key)] = publish.sent
    assert (topic, key) == (TOPICS.tasks, health)
    assert TaskMarked.model_validate(mark.model_dump()).mark == "received"
    # WHEN reminders run 5 days before the deadline with a 3-day lead THEN none is due
    assert send_reminders(SETTINGS, memory_storage, dt.date(2025, 6, 25), 3, publish=publish) == []
    # WHEN they run 3 days before, and again that day THEN one reminder, once
    [reminder] = send_reminders(SETTINGS, memory_storage, dt.date(2025, 6, 27), 3, publish=publish)
    assert send_reminders(SETTINGS, memory_storage, dt.date(2025, 6, 27), 3, publish=publish) == []
    assert (reminder.unit_id, reminder.days_left, reminder.notice_key) == (health, 3, notice["idempotency_key"])
    assert publish.on(TOPICS.reminders) == [reminder]
    # WHEN the unit marks it done THEN no reminder comes on the day either
    mark_task(SETTINGS, memory_storage, notice["idempotency_key"], health, "done", "Lê Hoa", publish=publish)
    assert send_reminders(SETTINGS, memory_storage, dt.date(2025, 6, 30), 0, publish=publish) == []


async def test_a_secret_document_s_task_gets_no_reminder_telling_more_than_its_notice(memory_storage, publish):
    # GIVEN a secret document notified: its units were told to collect it, not its deadline
    secret = parsed(secrecy="Mật")
    keep_parsed(memory_storage, secret)
    seen = await notified(memory_storage, secret)
    assert seen[TOPICS.assignments] and all(n["withheld"] and n["deadline"] is None for n in seen[TOPICS.assignments])
    # WHEN reminders run the day before the deadline printed in the document THEN none is sent
    assert send_reminders(SETTINGS, memory_storage, dt.date(2025, 6, 29), 3, publish=publish) == []
    assert publish.on(TOPICS.reminders) == []
