"""Who may do what on Kafka: one principal per service, each allowed only its own topics
and consumer groups (Kafka's StandardAuthorizer denies whatever no ACL allows).

The table follows the pipeline: a stage reads its input and its retry topic and writes
its output, ``vanthu.failed``, the dead-letter topic and its retry topic. Only ``notify``
may write ``vanthu.assignments`` (a forged notice from anyone else is refused); only the
OCR service reads ``vanthu.objects``, only MinIO's notifier and the desk write it. The administrator (``vanthu
init``, the CLI) is a super user of the broker and needs no ACL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kafka.admin import (
    ACL,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    KafkaAdminClient,
    ResourcePattern,
    ResourceType,
)

from vanthu.kafka_auth import client_options
from vanthu.settings import Settings


@dataclass(frozen=True)
class Grants:
    """What one principal may do. Consumer groups are prefixes: a stage's group, its retry
    group (``<group>.retry``) and lanes (``<group>.bulk``)."""

    read: list[str] = field(default_factory=list)  # topics consumed (READ implies DESCRIBE)
    write: list[str] = field(default_factory=list)  # topics produced (WRITE implies DESCRIBE)
    describe: list[str] = field(default_factory=list)  # topics whose offsets it only looks at
    groups: list[str] = field(default_factory=list)  # consumer group prefixes it joins
    describe_groups: list[str] = field(default_factory=list)  # groups whose lag it only looks at


def grants(settings: Settings) -> dict[str, Grants]:
    """Every service principal's grants, by user name."""
    t, group = settings.topics, settings.group

    def stage(name: str, reads: list[str], writes: list[str], groups: list[str], **extra: list[str]) -> Grants:
        retries = [t.retry_for(g) for g in groups]
        return Grants(read=[*reads, *retries], write=[*writes, *retries, t.failed, t.dlq],
                      groups=[group(g) for g in groups], **extra)

    return {
        # The OCR stage also moves bulk intake to its lane, and looks at the parse and
        # notify stages' lag before it starts a bulk document (services/ocr/lanes.py).
        "ocr": stage("ocr", [t.objects, t.bulk], [t.text, t.bulk], ["ocr"], describe=[t.text, t.directives],
                     describe_groups=[group("parse"), group("notify")]),
        "parse": stage("parse", [t.text], [t.directives, t.review], ["parse"]),
        # The notify service runs the per-unit channels too: they deliver the notices and
        # the deadline reminders (which the administrator's `vanthu task reminders` publishes).
        "notify": stage("notify", [t.directives, t.assignments, t.reminders], [t.assignments, t.review],
                        ["notify", "channels"]),
        # The desk's projection follows the pipeline without a consumer group; it publishes
        # clerks' corrections (a directive's next revision) and units' marks on tasks, and
        # announces its own uploads (the hot folder's) on vanthu.objects before MinIO's
        # delayed notification does (vanthu/announce.py). That gives it nothing it lacked:
        # its MinIO key may already put objects into the intake bucket, which makes MinIO
        # publish the same event, and the OCR stage reads only the version an event names,
        # refusing bytes whose eTag is not the event's.
        "desk": Grants(read=[t.text, t.directives, t.assignments, t.review, t.failed, t.tasks, t.bulk],
                       write=[t.directives, t.tasks, t.objects]),
        "minio": Grants(write=[t.objects]),
    }


def _acl(user: str, operation: ACLOperation, kind: ResourceType, name: str,
         pattern: ACLResourcePatternType = ACLResourcePatternType.LITERAL) -> ACL:
    return ACL(f"User:{user}", "*", operation, ACLPermissionType.ALLOW, ResourcePattern(kind, name, pattern))


def acls(settings: Settings) -> list[ACL]:
    """The ACLs that grant :func:`grants`, and nothing else."""
    topic, group = ResourceType.TOPIC, ResourceType.GROUP
    result = []
    for user, g in grants(settings).items():
        result += [_acl(user, ACLOperation.READ, topic, name) for name in g.read]
        result += [_acl(user, ACLOperation.WRITE, topic, name) for name in g.write]
        result += [_acl(user, ACLOperation.DESCRIBE, topic, name) for name in g.describe]
        result += [_acl(user, ACLOperation.READ, group, name, ACLResourcePatternType.PREFIXED) for name in g.groups]
        result += [_acl(user, ACLOperation.DESCRIBE, group, name) for name in g.describe_groups]
    return result


def create_acls(settings: Settings) -> int:
    """Create the ACLs (as the administrator ``settings`` authenticate as); idempotent:
    Kafka keeps one copy of an ACL created twice. Returns how many were asked for."""
    wanted = acls(settings)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10000,
                             **client_options(settings))
    try:
        result = admin.create_acls(wanted)
    finally:
        admin.close()
    if result["failed"]:
        acl, error = result["failed"][0]
        raise RuntimeError(f"Kafka refused {len(result['failed'])} ACL(s), e.g. {acl}: {error}")
    return len(wanted)
