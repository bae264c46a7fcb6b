"""Configuration for every service, read from ``VANTHU_*`` environment variables.

Defaults point at the local stack on loopback (``deploy/local/stack``). The only
secret here is the local MinIO development password; deployments override it. Secrets
are :class:`~pydantic.SecretStr` (``repr`` and logs show ``**********``). Everything is
validated when a service starts: a service with a bad setting does not start, so it is
never reported ready.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    SerializationInfo,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict


class Topics(BaseModel):
    """Every Kafka topic name, kept in one place."""

    objects: str = "vanthu.objects"
    bulk: str = Field("vanthu.objects.bulk", description="The bulk lane: intake the OCR stage reads only when "
                      "no ordinary document is waiting (LaneOptions).")
    text: str = "vanthu.text"
    directives: str = "vanthu.directives"
    assignments: str = "vanthu.assignments"
    failed: str = "vanthu.failed"
    review: str = "vanthu.review"
    tasks: str = Field("vanthu.tasks", description="Units' marks on their tasks (received, done).")
    reminders: str = Field("vanthu.reminders", description="Deadline reminders (nhắc việc).")
    dlq: str = "vanthu.dlq"
    retry: str = Field("vanthu.retry", description="Prefix of the stages' retry topics.")

    def retry_for(self, stage: str) -> str:
        return f"{self.retry}.{stage}"

    def all(self) -> list[str]:
        return [self.objects, self.bulk, self.text, self.directives, self.assignments, self.failed, self.review, self.tasks,
                self.reminders, self.dlq,
                *(self.retry_for(stage) for stage in ("ocr", "parse", "notify", "channels"))]


class RetryOptions(BaseModel):
    """Transient failures (storage, Kafka, a webhook's 5xx) go through the stage's retry
    topic, waiting base * 2^(attempt-1) seconds (at most ``cap_s``); after
    ``max_attempts`` the message goes to the dead-letter topic."""

    max_attempts: int = Field(6, ge=1)
    base_delay_s: float = Field(2.0, gt=0)
    cap_s: float = Field(60.0, gt=0)

    def delay(self, attempt: int) -> float:
        return min(self.cap_s, self.base_delay_s * 2 ** (attempt - 1))


class Buckets(BaseModel):
    incoming: str = "incoming"
    artifacts: str = "artifacts"


class OcrOptions(BaseModel):
    """Options of the OCR stage (see services/ocr)."""

    language: str = "vie"
    dpi: int = Field(
        300,
        ge=72,
        le=600,
        description=(
            "Resolution PDF pages are rasterised at; a page that is one grey, black-and-white"
            " or colour scan of lower resolution is read as it is."
        ),
    )
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    page_timeout_s: float = Field(120.0, gt=0)
    max_pages: int = Field(200, ge=1)
    max_bytes: int = Field(200 * 1024 * 1024, ge=1)
    low_confidence: float = Field(70.0, ge=0, le=100)
    min_text_chars: int = Field(30, ge=0)
    tesseract_cmd: str = Field("tesseract", description="The Tesseract program (tests swap in failing fakes).")
    osd_min_confidence: float = Field(
        5.0, ge=0, description="Tesseract OSD confidence needed before a low-confidence page is turned and re-read."
    )


class LaneOptions(BaseModel):
    """The OCR stage's two lanes: bulk intake (an archive's back file) is read only when no
    ordinary document is waiting, so an urgent letter is never queued behind it."""

    bulk_prefix: str = Field("bulk/", min_length=1, description="Object keys under this prefix go to the bulk lane "
                             "(`vanthu submit --bulk` puts files there).")
    bulk_niceness: int = Field(19, ge=0, le=19, description="Scheduling niceness of the process that reads bulk "
                               "documents: an ordinary document read meanwhile gets the cores.")
    bulk_page_timeout_s: float = Field(3600.0, gt=0, description="The page timeout of bulk documents (when longer "
                                       "than ocr.page_timeout_s): a bulk page waits behind ordinary work.")
    bulk_max_lag: int = Field(4, ge=0, description="Events the parse and notify stages may have yet to read "
                              "when the bulk lane starts a document: more, and it waits (an urgent letter's text "
                              "must not queue behind a fast bulk batch's).")


class ChannelRetry(RetryOptions):
    """The in-process retries of one webhook or e-mail send: the same schedule as the
    retry topics, but shorter, since the send holds its notice while it waits; each wait
    is shortened by a random fraction of at most ``jitter`` so that many units failing
    at once do not retry in lockstep."""

    max_attempts: int = Field(4, ge=1)
    base_delay_s: float = Field(1.0, gt=0)
    cap_s: float = Field(30.0, gt=0)
    jitter: float = Field(0.2, ge=0, le=1)


def _reveal(value: SecretStr | None, info: SerializationInfo) -> str | None:
    """A secret as ``**********``, or as itself when dumped with ``context={"reveal": True}``."""
    if value is None:
        return None
    return value.get_secret_value() if (info.context or {}).get("reveal") else str(value)



class ChannelOptions(BaseModel):
    """Options of the notify service's per-unit channels (see services/notify/channels)."""

    timeout_s: float = Field(10.0, gt=0, description="Per HTTP request / per SMTP command.")
    retry: ChannelRetry = ChannelRetry()
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(1025, ge=1, le=65535)
    smtp_from: str = "vanthu@localhost"
    smtp_starttls: bool = Field(False, description="Require STARTTLS; False sends in clear (the local sink).")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    _dump_password = field_serializer("smtp_password")(_reveal)
    webhook_hosts: list[str] = Field(
        default_factory=list,
        description="Host names (or addresses) webhooks may be posted to; a webhook on any other host is refused.",
    )
    webhook_allow_private: bool = Field(
        False, description="Allow webhooks to private, loopback and link-local addresses (a test receiver on "
        "127.0.0.1, a receiver inside the same network); off, such addresses are refused even for an allowed host.",
    )


