"""Originals are evidence (issue 13, item 6): on the real Kafka and MinIO, and the notify
stage's part on FastStream's in-memory Kafka with in-memory storage.

The intake bucket is versioned (vanthu/provision.py): a key overwritten with other bytes
keeps its first version. Each version is read as its event names it and checked against
the event's eTag (vanthu/storage.py); the new bytes are a new submission that supersedes
the old document (services/ocr/app.py), whose units are told so by a cancellation naming
the new document (services/notify/app.py); links are signed for a version, so an old
link keeps downloading the old bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import time
import urllib.request
from urllib.parse import quote

import pytest
from faststream.kafka import TestKafkaBroker

from examples.render import text_pdf
from tests.inmemory import capture
from tests.units import directory as national, unit
from services.notify import app as notify_app
from services.notify.notices import build_notices, revise, supersede
from services.notify.secrecy import guard
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from tests.kafka_reading import read_topics
from vanthu.directory import UnitDirectory
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import Assignment, AssignmentNotice, DirectiveParsed, ObjectRef
from vanthu.revisions import notices_in_force, notified_revisions
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step, superseded_step
from vanthu.storage import Storage

SETTINGS = Settings()
TOPICS = SETTINGS.topics
OLD, NEW = "a" * 64, "c" * 64
SAMPLE = "004_10d7f02d66da512c"  # Tỉnh ủy Nghệ An's directive 07-CT/TU: tasks for a few known units
SLOW_GAP_S = 15  # the second overwrite comes after the first version's notices went out, and this late


async def _read_all(settings: Settings, done, timeout: float) -> dict[str, list[dict]]:
    """The run's directives, notices and review items from the start, until ``done(messages)``."""
    topics = [settings.topics.directives, settings.topics.assignments, settings.topics.review]
    return await read_topics(settings, topics, done, timeout)


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (a link the test's MinIO signed)
        return response.read()


@pytest.mark.integration
@pytest.mark.timeout(600)
async def test_an_overwritten_original_is_kept_processed_and_superseded(run_settings: Settings, examples):
    # GIVEN the three services on the real Kafka and a versioned intake bucket, and four
    # renderings of one directive (other bytes each: a clerk's second scan or export)
    settings = run_settings
    storage = Storage(settings)
    client, state = storage.client, StateStore(storage)
    directory = UnitDirectory.from_settings(settings)
    text = examples[SAMPLE]
    fast_old, fast_new, slow_old, slow_new = (text_pdf(text, font_size=size) for size in (13, 12.5, 13.5, 12))
    ids = {name: hashlib.sha256(data).hexdigest() for name, data in
           {"fast_old": fast_old, "fast_new": fast_new, "slow_old": slow_old, "slow_new": slow_new}.items()}
    assert len(set(ids.values())) == 4
    fast_key, slow_key = "2026/12/Chỉ thị 07-CT-TU.pdf", "2026/12/Chỉ thị 07-CT-TU (bản 2).pdf"
    puts = []  # (key, bytes, the version MinIO made)

    def put(key: str, data: bytes, by: str) -> None:
        written = client.put_object(settings.buckets.incoming, key, io.BytesIO(data), len(data),
                                    metadata={"submitted-by": quote(by)})  # as `vanthu submit` does
        puts.append((key, data, written.version_id))

    def sent(messages, document_id: str) -> list[dict]:
        return [m for topic in (settings.topics.assignments, settings.topics.review) for m in messages[topic]
                if m["document_id"] == document_id]

    def directive(messages, document_id: str) -> DirectiveParsed | None:
        found = [d for d in messages[settings.topics.directives] if d["document_id"] == document_id]
        return DirectiveParsed.model_validate(found[-1]) if found else None

    def expected(messages, document_id: str) -> int:
        parsed = directive(messages, document_id)
        return len(build_notices(parsed, document_id, directory)) if parsed else -1

    def assigned(messages, document_id: str) -> list[AssignmentNotice]:
        return [AssignmentNotice.model_validate(m) for m in sent(messages, document_id) if m["status"] == "assigned"]

    def superseded(messages, document_id: str, by: str) -> list[AssignmentNotice]:
        return [AssignmentNotice.model_validate(m) for m in sent(messages, document_id)
                if m["status"] == "cancelled" and m.get("superseded_by") == by]

    def settled(document_id: str) -> bool:
        """Notified, and nothing of it in force any more."""
        notified = notified_revisions(state, document_id)
        return bool(notified) and not notices_in_force(notified)

    apps = [module.create_app(settings) for module in (ocr_app, parse_app, notify_app)]
    for app in apps:
        await app.start()
    try:
        # WHEN one key is overwritten at once (milliseconds later) ...
        put(fast_key, fast_old, "văn thư A")
        started = time.monotonic()
        put(fast_key, fast_new, "văn thư B")
        fast_gap_ms = (time.monotonic() - started) * 1000  # from the first version stored to the second
        # ... and another once its first version's notices are out, at least 15 s later
        put(slow_key, slow_old, "văn thư C")
        slow_put = time.monotonic()
        first = await _read_all(settings, lambda m: 0 < expected(m, ids["slow_old"]) <= len(sent(m, ids["slow_old"])),
                                timeout=240)
        await _sleep_until(slow_put + SLOW_GAP_S)
        put(slow_key, slow_new, "văn thư D")

        def done(m) -> bool:
            return (all(directive(m, i) for i in ids.values())
                    and 0 < expected(m, ids["fast_new"]) <= len(sent(m, ids["fast_new"]))
                    and 0 < expected(m, ids["slow_new"]) <= len(sent(m, ids["slow_new"]))
                    and len(superseded(m, ids["slow_old"], ids["slow_new"])) >= len(assigned(m, ids["slow_old"]))
                    and settled(ids["fast_old"]) and settled(ids["slow_old"]))

        messages = await _read_all(settings, done, timeout=300)
    finally:
        for app in apps:
            await app.stop()

    # THEN both versions of each key were processed, each as its own document
    assert done(messages), f"not every version went through: { {t: len(m) for t, m in messages.items()} }"
    print(f"\noverwrite gaps: {fast_gap_ms:.0f} ms and {SLOW_GAP_S} s or more")
    assert expected(first, ids["slow_old"]) > 0  # the slow case's first version was notified before its overwrite
    directives = {name: directive(messages, i) for name, i in ids.items()}
    assert {d.source.key for d in directives.values()} == {fast_key, slow_key}
    for (name, document_id), (_, _, version) in zip(ids.items(), puts, strict=True):  # put in this order
        assert directives[name].source.version_id == version
        [received] = state.submissions(document_id)
        assert received.details["version_id"] == version
    # ... each with its own metadata (not the first version's for both)
    assert [directives[n].submission.submitted_by for n in ids] == ["văn thư A", "văn thư B", "văn thư C", "văn thư D"]
    # ... the new one naming the one it supersedes
    assert directives["fast_new"].supersedes == ids["fast_old"]
    assert directives["slow_new"].supersedes == ids["slow_old"]
    assert directives["fast_old"].supersedes is None and directives["slow_old"].supersedes is None

    # ... the old links keep downloading the old bytes, the new ones the new bytes
    old_notices = assigned(messages, ids["slow_old"])
    assert old_notices and all(_download(n.original_url) == slow_old for n in old_notices)
    assert all(_download(n.original_url) == slow_new for n in assigned(messages, ids["slow_new"]))
    assert _download(storage.presigned_url(directives["fast_old"].source, 60)) == fast_old
    assert _download(storage.presigned_url(directives["fast_new"].source, 60)) == fast_new

    # ... every unit told of the first version is told it is superseded, naming the new
    # document, and nothing of the old documents stays in force
    voided = {n.supersedes: n for n in superseded(messages, ids["slow_old"], ids["slow_new"])}
    assert {n.idempotency_key for n in old_notices} <= set(voided)
    assert all(voided[n.idempotency_key].unit_id == n.unit_id for n in old_notices)
    assert all("SUPERSEDED" in n.task for n in voided.values())
    for name in ("fast_old", "slow_old"):
        assert settled(ids[name]), f"{name}'s notices are still in force"
        assert state.superseded_by(ids[name]) == ids[name.replace("old", "new")]
    for name in ("fast_new", "slow_new"):
        assert notices_in_force(notified_revisions(state, ids[name]))
    # (the fast case's first version: any unit it reached was told it is superseded)
    fast_voided = {n.supersedes for n in superseded(messages, ids["fast_old"], ids["fast_new"])}
    assert {n.idempotency_key for n in assigned(messages, ids["fast_old"])} <= fast_voided

    # ... and no overwrite lost an original: every version reads back byte for byte
    lost = 0
    for key, data, version in puts:
        response = client.get_object(settings.buckets.incoming, key, version_id=version)
        lost += response.read() != data
        response.close()
    print(f"overwrites that lost an original: {lost} of {len(puts) // 2}")
    assert lost == 0

    # ... and an event whose eTag is not the bytes of the version it names is refused
    other = hashlib.md5(fast_new).hexdigest()  # noqa: S324 (S3's eTag of a one-part upload)
    with pytest.raises(DocumentError) as refused:
        storage.read(directives["fast_old"].source, etag=other)
    assert refused.value.reason is FailureReason.INVALID_REFERENCE


async def _sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


# --- the notify stage's part, in memory ----------------------------------------------------


def _directive(document_id: str, number: str, **fields) -> DirectiveParsed:
    health, finance = unit("Sở Y tế"), unit("Sở Tài chính")
    return DirectiveParsed(**({
        "document_id": document_id, "text_source": "text-layer", "doc_type": "Công văn", "number": number,
        "issuer": "UBND tỉnh Ninh Bình", "subject": "Về tiêm vắc xin",
        "assignments": [
            Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", section="1",
                       task="Chủ trì tổ chức tiêm vắc xin"),
            Assignment(unit=finance.name, unit_text="Sở Tài chính", unit_id=finance.id, role="cooperate",
                       section="1", task="Phối hợp bảo đảm kinh phí"),
        ]} | fields))


