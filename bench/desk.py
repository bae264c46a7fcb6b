"""The desk's documents list with 10,000 of today's documents: time to render the page.

A projection in a temporary SQLite file is filled with 10,000 submissions, each with its
text event and a parsed directive (a header); a signed-in clerk then asks for
the list (the newest 500 rows and the count) and for the live update's rows, 30 times
each. Goal (issue 14): under 300 ms. Nothing else needed (no Kafka, no MinIO):

    .venv/bin/python bench/desk.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

from services.desk.app import create_app  # noqa: E402
from services.desk.config import DeskSettings  # noqa: E402
from services.desk.projection import Projection  # noqa: E402
from services.desk.users import UserStore  # noqa: E402
from vanthu.events import DirectiveParsed, ObjectRef, Submission, TextExtracted  # noqa: E402
from vanthu.settings import Settings  # noqa: E402
from vanthu.storage import text_artifact_ref  # noqa: E402

DOCUMENTS = 10_000
ROUNDS = 30


def fill(projection: Projection, settings: Settings) -> None:
    t = settings.topics
    messages = []
    for i in range(DOCUMENTS):
        document_id = hashlib.sha256(str(i).encode()).hexdigest()
        source = ObjectRef(bucket=settings.buckets.incoming, key=f"{dt.date.today():%Y/%m/%d}/{i:08x}-cv{i}.pdf")
        submission = Submission(submitted_by=f"clerk{i % 7}", desk=f"Bàn {i % 3 + 1}", filename=f"Công văn {i}.pdf")
        messages.append((t.text, i % 2, i, TextExtracted(
            document_id=document_id, source=source, submission=submission,
            artifact=text_artifact_ref(settings, document_id), media_type="application/pdf", pages=3,
            text_source="text-layer", page_sources=["text-layer"] * 3).model_dump_json().encode()))
        messages.append((t.directives, i % 2, i, DirectiveParsed(
            document_id=document_id, text_source="text-layer", source=source, submission=submission,
            issuer=f"ỦY BAN NHÂN DÂN TỈNH {'NINH BÌNH' if i % 2 else 'HÀ TĨNH'}", number=f"{i}/UBND-VX",
            doc_type="Công văn", date=dt.date.today(), subject=f"V/v triển khai nhiệm vụ số {i}",
        ).model_dump_json().encode()))
    projection.apply(messages)


def timed(client: TestClient, url: str) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return times


def report(client: TestClient, pages: list[tuple[str, str]], goal: str = "") -> None:
    """A markdown table of each (label, url)'s p50 and p95 over :data:`ROUNDS` requests."""
    print("| page | p50 | p95 |" + (" goal |" if goal else "") + "\n| --- | --- | --- |" + (" --- |" if goal else ""))
    for label, url in pages:
        times = sorted(timed(client, url))
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"| {label} | {1000 * statistics.median(times):.0f} ms | {1000 * p95:.0f} ms |" + (f" {goal} |" if goal else ""))


def main() -> None:
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        desk = DeskSettings(data_dir=Path(tmp))
        projection = Projection(desk.path("desk.sqlite"), settings)
        started = time.perf_counter()
        fill(projection, settings)
        print(f"filled {DOCUMENTS} documents in {time.perf_counter() - started:.1f} s")
        UserStore(desk.path("users.json")).add("bench", "bench-password", "clerk")
        client = TestClient(create_app(settings, desk, projection=projection, follow=False))
        login = client.get("/login").text
        token = login.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"name": "bench", "password": "bench-password", "csrf_token": token})
        report(client, [("documents list (500 newest + count)", "/documents"),
                        ("live update rows", "/documents/rows"),
                        ("filtered by issuer, no diacritics", "/documents?issuer=ninh+binh")], goal="< 300 ms")


if __name__ == "__main__":
    main()
