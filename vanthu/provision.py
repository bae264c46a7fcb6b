"""Creates what the services expect to exist: topics, buckets, the intake notification.

Idempotent; used by the local stack, by ``vanthu init`` (the compose init container)
and by the tests for their private topics and buckets.
"""

from __future__ import annotations

from kafka.admin import KafkaAdminClient, NewPartitions, NewTopic
from kafka.errors import TopicAlreadyExistsError
from minio.commonconfig import ENABLED
from minio.notificationconfig import NotificationConfig, QueueConfig
from minio.versioningconfig import VersioningConfig

from vanthu.identities import create_identities
from vanthu.kafka_acl import create_acls
from vanthu.kafka_auth import client_options
from vanthu.settings import Buckets, Settings, Topics
from vanthu.storage import Storage

# MinIO names a Kafka target configured as MINIO_NOTIFY_KAFKA_*_PRIMARY like this.
NOTIFY_TARGET = "PRIMARY"
NOTIFY_ARN = f"arn:minio:sqs::{NOTIFY_TARGET}:kafka"
# A partition is read by one member of a consumer group at a time, so a topic's partitions
# bound how many workers of a stage share it: two let two workers share it on a 2-core
# machine. N OCR workers (on any number of machines) need N partitions of vanthu.objects and
# of vanthu.objects.bulk: `vanthu init --partitions N`.
TOPIC_PARTITIONS = 2


def create_topics(settings: Settings, partitions: int = TOPIC_PARTITIONS) -> list[str]:
    """Create the missing topics with ``partitions`` partitions, and raise existing ones
    that have fewer to ``partitions`` (Kafka cannot lower them); returns the ones created.

    Raising a topic's partitions moves some keys to new partitions: one unit's notices
    sent across the change may arrive out of order once."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10000,
                             **client_options(settings))
    try:
        existing = set(admin.list_topics())
        wanted = [t for t in settings.topics.all() if t not in existing]
        if wanted:
            try:
                admin.create_topics([NewTopic(t, partitions, 1) for t in wanted])
            except TopicAlreadyExistsError:
                pass
        # All of them: one created by another process just before (already there) has its old count.
        fewer = {d["topic"]: NewPartitions(partitions) for d in admin.describe_topics(settings.topics.all())
                 if 0 < len(d["partitions"]) < partitions}
        if fewer:
            admin.create_partitions(fewer)
        return wanted
    finally:
        admin.close()


def create_buckets(settings: Settings) -> None:
    """Create the buckets, version the intake bucket and make MinIO publish its new objects
    to Kafka.

    Versioning keeps every original: an overwrite of a key adds a version (its event names
    it) and a delete only hides the key, so the first bytes stay readable as evidence and
    old links keep downloading them. The artifacts bucket is not versioned: its objects are
    derived, and rewritten as a document goes through the stages."""
    client = Storage(settings).client
    for bucket in (settings.buckets.incoming, settings.buckets.artifacts):
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket)
    client.set_bucket_versioning(settings.buckets.incoming, VersioningConfig(ENABLED))
    client.set_bucket_notification(
        settings.buckets.incoming,
        NotificationConfig(queue_config_list=[
            QueueConfig(queue=NOTIFY_ARN, events=["s3:ObjectCreated:*"], config_id="vanthu-intake"),
        ]),
    )


def create_access(settings: Settings) -> str:
    """Least privilege, with the administrator's credentials ``settings`` carry: the Kafka
    ACLs of every service principal when Kafka authenticates clients, and a MinIO user and
    policy for each service with a password in ``VANTHU_IDENTITIES__*``. Says what it did."""
    done = []
    if settings.kafka.security_protocol != "PLAINTEXT":
        done.append(f"{create_acls(settings)} Kafka ACLs")
    if made := create_identities(settings):
        done.append(f"MinIO users {', '.join(made)}")
    return "; ".join(done) or "no identities configured (VANTHU_IDENTITIES__*, VANTHU_KAFKA__*)"


def private_copy(settings: Settings, run: str) -> Settings:
    """Settings with topics, buckets and consumer groups of their own, for a test or benchmark.

    ``vanthu.objects`` stays shared (MinIO's notification target is fixed when it starts);
    the OCR service ignores objects outside its own intake bucket.
    """
    private = {name: f"{run}.{name}" for name in Topics.model_fields if name != "objects"}
    return settings.model_copy(update={
        "topics": Topics(objects=settings.topics.objects, **private),
        "buckets": Buckets(incoming=f"incoming-{run}", artifacts=f"artifacts-{run}"),
        "group_prefix": run,
    })


def remove_private(settings: Settings) -> None:
    """Delete what :func:`private_copy` settings created: their buckets, objects (every
    version) and topics."""
    client = Storage(settings).client
    for bucket in (settings.buckets.incoming, settings.buckets.artifacts):
        if client.bucket_exists(bucket):
            for obj in client.list_objects(bucket, recursive=True, include_version=True):
                client.remove_object(bucket, obj.object_name, version_id=obj.version_id)
            client.remove_bucket(bucket)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, **client_options(settings))
    try:
        existing = set(admin.list_topics())
        admin.delete_topics([t for t in settings.topics.all() if t != settings.topics.objects and t in existing])
    finally:
        admin.close()