def _overwrite(storage) -> None:
    """What the OCR stage records when NEW's bytes overwrite OLD's original under one key."""
    state = StateStore(storage)
    key = ObjectRef(bucket=SETTINGS.buckets.incoming, key="2026/12/cv.pdf")
    state.record(OLD, received_step(key), key=key.key, version_id="v1")
    state.record(NEW, received_step(key), key=key.key, version_id="v2", supersedes=OLD)
    state.record(OLD, superseded_step(NEW), key=key.key, version_id="v2")


@pytest.fixture
def notify(memory_storage):
    app = notify_app.create_app(SETTINGS, memory_storage)
    return app, capture(app.broker, TOPICS.assignments, TOPICS.review), memory_storage


@pytest.mark.parametrize("overwritten_first", [True, False], ids=["before-old-notified", "after-old-notified"])
async def test_the_old_documents_units_are_told_it_is_superseded(notify, overwritten_first):
    # GIVEN the notify stage, and OLD's original overwritten by NEW's bytes (recorded by
    # OCR before or after OLD's directive reached notify)
    app, seen, storage = notify
    old, new = _directive(OLD, "12/UBND-VX"), _directive(NEW, "12/UBND-VX", supersedes=OLD)
    async with TestKafkaBroker(app.broker) as broker:
        if overwritten_first:
            _overwrite(storage)
        await broker.publish(old.model_dump(mode="json"), TOPICS.directives)
        if not overwritten_first:
            _overwrite(storage)
        # WHEN NEW's directive arrives, and then again (redelivered), and OLD's again
        for event in (new, new, old):
            await broker.publish(event.model_dump(mode="json"), TOPICS.directives)
    # THEN every unit told of OLD got one cancellation naming NEW, and NEW's notices
    sent = [AssignmentNotice.model_validate(n) for n in seen[TOPICS.assignments]]
    told_old = [n for n in sent if n.document_id == OLD and n.status == "assigned"]
    voided = [n for n in sent if n.document_id == OLD and n.status == "cancelled"]
    assert len(told_old) == (0 if overwritten_first else 2)  # superseded before it was sent: never sent
    assert sorted(n.supersedes for n in voided) == sorted(n.idempotency_key for n in told_old)
    assert all(n.superseded_by == NEW and "12/UBND-VX" in n.task for n in voided)
    assert [(n.unit_id, n.status) for n in sent if n.document_id == NEW] == [
        (unit("Sở Y tế").id, "assigned"), (unit("Sở Tài chính").id, "assigned")]
    # ... and nothing of OLD is in force any more (no reminders, no task marks)
    state = StateStore(storage)
    assert notices_in_force(notified_revisions(state, OLD)) == {}
    assert len(notices_in_force(notified_revisions(state, NEW))) == 2


