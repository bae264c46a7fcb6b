"""Loopback peers for tests of the notify channels: a scripted HTTP server and an SMTP sink."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field

from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
