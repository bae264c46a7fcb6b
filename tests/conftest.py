"""Shared fixtures: the example directives, an in-memory storage for handler tests, and
the real local Kafka + MinIO for integration tests (started when absent, stopped after).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pydantic import BaseModel

from examples.render import example_texts
from vanthu.directory import UnitDirectory
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import ObjectRef
from vanthu.provision import create_buckets, create_topics, private_copy, remove_private
from vanthu.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
STACK = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py")]


@pytest.fixture(scope="session")
def national() -> UnitDirectory:
    """The national unit directory (every province, the central bodies): built once."""
    return UnitDirectory.national()


@pytest.fixture(scope="session")
def examples() -> dict[str, str]:
    return example_texts()


class MemoryStorage:
    """Storage with the same contract as :class:`vanthu.storage.Storage`, in memory."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.objects: dict[tuple[str, str], bytes] = {}

    def read(self, ref: ObjectRef, *, max_bytes: int | None = None, etag: str | None = None) -> bytes:
        try:
            data = self.objects[(ref.bucket, ref.key)]
        except KeyError:
            raise DocumentError(FailureReason.OBJECT_MISSING, f"s3://{ref.bucket}/{ref.key} does not exist") from None
        if max_bytes is not None and len(data) > max_bytes:
            raise DocumentError(FailureReason.TOO_LARGE, "too large")
        if etag is not None and etag != hashlib.md5(data).hexdigest():  # S3's eTag of a one-part upload
            raise DocumentError(FailureReason.INVALID_REFERENCE, "not the eTag of the object")
        return data

    def put_model(self, ref: ObjectRef, model: BaseModel) -> None:
        self.put_bytes(ref, model.model_dump_json().encode(), "application/json")

    def put_bytes(self, ref: ObjectRef, data: bytes, content_type: str) -> None:
        self.objects[(ref.bucket, ref.key)] = data

    def put_file(self, ref: ObjectRef, path: Path, content_type: str) -> None:
        self.put_bytes(ref, path.read_bytes(), content_type)

    def remove(self, ref: ObjectRef) -> None:
        self.objects.pop((ref.bucket, ref.key), None)

    def get_model(self, ref: ObjectRef, model_type):
        data = self.objects.get((ref.bucket, ref.key))
        return None if data is None else model_type.model_validate_json(data)

    def exists(self, ref: ObjectRef) -> bool:
        return (ref.bucket, ref.key) in self.objects

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        return sorted(key for b, key in self.objects if b == bucket and key.startswith(prefix))

    def presigned_url(self, ref: ObjectRef, expiry_s: int) -> str:
        return f"memory://{ref.bucket}/{ref.key}?expires={expiry_s}"


@pytest.fixture
def memory_storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture(scope="session")
def local_stack():
    """The real local Kafka and MinIO, started by this fixture when they are not running."""
    result = subprocess.run([*STACK, "up"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the local stack did not start:\n{result.stdout}\n{result.stderr}"
    started = result.stdout.strip().endswith("started")
    yield
    if started:
        subprocess.run([*STACK, "down"], timeout=120, check=True)


@pytest.fixture
def run_settings(local_stack) -> Settings:
    """Settings private to one test: its own topics, buckets and consumer groups."""
    settings = private_copy(Settings(), f"test{uuid.uuid4().hex[:8]}")
    create_topics(settings)
    create_buckets(settings)
    yield settings
    remove_private(settings)
