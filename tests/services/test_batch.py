"""A bulk batch with broken files among its good ones, on the real local Kafka and MinIO:
`vanthu submit --bulk --batch`, the three services, and `vanthu status --batch`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest

from examples.render import example_texts, text_pdf
from services.notify import app as notify_app
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from vanthu.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


def vanthu(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vanthu.cli", *args], env=os.environ | settings.as_env(),
                          capture_output=True, text=True, timeout=120)


def batch_status(settings: Settings, batch: str) -> dict:
    shown = vanthu(settings, "status", "--batch", batch, "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


async def test_bulk_batch_goes_on_past_its_broken_files(run_settings: Settings, tmp_path):
    # GIVEN two directives, the second of them again under another name, a truncated PDF and
    # a spreadsheet, submitted as one bulk batch
    settings = run_settings
    texts = example_texts()
    files = {
        "Thông báo 002.pdf": text_pdf(texts["002_d2642929b84c508e"]),
        "Công văn 001.pdf": text_pdf(texts["001_c04fbf0a9182cd61"]),
        "Công văn 001 (bản sao).pdf": text_pdf(texts["001_c04fbf0a9182cd61"]),
        "hỏng.pdf": text_pdf(texts["003_ddf291199ab0edd6"])[:5000],
        "bảng kê.xlsx": b"PK\x03\x04" + os.urandom(2000),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    submitted = vanthu(settings, "submit", "--bulk", "--batch", "luu-tru-2019", *(str(tmp_path / n) for n in files))
    assert submitted.returncode == 0, submitted.stderr
    # ... before any service runs, every file is remaining
    before = batch_status(settings, "luu-tru-2019")
    assert (before["files"], before["done"], before["failed"], before["remaining"]) == (5, 0, 0, 5)
    assert all(item["key"].startswith(settings.lanes.bulk_prefix) for item in before["items"])

    # WHEN the services run until nothing remains
    apps = [module.create_app(settings) for module in (ocr_app, parse_app, notify_app)]
    for app in apps:
        await app.start()
    try:
        deadline = time.monotonic() + 300
        # (the CLI in a thread: the services run on this event loop)
        while (after := await asyncio.to_thread(batch_status, settings, "luu-tru-2019"))["remaining"] \
                and time.monotonic() < deadline:
            await asyncio.sleep(1)
    finally:
        for app in apps:
            await app.stop()

    # THEN the good files are done, and each broken file failed alone, with its reason
    by_name = {item["filename"]: item for item in after["items"]}
    assert after["remaining"] == 0, after
    assert (after["done"], after["failed"]) == (2, 3)
    assert by_name["Thông báo 002.pdf"]["outcome"] == "done"
    assert by_name["hỏng.pdf"]["outcome"] == "failed" and by_name["hỏng.pdf"]["reason"] == "corrupt-file"
    assert by_name["bảng kê.xlsx"]["outcome"] == "failed" and by_name["bảng kê.xlsx"]["reason"] == "unsupported-format"
    copies = [by_name["Công văn 001.pdf"], by_name["Công văn 001 (bản sao).pdf"]]
    assert sorted((c["outcome"], c["reason"]) for c in copies) == [("done", None), ("failed", "duplicate")]
    # ... and the clerk's view names them
    shown = vanthu(settings, "status", "--batch", "luu-tru-2019")
    assert "2 done" in shown.stdout and "3 failed" in shown.stdout and "corrupt-file" in shown.stdout
    assert vanthu(settings, "status", "--batch", "khong-co").returncode == 1
