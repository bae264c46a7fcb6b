"""Object storage access (MinIO / S3) for every stage, what an event may name in it, and
each process's local scratch space.

Originals are only ever read, each as the version its event names (the intake bucket is
versioned, so an overwrite keeps the first bytes) and checked against the event's eTag; stages write their artifacts to the artifacts bucket
under the document id, so a rerun overwrites an artifact with the same content. Events
come from a bus anyone with Kafka access can write to, so a stage touches only objects
that :func:`check_original` and :func:`check_artifact` accept: originals in the intake
bucket, a document's artifact under its own id.
"""

from __future__ import annotations

import atexit
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import threading
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
# Answers that say the request itself is wrong: retrying it cannot help. (AccessDenied is
# not one: wrong credentials are an operator's fix, after which a retry or replay works.)
_REFUSED = {"InvalidBucketName", "InvalidObjectName", "XMinioInvalidObjectName", "KeyTooLongError", "InvalidArgument"}
_REGION = "us-east-1"  # MinIO's default region
_MAX_KEY_BYTES = 1024  # S3's limit
_DOCUMENT_ID = re.compile(r"[0-9a-f]{64}")


def text_artifact_ref(settings: Settings, document_id: str) -> ObjectRef:
    return ObjectRef(bucket=settings.buckets.artifacts, key=f"text/{document_id}.json")


def parsed_artifact_ref(settings: Settings, document_id: str) -> ObjectRef:
    """The latest revision of the document's parsed directive, as published (a secret
    document's withheld form): what a clerk's correction starts from."""
    return ObjectRef(bucket=settings.buckets.artifacts, key=f"parsed/{document_id}.json")


def check_key(key: str) -> None:
    """DocumentError ``invalid-reference`` unless ``key`` is a plain object key: not empty,
    at most 1024 bytes, no leading "/", no "." or ".." segment, no backslash or control
    character (what could escape a prefix on a file system or a proxy)."""
    segments = key.split("/")
    if (not key or len(key.encode()) > _MAX_KEY_BYTES or key.startswith("/") or "\\" in key
            or any(segment in (".", "..") for segment in segments)
            or any(ord(c) < 32 or ord(c) == 127 for c in key)):
        raise DocumentError(FailureReason.INVALID_REFERENCE, f"{key[:200]!r} is not an acceptable object key")


def check_original(settings: Settings, ref: ObjectRef) -> None:
    """DocumentError ``invalid-reference`` unless ``ref`` is an object of the intake bucket."""
    check_key(ref.key)
    if ref.bucket != settings.buckets.incoming:
        raise DocumentError(FailureReason.INVALID_REFERENCE,
                            f"an original must be in the intake bucket, not s3://{ref.bucket}/{ref.key[:200]}")


def check_artifact(settings: Settings, document_id: str, ref: ObjectRef) -> None:
    """DocumentError ``invalid-reference`` unless ``ref`` is the text artifact of
    ``document_id`` (itself a sha256 in hex), the only artifact an event may name."""
    if not _DOCUMENT_ID.fullmatch(document_id):
        raise DocumentError(FailureReason.INVALID_REFERENCE, f"{document_id[:80]!r} is not a document id (sha256)")
    if ref != text_artifact_ref(settings, document_id):
        raise DocumentError(FailureReason.INVALID_REFERENCE, f"s3://{ref.bucket}/{ref.key[:200]} is not the text "
                            f"artifact of document {document_id}")