async def test_the_old_documents_own_run_tells_its_units_when_the_new_one_is_late(notify):
    # GIVEN OLD notified, then overwritten, and NEW's directive not there yet (its OCR or
    # parse still running, or NEW's notify having looked before OLD's notices were recorded)
    app, seen, storage = notify
    old = _directive(OLD, "12/UBND-VX")
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(old.model_dump(mode="json"), TOPICS.directives)
        _overwrite(storage)
        # WHEN OLD's directive comes again (a redelivery)
        await broker.publish(old.model_dump(mode="json"), TOPICS.directives)
    # THEN OLD's units are told it is superseded, by NEW (known by its id only so far)
    voided = [AssignmentNotice.model_validate(n) for n in seen[TOPICS.assignments] if n["status"] == "cancelled"]
    assert [(n.unit_id, n.superseded_by) for n in voided] == [(unit("Sở Y tế").id, NEW),
                                                              (unit("Sở Tài chính").id, NEW)]
    assert NEW[:12] in voided[0].task
    assert notices_in_force(notified_revisions(StateStore(storage), OLD)) == {}


async def test_an_event_claiming_to_supersede_voids_nothing(notify):
    # GIVEN OLD notified, and no overwrite recorded by the OCR stage
    app, seen, storage = notify
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(_directive(OLD, "12/UBND-VX").model_dump(mode="json"), TOPICS.directives)
        # WHEN a forged directive says it supersedes OLD
        forged = _directive(NEW, "13/UBND-VX", supersedes=OLD)
        await broker.publish(forged.model_dump(mode="json"), TOPICS.directives)
    # THEN OLD's notices stay in force: no cancellation was sent
    assert not [n for n in seen[TOPICS.assignments] if n["status"] == "cancelled"]
    assert len(notices_in_force(notified_revisions(StateStore(storage), OLD))) == 2


def test_a_secret_documents_superseded_notice_stays_identity_only():
    # GIVEN a secret document's withheld directive and its notices in force
    secret = _directive(OLD, "05/UBND-VX", secrecy="Mật", withheld=True)
    _, in_force = revise(secret, build_notices(secret, OLD, national()), {})
    # WHEN another original overwrites it
    voided = supersede(OLD, 1, secret, in_force, NEW, _directive(NEW, "06/UBND-VX", secrecy="Mật", withheld=True))
    # THEN each unit's cancellation names the documents, no subject, no link, no task
    assert voided and all(n.document.subject is None and n.original_url is None and n.text_url is None
                          and n.withheld and n.secrecy == "Mật" for n in voided)
    assert all("05/UBND-VX" in n.task and "06/UBND-VX" in n.task and "tiêm" not in n.task for n in voided)
    # ... and a channel, rebuilding a secret notice from its identity, still says superseded, by whom
    assert all("SUPERSEDED" in guard(n).task and guard(n).superseded_by == NEW for n in voided)
