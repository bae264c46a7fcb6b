"""How a per-unit channel reports that a notice was not delivered.

Both errors mean the unit has *not* received the notice (as far as the sender can tell);
they differ in whether trying again later can help, which decides what the caller does
with the notice: a :class:`TransientDeliveryError` is worth retrying later (the retry
topic), a :class:`PermanentDeliveryError` needs a person to fix the directory or the
receiving end.
"""

from __future__ import annotations

from typing import Literal

Channel = Literal["webhook", "email"]


class DeliveryError(Exception):
    """A notice was not delivered over ``channel`` after ``attempts`` attempts
    (0: refused before anything was sent)."""

    def __init__(self, channel: Channel, attempts: int, message: str) -> None:
        super().__init__(f"{channel}: {message}")
        self.channel = channel
        self.attempts = attempts
        self.message = message


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help: the receiver rejected the notice (HTTP 4xx other than 408
    and 429, a redirect, SMTP 5xx), the address or URL is invalid, or the signing secret
    is missing."""


class TransientDeliveryError(DeliveryError):
    """Every attempt failed in a way that may pass (HTTP 5xx, 408, 429, SMTP 4xx, timeouts,
    refused or dropped connections); the notice may be sent again later."""
