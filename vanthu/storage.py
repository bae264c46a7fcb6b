"""Object storage access (MinIO / S3) for every stage.

Originals are only ever read; stages write their artifacts to the artifacts bucket
under the document id, so a rerun overwrites an artifact with the same content.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from minio import Minio
from minio.error import S3Error
from pydantic import BaseModel

from vanthu.errors import DocumentError, FailureReason
from vanthu.events import ObjectRef
from vanthu.settings import Settings

M = TypeVar("M", bound=BaseModel)
_MISSING = {"NoSuchKey", "NoSuchBucket", "NoSuchObject"}


def text_artifact_ref(settings: Settings, document_id: str) -> ObjectRef:
    return ObjectRef(bucket=settings.buckets.artifacts, key=f"text/{document_id}.json")


class Storage:
    """A thin, typed wrapper over the MinIO client (blocking: call it from a thread)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = Minio(
            settings.minio_endpoint,
            access_key=settings.minio_access_key,
            secret_key=settings.minio_secret_key,
            secure=settings.minio_secure,
        )

    def read(self, ref: ObjectRef, *, max_bytes: int | None = None) -> bytes:
        """The object's bytes; DocumentError when it is gone or larger than ``max_bytes``."""
        try:
            if max_bytes is not None:
                size = self.client.stat_object(ref.bucket, ref.key).size or 0
                if size > max_bytes:
                    raise DocumentError(FailureReason.TOO_LARGE, f"{size} bytes is over the {max_bytes}-byte limit")
            response = self.client.get_object(ref.bucket, ref.key)
        except S3Error as exc:
            if exc.code in _MISSING:
                raise DocumentError(FailureReason.OBJECT_MISSING, f"s3://{ref.bucket}/{ref.key} does not exist") from exc
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def put_model(self, ref: ObjectRef, model: BaseModel) -> None:
        body = model.model_dump_json().encode()
        self.client.put_object(ref.bucket, ref.key, io.BytesIO(body), len(body), content_type="application/json")

    def get_model(self, ref: ObjectRef, model_type: type[M]) -> M | None:
        """The stored model, or None when there is none yet."""
        try:
            return model_type.model_validate_json(self.read(ref))
        except DocumentError:
            return None

    def exists(self, ref: ObjectRef) -> bool:
        try:
            self.client.stat_object(ref.bucket, ref.key)
            return True
        except S3Error as exc:
            if exc.code in _MISSING:
                return False
            raise

    def list_keys(self, bucket: str, prefix: str) -> list[str]:
        """Keys under ``prefix``, recursively."""
        return [obj.object_name for obj in self.client.list_objects(bucket, prefix=prefix, recursive=True)]

    def presigned_url(self, ref: ObjectRef, expiry_s: int) -> str:
        return self.client.presigned_get_object(ref.bucket, ref.key, expires=dt.timedelta(seconds=expiry_s))

    def upload(self, path: Path, bucket: str, key: str, metadata: dict[str, str]) -> ObjectRef:
        """Upload a file; metadata values are percent-encoded since S3 headers are ASCII."""
        encoded = {k: quote(v, safe=" ,;:/@-_.()") for k, v in metadata.items() if v}
        self.client.fput_object(bucket, key, str(path), metadata=encoded)
        return ObjectRef(bucket=bucket, key=key)
