"""The webhook channel: a notice POSTed as JSON to the unit's URL, signed with HMAC-SHA256.

Contract of a delivery (what a receiver can rely on):

* method ``POST``; body: the notice as JSON (``AssignmentNotice.model_dump_json()``,
  UTF-8, Vietnamese text unescaped), or a deadline reminder (``Reminder``);
  ``Content-Type: application/json; charset=utf-8``; ``X-Vanthu-Event``: ``assignment``
  or ``reminder``, which of the two the body is;
* ``X-Vanthu-Idempotency-Key``: the notice's idempotency key, the same on every retry and
  every redelivery, so the receiver can drop repeats;
* ``X-Vanthu-Signature: t=<unix seconds>,sha256=<hex>``: HMAC-SHA256 of ``<t>.`` followed
  by the exact body bytes, with the secret held in the environment variable the directory
  names (``webhook.secret_env``; never in the directory file itself). The attempts of one
  send (seconds apart) are identical; a later send, from the retry topic, is signed anew. Receivers check it with :func:`verify_signature` over the raw body, before
  parsing it; it refuses a signature more than five minutes old (or ahead), so a captured
  request cannot be replayed later;
* any 2xx answer means delivered. 5xx, 408, 429, timeouts and connection errors are
  retried with capped exponential backoff; any other answer (4xx, and 3xx, which is not
  followed: a moved webhook is a directory fix) fails at once.

Where a notice may go (server-side request forgery): the URL's host must be in
``channels.webhook_hosts``, and every address it resolves to must be public unless
``channels.webhook_allow_private`` is set (loopback, private, link-local, multicast and
reserved addresses are otherwise refused). The check is made on the addresses resolved
for this very attempt, and the request is sent to the address checked (the host name
still goes in ``Host`` and TLS's SNI), so a name that resolves differently a moment later
(DNS rebinding) cannot redirect it; proxies from the environment are not used. A refused
target fails permanently, before anything is sent.

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
import ipaddress
import os
import re
import socket
import time
from urllib.parse import urlsplit

import httpx

from services.notify.channels.errors import PermanentDeliveryError
from services.notify.channels.headers import EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER
from services.notify.channels.retry import AttemptFailed, Sleep, with_retries
from vanthu.directory import Webhook
from vanthu.events import AssignmentNotice, Reminder
from vanthu.logs import get_logger
from vanthu.settings import ChannelOptions

_SIGNATURE = re.compile(r"t=(\d{1,12}),sha256=([0-9a-f]{64})")
REPLAY_WINDOW_S = 300
# Statuses that say "not now" rather than "not this request".
_RETRYABLE_STATUSES = frozenset({408, 429})
# Enough of an error answer to tell what the receiver objected to, without logging pages.
_ANSWER_EXCERPT = 200


def _digest(body: bytes, secret: bytes, timestamp: int) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: bytes, timestamp: int | None = None) -> str:
    """The ``X-Vanthu-Signature`` value of ``body`` sent at ``timestamp`` (unix seconds, now
    when None): ``t=<timestamp>,sha256=<hex HMAC-SHA256 of "<timestamp>." + body>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},sha256={_digest(body, secret, timestamp)}"


def verify_signature(body: bytes, header: str | None, secret: bytes, *, now: float | None = None,
                     max_age_s: int = REPLAY_WINDOW_S) -> bool:
    """Whether ``header`` (an ``X-Vanthu-Signature`` value) signs exactly ``body`` with
    ``secret`` and was made at most ``max_age_s`` seconds before ``now`` (or after: clocks
    differ). False, never an exception, for a missing or malformed header. Compares in
    constant time, so timing does not reveal the expected value."""
    match = _SIGNATURE.fullmatch((header or "").strip())
    if not match:
        return False
    timestamp = int(match[1])
    if abs((time.time() if now is None else now) - timestamp) > max_age_s:
        return False
    return hmac.compare_digest(_digest(body, secret, timestamp), match[2])


class TargetRefused(Exception):
    """A webhook URL this service may not post to (see the module docstring)."""


def allowed_url(url: str, allowed: list[str]) -> bool:
    """Whether ``url`` is a URL whose host :func:`allowed_host` admits."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return bool(host) and allowed_host(host, allowed)


def allowed_host(host: str, allowed: list[str]) -> bool:
    """``host`` is in ``allowed``, exactly or under an entry starting with "." (".gov.vn")."""
    host = host.lower().rstrip(".")
    for entry in (e.lower().rstrip(".") for e in allowed):
        if host == entry or (entry.startswith(".") and host.endswith(entry)):
            return True
    return False


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def resolve_target(url: str, options: ChannelOptions) -> tuple[httpx.URL, str]:
    """The URL to connect to (its host replaced by a checked address) and the host name it
    stands for; raises :class:`TargetRefused` for a host not allowed or an address not
    public (unless private ones are allowed)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise TargetRefused(f"invalid webhook URL {url!r}: {exc}") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise TargetRefused(f"invalid webhook URL {url!r}: only http and https URLs with a host")
    if not allowed_host(host, options.webhook_hosts):
        raise TargetRefused(f"host {host!r} is not in channels.webhook_hosts")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from exc  # DNS trouble may pass
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    refused = [str(a) for a in addresses if not _public(a)]
    if refused and not options.webhook_allow_private:
        raise TargetRefused(f"{host} resolves to {', '.join(refused)}: private, loopback or link-local "
                            "addresses are refused (channels.webhook_allow_private)")
    return httpx.URL(url).copy_with(host=str(addresses[0])), host


class WebhookSender:
    """Posts notices to units' webhooks over one pooled HTTP client; close with :meth:`aclose`.

    ``sleep`` waits between attempts (tests pass a fake to observe the delays).
    """

    def __init__(self, options: ChannelOptions, *, sleep: Sleep = asyncio.sleep) -> None:
        self._options = options
        self._sleep = sleep
        # No proxies from the environment (they would connect to what we did not check);
        # redirects are not followed (httpx's default, kept explicit).
        self._client = httpx.AsyncClient(timeout=options.timeout_s, headers={"User-Agent": "vanthu-notify"},
                                         trust_env=False, follow_redirects=False)
        self._log = get_logger("notify").bind(channel="webhook")
        self._warned_unsigned: set[str] = set()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, notice: AssignmentNotice | Reminder, webhook: Webhook) -> None:
        """Deliver ``notice`` (or a reminder) to ``webhook`` (contract in the module docstring).

        Returns once the receiver answered 2xx. Raises
        :class:`~services.notify.channels.errors.PermanentDeliveryError` or
        :class:`~services.notify.channels.errors.TransientDeliveryError`.
        """
        body = notice.model_dump_json().encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            IDEMPOTENCY_HEADER: notice.idempotency_key,
            EVENT_HEADER: "reminder" if isinstance(notice, Reminder) else "assignment",
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
        """One POST to the checked address of ``url``; raises :class:`AttemptFailed` unless
        the answer is 2xx."""
        try:
            target, host = await resolve_target(url, self._options)
        except TargetRefused as exc:
            raise AttemptFailed(str(exc), retryable=False) from exc
        except OSError as exc:
            raise AttemptFailed(str(exc), retryable=True) from exc
        try:
            response = await self._client.post(target, content=body, headers=headers | {"Host": _host_header(url)},
                                               extensions={"sni_hostname": host})
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


def _host_header(url: str) -> str:
    """``Host`` as the URL names it (with its port when it has one)."""
    return urlsplit(url).netloc.rpartition("@")[2]
