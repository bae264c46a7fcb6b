"""Several documents in flight in one OCR worker (services/ocr/app.py, "Throughput"): they
share the cores, a bad one fails alone, a slow one does not hold back the next, and none is
committed before its effects are done.

The first two run on FastStream's in-memory Kafka with a fake Tesseract; the last two run
a real ``vanthu serve ocr`` process on the real Kafka and MinIO, since only the broker
shows when the next notification is fetched and what a crash loses.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from faststream.kafka import TestKafkaBroker
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient
from PIL import Image, ImageDraw

from examples.render import example_texts, images_pdf, text_pdf
from services.ocr import app as ocr_app
from services.ocr import pipeline
from tests.conftest import MemoryStorage
from tests.inmemory import capture, minio_event
from tests.kafka_reading import read_topics
from vanthu.events import ObjectRef
from vanthu.provision import create_topics
from vanthu.settings import Settings
from vanthu.state import StateStore
from vanthu.storage import Storage

FAKES = Path(__file__).parent.parent / "ocr" / "fakes"


def image_only_pdf(pages: int, seed: int) -> bytes:
    """A ``pages``-page image-only PDF at 100 dpi: grey lines where text would be (a fake
    Tesseract reads it, so only its being a scan matters); ``seed`` makes its bytes its own."""
    images = []
    for number in range(pages):
        page = Image.new("L", (827, 1169), 255)
        draw = ImageDraw.Draw(page)
        for row in range(12):
            draw.rectangle((90, 120 + row * 70, 700 - (seed * 37 + number * 11 + row * 23) % 200, 140 + row * 70), 40)
        images.append(page)
    return images_pdf(images, dpi=100)


def fake_settings(name: str, workers: int = 2) -> Settings:
    settings = Settings()
    return settings.model_copy(update={"ocr": settings.ocr.model_copy(
        update={"tesseract_cmd": str(FAKES / name), "workers": workers})})


async def test_a_batchs_documents_share_the_cores_without_oversubscribing_them(monkeypatch):
    # GIVEN two 4-page scans in the intake bucket, a worker of two Tesseract slots, and a
    # record of when each document's pages are taken and how many Tesseracts run at once
    settings = fake_settings("blank", workers=2)
    storage = MemoryStorage(settings)
    docs = {f"scan {i}.pdf": image_only_pdf(4, seed=i) for i in range(2)}
    for key, data in docs.items():
        storage.objects[(settings.buckets.incoming, key)] = data
    opened: list[tuple[str, float]] = []
    finished: dict[str, float] = {}
    live, peak, lock = 0, 0, threading.Lock()
    open_page, recognise, assemble = pipeline._open_page, pipeline.tesseract.recognise, pipeline.assemble

    def recorded_open(ctx, number, started):
        opened.append((ctx.document_id, time.perf_counter()))
        return open_page(ctx, number, started)

    def counted_recognise(*args, **kwargs):
        nonlocal live, peak
        with lock:
            live += 1
            peak = max(peak, live)
        try:
            return recognise(*args, **kwargs)
        finally:
            with lock:
                live -= 1

    def recorded_assemble(ctx):
        finished[ctx.document_id] = time.perf_counter()
        return assemble(ctx)

    monkeypatch.setattr(pipeline, "_open_page", recorded_open)
    monkeypatch.setattr(pipeline.tesseract, "recognise", counted_recognise)
    monkeypatch.setattr(pipeline, "assemble", recorded_assemble)
    app = ocr_app.create_app(settings, storage, downstream_lag=lambda: 0)
    seen = capture(app.broker, settings.topics.text, settings.topics.failed)
    # WHEN both notifications arrive in one poll
    try:
        async with TestKafkaBroker(app.broker) as broker:
            await broker.publish_batch(*(minio_event(settings.buckets.incoming, key) for key in docs),
                                       topic=settings.topics.objects)
    finally:
        await app.stop()
    # THEN both are read, the second's pages start before the first is finished, and never
    # more than two Tesseracts run at once
    assert not seen[settings.topics.failed]
    assert sorted(e["source"]["key"] for e in seen[settings.topics.text]) == sorted(docs)
    ids = [hashlib.sha256(data).hexdigest() for data in docs.values()]
    first_done = min(finished[i] for i in ids)
    assert {i for i, at in opened if at < first_done} == set(ids)
    assert peak == 2


async def test_a_poison_message_in_a_batch_fails_alone():
    # GIVEN a text PDF in the intake bucket
    settings = Settings()
    storage = MemoryStorage(settings)
    storage.objects[(settings.buckets.incoming, "good.pdf")] = text_pdf(example_texts()["001_c04fbf0a9182cd61"])
    app = ocr_app.create_app(settings, storage, downstream_lag=lambda: 0)
    seen = capture(app.broker, settings.topics.text, settings.topics.failed)
    # WHEN a poison message and its notification arrive in one poll
    try:
        async with TestKafkaBroker(app.broker) as broker:
            await broker.publish_batch({"Records": "wrong shape"}, minio_event(settings.buckets.incoming, "good.pdf"),
                                       topic=settings.topics.objects)
    finally:
        await app.stop()
    # THEN the poison message is one invalid-event failure and the document is still read
    assert [f["reason"] for f in seen[settings.topics.failed]] == ["invalid-event"]
    assert [e["source"]["key"] for e in seen[settings.topics.text]] == ["good.pdf"]


def _serve_ocr(settings: Settings, tesseract: str, log: Path) -> subprocess.Popen:
    env = os.environ | settings.as_env() | {"VANTHU_OCR__TESSERACT_CMD": str(FAKES / tesseract),
                                            "VANTHU_OCR__WORKERS": "2", "VANTHU_OCR__PAGE_TIMEOUT_S": "600",
                                            "FAKE_TESSERACT_STATE": str(log.parent), "PYTHONUNBUFFERED": "1"}
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "vanthu.cli", "serve", "ocr"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _texts(messages: dict[str, list[dict]], topic: str) -> set[str]:
    return {e["source"]["key"] for e in messages[topic]}


def _own_objects_topic(run_settings: Settings) -> Settings:
    """The run's settings with an objects topic of its own (MinIO's events of the test's
    uploads go to the shared one), created."""
    settings = run_settings.model_copy(update={"topics": run_settings.topics.model_copy(
        update={"objects": f"{run_settings.group_prefix}.objects"})})
    create_topics(settings)
    return settings


def _notify(settings: Settings, *keys: str) -> None:
    """MinIO's notifications of ``keys``, in order, on one partition."""
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    for key in keys:
        producer.send(settings.topics.objects, key=b"same partition",
                      value=json.dumps(minio_event(settings.buckets.incoming, key)).encode())
    producer.flush()
    producer.close()


