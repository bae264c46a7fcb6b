"""The webhook channel against a scripted HTTP server on loopback."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from services.notify.channels import (
    PermanentDeliveryError,
    TransientDeliveryError,
    WebhookSender,
    sign,
    verify_signature,
)
from services.notify.channels.headers import EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER
from vanthu.directory import Webhook
from vanthu.events import AssignmentNotice, Reminder

SECRET_ENV = "VANTHU_TEST_WEBHOOK_SECRET"
SECRET = "khóa-bí-mật-của-sở"


@pytest.fixture
async def make_sender(options):
    """``make_sender(sleep)``: a WebhookSender with the test options, closed after the test."""
    senders: list[WebhookSender] = []

    def make(sleep) -> WebhookSender:
        senders.append(WebhookSender(options, sleep=sleep))
        return senders[-1]

    yield make
    for sender in senders:
        await sender.aclose()


@pytest.fixture(autouse=True)
def secret(monkeypatch) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)


async def test_post_carries_the_notice_signed_with_the_units_secret(http_server, make_sender, sleep, notice):
    # GIVEN a receiver that accepts, and a webhook whose secret is in the environment
    server = await http_server(200)
    # WHEN the notice is sent
    await make_sender(sleep).send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN one POST carries the notice as UTF-8 JSON with its idempotency key
    [request] = server.requests
    assert AssignmentNotice.model_validate_json(request.body) == notice
    assert "Sở Y tế".encode() in request.body
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers[IDEMPOTENCY_HEADER.lower()] == notice.idempotency_key
    # AND the signature, stamped with the time of sending, verifies with the unit's secret,
    # not with another or over another body
    signature = request.headers[SIGNATURE_HEADER.lower()]
    stamped = int(signature.removeprefix("t=").split(",")[0])
    assert abs(stamped - time.time()) < 5 and ",sha256=" in signature
    assert verify_signature(request.body, signature, SECRET.encode())
    assert not verify_signature(request.body, signature, b"another secret")
    assert not verify_signature(request.body.replace("Sở Y tế".encode(), "Sở Tài chính".encode()),
                                signature, SECRET.encode())
    assert sleep.delays == []


@pytest.mark.parametrize("header", [None, "", "sha256=", "md5=abc", "sha256=zzzz", "sha256=ẞ", "t=,sha256=",
                                    "t=abc,sha256=" + "0" * 64, "t=1" + "0" * 40 + ",sha256=" + "0" * 64])
def test_malformed_signature_headers_do_not_verify(header):
    # GIVEN a header that is missing or not a signature WHEN it is verified THEN it fails, without raising
    assert not verify_signature(b"{}", header, SECRET.encode())


def test_unstamped_signature_of_the_old_form_does_not_verify():
    # GIVEN a bare HMAC of the body (no time in it: replayable forever) WHEN verified THEN refused
    bare = "sha256=" + hmac.new(SECRET.encode(), b"{}", hashlib.sha256).hexdigest()
    assert not verify_signature(b"{}", bare, SECRET.encode())


@pytest.mark.parametrize(("age_s", "accepted"), [(0, True), (299, True), (301, False), (86400, False), (-301, False)])
def test_a_signature_is_accepted_for_five_minutes_only(age_s, accepted):
    # GIVEN a request signed at a known time
    signed_at = 1_760_000_000
    header = sign(b'{"task": "x"}', SECRET.encode(), signed_at)
    # WHEN it is verified age_s seconds later (negative: the sender's clock is ahead)
    # THEN it is accepted within five minutes either way, and a replay after that is refused
    assert verify_signature(b'{"task": "x"}', header, SECRET.encode(), now=signed_at + age_s) is accepted


@pytest.mark.parametrize("status", [503, 500, 429, 408])
async def test_retryable_answer_then_success_is_delivered_once(http_server, make_sender, sleep, notice, status):
    # GIVEN a receiver that answers a retryable status once, then 200
    server = await http_server(status, 200)
    # WHEN the notice is sent
    await make_sender(sleep).send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN it was posted twice, identically, after one base delay, and the second post succeeded
    first, second = server.requests
    assert first == second
    assert sleep.delays == [1.0]


async def test_server_error_forever_gives_up_after_max_attempts_with_capped_backoff(
        http_server, make_sender, sleep, notice):
    # GIVEN a receiver that always answers 500
    server = await http_server(500)
    # WHEN the notice is sent
    with pytest.raises(TransientDeliveryError) as caught:
        await make_sender(sleep).send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN it tried max_attempts times, waiting 1, 2, 4 then the 4 s cap, and says why it gave up
    assert (caught.value.channel, caught.value.attempts) == ("webhook", 5)
    assert "HTTP 500" in caught.value.message
    assert len(server.requests) == 5
    assert sleep.delays == [1.0, 2.0, 4.0, 4.0]


@pytest.mark.parametrize("status", [400, 401, 404, 410, 301])
async def test_client_error_fails_at_once(http_server, make_sender, sleep, notice, status):
    # GIVEN a receiver that rejects the request (or has moved)
    server = await http_server(status, 200)
    # WHEN the notice is sent
    with pytest.raises(PermanentDeliveryError) as caught:
        await make_sender(sleep).send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN there was one attempt and no retry
    assert (caught.value.channel, caught.value.attempts) == ("webhook", 1)
    assert f"HTTP {status}" in caught.value.message
    assert len(server.requests) == 1
    assert sleep.delays == []


async def test_connection_refused_is_retried_until_the_receiver_is_up(http_server, make_sender, notice, unused_port):
    # GIVEN a webhook port where nothing listens yet, and a receiver that comes up during the first wait
    port = unused_port
    server = await http_server(200)
    await server.stop()
    delays: list[float] = []

    async def sleep_then_start_receiver(seconds: float) -> None:
        delays.append(seconds)
        if len(delays) == 1:
            await server.start(port)

    # WHEN the notice is sent
    await make_sender(sleep_then_start_receiver).send(
        notice, Webhook(url=f"http://127.0.0.1:{port}/hooks/vanthu", secret_env=SECRET_ENV))
    # THEN the refused first attempt was retried and the second delivered
    assert delays == [1.0]
    assert len(server.requests) == 1


async def test_receiver_that_never_answers_times_out_and_is_retried(http_server, make_sender, sleep, notice, options):
    # GIVEN a receiver that accepts the request but never answers, and a short timeout
    server = await http_server(None)
    options.timeout_s = 0.1
    # WHEN the notice is sent
    with pytest.raises(TransientDeliveryError) as caught:
        await make_sender(sleep).send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN every attempt timed out
    assert caught.value.attempts == 5
    assert "Timeout" in caught.value.message
    assert len(server.requests) == 5


async def test_missing_secret_fails_before_posting(http_server, make_sender, sleep, notice, monkeypatch):
    # GIVEN a webhook whose secret variable is not set
    server = await http_server(200)
    monkeypatch.delenv(SECRET_ENV)
    # WHEN the notice is sent
    with pytest.raises(PermanentDeliveryError) as caught:
        await make_sender(sleep).send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN nothing was posted, and the error names the variable
    assert caught.value.attempts == 0
    assert SECRET_ENV in caught.value.message
    assert server.requests == []


async def test_webhook_without_secret_env_is_posted_unsigned(http_server, make_sender, sleep, notice):
    # GIVEN a webhook the directory leaves unsigned
    server = await http_server(200)
    # WHEN the notice is sent
    await make_sender(sleep).send(notice, Webhook(url=server.url))
    # THEN it is delivered without a signature header
    [request] = server.requests
    assert SIGNATURE_HEADER.lower() not in request.headers
    assert request.headers[IDEMPOTENCY_HEADER.lower()] == notice.idempotency_key


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/hook", "http://[::1/hook", "not a url"])
async def test_invalid_url_fails_at_once(make_sender, sleep, notice, url):
    # GIVEN a webhook URL that cannot be posted to WHEN the notice is sent THEN it fails without retry
    with pytest.raises(PermanentDeliveryError) as caught:
        await make_sender(sleep).send(notice, Webhook(url=url, secret_env=SECRET_ENV))
    assert caught.value.attempts == 1
    assert sleep.delays == []


async def test_a_reminder_is_posted_signed_and_says_what_it_is(http_server, make_sender, sleep, notice, reminder):
    # GIVEN a receiver WHEN a reminder and a notice are posted to it
    server = await http_server(200, 200)
    sender = make_sender(sleep)
    await sender.send(reminder, Webhook(url=server.url, secret_env=SECRET_ENV))
    await sender.send(notice, Webhook(url=server.url, secret_env=SECRET_ENV))
    # THEN each says which event its body is, and the reminder's body is the reminder, signed
    posted_reminder, posted_notice = server.requests
    assert posted_reminder.headers[EVENT_HEADER.lower()] == "reminder"
    assert posted_notice.headers[EVENT_HEADER.lower()] == "assignment"
    assert Reminder.model_validate_json(posted_reminder.body) == reminder
    assert posted_reminder.headers[IDEMPOTENCY_HEADER.lower()] == reminder.idempotency_key
    assert verify_signature(posted_reminder.body, posted_reminder.headers[SIGNATURE_HEADER.lower()], SECRET.encode())
