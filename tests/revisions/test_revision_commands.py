"""``vanthu correct``, ``vanthu review list|resolve`` and ``vanthu task mark`` against the
real Kafka and MinIO, as a clerk runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from kafka import KafkaConsumer

from vanthu.directory import UnitDirectory
from vanthu.events import Assignment, AssignmentNotice, DirectiveParsed, DocumentSummary, ReviewItem
from vanthu.revisions import kafka_publisher, keep_parsed
from vanthu.settings import Settings
from vanthu.state import StateStore
from vanthu.storage import Storage

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
DOCUMENT = "e" * 64


def vanthu(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vanthu.cli", *args], env=os.environ | settings.as_env(),
                          capture_output=True, text=True, timeout=120)


def directives(settings: Settings) -> list[DirectiveParsed]:
    consumer = KafkaConsumer(settings.topics.directives, bootstrap_servers=settings.kafka_bootstrap,
                             auto_offset_reset="earliest", consumer_timeout_ms=3000)
    try:
        return [DirectiveParsed.model_validate_json(r.value) for r in consumer]
    finally:
        consumer.close()


@pytest.fixture
def settings(run_settings: Settings, tmp_path) -> Settings:
    """The run's settings with an overlay file for the aliases clerks teach."""
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(yaml.safe_dump({"national": True}), encoding="utf-8")
    return run_settings.model_copy(update={"directory": run_settings.directory.model_copy(
        update={"overlay": str(overlay)})})


def test_a_clerk_corrects_and_resolves_from_the_command_line(settings: Settings):
    # GIVEN a parsed document (its second assignee unknown) and its review item on the review topic
    directory = UnitDirectory.from_settings(settings)
    health, builder = (directory.match(n, "Ninh Bình").unit for n in ("Sở Y tế", "Sở Xây dựng"))
    storage = Storage(settings)
    first = DirectiveParsed(
        document_id=DOCUMENT, text_source="ocr", doc_type="Công văn", number="7/UBND-VX",
        assignments=[
            Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", task="Kiểm tra"),
            Assignment(unit="Ban Quản lý các dự án", unit_text="Ban Quản lý các dự án", role="cooperate", task="Phối hợp"),
        ],
    )
    keep_parsed(storage, first)
    StateStore(storage).record(DOCUMENT, "parsed", assignments=2)
    item = ReviewItem(idempotency_key=f"{DOCUMENT}:1:unknown", document_id=DOCUMENT, unit_id=None, unit="Ban Quản lý các dự án",
                      unit_text="Ban Quản lý các dự án", role="cooperate", task="Phối hợp",
                      document=DocumentSummary(doc_type="Công văn", number="7/UBND-VX"))
    publish = kafka_publisher(settings)
    publish(settings.topics.review, item, DOCUMENT)
    # ... and another item, already cancelled by a correction
    other = item.model_copy(update={"idempotency_key": f"{DOCUMENT}:2:unknown", "unit": "Ban Khác"})
    publish(settings.topics.review, other, DOCUMENT)
    publish(settings.topics.review, other.model_copy(update={
        "idempotency_key": f"{DOCUMENT}:r1:2:unknown:cancelled", "status": "cancelled", "revision": 1,
        "supersedes": other.idempotency_key}), DOCUMENT)
    # WHEN the clerk lists the review queue
    listed = vanthu(settings, "review", "list", "--json")
    # THEN the open item is there, and the cancelled one is not
    assert listed.returncode == 0, listed.stderr
    assert [i["idempotency_key"] for i in json.loads(listed.stdout)] == [item.idempotency_key]
    # WHEN the clerk corrects the date by the document's first characters, then resolves the item
    corrected = vanthu(settings, "correct", DOCUMENT[:10], "--set", "date=5/3/2025", "--by", "Lan", "--json")
    resolved = vanthu(settings, "review", "resolve", item.idempotency_key, builder.id, "--by", "Lan")
    # THEN revisions 1 and 2 are on vanthu.directives: the date, then the unit
    assert corrected.returncode == 0, corrected.stderr
    assert resolved.returncode == 0, resolved.stderr
    revisions = directives(settings)
    assert [(d.revision, d.corrected_by) for d in revisions] == [(1, "Lan"), (2, "Lan")]
    assert revisions[0].date.isoformat() == "2025-03-05"
    assert revisions[1].assignments[1].unit_id == builder.id and revisions[1].date == revisions[0].date
    # ... and the overlay now knows the printed name
    assert "Ban Quản lý các dự án" in (yaml.safe_load(open(settings.directory.overlay, encoding="utf-8"))["aliases"])
    # WHEN a unit marks a notice that is not in force for it THEN it is refused
    notice = AssignmentNotice.model_validate(item.model_dump() | {"unit_id": builder.id})
    refused = vanthu(settings, "task", "mark", notice.idempotency_key, builder.id, "done")
    assert refused.returncode == 1 and "no notice" in refused.stderr
