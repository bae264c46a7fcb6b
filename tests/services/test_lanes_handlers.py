"""The OCR service's lanes on FastStream's in-memory Kafka: where a notification goes, what
the bulk lane records, and when it may start a document (services/ocr/lanes.py)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from faststream.kafka import TestKafkaBroker

from examples.render import example_texts, scan_pdf, text_pdf
from services.ocr import app as ocr_app
from services.ocr.lanes import Lanes
from tests.conftest import MemoryStorage
from tests.inmemory import capture, minio_event
from vanthu.settings import LaneOptions, Settings
from vanthu.state import StateStore

URGENT = (Path(__file__).parent / "data" / "hoa_toc.txt").read_text(encoding="utf-8")


async def test_a_bulk_object_is_moved_to_the_bulk_lane_and_read_there():
    # GIVEN an ordinary letter marked HỎA TỐC and an archive file under the bulk prefix
    settings = Settings()
    storage = MemoryStorage(settings)
    letter, archive = text_pdf(URGENT), text_pdf(example_texts()["001_c04fbf0a9182cd61"])
    bulk_key = f"{settings.lanes.bulk_prefix}2019/hồ sơ 1.pdf"
    storage.objects[(settings.buckets.incoming, "2024/hoả tốc.pdf")] = letter
    storage.objects[(settings.buckets.incoming, bulk_key)] = archive
    app = ocr_app.create_app(settings, storage, downstream_lag=lambda: 0)
    seen = capture(app.broker, settings.topics.bulk, settings.topics.text, settings.topics.failed)
    # WHEN MinIO's notifications of both arrive on vanthu.objects
    try:
        async with TestKafkaBroker(app.broker) as broker:
            await broker.publish(minio_event(settings.buckets.incoming, bulk_key, {"X-Amz-Meta-Batch": "luu-tru"}),
                                 settings.topics.objects)
            await broker.publish(minio_event(settings.buckets.incoming, "2024/hoả tốc.pdf"), settings.topics.objects)
    finally:
        await app.stop()
    # THEN the archive's notification went to the bulk topic, one record, with its metadata ...
    assert [m["Records"][0]["s3"]["object"]["key"] for m in seen[settings.topics.bulk]] == \
        [minio_event(settings.buckets.incoming, bulk_key)["Records"][0]["s3"]["object"]["key"]]
    # ... both were read, the letter flagged urgent, the archive with its batch
    texts = {t["source"]["key"]: t for t in seen[settings.topics.text]}
    assert not seen[settings.topics.failed]
    assert texts["2024/hoả tốc.pdf"]["urgency"] == "Hỏa tốc"
    assert texts[bulk_key]["urgency"] is None and texts[bulk_key]["submission"]["batch"] == "luu-tru"
    state = StateStore(storage)
    assert state.steps(hashlib.sha256(archive).hexdigest(), "text")[0].details["bulk"] is True
    assert state.submissions(hashlib.sha256(archive).hexdigest())[0].details["batch"] == "luu-tru"


async def test_bulk_work_waits_while_an_ordinary_document_is_read():
    # GIVEN an ordinary document being read
    lanes = Lanes(LaneOptions())
    reading = lanes.ordinary()
    await reading.__aenter__()
    # WHEN the bulk lane asks for its turn
    turn = asyncio.ensure_future(lanes.bulk_turn())
    await asyncio.sleep(0.05)
    # THEN it waits until that document is done, and no longer
    assert not turn.done()
    await reading.__aexit__(None, None, None)
    await asyncio.wait_for(turn, 1)
    assert lanes.is_bulk("bulk/2019/a.pdf") and not lanes.is_bulk("2019/bulk/a.pdf")


async def test_a_bulk_page_is_not_failed_by_the_page_timeout_it_waits_past(tmp_path):
    # GIVEN a scan page that takes Tesseract longer than the page timeout, as a bulk page
    # waiting behind ordinary work at nice 19 does
    settings = Settings()
    options = settings.ocr.model_copy(update={"page_timeout_s": 0.1})
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_pdf(example_texts()["000_a580cd7dac26fb83"], seed=1))
    lanes = Lanes(LaneOptions())
    try:
        # WHEN it is read in the bulk lane
        artifact = await lanes.extract_bulk(scan, tmp_path / "artifact.json", options)
    finally:
        lanes.close()
    # THEN its pages are read, not failed (the page timeout is wall-clock time)
    assert [p.error for p in artifact.pages] == [None] * len(artifact.pages)
    assert all(p.text.strip() for p in artifact.pages)


async def test_bulk_work_waits_while_parse_and_notify_have_a_backlog():
    # GIVEN parse and notify with 9, then 5, then 1 events to read (at most 4 allowed)
    backlog = iter([9, 5, 1])
    lanes = Lanes(LaneOptions(bulk_max_lag=4), lag=lambda: next(backlog))
    # WHEN the bulk lane asks for its turn THEN it gets it once the backlog is down to 1
    await asyncio.wait_for(lanes.bulk_turn(), 5)
    assert next(backlog, None) is None
