"""Where a webhook may post (server-side request forgery), and what a receiver can verify."""

from __future__ import annotations

import pytest

from services.notify.channels import PermanentDeliveryError, WebhookSender
from tests.loopback import HttpServer
from vanthu.directory import UnitDirectory, Webhook
from vanthu.events import AssignmentNotice, DocumentSummary
from vanthu.settings import ChannelOptions, ChannelRetry

NOTICE = AssignmentNotice(idempotency_key="k", document_id="d", unit_id="so-y-te", unit="Sở Y tế", unit_text="Sở Y tế",
                          role="lead", task="Tiêm vắc xin", document=DocumentSummary(number="1/TB-UBND"))


def options(*hosts: str, allow_private: bool = False) -> ChannelOptions:
    return ChannelOptions(timeout_s=1, retry=ChannelRetry(max_attempts=2, base_delay_s=0.001),
                          webhook_hosts=list(hosts), webhook_allow_private=allow_private)


async def no_sleep(_: float) -> None:
    return None


@pytest.fixture
async def receiver():
    server = HttpServer([200])
    await server.start()
    yield server
    await server.stop()


async def send(options: ChannelOptions, url: str) -> None:
    sender = WebhookSender(options, sleep=no_sleep)
    try:
        await sender.send(NOTICE, Webhook(url=url))
    finally:
        await sender.aclose()


def attempts(receiver: HttpServer) -> list[tuple[ChannelOptions, str]]:
    """Ways an attacker (or a careless directory entry) aims a webhook at the inside."""
    port = receiver.port
    return [
        (options(), receiver.url),  # no allow-list: nothing may be posted to
        (options("example.gov.vn"), receiver.url),  # a host not on the list
        (options("127.0.0.1"), receiver.url),  # listed, but loopback without the explicit switch
        (options("localhost"), f"http://localhost:{port}/hook"),  # a name that resolves to loopback
        (options(".gov.vn"), f"http://127.0.0.1.gov.vn.127.0.0.1:{port}/"),  # suffix trick: not under .gov.vn
        (options("169.254.169.254"), "http://169.254.169.254/latest/meta-data/"),  # cloud metadata
        (options("10.0.0.7"), "http://10.0.0.7/admin"),
        (options("192.168.1.1"), "http://192.168.1.1/"),
        (options("100.64.0.1"), "http://100.64.0.1/"),  # shared address space
        (options("0.0.0.0"), f"http://0.0.0.0:{port}/"),
        (options("::1"), f"http://[::1]:{port}/"),
        (options("::ffff:127.0.0.1"), f"http://[::ffff:127.0.0.1]:{port}/"),  # loopback written as IPv6
        (options("127.0.0.1"), f"http://user@127.0.0.1:{port}/"),
    ]


async def test_every_ssrf_attempt_is_refused_before_anything_is_sent(receiver):
    refused = 0
    for opts, url in attempts(receiver):
        with pytest.raises(PermanentDeliveryError) as caught:
            await send(opts, url)
        assert caught.value.attempts == 1  # refused for good, not retried
        refused += 1
    assert refused == len(attempts(receiver)) and receiver.requests == []


async def test_loopback_is_reached_only_when_allowed_explicitly_and_keeps_its_host_name(receiver):
    # GIVEN a receiver on loopback, allowed by name and with private addresses allowed
    await send(options("localhost", allow_private=True), f"http://localhost:{receiver.port}/hook")
    # THEN it is posted to the address checked, with the name the directory gave in Host
    [request] = receiver.requests
    assert request.headers["host"] == f"localhost:{receiver.port}"


async def test_a_redirect_is_not_followed():
    # GIVEN an allowed receiver that redirects elsewhere (to the inside, say)
    server = HttpServer([302])
    await server.start()
    try:
        with pytest.raises(PermanentDeliveryError) as caught:
            await send(options("127.0.0.1", allow_private=True), server.url)
    finally:
        await server.stop()
    # THEN the redirect is a refusal, and only the one request was made
    assert "HTTP 302" in caught.value.message and len(server.requests) == 1


def test_a_secret_written_into_the_directory_file_is_refused(tmp_path):
    # GIVEN a directory whose webhook holds its secret in the file rather than in the environment
    path = tmp_path / "directory.yaml"
    path.write_text("units:\n- id: so-y-te\n  name: Sở Y tế\n  delivery:\n    webhook:\n"
                    "      url: https://hooks.example.gov.vn/x\n      secret: khóa-bí-mật\n", encoding="utf-8")
    # WHEN it is loaded THEN it is refused (not silently posted unsigned)
    with pytest.raises(Exception, match="secret"):
        UnitDirectory.load(path)
