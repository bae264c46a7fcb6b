"""The README's downstream subscriber example works against the real Kafka."""

from __future__ import annotations

import asyncio
import importlib
import sys

import pytest
from aiokafka import AIOKafkaProducer

from vanthu.events import Assignment, Change, DirectiveParsed

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


async def _deliver(run_settings, monkeypatch, events: list[DirectiveParsed], done) -> object:
    """Run the example subscriber on this test's topics while ``events`` are published, until
    ``done(example)`` holds (and 2 s more, for what a wrong subscriber would do after it)."""
    monkeypatch.setenv("VANTHU_TOPICS__DIRECTIVES", run_settings.topics.directives)
    sys.modules.pop("examples.subscriber", None)
    example = importlib.import_module("examples.subscriber")
    producer = AIOKafkaProducer(bootstrap_servers=run_settings.kafka_bootstrap)
    await producer.start()
    await example.app.start()
    try:
        for event in events:
            await producer.send_and_wait(run_settings.topics.directives, event.model_dump_json().encode(),
                                         key=event.document_id.encode())
        for _ in range(100):
            if done(example):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2)
    finally:
        await example.app.stop()
        await producer.stop()
    return example


async def test_example_subscriber_archives_each_directive_once(run_settings, monkeypatch, capsys):
    # GIVEN the example subscriber pointed at this test's topics
    directive = DirectiveParsed(
        document_id="b" * 64, text_source="ocr", doc_type="Chỉ thị", number="07-CT/TU", issuer="Tỉnh ủy Nghệ An",
        assignments=[Assignment(unit="Sở Y tế", unit_text="Sở Y tế", role="lead", task="Tổ chức tiêm")],
    )
    # WHEN the same directive is published twice
    example = await _deliver(run_settings, monkeypatch, [directive, directive], lambda example: example.archived)
    # THEN it archived and printed it once
    assert list(example.archived) == ["b" * 64]
    assert capsys.readouterr().out.count("Chỉ thị 07-CT/TU of Tỉnh ủy Nghệ An") == 1


async def test_example_subscriber_keeps_a_document_s_highest_revision(run_settings, monkeypatch, capsys):
    # GIVEN the example subscriber, and a directive with a clerk's correction of it
    first = DirectiveParsed(
        document_id="c" * 64, text_source="ocr", doc_type="Chỉ thị", number="07-CT/TU", issuer="Tỉnh ủy Nghệ An",
        assignments=[Assignment(unit="Sở Y tế", unit_text="Sở Y tế", role="lead", task="Tổ chức tiêm")],
    )
    corrected = first.model_copy(update={"number": "08-CT/TU", "revision": 1, "corrected_by": "van.thu",
                                         "changes": [Change(field="number", old="07-CT/TU", new="08-CT/TU")]})
    # WHEN revision 0, its correction, then revision 0 again (a replay) are delivered
    example = await _deliver(run_settings, monkeypatch, [first, corrected, first],
                             lambda example: example.archived.get("c" * 64, first).revision == 1)
    # THEN it keeps the correction, not the first reading nor its replay
    assert example.archived["c" * 64].number == "08-CT/TU"
    out = capsys.readouterr().out
    assert "revision 1 by van.thu: number" in out and out.count("Chỉ thị 07-CT/TU") == 1
