"""Configuration for every service, read from ``VANTHU_*`` environment variables.

Defaults point at the local stack on loopback (``deploy/local/stack``). The only
secret here is the local MinIO development password; deployments override it.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Topics(BaseModel):
    """Every Kafka topic name, kept in one place."""

    objects: str = "vanthu.objects"
    text: str = "vanthu.text"
    directives: str = "vanthu.directives"
    assignments: str = "vanthu.assignments"
    failed: str = "vanthu.failed"
    review: str = "vanthu.review"
    dlq: str = "vanthu.dlq"
    retry: str = Field("vanthu.retry", description="Prefix of the stages' retry topics.")

    def retry_for(self, stage: str) -> str:
        return f"{self.retry}.{stage}"

    def all(self) -> list[str]:
        return [self.objects, self.text, self.directives, self.assignments, self.failed, self.review, self.dlq,
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


class ChannelRetry(RetryOptions):
    """The in-process retries of one webhook or e-mail send: the same schedule as the
    retry topics, but shorter, since the send holds its notice while it waits; each wait
    is shortened by a random fraction of at most ``jitter`` so that many units failing
    at once do not retry in lockstep."""

    max_attempts: int = Field(4, ge=1)
    base_delay_s: float = Field(1.0, gt=0)
    cap_s: float = Field(30.0, gt=0)
    jitter: float = Field(0.2, ge=0, le=1)


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


class Settings(BaseSettings):
    """All settings; nested values use ``__`` (``VANTHU_TOPICS__TEXT=...``)."""

    model_config = SettingsConfigDict(env_prefix="VANTHU_", env_nested_delimiter="__")

    kafka_bootstrap: str = "127.0.0.1:9092"
    minio_endpoint: str = "127.0.0.1:9000"
    minio_access_key: str = "vanthu"
    minio_secret_key: str = "vanthu-local-dev"
    minio_secure: bool = False
    topics: Topics = Topics()
    buckets: Buckets = Buckets()
    ocr: OcrOptions = OcrOptions()
    channels: ChannelOptions = ChannelOptions()
    retry: RetryOptions = RetryOptions()
    group_prefix: str = "vanthu"
    directory_path: str | None = None
    link_expiry_s: int = Field(7 * 24 * 3600, ge=60)
    http_port: int | None = Field(None, ge=0, le=65535, description="Health and metrics port of `vanthu serve`; "
                                  "unset: no endpoint, 0: any free port.")
    http_host: str = "127.0.0.1"

    def as_env(self) -> dict[str, str]:
        """The settings that differ from the defaults, as the environment variables that set them."""
        env = {}
        for name, value in self.model_dump(mode="json", exclude_defaults=True).items():
            if isinstance(value, dict):
                env |= {f"VANTHU_{name.upper()}__{k.upper()}": str(v) for k, v in value.items() if v is not None}
            elif value is not None:
                env[f"VANTHU_{name.upper()}"] = str(value)
        return env

    def group(self, stage: str) -> str:
        """The consumer group of one stage; workers of a stage share it."""
        return f"{self.group_prefix}.{stage}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
