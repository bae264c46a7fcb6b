"""On the real local Kafka and MinIO: a secret document submitted with `vanthu submit`
(under a file name as long as a file system allows) travels through MinIO's notification
and the three services, and nothing of it but its identity comes out."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from examples.render import text_pdf
from services.notify import app as notify_app
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from tests.security.documents import SECRET_DOCUMENTS
from tests.kafka_reading import read_topics
from vanthu.events import AssignmentNotice, DirectiveParsed
from vanthu.settings import Settings
from vanthu.storage import Storage, text_artifact_ref

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
DOCUMENT = SECRET_DOCUMENTS[0]
# 251 bytes of UTF-8: the name `vanthu submit` used to crash on
LONG_NAME = ("Kế hoạch bảo đảm an ninh trật tự mục tiêu trọng điểm " * 3).encode()[:247].decode(errors="ignore") + ".pdf"


async def collect(settings: Settings, done, timeout: float) -> dict[str, list[dict]]:
    topics = [settings.topics.directives, settings.topics.assignments, settings.topics.review, settings.topics.failed]
    return await read_topics(settings, topics, done, timeout)


async def test_a_secret_document_on_the_real_stack_leaks_nothing(run_settings: Settings, tmp_path):
    # GIVEN the three services on the real Kafka and MinIO
    settings = run_settings
    path = tmp_path / LONG_NAME
    path.write_bytes(text_pdf(DOCUMENT.text))
    apps = [module.create_app(settings) for module in (ocr_app, parse_app, notify_app)]
    for app in apps:
        await app.start()
    try:
        # WHEN a clerk submits the secret document under a 251-byte file name
        submitted = subprocess.run([sys.executable, "-m", "vanthu.cli", "submit", str(path), "--by", "Văn thư"],
                                   env=os.environ | settings.as_env(), capture_output=True, text=True, timeout=120)
        assert submitted.returncode == 0, submitted.stderr
        messages = await collect(settings, lambda m: m[settings.topics.directives] and m[settings.topics.assignments],
                                 timeout=300)
    finally:
        for app in apps:
            await app.stop()
    # THEN its directive is withheld and each unit's notice carries its identity only
    [directive] = [DirectiveParsed.model_validate(d) for d in messages[settings.topics.directives]]
    assert directive.withheld and directive.secrecy == DOCUMENT.level and directive.number == "45/KH-UBND"
    notices = [AssignmentNotice.model_validate(n) for n in messages[settings.topics.assignments]]
    assert notices and all(n.withheld and n.original_url is None and n.text_url is None for n in notices)
    # ... nothing that left contains its text or a link
    for body in (json.dumps(m, ensure_ascii=False) for ms in messages.values() for m in ms):
        assert not any(phrase in body for phrase in DOCUMENT.leaks)
        assert "X-Amz-" not in body and "http" not in body
    # ... and its text is no longer in MinIO
    storage = Storage(settings)
    assert not storage.exists(text_artifact_ref(settings, directive.document_id))
    assert len(storage.list_keys(settings.buckets.incoming, "")) == 1
