"""On the real local MinIO: the per-service users `vanthu init` creates (vanthu/identities.py)
reach what their service needs and are refused outside it. Above all, the original in the
intake bucket (the mailroom's evidence) can be neither read nor overwritten by the parse
service's key, nor overwritten by the OCR or notify service's."""

from __future__ import annotations

import io
import secrets
import urllib.error
import urllib.request

import pytest
from minio import Minio
from minio.error import S3Error
from pydantic import SecretStr

from vanthu.identities import access_key, create_identities, remove_identities
from vanthu.settings import Identities, Settings
from vanthu.storage import Storage

pytestmark = pytest.mark.integration
ORIGINAL = b"%PDF-1.4 the signed original"


@pytest.fixture
def identities(run_settings: Settings) -> Settings:
    """``run_settings`` (root credentials, private buckets) with a user per service."""
    passwords = Identities(**{name: SecretStr(secrets.token_urlsafe(12)) for name in ("ocr", "parse", "notify", "desk")})
    settings = run_settings.model_copy(update={"identities": passwords})
    made = create_identities(settings)
    assert set(made) == {access_key(name) for name in ("ocr", "parse", "notify", "desk")}
    yield settings
    remove_identities(settings)


def client(settings: Settings, service: str) -> Minio:
    """An S3 client with ``service``'s key. The region is given, so the client never asks
    for it: each refusal below is the policy's on the object itself."""
    password = settings.identities.passwords()[service]
    return Minio(settings.minio_endpoint, access_key=access_key(service), secret_key=password,
                 secure=settings.minio_secure, region="us-east-1")


def _put(minio: Minio, bucket: str, key: str, data: bytes) -> None:
    minio.put_object(bucket, key, io.BytesIO(data), len(data))


def _get(minio: Minio, bucket: str, key: str) -> bytes:
    response = minio.get_object(bucket, key)
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def _refused(action) -> bool:
    try:
        action()
    except S3Error as exc:
        return exc.code == "AccessDenied"
    return False


def test_the_parse_key_can_neither_read_nor_overwrite_an_original(identities: Settings):
    # GIVEN an original the desk submitted to the intake bucket
    incoming, artifacts = identities.buckets.incoming, identities.buckets.artifacts
    _put(client(identities, "desk"), incoming, "2021/09/original.pdf", ORIGINAL)
    parse = client(identities, "parse")
    # WHEN the parse service's key reads it, overwrites it, deletes it THEN each is refused
    assert _refused(lambda: _get(parse, incoming, "2021/09/original.pdf"))
    assert _refused(lambda: _put(parse, incoming, "2021/09/original.pdf", b"%PDF-1.4 forged"))
    assert _refused(lambda: parse.remove_object(incoming, "2021/09/original.pdf"))
    # ... and the original is intact, while the parse key does its own work: read the
    # text artifact, write the parsed one and the document's state
    root = Storage(identities).client
    assert _get(root, incoming, "2021/09/original.pdf") == ORIGINAL
    _put(root, artifacts, "text/abc.json", b"{}")
    assert _get(parse, artifacts, "text/abc.json") == b"{}"
    _put(parse, artifacts, "parsed/abc.json", b"{}")
    _put(parse, artifacts, "state/abc/parsed.json", b"{}")


def test_each_service_key_is_refused_outside_its_policy(identities: Settings):
    incoming, artifacts = identities.buckets.incoming, identities.buckets.artifacts
    _put(client(identities, "desk"), incoming, "a.pdf", ORIGINAL)
    ocr, notify, desk = (client(identities, name) for name in ("ocr", "notify", "desk"))
    # The OCR service reads originals and writes text artifacts, but never an original or a parse result
    assert _get(ocr, incoming, "a.pdf") == ORIGINAL
    _put(ocr, artifacts, "text/a.json", b"{}")
    assert _refused(lambda: _put(ocr, incoming, "a.pdf", b"forged"))
    assert _refused(lambda: _put(ocr, artifacts, "parsed/a.json", b"{}"))
    # The notify service only reads: it forges neither a text artifact nor an original
    assert _refused(lambda: _put(notify, artifacts, "text/a.json", b"forged"))
    assert _refused(lambda: _put(notify, incoming, "a.pdf", b"forged"))
    # The desk submits originals but cannot forge the OCR stage's text
    assert _refused(lambda: _put(desk, artifacts, "text/a.json", b"forged"))
    # ... nor delete an original, as no service's key can
    for service in (ocr, notify, desk):
        assert _refused(lambda service=service: service.remove_object(incoming, "a.pdf"))


def test_links_signed_with_the_notify_key_download_and_the_parse_key_cannot_sign_them(identities: Settings):
    # GIVEN an original WHEN the notify service's key and the parse service's key sign a link to it
    incoming = identities.buckets.incoming
    _put(client(identities, "desk"), incoming, "b.pdf", ORIGINAL)
    scheme = "https" if identities.minio_secure else "http"

    def download(service: str) -> bytes:
        url = client(identities, service).presigned_get_object(incoming, "b.pdf")
        assert url.startswith(f"{scheme}://{identities.minio_endpoint}/")
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()

    # THEN the notice's link downloads the original, and a link signed by parse is refused
    assert download("notify") == ORIGINAL
    with pytest.raises(urllib.error.HTTPError) as refused:
        download("parse")
    assert refused.value.code == 403
