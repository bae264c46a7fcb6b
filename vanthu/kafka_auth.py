"""Every Kafka client's authentication options, from one place (``Settings.kafka``).

The services, the CLI, the desk and the tests build clients with three libraries:
FastStream (``KafkaBroker(security=...)``), aiokafka and kafka-python. The last two take
the same keyword names (``security_protocol``, ``sasl_mechanism``,
``sasl_plain_username``, ``sasl_plain_password``, ``ssl_context``), so one function
serves both. The mechanism is always SCRAM-SHA-512: the password never crosses the
network, even on a listener without TLS.
"""

from __future__ import annotations

import ssl
from typing import Any

from faststream.security import BaseSecurity, SASLScram512
from pydantic import SecretStr

from vanthu.settings import KafkaAuth, Settings

MECHANISM = "SCRAM-SHA-512"


def _ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of a SASL_SSL connection (brokers checked against ``cafile``)."""
    if settings.kafka.security_protocol != "SASL_SSL":
        return None
    return ssl.create_default_context(cafile=settings.kafka.cafile)


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword options for an aiokafka or kafka-python client (producer, consumer, admin):
    empty on a PLAINTEXT listener, so a client built with them works on both."""
    auth = settings.kafka
    if auth.security_protocol == "PLAINTEXT":
        return {}
    options: dict[str, Any] = {
        "security_protocol": auth.security_protocol,
        "sasl_mechanism": MECHANISM,
        "sasl_plain_username": auth.username,
        "sasl_plain_password": auth.password.get_secret_value() if auth.password else None,
    }
    if context := _ssl_context(settings):
        options["ssl_context"] = context
    return options


def broker_security(settings: Settings) -> BaseSecurity | None:
    """FastStream's security object for ``KafkaBroker(security=...)``; None on PLAINTEXT."""
    auth = settings.kafka
    if auth.security_protocol == "PLAINTEXT":
        return None
    context = _ssl_context(settings)
    return SASLScram512(auth.username or "", auth.password.get_secret_value() if auth.password else "",
                        ssl_context=context, use_ssl=context is not None)


def as_principal(settings: Settings, username: str, password: str) -> Settings:
    """``settings`` authenticating as ``username`` (same protocol and CA): what that
    service's own environment sets; for a process that checks another's identity."""
    kafka = KafkaAuth(security_protocol=settings.kafka.security_protocol, cafile=settings.kafka.cafile,
                      username=username, password=SecretStr(password))
    return settings.model_copy(update={"kafka": kafka})
