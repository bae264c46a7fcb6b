"""One MinIO identity per service, with a policy for just what that service does.

``vanthu init`` creates them with the root credentials (``VANTHU_MINIO_ACCESS_KEY`` /
``_SECRET_KEY`` of the init process), from the passwords in ``VANTHU_IDENTITIES__*``;
each service then runs with its own key (``VANTHU_MINIO_ACCESS_KEY=vanthu-<service>``),
so a compromised service reaches only what its policy names. The originals in the intake
bucket are evidence: only the desk (which submits them) may write there, and the parse
service cannot even read them.

Object layout the policies follow (vanthu/storage.py, vanthu/state.py, vanthu/batches.py):
in the artifacts bucket ``text/`` (OCR output), ``parsed/`` (parse output and its
corrections), ``state/`` (every stage records its steps) and ``batches/``.
"""

from __future__ import annotations

import json

from minio.credentials import StaticProvider
from minio.minioadmin import MinioAdmin

from vanthu.settings import Settings

ACCESS_KEY_PREFIX = "vanthu-"


def access_key(service: str) -> str:
    """The MinIO access key (user name) of ``service``."""
    return f"{ACCESS_KEY_PREFIX}{service}"


def _allow(actions: list[str], resources: list[str]) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": [f"arn:aws:s3:::{r}" for r in resources]}


def policies(settings: Settings) -> dict[str, dict]:
    """Each service's IAM policy document, by service. ``s3:GetObject`` also lets a
    service sign links that download the object (a presigned URL acts as its signer)."""
    incoming, artifacts = settings.buckets.incoming, settings.buckets.artifacts
    get, put, delete = "s3:GetObject", "s3:PutObject", "s3:DeleteObject"
    # The intake bucket is versioned: an original is read, and linked, as the version its
    # event names (s3:GetObjectVersion); OCR lists a key's versions to find what one overwrote.
    original = [get, "s3:GetObjectVersion"]
    # Every stage lists and records the steps of a document's state.
    state = [_allow(["s3:ListBucket", "s3:GetBucketLocation"], [artifacts]),
             _allow([get, put], [f"{artifacts}/state/*"])]
    # The S3 client asks a bucket's region before its first request to it.
    intake = [_allow(["s3:GetBucketLocation"], [incoming])]
    statements = {
        "ocr": [*intake, _allow(["s3:ListBucketVersions"], [incoming]), _allow(original, [f"{incoming}/*"]),
                _allow([get, put], [f"{artifacts}/text/*"])],
        # Parse seals or removes a secret document's text once it has read it.
        "parse": [_allow([get, put, delete], [f"{artifacts}/text/*"]),
                  _allow([get, put], [f"{artifacts}/parsed/*"])],
        # Notify reads what it announces and signs the links in notices.
        "notify": [*intake, _allow(original, [f"{incoming}/*"]),
                   _allow([get], [f"{artifacts}/text/*", f"{artifacts}/parsed/*"])],
        # The desk (and `vanthu submit` with its key) submits originals and batches, shows
        # originals and their text, and stores corrections.
        "desk": [_allow([*original, put], [f"{incoming}/*"]),
                 _allow([get, put], [f"{artifacts}/parsed/*", f"{artifacts}/batches/*"]),
                 _allow([get], [f"{artifacts}/text/*"]), *intake],
    }
    return {service: {"Version": "2012-10-17", "Statement": [*state, *extra]}
            for service, extra in statements.items()}


def policy_name(settings: Settings, service: str) -> str:
    """One policy per service and bucket pair (private test buckets get their own)."""
    return f"vanthu-{service}-{settings.buckets.artifacts}"


def _admin(settings: Settings) -> MinioAdmin:
    return MinioAdmin(endpoint=settings.minio_endpoint, credentials=StaticProvider(
        settings.minio_access_key, settings.minio_secret_key.get_secret_value()), secure=settings.minio_secure)


def create_identities(settings: Settings) -> list[str]:
    """Create (or update) the MinIO user and policy of every service that has a password
    in ``settings.identities``; ``settings`` carry the root credentials. Returns the
    access keys made."""
    admin = _admin(settings)
    passwords = settings.identities.passwords()
    made = []
    for service, document in policies(settings).items():
        if service not in passwords:
            continue
        name = policy_name(settings, service)
        admin.policy_add(name, policy=document)
        admin.user_add(access_key(service), passwords[service])
        admin.policy_set(name, user=access_key(service))
        made.append(access_key(service))
    return made


def remove_identities(settings: Settings) -> None:
    """Remove what :func:`create_identities` made for ``settings`` (tests' private runs)."""
    admin = _admin(settings)
    users = json.loads(admin.user_list() or "{}")
    for service in policies(settings):
        if access_key(service) in users:
            admin.user_remove(access_key(service))
        admin.policy_remove(policy_name(settings, service))
