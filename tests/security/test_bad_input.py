"""What people send instead of a PDF or a scan is refused with a reason they can act on, and
any file name, however long or odd, is submitted under a safe object key."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from faststream.kafka import TestKafkaBroker

from services.ocr import app as ocr_app
from tests.conftest import MemoryStorage
from tests.inmemory import capture, minio_event
from vanthu.cli.pipeline import object_name
from vanthu.settings import Settings
from vanthu.storage import check_key

SETTINGS = Settings()


def office_file(part: str) -> bytes:
    """A minimal Office Open XML package whose main part is ``part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr(part, "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "named"), [
    (office_file("word/document.xml"), ".docx"),
    (office_file("xl/workbook.xml"), ".xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), ".doc"),
    ("\ufeff<!DOCTYPE html><html><body>Thông báo số 12</body></html>".encode(), "HTML"),
    (b"  <html lang='vi'><head><title>Quyet dinh</title>", "HTML"),
])
async def test_an_office_file_or_a_web_page_is_refused_saying_what_to_do(data, named):
    # GIVEN a Word file, a spreadsheet, an old .doc or a saved web page in the intake bucket
    storage = MemoryStorage(SETTINGS)
    storage.objects[(SETTINGS.buckets.incoming, "van-ban.pdf")] = data
    app = ocr_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, SETTINGS.topics.failed)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(minio_event(SETTINGS.buckets.incoming, "van-ban.pdf"), SETTINGS.topics.objects)
    # THEN the failure says what the file is and how to submit it
    [failed] = seen[SETTINGS.topics.failed]
    assert failed["reason"] == "unsupported-format"
    assert named in failed["message"] and "print it to PDF" in failed["message"]


LONG = "Quyết định về việc phê duyệt kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn " * 3


@pytest.mark.parametrize("name", [
    (LONG.encode()[:247].decode(errors="ignore") + ".pdf"),  # 251 bytes: the longest a file system allows
    unicodedata.normalize("NFD", "Công văn số 12.pdf"),
    "../../../etc/passwd.pdf",
    "a\x00b\x1f\x7fc.pdf",
    "....pdf",
    "Quyết định: 12/QĐ-UBND? [bản #2] 50%*.pdf",
    "tên không có đuôi " * 20,
    ".bashrc",
    "🙂" * 70 + ".tiff",
])
def test_any_file_name_becomes_a_safe_key(name):
    safe = object_name(name)
    key = f"2024/01/12/0123abcd-{safe}"
    check_key(key)  # the OCR stage accepts it
    assert len(f"0123abcd-{safe}".encode()) <= 255  # one segment fits a file name on MinIO's disk
    assert unicodedata.is_normalized("NFC", safe) and "/" not in safe and not safe.startswith(".")
    if name.endswith((".pdf", ".tiff")):
        assert safe.endswith(name.rpartition(".")[2])
    assert safe.strip("_ .")  # something of the name is left to recognise it by


def test_a_long_vietnamese_name_keeps_its_beginning():
    safe = object_name(LONG + ".pdf")
    assert safe.startswith("Quyết định về việc phê duyệt kế hoạch") and safe.endswith(".pdf")
