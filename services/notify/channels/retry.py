"""Exponential backoff with a cap, shared by every channel.

A sender describes one attempt as a coroutine function that returns on success and
raises :class:`AttemptFailed` saying whether another attempt may succeed;
:func:`with_retries` runs it on the schedule of :class:`~vanthu.settings.ChannelRetry`
and turns the outcome into a :class:`~services.notify.channels.errors.DeliveryError`,
so that counting attempts, waiting and logging live here only.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

import structlog

from services.notify.channels.errors import Channel, PermanentDeliveryError, TransientDeliveryError
from vanthu.settings import ChannelRetry

Sleep = Callable[[float], Awaitable[None]]


class AttemptFailed(Exception):
    """One attempt failed; ``retryable`` says whether another attempt may succeed."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def backoff_delay(policy: ChannelRetry, attempt: int) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1-based): the policy's capped
    exponential delay, less a random fraction of at most ``policy.jitter``."""
    return policy.delay(attempt) * (1 - policy.jitter * random.random())


async def with_retries(
    attempt: Callable[[], Awaitable[None]],
    policy: ChannelRetry,
    *,
    channel: Channel,
    log: structlog.typing.FilteringBoundLogger,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Run ``attempt`` until it returns, at most ``policy.max_attempts`` times.

    Raises :class:`PermanentDeliveryError` at the first non-retryable failure, and
    :class:`TransientDeliveryError` when the last attempt failed retryably; both carry
    the number of attempts made and the last failure's message.
    """
    for number in range(1, policy.max_attempts + 1):
        try:
            await attempt()
            return
        except AttemptFailed as exc:
            if not exc.retryable:
                raise PermanentDeliveryError(channel, number, str(exc)) from exc
            if number == policy.max_attempts:
                raise TransientDeliveryError(
                    channel, number, f"gave up after {number} attempts; last: {exc}"
                ) from exc
            delay = backoff_delay(policy, number)
            log.warning("delivery attempt failed; retrying", channel=channel, attempt=number,
                        retry_in_s=round(delay, 3), error=str(exc))
            await sleep(delay)