_LINK_EXPIRY_MAX_S = 7 * 24 * 3600  # S3 presigned URLs cannot outlive 7 days (SigV4)
_SECRET_KEY_BYTES = 32


class SecrecyOptions(BaseModel):
    """How secret documents ("MẬT", "TỐI MẬT", "TUYỆT MẬT") are kept (services/notify/secrecy.py)."""

    text: Literal["drop", "encrypt"] = Field(
        "drop", description="Their text artifact: removed once parsed (drop), or kept sealed with ``key`` (encrypt).")
    key: SecretStr | None = Field(None, description="URL-safe base64 of 32 random bytes (AES-256-GCM).")
    _dump_key = field_serializer("key")(_reveal)
    hold: bool = Field(False, description="Hold them after OCR: nothing on vanthu.directives, one item on "
                       "vanthu.review for the records office to handle by hand.")

    @model_validator(mode="after")
    def _key_usable(self) -> SecrecyOptions:
        if self.key is not None:
            self.key_bytes()
        elif self.text == "encrypt":
            raise ValueError("secrecy.text=encrypt needs VANTHU_SECRECY__KEY (URL-safe base64 of 32 bytes)")
        return self

    def key_bytes(self) -> bytes | None:
        if self.key is None:
            return None
        try:
            key = base64.urlsafe_b64decode(self.key.get_secret_value())
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != _SECRET_KEY_BYTES:
            raise ValueError("VANTHU_SECRECY__KEY must be URL-safe base64 of 32 bytes")
        return key


class KafkaAuth(BaseModel):
    """How this process authenticates to Kafka (``vanthu/kafka_auth.py`` turns it into each
    client library's options). One principal per service: each service's process gets its
    own ``username`` and ``password`` from the environment."""

    security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="PLAINTEXT: no authentication (the default local stack); SASL_*: SCRAM-SHA-512.")
    username: str | None = None
    password: SecretStr | None = None
    _dump_password = field_serializer("password")(_reveal)
    cafile: str | None = Field(None, description="CA certificate (PEM) the brokers' TLS certificates are checked "
                               "against with SASL_SSL; unset: the system's CAs.")

    @model_validator(mode="after")
    def _credentials(self) -> KafkaAuth:
        if self.security_protocol != "PLAINTEXT" and not (self.username and self.password):
            raise ValueError(f"kafka.security_protocol={self.security_protocol} needs VANTHU_KAFKA__USERNAME "
                             "and VANTHU_KAFKA__PASSWORD")
        return self


class Identities(BaseModel):
    """Passwords of the per-service identities: the MinIO user ``vanthu-<service>`` that
    ``vanthu init`` creates (``vanthu/identities.py``), and the Kafka SCRAM user
    ``<service>`` written when Kafka's storage is formatted (the local stack in secure
    mode, compose's ``kafka-format``). Only those read them; a service reads its own
    password from VANTHU_MINIO_SECRET_KEY and VANTHU_KAFKA__PASSWORD. Unset: no identity."""

    ocr: SecretStr | None = None
    parse: SecretStr | None = None
    notify: SecretStr | None = None
    desk: SecretStr | None = None
    minio: SecretStr | None = Field(None, description="Kafka only: MinIO's notifier, which publishes vanthu.objects.")
    _dump = field_serializer("ocr", "parse", "notify", "desk", "minio")(_reveal)

    def passwords(self) -> dict[str, str]:
        """Each identity that has a password, by name."""
        return {name: value.get_secret_value() for name in type(self).model_fields
                if (value := getattr(self, name)) is not None}


