"""The operator's commands against the real Kafka and MinIO: status, dead letters, duplicates."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from kafka import KafkaConsumer, KafkaProducer

from vanthu.events import DeadLetter
from vanthu.settings import Settings
from vanthu.state import StateStore
from vanthu.storage import Storage

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def vanthu(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vanthu.cli", *args], env=os.environ | settings.as_env(),
                          capture_output=True, text=True, timeout=120)


def test_status_shows_a_documents_steps(run_settings: Settings, tmp_path):
    # GIVEN a document whose bytes were received, extracted and then failed to parse
    data = b"%PDF-1.4 not really"
    document = tmp_path / "công văn.pdf"
    document.write_bytes(data)

    document_id = hashlib.sha256(data).hexdigest()
    state = StateStore(Storage(run_settings))
    state.record(document_id, "text", pages=1)
    state.record(document_id, "failed", stage="parse", reason="no-text", message="no text was found on any page")
    # WHEN the clerk asks by file, and by the first characters of the id
    by_file = vanthu(run_settings, "status", str(document), "--json")
    by_prefix = vanthu(run_settings, "status", document_id[:10])
    # THEN both name the steps, the failure and its reason
    assert by_file.returncode == 0, by_file.stderr
    assert [s["step"] for s in json.loads(by_file.stdout)] == ["text", "failed"]
    assert "no-text" in by_prefix.stdout and "failed" in by_prefix.stdout
    # ... and an unknown id is a clear error
    unknown = vanthu(run_settings, "status", "ffffffffff")
    assert unknown.returncode == 1 and "no document" in unknown.stderr


def test_dead_letters_are_listed_and_replayed_once(run_settings: Settings):
    # GIVEN a dead letter of the parse stage whose original went to the text topic
    letter = DeadLetter(stage="parse", topic=run_settings.topics.text, key="doc-1", payload='{"document_id": "x"}',
                        error="ConnectionError: MinIO unreachable", attempts=6, document_id="x" * 64)
    producer = KafkaProducer(bootstrap_servers=run_settings.kafka_bootstrap, acks="all")
    producer.send(run_settings.topics.dlq, letter.model_dump_json().encode(), key=b"doc-1").get(timeout=30)
    producer.close()
    # WHEN it is listed, then replayed twice
    listed = vanthu(run_settings, "dlq", "list", "--json")
    first, second = vanthu(run_settings, "dlq", "replay"), vanthu(run_settings, "dlq", "replay")
    # THEN the list shows it, the first replay republished it to its topic, the second did nothing
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert entry["stage"] == "parse" and entry["attempts"] == 6
    assert "replayed 1" in first.stdout and "replayed 0" in second.stdout
    consumer = KafkaConsumer(run_settings.topics.text, bootstrap_servers=run_settings.kafka_bootstrap,
                             auto_offset_reset="earliest", consumer_timeout_ms=5000)
    replayed = [(m.key, m.value) for m in consumer]
    consumer.close()
    assert replayed == [(b"doc-1", b'{"document_id": "x"}')]


def test_watch_unit_follows_one_units_notices_and_resumes_where_it_stopped(run_settings: Settings):
    # GIVEN notices for two units on the assignments topic
    from vanthu.events import AssignmentNotice, DocumentSummary

    def notice(unit_id: str, index: int) -> bytes:
        return AssignmentNotice(
            idempotency_key=f"{'d' * 64}:{index}:{unit_id}", document_id="d" * 64, unit_id=unit_id, unit=unit_id,
            unit_text=unit_id, role="lead", task=f"nhiệm vụ {index}", document=DocumentSummary(number="1/TB-UBND"),
        ).model_dump_json().encode()

    producer = KafkaProducer(bootstrap_servers=run_settings.kafka_bootstrap, acks="all")
    for index, unit_id in enumerate(("so-y-te", "so-tai-chinh", "so-y-te")):
        producer.send(run_settings.topics.assignments, notice(unit_id, index), key=unit_id.encode()).get(timeout=30)
    # WHEN Sở Y tế's watcher runs, and runs again after one more notice for it
    first = vanthu(run_settings, "watch", "--unit", "so-y-te", "--from-beginning", "--timeout", "12", "--json")
    producer.send(run_settings.topics.assignments, notice("so-y-te", 3), key=b"so-y-te").get(timeout=30)
    producer.close()
    second = vanthu(run_settings, "watch", "--unit", "so-y-te", "--from-beginning", "--timeout", "12", "--json")
    # THEN the first run shows its two notices only, the second only the new one
    assert first.returncode == 0, first.stderr
    assert [json.loads(line)["task"] for line in first.stdout.splitlines()] == ["nhiệm vụ 0", "nhiệm vụ 2"]
    assert [json.loads(line)["task"] for line in second.stdout.splitlines()] == ["nhiệm vụ 3"]
