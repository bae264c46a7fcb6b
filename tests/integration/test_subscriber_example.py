"""The README's downstream subscriber example works against the real Kafka."""

from __future__ import annotations

import asyncio
import importlib
import sys

import pytest
from aiokafka import AIOKafkaProducer

from vanthu.events import Assignment, Change, DirectiveParsed

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


async def test_example_subscriber_archives_each_directive_once(run_settings, monkeypatch, capsys):
    # GIVEN the example subscriber pointed at this test's topics
    monkeypatch.setenv("VANTHU_TOPICS__DIRECTIVES", run_settings.topics.directives)
    sys.modules.pop("examples.subscriber", None)
    example = importlib.import_module("examples.subscriber")
    directive = DirectiveParsed(
        document_id="b" * 64, text_source="ocr", doc_type="Chỉ thị", number="07-CT/TU", issuer="Tỉnh ủy Nghệ An",
        assignments=[Assignment(unit="Sở Y tế", unit_text="Sở Y tế", role="lead", task="Tổ chức tiêm")],
    )
    producer = AIOKafkaProducer(bootstrap_servers=run_settings.kafka_bootstrap)
    await producer.start()
    await example.app.start()
    try:
        # WHEN the same directive is published twice
        for _ in range(2):
            await producer.send_and_wait(run_settings.topics.directives, directive.model_dump_json().encode())
        for _ in range(100):
            if example.archived:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2)
    finally:
        await example.app.stop()
        await producer.stop()
    # THEN it archived and printed it once
    assert list(example.archived) == ["b" * 64]
    assert capsys.readouterr().out.count("Chỉ thị 07-CT/TU of Tỉnh ủy Nghệ An") == 1


async def test_example_subscriber_keeps_a_document_s_highest_revision(run_settings, monkeypatch, capsys):
    # GIVEN the example subscriber, and a directive with a clerk's correction of it
    monkeypatch.setenv("VANTHU_TOPICS__DIRECTIVES", run_settings.topics.directives)
    sys.modules.pop("examples.subscriber", None)
    example = importlib.import_module("examples.subscriber")
    first = DirectiveParsed(
        document_id="c" * 64, text_source="ocr", doc_type="Chỉ thị", number="07-CT/TU", issuer="Tỉnh ủy Nghệ An",
        assignments=[Assignment(unit="Sở Y tế", unit_text="Sở Y tế", role="lead", task="Tổ chức tiêm")],
    )
    corrected = first.model_copy(update={"number": "08-CT/TU", "revision": 1, "corrected_by": "van.thu",
                                         "changes": [Change(field="number", old="07-CT/TU", new="08-CT/TU")]})
    producer = AIOKafkaProducer(bootstrap_servers=run_settings.kafka_bootstrap)
    await producer.start()
    await example.app.start()
    try:
        # WHEN revision 0, its correction, then revision 0 again (a replay) are delivered
        for event in (first, corrected, first):
            await producer.send_and_wait(run_settings.topics.directives, event.model_dump_json().encode(),
                                         key=event.document_id.encode())
        for _ in range(100):
            if example.archived.get("c" * 64, first).revision == 1:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2)
    finally:
        await example.app.stop()
        await producer.stop()
    # THEN it keeps the correction, not the first reading nor its replay
    assert example.archived["c" * 64].number == "08-CT/TU"
    out = capsys.readouterr().out
    assert "revision 1 by van.thu: number" in out and out.count("Chỉ thị 07-CT/TU") == 1