class Storage:
    """A thin, typed wrapper over the MinIO client (blocking: call it from a thread)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = self._client(settings.minio_endpoint)
        # Links are signed for the host people open them at; signing needs no connection
        # when the region is given, so this client never talks to MinIO.
        self.links = (self._client(settings.minio_public_endpoint, region=_REGION) if settings.minio_public_endpoint
                      else self.client)

    def _client(self, endpoint: str, region: str | None = None) -> Minio:
        s = self.settings
        return Minio(endpoint, access_key=s.minio_access_key, secret_key=s.minio_secret_key.get_secret_value(),
                     secure=s.minio_secure, region=region)

    def read(self, ref: ObjectRef, *, max_bytes: int | None = None, etag: str | None = None) -> bytes:
        """The bytes of the object (of version ``ref.version_id`` when set); DocumentError
        when it is gone, larger than ``max_bytes``, or not the object of eTag ``etag``
        (``invalid-reference``: other bytes than the event announced, never read silently)."""
        check_key(ref.key)
        try:
            if max_bytes is not None:
                size = self.client.stat_object(ref.bucket, ref.key, version_id=ref.version_id).size or 0
                if size > max_bytes:
                    raise DocumentError(FailureReason.TOO_LARGE, f"{size} bytes is over the {max_bytes}-byte limit")
            response = self.client.get_object(ref.bucket, ref.key, version_id=ref.version_id)
        except S3Error as exc:
            if exc.code in _MISSING:
                raise DocumentError(FailureReason.OBJECT_MISSING, f"s3://{ref.bucket}/{ref.key} does not exist") from exc
            if exc.code in _REFUSED:
                raise DocumentError(FailureReason.INVALID_REFERENCE,
                                    f"s3://{ref.bucket}/{ref.key[:200]}: {exc.code}") from exc
            raise
        except ValueError as exc:  # the client's own check of bucket and key names
            raise DocumentError(FailureReason.INVALID_REFERENCE, f"s3://{ref.bucket}/{ref.key[:200]}: {exc}") from exc
        try:
            read = _etag(response.headers.get("ETag"))
            if etag is not None and read != _etag(etag):
                raise DocumentError(FailureReason.INVALID_REFERENCE, f"s3://{ref.bucket}/{ref.key[:200]} (version "
                                    f"{ref.version_id or 'latest'}) has eTag {read}, not the {_etag(etag)} the event "
                                    "names: overwritten in an unversioned bucket, or a forged event")
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def previous_version(self, ref: ObjectRef) -> ObjectRef | None:
        """The version of ``ref``'s key written just before ``ref.version_id`` (what that
        version overwrote), None when there is none (or ``ref`` names no version, or the
        key was deleted in between: a new submission then supersedes nothing)."""
        if ref.version_id is None:
            return None
        # S3 lists a key's versions newest first.
        versions = [v for v in self.client.list_objects(ref.bucket, prefix=ref.key, include_version=True)
                    if v.object_name == ref.key]
        ids = [v.version_id for v in versions]
        if ref.version_id not in ids or ids.index(ref.version_id) + 1 >= len(versions):
            return None
        before = versions[ids.index(ref.version_id) + 1]
        return None if before.is_delete_marker else ref.model_copy(update={"version_id": before.version_id})

    def put_model(self, ref: ObjectRef, model: BaseModel) -> None:
        self.put_bytes(ref, model.model_dump_json().encode(), "application/json")

    def put_bytes(self, ref: ObjectRef, data: bytes, content_type: str) -> None:
        self.client.put_object(ref.bucket, ref.key, io.BytesIO(data), len(data), content_type=content_type)

    def put_file(self, ref: ObjectRef, path: Path, content_type: str) -> None:
        """Upload the file ``path`` in parts, never whole in memory."""
        self.client.fput_object(ref.bucket, ref.key, str(path), content_type=content_type)

    def remove(self, ref: ObjectRef) -> None:
        """Delete the object (nothing happens when it is already gone)."""
        self.client.remove_object(ref.bucket, ref.key)

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
        """A link that downloads ``ref``: its version ``ref.version_id`` when set, so a link
        to an original keeps giving the bytes submitted after its key is overwritten."""
        return self.links.presigned_get_object(ref.bucket, ref.key, expires=dt.timedelta(seconds=expiry_s),
                                               version_id=ref.version_id)

    def upload(self, path: Path, bucket: str, key: str, metadata: dict[str, str]) -> ObjectRef:
        """Upload a file; metadata values are percent-encoded since S3 headers are ASCII.
        Returns the object as written (its version, in a versioned bucket)."""
        encoded = {k: quote(v, safe=" ,;:/@-_.()") for k, v in metadata.items() if v}
        written = self.client.fput_object(bucket, key, str(path), metadata=encoded)
        return ObjectRef(bucket=bucket, key=key, version_id=written.version_id)


def _etag(value: str | None) -> str | None:
    """An eTag as events and headers spell it alike (S3 headers quote it)."""
    return value.strip('"') if value else None


# --- local scratch space ------------------------------------------------------------------

_SCRATCH_PREFIX = "vanthu-scratch-"
_scratch_lock = threading.Lock()
_scratch: Path | None = None


def scratch_dir() -> Path:
    """This process's private directory for temporary files (page images for Tesseract).

    Made on first use, mode 0700 (no other user reads a document's pages), and removed
    when the process exits. A process killed outright cannot clean up, so making it
    first removes the directories of processes that no longer run (and of an earlier
    life of this process id, as in a restarted container)."""
    global _scratch
    with _scratch_lock:
        if _scratch is None or not _scratch.is_dir():
            _remove_stale_scratch()
            _scratch = Path(tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-"))
            atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
        return _scratch


def _remove_stale_scratch() -> None:
    for path in Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*-*"):
        pid = path.name.removeprefix(_SCRATCH_PREFIX).split("-")[0]
        if pid.isdigit() and path.is_dir() and path.stat().st_uid == os.getuid() and \
                (int(pid) == os.getpid() or not _running(int(pid))):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
