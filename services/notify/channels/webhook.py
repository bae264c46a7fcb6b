"""The webhook channel: a notice POSTed as JSON to the unit's URL, signed with HMAC-SHA256.

Contract of a delivery (what a receiver can rely on):

* method ``POST``; body: the notice as JSON (``AssignmentNotice.model_dump_json()``,
  UTF-8, Vietnamese text unescaped); ``Content-Type: application/json; charset=utf-8``;
* ``X-Vanthu-Idempotency-Key``: the notice's idempotency key, the same on every retry and
  every redelivery, so the receiver can drop repeats;
* ``X-Vanthu-Signature: sha256=<hex>``: HMAC-SHA256 of the exact body bytes with the
  secret held in the environment variable the directory names (``webhook.secret_env``).
  Receivers check it with :func:`verify_signature` over the raw body, before parsing it;
* any 2xx answer means delivered. 5xx, 408, 429, timeouts and connection errors are
  retried with capped exponential backoff; any other answer (4xx, and 3xx, which is not
  followed: a moved webhook is a directory fix) fails at once.

A unit whose webhook has no ``secret_env`` gets unsigned posts (no signature header) and
the service logs a warning once per URL: the directory makes the secret optional for
receivers that cannot check one (a chat room's incoming webhook); leaving it out is a
choice made in the directory, not an accident this service could fix. A ``secret_env``
naming an unset or empty variable is an accident, and fails permanently: posting
unsigned to a receiver that expects a signature would only be rejected.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os

import httpx

from services.notify.channels.errors import PermanentDeliveryError
from services.notify.channels.headers import IDEMPOTENCY_HEADER, SIGNATURE_HEADER
from services.notify.channels.retry import AttemptFailed, Sleep, with_retries
from vanthu.directory import Webhook
from vanthu.events import AssignmentNotice
from vanthu.logs import get_logger
from vanthu.settings import ChannelOptions

_SIGNATURE_PREFIX = "sha256="
# Statuses that say "not now" rather than "not this request".
_RETRYABLE_STATUSES = frozenset({408, 429})
# Enough of an error answer to tell what the receiver objected to, without logging pages.
_ANSWER_EXCERPT = 200


def sign(body: bytes, secret: bytes) -> str:
    """The ``X-Vanthu-Signature`` value of ``body``: ``sha256=`` + hex HMAC-SHA256."""
    return _SIGNATURE_PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str, secret: bytes) -> bool:
    """Whether ``header`` (an ``X-Vanthu-Signature`` value) signs exactly ``body`` with
    ``secret``. Compares in constant time, so timing does not reveal the expected value."""
    return hmac.compare_digest(sign(body, secret).encode(), header.strip().encode())


class WebhookSender:
    """Posts notices to units' webhooks over one pooled HTTP client; close with :meth:`aclose`.

    ``sleep`` waits between attempts (tests pass a fake to observe the delays).
    """

    def __init__(self, options: ChannelOptions, *, sleep: Sleep = asyncio.sleep) -> None:
        self._options = options
        self._sleep = sleep
        self._client = httpx.AsyncClient(timeout=options.timeout_s, headers={"User-Agent": "vanthu-notify"})
        self._log = get_logger("notify").bind(channel="webhook")
        self._warned_unsigned: set[str] = set()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, notice: AssignmentNotice, webhook: Webhook) -> None:
        """Deliver ``notice`` to ``webhook`` (contract in the module docstring).

        Returns once the receiver answered 2xx. Raises
        :class:`~services.notify.channels.errors.PermanentDeliveryError` or
        :class:`~services.notify.channels.errors.TransientDeliveryError`.
        """
        body = notice.model_dump_json().encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            IDEMPOTENCY_HEADER: notice.idempotency_key,
        }
        secret = self._secret(webhook)
        if secret is not None:
            headers[SIGNATURE_HEADER] = sign(body, secret)

        async def attempt() -> None:
            await self._post(webhook.url, body, headers)

        log = self._log.bind(idempotency_key=notice.idempotency_key, url=webhook.url)
        await with_retries(attempt, self._options.retry, channel="webhook", log=log, sleep=self._sleep)
        log.info("webhook delivered")

    def _secret(self, webhook: Webhook) -> bytes | None:
        """The signing secret, or None for a webhook the directory leaves unsigned."""
        if webhook.secret_env is None:
            if webhook.url not in self._warned_unsigned:
                self._warned_unsigned.add(webhook.url)
                self._log.warning("webhook has no secret_env; posting unsigned", url=webhook.url)
            return None
        secret = os.environ.get(webhook.secret_env)
        if not secret:
            raise PermanentDeliveryError(
                "webhook", 0, f"signing secret variable {webhook.secret_env} is unset or empty (for {webhook.url})"
            )
        return secret.encode()

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        """One POST; raises :class:`AttemptFailed` unless the answer is 2xx."""
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise AttemptFailed(f"invalid webhook URL {url!r}: {exc}", retryable=False) from exc
        except httpx.TransportError as exc:  # connection refused or dropped, timeouts
            raise AttemptFailed(f"{type(exc).__name__} posting to {url}: {exc}", retryable=True) from exc
        if response.is_success:
            return
        status = response.status_code
        raise AttemptFailed(
            f"HTTP {status} from {url}: {response.text[:_ANSWER_EXCERPT]}",
            retryable=status >= 500 or status in _RETRYABLE_STATUSES,
        )
