"""Per-unit delivery channels of the notify service, beside Kafka: a signed webhook and
e-mail, configured per unit in the directory (``delivery.webhook``, ``delivery.email``)."""

from services.notify.channels.email import MailSender
from services.notify.channels.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from services.notify.channels.webhook import WebhookSender, sign, verify_signature

__all__ = [
    "DeliveryError",
    "MailSender",
    "PermanentDeliveryError",
    "TransientDeliveryError",
    "WebhookSender",
    "sign",
    "verify_signature",
]
