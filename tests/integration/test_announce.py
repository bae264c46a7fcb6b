"""``vanthu submit`` announces its own uploads on the real Kafka (vanthu/announce.py), as a
rule before MinIO's notification does (MinIO flushes its queue on a ticker; now and then
it wins the race), in the partition MinIO's client takes, and the OCR stage reads each
document once all the same, whichever of the two comes first."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time

import pytest
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient

from examples.render import example_texts, text_pdf
from services.notify.notices import build_notices
from tests.integration.test_cli import vanthu
from tests.integration.test_pipeline import _running
from tests.kafka_reading import read_topics
from vanthu.directory import UnitDirectory
from vanthu.announce import minio_partition
from vanthu.events import DirectiveParsed, S3Record
from vanthu.settings import Settings
from vanthu.storage import Storage

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
SAMPLES = ("002_d2642929b84c508e", "001_c04fbf0a9182cd61", "003_ddf291199ab0edd6")


def _object_events(settings: Settings, since: dict[TopicPartition, int], keys: int, timeout: float) -> list:
    """The records of ``vanthu.objects`` (shared by every run) about this run's intake
    bucket, from the offsets ``since``, until two per key arrived."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False, group_id=None)
    consumer.assign(list(since))
    for tp, offset in since.items():
        consumer.seek(tp, offset)
    found, deadline = [], time.monotonic() + timeout
    try:
        while len(found) < 2 * keys and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                found += [r for r in records if r.key.decode().startswith(f"{settings.buckets.incoming}/")]
    finally:
        consumer.close()
    return found


def _ocr_read_past(settings: Settings, records: list, timeout: float) -> dict | None:
    """None once the OCR stage's consumer group committed past every one of ``records``,
    else (at the timeout) its committed offsets."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            committed = {tp: meta.offset for tp, meta in admin.list_consumer_group_offsets(settings.group("ocr")).items()}
            if all(committed.get(TopicPartition(r.topic, r.partition), -1) > r.offset for r in records):
                return None
            time.sleep(0.5)
        return committed
    finally:
        admin.close()


async def test_a_submitted_file_is_announced_and_read_once(run_settings: Settings, tmp_path):
    # GIVEN the three services running, and three directives to submit (Vietnamese names)
    settings = run_settings
    texts = example_texts()
    files = []
    for n, sample in enumerate(SAMPLES, 1):
        files.append(tmp_path / f"Công văn số {n} (hỏa tốc).pdf")
        files[-1].write_bytes(text_pdf(texts[sample]))
    ids = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    probe = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    since = probe.end_offsets([TopicPartition(settings.topics.objects, p)
                               for p in probe.partitions_for_topic(settings.topics.objects)])
    probe.close()
    apps = await _running(settings)
    try:
        # WHEN a clerk submits them with `vanthu submit`
        # (blocking calls in threads: the services share this test's event loop)
        submitted = await asyncio.to_thread(vanthu, settings, "submit", *map(str, files), "--by", "Nguyễn Văn A", "--batch", "cong-van")
        assert submitted.returncode == 0, submitted.stderr
        # ... and both events of each object, the announcement and MinIO's, were read by the OCR stage
        events = await asyncio.to_thread(_object_events, settings, since, len(files), 60)
        behind = await asyncio.to_thread(_ocr_read_past, settings, events, 240)
        assert behind is None, f"the OCR stage did not read past {[(r.partition, r.offset) for r in events]}: {behind}"
        directory = UnitDirectory.from_settings(settings)
        topics = settings.topics

        def expected(messages) -> dict[str, set[str]]:
            return {d["document_id"]: {n.idempotency_key for n in build_notices(
                DirectiveParsed.model_validate(d), d["document_id"], directory)} for d in messages[topics.directives]}

        def done(messages) -> bool:
            wanted = expected(messages)
            sent = messages[topics.assignments] + messages[topics.review]
            return len(wanted) == len(files) and sum(map(len, wanted.values())) <= len(sent)

        messages = await read_topics(settings, [topics.text, topics.directives, topics.assignments, topics.review,
                                                topics.failed], done, timeout=240)
        # (a second text event would be read in milliseconds: give it a moment to show)
        await asyncio.sleep(3)
        messages = await read_topics(settings, list(messages), done, timeout=10)
    finally:
        for app in apps:
            await app.stop()

    # THEN each object had two events in one partition, the announcement and MinIO's ...
    by_key: dict[bytes, list] = {}
    for record in sorted(events, key=lambda r: (r.partition, r.offset)):
        by_key.setdefault(record.key, []).append(record)
    assert len(by_key) == len(files)
    for key, pair in by_key.items():
        assert len(pair) == 2 and pair[0].partition == pair[1].partition
        announced, minio = sorted((json.loads(r.value) for r in pair),
                                  key=lambda e: "announce" not in e["Records"][0]["source"]["userAgent"])
        assert "announce" in announced["Records"][0]["source"]["userAgent"]
        assert "announce" not in minio["Records"][0]["source"]["userAgent"]
        # ... shaped as MinIO's: same message key, event name, object version, eTag, size and metadata
        assert announced["Key"] == minio["Key"] == key.decode()
        ours, theirs = (S3Record.model_validate(e["Records"][0]) for e in (announced, minio))
        assert ours.event_name == theirs.event_name and ours.ref == theirs.ref
        assert ours.s3.object == theirs.s3.object and ours.submission == theirs.submission
        assert ours.submission.submitted_by == "Nguyễn Văn A" and ours.submission.batch == "cong-van"
    # ... and each document was read once: one text event, no failure, one set of notices
    assert sorted(m["document_id"] for m in messages[settings.topics.text]) == sorted(ids)
    # (vanthu.objects is shared: poison other runs left there is reported too, with no source)
    assert [f for f in messages[settings.topics.failed] if f.get("source")] == []
    wanted = expected(messages)
    sent = [m["idempotency_key"] for m in messages[settings.topics.assignments] + messages[settings.topics.review]]
    assert sorted(sent) == sorted(k for keys in wanted.values() for k in keys)


def test_a_submission_never_fails_for_want_of_its_announcement(run_settings: Settings, tmp_path):
    # GIVEN a Kafka nobody listens at (MinIO is there)
    settings = run_settings.model_copy(update={"kafka_bootstrap": "127.0.0.1:1"})
    letter = tmp_path / "công văn.pdf"
    letter.write_bytes(b"%PDF-1.4 a letter")
    # WHEN a clerk submits a file
    submitted = vanthu(settings, "submit", str(letter))
    # THEN it is uploaded all the same (MinIO's own event will start it)
    assert submitted.returncode == 0, submitted.stderr
    keys = Storage(settings).list_keys(settings.buckets.incoming, "")
    assert len(keys) == 1 and keys[0].endswith("công văn.pdf")


def test_announcements_take_the_partition_minios_client_takes():
    # Sarama's default partitioner: 32-bit FNV-1a (published vectors), as a signed number, made positive
    assert minio_partition(b"a", 2**31 - 1) == 2**32 - 0xE40C292C
    assert minio_partition(b"foobar", 2**31 - 1) == 2**32 - 0xBF9CF968