class DirectoryOptions(BaseModel):
    """The national unit directory (vanthu/directory.py) when ``directory_path`` is unset."""

    home: str | None = Field(None, description="The jurisdiction this mailroom serves: a province's name or code "
                             "('Ninh Bình', '37') or a ministry's id ('vn:bo-y-te'); unset: every unit.")
    overlay: str | None = Field(None, description="The deployment's overlay file: delivery channels, local units, "
                                "clerks' aliases (vanthu/data/README.md).")
    unserved: Literal["review", "drop"] = Field(
        "review", description="Assignments to units of other jurisdictions: to the review topic, or dropped.")


def _env_value(value: object) -> str:
    """A dumped value as an environment variable holds it (lists and objects as JSON)."""
    return value if isinstance(value, str) else json.dumps(value)


def _endpoint(value: str, *, port_required: bool) -> str:
    """``host:port`` (``host`` alone when the port may default), checked, or ValueError:
    what the MinIO client and Kafka take, not a URL."""
    parts = urlsplit(f"//{value}")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or (port is None and port_required) or parts.path or parts.query \
            or parts.username:
        raise ValueError(f"{value!r} is not host{':port' if port_required else '[:port]'}")
    return value


class Settings(BaseSettings):
    """All settings; nested values use ``__`` (``VANTHU_TOPICS__TEXT=...``)."""

    model_config = SettingsConfigDict(env_prefix="VANTHU_", env_nested_delimiter="__")

    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka: KafkaAuth = KafkaAuth()
    minio_endpoint: str = "127.0.0.1:9000"
    minio_public_endpoint: str | None = Field(
        None, description="host:port that people's links point at (presigned URLs), when MinIO is reached "
        "there rather than at minio_endpoint (a proxy, a public name); signed for that host.")
    minio_access_key: str = "vanthu"
    minio_secret_key: SecretStr = SecretStr("vanthu-local-dev")
    _dump_secret_key = field_serializer("minio_secret_key")(_reveal)
    minio_secure: bool = False
    identities: Identities = Identities()
    topics: Topics = Topics()
    buckets: Buckets = Buckets()
    ocr: OcrOptions = OcrOptions()
    lanes: LaneOptions = LaneOptions()
    channels: ChannelOptions = ChannelOptions()
    retry: RetryOptions = RetryOptions()
    group_prefix: str = "vanthu"
    directory_path: str | None = None
    directory: DirectoryOptions = DirectoryOptions()
    link_expiry_s: int = Field(_LINK_EXPIRY_MAX_S, ge=1, le=_LINK_EXPIRY_MAX_S,
                               description="Lifetime of presigned links, 1 s to 7 days.")
    secrecy: SecrecyOptions = SecrecyOptions()
    reminder_days: int = Field(3, ge=0, description="Days before a task's deadline its unit is reminded (nhắc việc).")
    http_port: int | None = Field(None, ge=0, le=65535, description="Health and metrics port of `vanthu serve`; "
                                  "unset: no endpoint, 0: any free port.")
    http_host: str = "127.0.0.1"

    @field_validator("minio_endpoint", "minio_public_endpoint")
    @classmethod
    def _endpoints(cls, value: str | None) -> str | None:
        return None if value is None else _endpoint(value, port_required=False)

    @field_validator("kafka_bootstrap")
    @classmethod
    def _bootstrap(cls, value: str) -> str:
        for server in value.split(","):
            _endpoint(server.strip(), port_required=True)
        return value

    def as_env(self) -> dict[str, str]:
        """The settings that differ from the defaults, as the environment variables that set them."""
        env = {}
        # The secrets' own values, not their masks: these variables configure a child process.
        dumped = self.model_dump(mode="json", exclude_defaults=True, context={"reveal": True})
        for name, value in dumped.items():
            if isinstance(value, dict):
                env |= {f"VANTHU_{name.upper()}__{k.upper()}": _env_value(v) for k, v in value.items() if v is not None}
            elif value is not None:
                env[f"VANTHU_{name.upper()}"] = _env_value(value)
        return env

    def group(self, stage: str) -> str:
        """The consumer group of one stage; workers of a stage share it."""
        return f"{self.group_prefix}.{stage}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
