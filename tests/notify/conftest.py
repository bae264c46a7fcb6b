"""Fixtures for the notify channels: a notice, fast retry options, a recording fake sleep,
a scripted HTTP server and an SMTP sink, both on loopback at ephemeral ports."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from vanthu.events import AssignmentNotice, DocumentSummary
from vanthu.settings import ChannelOptions, ChannelRetry


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    """Five attempts waiting 1, 2, 4, 4 s (capped; no jitter), so the schedule is exact."""
    return ChannelOptions(timeout_s=0.5, retry=ChannelRetry(max_attempts=5, base_delay_s=1.0, cap_s=4.0, jitter=0))


class RecordingSleep:
    """Stands in for asyncio.sleep: records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@dataclass
class Request:
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class HttpServer:
    """Answers each request with the next scripted status (the last one repeats); None
    means never answer. Records every request. One request per connection."""

    statuses: list[int | None]
    requests: list[Request] = field(default_factory=list)
    server: asyncio.Server | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/vanthu"

    async def start(self, port: int = 0) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip()
                   for name, value in (line.split(":", 1) for line in head[1:] if line)}
        self.requests.append(Request(headers, await reader.readexactly(int(headers.get("content-length", 0)))))
        status = self.statuses[min(len(self.requests), len(self.statuses)) - 1]
        if status is None:
            await reader.read()  # until the client gives up and closes
        else:
            text = f"scripted {status}".encode()
            writer.write(b"HTTP/1.1 %d Scripted\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                         % (status, len(text), text))
            await writer.drain()
        writer.close()


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


REFUSED_PREFIX = "unknown"
BUSY_PREFIX = "busy"


class SinkHandler:
    """Accepts every message, refuses ``unknown*`` recipients with 550 and ``busy*`` with 450."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options):
        if address.startswith(REFUSED_PREFIX):
            return "550 5.1.1 No such mailbox here"
        if address.startswith(BUSY_PREFIX):
            return "450 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_sink(options: ChannelOptions):
    """An aiosmtpd sink on loopback; ``options`` is pointed at it. Yields its handler."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    options.smtp_port = controller.port
    yield handler
    controller.stop()
