"""A deadline reminder ("nhắc việc") reaches the unit's webhook and mailbox once, from the
real Kafka, like its notice did."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
from email.policy import default

import pytest
from aiokafka import AIOKafkaProducer

from services.notify.channels import app as channels_app
from services.notify.channels import verify_signature
from tests.integration import test_channels as channel_setup
from vanthu.events import DocumentSummary, Reminder
from vanthu.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


async def test_a_reminder_is_posted_and_mailed_once(run_settings: Settings, tmp_path, monkeypatch):
    # GIVEN Sở Y tế configured with a signed webhook and a mailbox, both on loopback
    hook, sink, smtp, settings = await channel_setup.loopback_receivers(run_settings, tmp_path, monkeypatch)
    notice_key = f"{'d' * 64}:0:so-y-te"
    reminder = Reminder(idempotency_key=f"{notice_key}:reminder:2025-06-30", notice_key=notice_key,
                        document_id="d" * 64, unit_id="so-y-te", unit="Sở Y tế", deadline=dt.date(2025, 6, 30),
                        days_left=3, document=DocumentSummary(number="159/TB-UBND", doc_type="Thông báo"))
    app = channels_app.create_app(settings)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        await app.start()
        # WHEN the reminder is published on vanthu.reminders, and again (a rerun, a redelivery)
        body = reminder.model_dump_json().encode()
        await producer.send_and_wait(settings.topics.reminders, body, key=b"so-y-te")
        delivered = await channel_setup.until(lambda: hook.requests and sink.envelopes, timeout=90)
        await producer.send_and_wait(settings.topics.reminders, body, key=b"so-y-te")
        await asyncio.sleep(6)
    finally:
        await producer.stop()
        await app.stop()
        await hook.stop()
        smtp.stop()
    # THEN the webhook got one signed reminder and the mailbox one mail
    assert delivered, "no webhook call or mail within 90 s"
    assert len(hook.requests) == 1 and len(sink.envelopes) == 1
    request = hook.requests[0]
    assert request.headers["x-vanthu-event"] == "reminder"
    assert verify_signature(request.body, request.headers["x-vanthu-signature"], channel_setup.SECRET.encode())
    assert Reminder.model_validate_json(request.body) == reminder
    mail = email.message_from_bytes(sink.envelopes[0].content, policy=default)
    assert sink.envelopes[0].rcpt_tos == ["van-thu@so-y-te.example"]
    assert mail["Subject"].startswith("[vanthu] Nhắc việc: Thông báo 159/TB-UBND — hạn 30/06/2025")
