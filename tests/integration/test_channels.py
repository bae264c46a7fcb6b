"""A unit's webhook and mailbox receive its assignments once, on the real Kafka and MinIO,
however often the directive or the notice is delivered again."""

from __future__ import annotations

import asyncio
import time
from importlib import resources
from pathlib import Path

import pytest
import yaml
from aiokafka import AIOKafkaProducer
from aiosmtpd.controller import Controller

from services.notify import app as notify_app
from services.notify.channels import app as channels_app
from services.notify.channels import verify_signature
from tests.loopback import HttpServer, SinkHandler, free_port
from vanthu.events import Assignment, DirectiveParsed
from vanthu.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
SECRET = "a shared secret of Sở Y tế"


def directory_with_channels(tmp_path: Path, url: str, mailbox: str) -> Path:
    """The packaged directory, with Sở Y tế given a signed webhook and an e-mail address."""
    data = yaml.safe_load((resources.files("vanthu") / "data" / "nam_dinh.yaml").read_text(encoding="utf-8"))
    for unit in data["units"]:
        if unit["id"] == "so-y-te":
            unit["delivery"] = {"kafka": True, "webhook": {"url": url, "secret_env": "VANTHU_TEST_HOOK_SECRET"},
                                "email": mailbox}
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def loopback_receivers(run_settings: Settings, tmp_path: Path, monkeypatch
                             ) -> tuple[HttpServer, SinkHandler, Controller, Settings]:
    """A started webhook receiver and SMTP sink on loopback, and settings whose directory
    gives Sở Y tế a signed webhook to the one and a mailbox on the other (stop both after)."""
    hook = HttpServer([200])
    await hook.start()
    sink = SinkHandler()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    monkeypatch.setenv("VANTHU_TEST_HOOK_SECRET", SECRET)
    settings = run_settings.model_copy(update={
        "directory_path": str(directory_with_channels(tmp_path, hook.url, "van-thu@so-y-te.example")),
        # the receivers are on loopback: allowed explicitly
        "channels": run_settings.channels.model_copy(update={"smtp_port": smtp.port, "webhook_hosts": ["127.0.0.1"],
                                                             "webhook_allow_private": True}),
    })
    return hook, sink, smtp, settings


async def until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.2)
    return condition()


async def test_webhook_and_mail_arrive_once(run_settings: Settings, tmp_path, monkeypatch):
    # GIVEN Sở Y tế configured with a signed webhook and a mailbox, both on loopback
    hook, sink, smtp, settings = await loopback_receivers(run_settings, tmp_path, monkeypatch)
    directive = DirectiveParsed(
        document_id="c" * 64, text_source="text-layer", doc_type="Thông báo", number="159/TB-UBND",
        assignments=[
            Assignment(unit="Sở Y tế", unit_text="Sở Y tế", unit_id="so-y-te", role="lead", section="3",
                       task="Chủ trì tổ chức tiêm vắc xin cho giáo viên trước 01/10/2021"),
            Assignment(unit="Sở Tài chính", unit_text="Sở Tài chính", unit_id="so-tai-chinh", role="cooperate",
                       section="3", task="Phối hợp bảo đảm kinh phí"),
        ],
    )
    apps = [notify_app.create_app(settings), channels_app.create_app(settings)]
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for app in apps:
            await app.start()
        # WHEN the directive is published, and published again
        body = directive.model_dump_json().encode()
        await producer.send_and_wait(settings.topics.directives, body, key=directive.document_id.encode())
        delivered = await until(lambda: hook.requests and sink.envelopes, timeout=90)
        await producer.send_and_wait(settings.topics.directives, body, key=directive.document_id.encode())
        # ... and the unit's notice itself is delivered to the channel consumer again
        notice = hook.requests[0].body if hook.requests else b"{}"
        await producer.send_and_wait(settings.topics.assignments, notice, key=b"so-y-te")
        await asyncio.sleep(8)
    finally:
        await producer.stop()
        for app in apps:
            await app.stop()
        await hook.stop()
        smtp.stop()

    # THEN the webhook got one signed POST and the mailbox one mail, for Sở Y tế only
    assert delivered, "no webhook call or mail within 90 s"
    assert len(hook.requests) == 1 and len(sink.envelopes) == 1
    request = hook.requests[0]
    assert verify_signature(request.body, request.headers["x-vanthu-signature"], SECRET.encode())
    assert request.headers["x-vanthu-idempotency-key"] == f"{'c' * 64}:0:so-y-te"
    assert "Chủ trì tổ chức tiêm vắc xin" in request.body.decode()
    assert sink.envelopes[0].rcpt_tos == ["van-thu@so-y-te.example"]