def _put_hanging_scan_and_text(settings: Settings) -> tuple[Storage, str, str, str]:
    """A 2-page scan (read by a Tesseract that hangs on its first page) and a text PDF in the
    intake bucket; their keys and the scan's document id."""
    storage = Storage(settings)
    scan, text = "1 hangs.pdf", "2 text.pdf"
    storage.put_bytes(ObjectRef(bucket=settings.buckets.incoming, key=scan), image_only_pdf(2, seed=7),
                      "application/pdf")
    storage.put_bytes(ObjectRef(bucket=settings.buckets.incoming, key=text),
                      text_pdf(example_texts()["001_c04fbf0a9182cd61"]), "application/pdf")
    scan_id = hashlib.sha256(storage.read(ObjectRef(bucket=settings.buckets.incoming, key=scan))).hexdigest()
    return storage, scan, text, scan_id


def _stop(worker: subprocess.Popen, settings: Settings) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    admin.delete_topics([settings.topics.objects])
    admin.close()


@pytest.mark.integration
@pytest.mark.timeout(300)
def test_a_worker_killed_with_documents_in_flight_loses_none(run_settings, tmp_path):
    # GIVEN a scan whose OCR hangs (a Tesseract stuck on its first call, holding one of the
    # worker's two slots) notified first, then a text PDF behind it on the same partition,
    # both in flight in one OCR worker; the text PDF is done (its text event published)
    # while the scan is still being read
    settings = _own_objects_topic(run_settings)
    storage, scan, text, scan_id = _put_hanging_scan_and_text(settings)
    _notify(settings, scan, text)  # queued before the worker starts: it fetches both at once
    log = tmp_path / "ocr.log"
    worker = _serve_ocr(settings, "hang_once", log)
    try:
        seen = asyncio.run(read_topics(settings, [settings.topics.text], lambda m: text in _texts(
            m, settings.topics.text), timeout=120))
        assert _texts(seen, settings.topics.text) == {text}, log.read_text()[-3000:]
        assert StateStore(storage).submissions(scan_id), log.read_text()[-3000:]
        # WHEN the worker is killed (a few seconds on: time enough to commit, had it
        # committed the later document's offset), and another started whose Tesseract works
        time.sleep(3)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        worker = _serve_ocr(settings, "blank", log)
        # THEN the scan, whose effects were not done, is read again: it is not lost
        seen = asyncio.run(read_topics(settings, [settings.topics.text], lambda m: scan in _texts(
            m, settings.topics.text), timeout=150))
        assert scan in _texts(seen, settings.topics.text), log.read_text()[-3000:]
    finally:
        _stop(worker, settings)


@pytest.mark.integration
@pytest.mark.timeout(300)
def test_a_slow_document_does_not_hold_back_the_next_notification(run_settings, tmp_path):
    # GIVEN a worker reading a scan whose OCR hangs (its other slot free)
    settings = _own_objects_topic(run_settings)
    storage, scan, text, scan_id = _put_hanging_scan_and_text(settings)
    log = tmp_path / "ocr.log"
    worker = _serve_ocr(settings, "hang_once", log)
    try:
        _notify(settings, scan)
        deadline = time.monotonic() + 120
        while not (tmp_path / "hung").exists():  # the fake Tesseract's mark: the scan is being read
            assert time.monotonic() < deadline and worker.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
        # WHEN a text PDF is notified after it, on the same partition
        _notify(settings, text)
        # THEN the text PDF is read while the scan is still stuck: the worker fetched it
        # without waiting for the scan
        seen = asyncio.run(read_topics(settings, [settings.topics.text], lambda m: text in _texts(
            m, settings.topics.text), timeout=90))
        assert _texts(seen, settings.topics.text) == {text}, log.read_text()[-3000:]
    finally:
        _stop(worker, settings)
