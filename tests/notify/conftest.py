"""Fixtures for the notify channels: a notice, fast retry options, a recording fake sleep,
a scripted HTTP server and an SMTP sink, both on loopback at ephemeral ports."""

from __future__ import annotations

import datetime as dt

import pytest
from aiosmtpd.controller import Controller

from tests.loopback import HttpServer, SinkHandler, free_port
from vanthu.events import AssignmentNotice, DocumentSummary, Reminder
from vanthu.settings import ChannelOptions, ChannelRetry


@pytest.fixture
def unused_port() -> int:
    return free_port()


@pytest.fixture
def notice() -> AssignmentNotice:
    return AssignmentNotice(
        idempotency_key="9f2c4e:2:so-y-te",
        document_id="9f2c4e",
        unit_id="so-y-te",
        unit="Sở Y tế",
        unit_text="Sở Y tế tỉnh Nam Định",
        role="lead",
        section="3",
        task="Chủ trì, phối hợp với các đơn vị liên quan kiểm tra công tác phòng, chống dịch bệnh "
             "trên địa bàn tỉnh; báo cáo kết quả về UBND tỉnh.",
        deadline=dt.date(2025, 3, 31),
        deadline_text="trước ngày 31/3/2025",
        recurrence="hằng tháng",
        document=DocumentSummary(issuer="UBND tỉnh Nam Định", number="12/TB-UBND", doc_type="Thông báo",
                                 date=dt.date(2025, 3, 5), subject="Kết luận của Chủ tịch UBND tỉnh tại cuộc họp"),
        original_url="http://127.0.0.1:9000/incoming/cong-van.pdf?X-Amz-Signature=abc",
        text_url="http://127.0.0.1:9000/artifacts/text/9f2c4e.json?X-Amz-Signature=def",
        at=dt.datetime(2025, 3, 6, 8, 30, tzinfo=dt.UTC),
    )


@pytest.fixture
def options() -> ChannelOptions:
    """Five attempts waiting 1, 2, 4, 4 s (capped; no jitter), so the schedule is exact; the
    receivers are on loopback, so loopback is allowed explicitly."""
    return ChannelOptions(timeout_s=0.5, retry=ChannelRetry(max_attempts=5, base_delay_s=1.0, cap_s=4.0, jitter=0),
                          webhook_hosts=["127.0.0.1"], webhook_allow_private=True)


class RecordingSleep:
    """Stands in for asyncio.sleep: records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
async def http_server():
    """``await http_server(503, 200)``: a started :class:`HttpServer`, stopped after the test."""
    servers: list[HttpServer] = []

    async def serve(*statuses: int | None) -> HttpServer:
        server = HttpServer(list(statuses))
        await server.start()
        servers.append(server)
        return server

    yield serve
    for server in servers:
        await server.stop()


@pytest.fixture
def smtp_sink(options: ChannelOptions):
    """An aiosmtpd sink on loopback; ``options`` is pointed at it. Yields its handler."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    options.smtp_port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def reminder(notice: AssignmentNotice) -> Reminder:
    """The reminder ``vanthu serve reminders`` makes for ``notice`` two days before its deadline."""
    return Reminder(idempotency_key=f"{notice.idempotency_key}:reminder:{notice.deadline}",
                    notice_key=notice.idempotency_key, document_id=notice.document_id, unit_id=notice.unit_id,
                    unit=notice.unit, deadline=notice.deadline, days_left=2,
                    document=notice.document.model_copy(update={"subject": None}),
                    at=dt.datetime(2025, 3, 29, 1, 0, tzinfo=dt.UTC))
