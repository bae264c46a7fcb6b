"""The desk's page of one 5,000-file batch (issue 15): time to render it, its live part, and
the list of batches, with an in-process client as bench/desk.py does.

A projection in a temporary SQLite file holds 10,000 ordinary documents of the day (as
bench/desk.py fills them) and a bulk batch of 5,000 files: 3,000 notified, 500 failed,
1,500 still to read. Run: python bench/desk_batch.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from desk import fill, report  # noqa: E402  (bench/desk.py)
from fastapi.testclient import TestClient  # noqa: E402

from services.desk.app import create_app  # noqa: E402
from services.desk.config import DeskSettings  # noqa: E402
from services.desk.projection import Projection  # noqa: E402
from services.desk.users import UserStore  # noqa: E402
from vanthu.errors import FailureReason  # noqa: E402
from vanthu.events import DirectiveParsed, DocumentFailed, ObjectRef, Submission, TextExtracted  # noqa: E402
from vanthu.settings import Settings  # noqa: E402
from vanthu.storage import text_artifact_ref  # noqa: E402

FILES, BATCH = 5_000, "kho-2019"


def fill_batch(projection: Projection, settings: Settings) -> None:
    t = settings.topics
    messages, notified = [], []
    for i in range(FILES):
        document_id = hashlib.sha256(f"batch {i}".encode()).hexdigest()
        source = ObjectRef(bucket=settings.buckets.incoming, key=f"bulk/{dt.date.today():%Y/%m/%d}/{i:08x}-hs{i}.pdf")
        submission = Submission(submitted_by="clerk", desk="Bàn lưu trữ", filename=f"Hồ sơ {i}.pdf", batch=BATCH)
        projection.submitted(source, document_id, submission)
        if i % 10 == 0:
            messages.append((t.failed, 0, i, DocumentFailed(
                document_id=document_id, stage="ocr", reason=FailureReason.CORRUPT_FILE, message="broken",
                source=source, submission=submission).model_dump_json().encode()))
        elif i % 10 < 7:
            messages.append((t.text, 0, i, TextExtracted(
                document_id=document_id, source=source, submission=submission,
                artifact=text_artifact_ref(settings, document_id), media_type="application/pdf", pages=2,
                text_source="ocr", page_sources=["ocr"] * 2).model_dump_json().encode()))
            messages.append((t.directives, 0, i, DirectiveParsed(
                document_id=document_id, text_source="ocr", source=source, submission=submission,
                issuer="ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", number=f"{i}/UBND-VP", doc_type="Công văn",
                date=dt.date(2019, 1, 1), subject=f"V/v lưu trữ hồ sơ số {i}").model_dump_json().encode()))
            notified.append(document_id)
    projection.apply(messages)
    for document_id in notified:
        projection.advance(document_id, "notified")


def main() -> None:
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        desk = DeskSettings(data_dir=Path(tmp))
        projection = Projection(desk.path("desk.sqlite"), settings)
        fill(projection, settings)
        fill_batch(projection, settings)
        UserStore(desk.path("users.json")).add("bench", "bench-password", "clerk")
        client = TestClient(create_app(settings, desk, projection=projection, follow=False))
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"name": "bench", "password": "bench-password", "csrf_token": token})
        page = client.get(f"/batches/{BATCH}").text
        assert "3000 xong" in page and "500 lỗi" in page and "1500 đang xử lý" in page, "counts"
        print(f"batch page: {len(page) / 1e6:.1f} MB of HTML")
        report(client, [(f"batch of {FILES} files, page 1 (500 files)", f"/batches/{BATCH}"),
                        ("its last page", f"/batches/{BATCH}?page=10"),
                        ("its live part", f"/batches/{BATCH}/files"),
                        ("its failures only", f"/batches/{BATCH}/files?outcome=failed"),
                        ("list of batches", "/batches")])

if __name__ == "__main__":
    main()
