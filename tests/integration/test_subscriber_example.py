"""The README's downstream subscriber example works against the real Kafka."""

from __future__ import annotations

import asyncio
import importlib
import sys

import pytest
from aiokafka import AIOKafkaProducer

from vanthu.events import Assignment, DirectiveParsed

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
