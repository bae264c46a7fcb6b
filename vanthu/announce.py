"""Announcing our own uploads on ``vanthu.objects`` at once, instead of waiting for MinIO.

MinIO with a queue directory keeps its bucket notifications in a store and sends them on a
3-second ticker (minio internal/store/store.go, ``retryInterval``), so an upload waits
0-3 s before the OCR stage hears of it: most of an urgent letter's slack. ``vanthu
submit`` and the hot folder therefore publish, right after their PUT succeeded, the very
record MinIO will send later: :func:`object_created` builds it from the object as MinIO
holds it (one HEAD of the version written), with MinIO's message key and partition
(:func:`minio_partition`), so both land in the same partition, announcement first, and are
read in that order.

MinIO's own event stays: it is the safety net when the announcement fails (which never
fails a submission: it is logged, and the announcer stops trying for the rest of its
run), and the only event for uploads by other clients (mc, a scanner's own S3 upload).
The OCR stage takes the second event of the same object version as a quiet repeat
(:func:`already_read`), after the first is done (:class:`OneAtATime`: both may come in one
batch of its subscriber). A forged announcement gains nothing over a forged MinIO event:
the OCR stage reads exactly the version a record names and refuses bytes whose eTag is
not the record's.

Bulk intake is not announced: the bulk lane waits for an empty ordinary lane anyway, and
an archive of thousands of files would double its events for no one's benefit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Awaitable
from importlib.metadata import version
from typing import TypeVar
from urllib.parse import quote_plus

from minio.datatypes import Object

from vanthu.events import ObjectRef, S3Record
from vanthu.kafka_auth import client_options
from vanthu.logs import get_logger
from vanthu.state import StateStore, received_step
from vanthu.storage import Storage

T = TypeVar("T")
log = get_logger("announce")
# How long a submission waits for Kafka's acknowledgement before leaving it to MinIO.
_SEND_TIMEOUT_S = 5.0
_META = "x-amz-meta-"


def minio_partition(key: bytes, partitions: int) -> int:
    """The partition MinIO's notifier picks for a message ``key``: its Kafka client
    (Sarama) hashes keys with 32-bit FNV-1a, not the murmur2 of Kafka's Java and Python
    clients, and takes the remainder of the signed hash, made positive."""
    digest = 0x811C9DC5
    for byte in key:
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    signed = digest - (1 << 32) if digest >= 1 << 31 else digest
    return abs(signed) % partitions


def object_created(head: Object) -> tuple[bytes, dict]:
    """(message key, body) of MinIO's ``s3:ObjectCreated:Put`` notification for the object
    version ``head`` describes (a HEAD of it): the key "<bucket>/<key>", the key URL-escaped
    in the record as MinIO escapes it (Go's url.QueryEscape), user metadata under MinIO's
    canonical header names, and the content type among them as MinIO lists it."""
    metadata = {"-".join(part.capitalize() for part in name.split("-")): value
                for name, value in (head.metadata or {}).items() if name.lower().startswith(_META)}
    if head.content_type:
        metadata["content-type"] = head.content_type
    record = {
        "eventVersion": "2.0", "eventSource": "minio:s3", "eventName": "s3:ObjectCreated:Put",
        "eventTime": f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z",
        "s3": {
            "s3SchemaVersion": "1.0",
            "bucket": {"name": head.bucket_name, "arn": f"arn:aws:s3:::{head.bucket_name}"},
            "object": {"key": quote_plus(head.object_name, safe=""), "size": head.size, "eTag": head.etag,
                       "contentType": head.content_type, "userMetadata": metadata, "versionId": head.version_id},
        },
        # Who announced it: an S3 client's own word, as MinIO records the uploader's user agent.
        "source": {"host": "", "port": "", "userAgent": f"vanthu/{version('vanthu')} (announce)"},
    }
    key = f"{head.bucket_name}/{head.object_name}"
    return key.encode(), {"EventName": "s3:ObjectCreated:Put", "Key": key, "Records": [record]}


class Announcer:
    """Publishes :func:`object_created` for uploads to ``storage`` (blocking). Its Kafka
    producer is connected when it is made, before the first upload: connecting takes longer
    than MinIO may take to send its own event."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.settings = storage.settings
        self._producer = None
        try:
            from kafka import KafkaProducer

            self._producer = KafkaProducer(bootstrap_servers=self.settings.kafka_bootstrap, acks="all",
                                           max_block_ms=int(_SEND_TIMEOUT_S * 1000), **client_options(self.settings))
        except Exception as exc:  # noqa: BLE001 - no announcements then; MinIO's events still come
            self._give_up(exc, "")

    def announce(self, ref: ObjectRef) -> bool:
        """Announce the object version ``ref`` (as :meth:`Storage.upload` returns it);
        False, logged, when it could not be: MinIO's own event will start it."""
        if self._producer is None:
            return False
        try:
            head = self.storage.client.stat_object(ref.bucket, ref.key, version_id=ref.version_id)
            key, body = object_created(head)
            topic = self.settings.topics.objects
            partitions = self._producer.partitions_for(topic)
            partition = minio_partition(key, len(partitions)) if partitions else None
            self._producer.send(topic, json.dumps(body, ensure_ascii=False).encode(), key=key,
                                partition=partition).get(timeout=_SEND_TIMEOUT_S)
            return True
        except Exception as exc:  # noqa: BLE001 - whatever it was, MinIO's event still comes
            self._give_up(exc, ref.key)
            return False

    def _give_up(self, exc: Exception, key: str) -> None:
        """Stop announcing (a Kafka that refused once would make every upload wait for it)."""
        log.warning("could not announce an upload: MinIO's own events will start the files", key=key,
                    error=f"{type(exc).__name__}: {str(exc)[:200]}")
        self.close()

    def close(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            producer.close(timeout=_SEND_TIMEOUT_S)


def already_read(state: StateStore, document_id: str, record: S3Record) -> bool:
    """Whether the OCR stage already carried this very object version to its end (its
    receipt names the version, and the document's text was recorded, or this key was
    reported a duplicate): the second of the two events an announced upload gets, or a
    redelivery after the work was done. One listing when it was not."""
    mine = received_step(record.ref)
    receipts = state.steps(document_id, mine)
    if not receipts or receipts[0].details.get("version_id") != record.ref.version_id:
        return False
    duplicate = "duplicate/" + mine.removeprefix("received/")
    return state.has(document_id, "text") or state.has(document_id, duplicate)


class OneAtATime:
    """Reading one object version at a time in a worker. An upload's two events (vanthu/
    announce.py) share a message key, hence a partition and a worker, and may come in one
    batch of the OCR stage's subscriber: the second must wait for the first to be done to
    see it in the state (:func:`already_read`), not read the document alongside it."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str, str | None], asyncio.Lock] = {}
        self._holders: dict[tuple[str, str, str | None], int] = {}

    async def run(self, ref: ObjectRef, work: Awaitable[T]) -> T:
        """Await ``work`` (reading ``ref``) once no other work on the same version runs. Only
        the reading: a failure's report or retry (which an in-memory broker may deliver
        to this worker at once) is not held up."""
        version = (ref.bucket, ref.key, ref.version_id)
        lock = self._locks.setdefault(version, asyncio.Lock())
        self._holders[version] = self._holders.get(version, 0) + 1
        try:
            async with lock:
                return await work
        finally:
            self._holders[version] -= 1
            if not self._holders[version]:  # nobody waits: forget it (a worker reads millions)
                del self._holders[version], self._locks[version]
