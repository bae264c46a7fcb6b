"""Configuration for every service, read from ``VANTHU_*`` environment variables.

Defaults point at the local stack on loopback (``deploy/local/stack``). The only
secret here is the local MinIO development password; deployments override it.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Topics(BaseModel):
    """Every Kafka topic name, kept in one place."""

    objects: str = "vanthu.objects"
    text: str = "vanthu.text"
    directives: str = "vanthu.directives"
    assignments: str = "vanthu.assignments"
    failed: str = "vanthu.failed"
    review: str = "vanthu.review"

    def all(self) -> list[str]:
        return [self.objects, self.text, self.directives, self.assignments, self.failed, self.review]


class Buckets(BaseModel):
    incoming: str = "incoming"
    artifacts: str = "artifacts"


class OcrOptions(BaseModel):
    """Options of the OCR stage (see services/ocr)."""

    language: str = "vie"
    dpi: int = Field(300, ge=72, le=600)
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
    group_prefix: str = "vanthu"
    directory_path: str | None = None
    link_expiry_s: int = Field(7 * 24 * 3600, ge=60)

    def group(self, stage: str) -> str:
        """The consumer group of one stage; workers of a stage share it."""
        return f"{self.group_prefix}.{stage}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
