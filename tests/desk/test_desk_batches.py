"""Batches on the desk: the files submitted together, and how far each got (issue 15).

The pipeline's events are the real stages' (tests/desk/conftest.py: the example directive
read and parsed); failures are the DocumentFailed events the OCR stage publishes."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3

import pytest

from services.desk import labels
from services.desk.projection import Projection
from tests.desk.conftest import PASSWORD, csrf_of, feed, pipeline_events, sign_in
from tests.inmemory import minio_event
from vanthu import batches
from vanthu.errors import FailureReason
from vanthu.events import DocumentFailed, ObjectRef, Submission
from vanthu.state import StateStore

BROKEN = b"%PDF-1.4\n1 0 obj << /Type /Catalog"  # a PDF cut off after its first object


def _signed_in(desk, name="van.thu", role="clerk", unit=None):
    desk.users.add(name, PASSWORD, role, unit)
    client = desk.client()
    assert sign_in(client, name).status_code == 303
    return client


def _upload(client, files, **form):
    token = csrf_of(client.get("/documents").text)
    response = client.post("/upload", files=[("files", f) for f in files], data={"csrf_token": token, **form},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


def _counts(html: str) -> tuple[int, int, int]:
    """(done, failed, remaining) as the batch page states them."""
    found = re.search(r"(\d+) xong</span>,\s*<span[^>]*>(\d+) lỗi</span>,\s*<span[^>]*>(\d+) đang xử lý", html)
    assert found, "the batch page states its counts"
    return tuple(int(n) for n in found.groups())


def _failed(desk, document_id: str, key: str, reason: FailureReason, batch: str) -> None:
    """The OCR stage's failure of the object ``key``, as it publishes it."""
    event = DocumentFailed(document_id=document_id, stage="ocr", reason=reason, message=f"{reason.value} (test)",
                           source=ObjectRef(bucket=desk.settings.buckets.incoming, key=key),
                           submission=Submission(batch=batch))
    desk.projection.apply([(desk.settings.topics.failed, 0, 0, event.model_dump_json().encode())])


def test_a_batch_with_a_good_a_broken_and_a_duplicate_file(desk, sample_run, directory):
    client = _signed_in(desk)
    # GIVEN three files uploaded together: a directive, a broken PDF, and the directive again
    # under another name (its bytes not yet received by the OCR stage, so not refused at once)
    results = _upload(client, [("Công văn.pdf", sample_run.pdf, "application/pdf"),
                               ("hỏng.pdf", BROKEN, "application/pdf"),
                               ("bản sao.pdf", sample_run.pdf, "application/pdf")])
    assert [r["status"] for r in results] == ["submitted"] * 3
    batch = results[0]["batch"]
    assert batch and {r["batch"] for r in results} == {batch}  # several files: one new batch
    page = client.get(f"/batches/{batch}")
    assert page.status_code == 200
    assert _counts(page.text) == (0, 0, 3)
    assert page.text.count(labels.waiting("received", False)) == 3  # still to be read, in the ordinary lane

    # WHEN the pipeline reads them: the broken one fails, the copy is a duplicate, the directive is notified
    good, broken, copy = results
    keys = {f["filename"]: f["key"].split("/", 1)[1] for f in desk.projection.batch(batch)}
    _failed(desk, broken["document_id"], keys["hỏng.pdf"], FailureReason.CORRUPT_FILE, batch)
    _failed(desk, copy["document_id"], keys["bản sao.pdf"], FailureReason.DUPLICATE, batch)
    feed(desk.projection, desk.settings, pipeline_events(desk.settings, sample_run.pdf, keys["Công văn.pdf"],
                                                         directory))

    # THEN the batch says 1 done, 2 failed (each with its reason, in the clerk's words), 0 remaining
    page = client.get(f"/batches/{batch}").text
    assert _counts(page) == (1, 2, 0)
    assert labels.failure("corrupt-file") in page and labels.failure("duplicate") in page
    assert "corrupt-file" not in page and "(test)" not in page  # no reason codes, no stage messages
    assert f'href="/documents/{good["document_id"]}"' in page  # the done file opens its document
    assert page.index(labels.failure("corrupt-file")) < page.index(sample_run.directive.number)  # failures first
    # AND the list of batches says the same, as does its live part
    listed = client.get("/batches?rows=true").text
    row = next(r for r in listed.split("<tr")[1:] if batch in r)
    assert [int(n) for n in re.findall(r"<td>(?:<a[^>]*>)?(\d+)(?:</a>)?</td>", row)] == [3, 1, 2, 0]
    assert "Thường" in row
    # AND the failures alone, on asking
    only_failed = client.get(f"/batches/{batch}/files?outcome=failed").text
    assert "hỏng.pdf" in only_failed and "bản sao.pdf" in only_failed and "Công văn.pdf" not in only_failed


def test_the_upload_form_makes_a_bulk_batch_as_submit_bulk_batch_does(desk):
    client = _signed_in(desk)
    form = client.get("/documents").text
    assert 'name="archive"' in form and 'name="batch"' in form  # "Lưu trữ" and the batch's name
    # WHEN a clerk ticks "Lưu trữ" and names the batch
    results = _upload(client, [("hồ sơ 1987.pdf", b"%PDF-1.4 archive one", "application/pdf"),
                               ("hồ sơ 1988.pdf", b"%PDF-1.4 archive two", "application/pdf")],
                      batch="kho-1987", archive="true")
    assert {r["batch"] for r in results} == {"kho-1987"}
    # THEN the files are in the bulk lane, and in the batch `vanthu status --batch` reads
    keys = [key for bucket, key in desk.storage.objects if bucket == desk.settings.buckets.incoming]
    assert len(keys) == 2 and all(k.startswith(desk.settings.lanes.bulk_prefix) for k in keys)
    progress = batches.progress(StateStore(desk.storage), "kho-1987")
    assert sorted(i.item.filename for i in progress.items) == ["hồ sơ 1987.pdf", "hồ sơ 1988.pdf"]
    assert progress.count("remaining") == 2
    # AND the desk shows them waiting in the bulk lane
    page = client.get("/batches/kho-1987").text
    assert _counts(page) == (0, 0, 2) and page.count(labels.waiting("received", True)) == 2
    assert "Lưu trữ" in client.get("/batches?rows=true").text
    # AND one file with "Lưu trữ" ticked is a batch too, under a new name
    [single] = _upload(client, [("hồ sơ 1989.pdf", b"%PDF-1.4 archive three", "application/pdf")], archive="true")
    assert single["batch"] not in (None, "kho-1987")
    assert client.get(f"/batches/{single['batch']}").status_code == 200
    # AND the form posted without the page's script leads to the batch's page
    token = csrf_of(client.get("/documents").text)
    posted = client.post("/upload", files=[("files", ("a.pdf", b"%PDF-1.4 a", "application/pdf")),
                                           ("files", ("b.pdf", b"%PDF-1.4 b", "application/pdf"))],
                         data={"csrf_token": token}, follow_redirects=False)
    assert posted.status_code == 303 and re.fullmatch(r"/batches/[\w.-]+", posted.headers["location"])
    assert "2 tệp" in client.get(posted.headers["location"]).text
    # AND a name that cannot be a batch's is refused, nothing uploaded
    before = len(desk.storage.objects)
    token = csrf_of(client.get("/documents").text)
    refused = client.post("/upload", files=[("files", ("c.pdf", b"%PDF-1.4 c", "application/pdf"))],
                          data={"csrf_token": token, "batch": "lô/../x"})
    assert refused.status_code == 400 and len(desk.storage.objects) == before


def test_the_page_s_script_gets_a_new_batch_name_for_its_one_request_per_file_uploads(desk):
    client = _signed_in(desk)
    token = csrf_of(client.get("/documents").text)
    assert client.post("/batches", headers={"X-CSRF-Token": "forged"}).status_code == 403
    first, second = (client.post("/batches", headers={"X-CSRF-Token": token}).json()["batch"] for _ in range(2))
    assert first != second and batches.check_name(first) == first
    for name in ("a.pdf", "b.pdf"):  # the script sends each file alone, with the name
        _upload(client, [(name, name.encode() + b" bytes", "application/pdf")], batch=first)
    assert "2 tệp" in client.get(f"/batches/{first}").text


def test_a_batch_submitted_elsewhere_is_shown_from_the_pipeline_s_events(desk):
    """`vanthu submit --bulk --batch` or another desk: the batch comes with the object's metadata,
    whichever topic the desk happens to read first."""
    client = _signed_in(desk)
    t, incoming = desk.settings.topics, desk.settings.buckets.incoming
    keys = [f"bulk/2026/12/04/0000000{i}-to-{i}.pdf" for i in range(3)]
    # a file the OCR stage gave up on before reading it: no document id, no metadata, read first
    unread = DocumentFailed(stage="ocr", reason=FailureReason.OBJECT_MISSING, message="gone",
                            source=ObjectRef(bucket=incoming, key=keys[0]))
    desk.projection.apply([(t.failed, 0, 0, unread.model_dump_json().encode())])
    desk.projection.apply([(t.bulk, 0, i, json.dumps(minio_event(incoming, key, {"X-Amz-Meta-Batch": "kho-cli"}))
                            .encode()) for i, key in enumerate(keys)])
    page = client.get("/batches/kho-cli").text
    assert _counts(page) == (0, 1, 2) and "to-2.pdf" in page
    assert labels.failure("object-missing") in page


def test_a_secret_document_in_a_batch_shows_as_secret_without_its_subject(desk, sample_run, directory):
    client = _signed_in(desk)
    key = "2026/12/04/5ec2e7aa-mat.pdf"
    run = pipeline_events(desk.settings, sample_run.pdf, key, directory, secrecy="Mật")
    desk.projection.submitted(run.source, run.document_id, Submission(filename="mật.pdf", batch="lo-mat"))
    feed(desk.projection, desk.settings, run)
    page = client.get("/batches/lo-mat").text
    assert "MẬT" in page and run.directive.number in page
    assert run.directive.subject and run.directive.subject not in page
    # the same directive unmarked shows its subject: what hides it is the mark
    open_run = pipeline_events(desk.settings, sample_run.pdf + b"\n", "2026/12/04/0badc0de-mo.pdf", directory)
    desk.projection.submitted(open_run.source, open_run.document_id, Submission(filename="mở.pdf", batch="lo-mo"))
    feed(desk.projection, desk.settings, open_run)
    assert open_run.directive.subject in client.get("/batches/lo-mo").text


@pytest.mark.parametrize("method, url", [("get", "/batches"), ("get", "/batches?rows=true"),
                                         ("get", "/batches/lo-1"), ("get", "/batches/lo-1/files"),
                                         ("post", "/batches")])
def test_a_unit_user_sees_no_batches(desk, method, url):
    desk.projection.submitted(ObjectRef(bucket="incoming", key="2026/12/04/00000001-a.pdf"), "a" * 64,
                              Submission(filename="a.pdf", batch="lo-1"))
    client = _signed_in(desk, "so.y.te", "unit", "vn:37:so-y-te")
    response = getattr(client, method)(url, follow_redirects=False)
    assert response.status_code in (403, 404)
    assert "a.pdf" not in response.text
    assert 'href="/batches"' not in client.get("/inbox").text


def test_no_such_batch_is_404(desk):
    client = _signed_in(desk)
    assert client.get("/batches/khong-co").status_code == 404
    assert client.get("/batches/..%2Fetc").status_code == 404


def test_a_read_model_made_before_batches_gets_its_column(tmp_path, desk):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # the submissions table as it was before batches
        db.execute("CREATE TABLE submissions (key TEXT PRIMARY KEY, document_id TEXT, filename TEXT, desk TEXT, "
                   "submitted_by TEXT, received_at TEXT NOT NULL, day TEXT NOT NULL, stage TEXT NOT NULL, "
                   "updated_at TEXT NOT NULL, reason TEXT, message TEXT, pages INTEGER, review_pages TEXT)")
    projection = Projection(path, desk.settings)
    projection.submitted(ObjectRef(bucket="incoming", key="k.pdf"), hashlib.sha256(b"k").hexdigest(),
                         Submission(filename="k.pdf", batch="lo-moi"))
    assert [f["filename"] for f in projection.batch("lo-moi")] == ["k.pdf"]


def test_a_long_batch_is_shown_a_page_at_a_time_failures_first(desk):
    client = _signed_in(desk)
    incoming = desk.settings.buckets.incoming
    for i in range(501):
        desk.projection.submitted(ObjectRef(bucket=incoming, key=f"2026/12/04/{i:08x}-hs.pdf"),
                                  hashlib.sha256(str(i).encode()).hexdigest(),
                                  Submission(filename=f"hồ sơ {i:03}.pdf", batch="lo-dai"))
    _failed(desk, hashlib.sha256(b"500").hexdigest(), f"2026/12/04/{500:08x}-hs.pdf", FailureReason.ENCRYPTED,
            "lo-dai")
    first, second = (client.get(f"/batches/lo-dai?page={n}").text for n in (1, 2))
    assert _counts(first) == _counts(second) == (0, 1, 500)
    assert first.count("<tr class=\"outcome-") == 500 and second.count("<tr class=\"outcome-") == 1
    assert "hồ sơ 500.pdf" in first and labels.failure("encrypted") in first  # the failure, though last in, first
    assert "hồ sơ 499.pdf" in second and 'page=1"' in second  # every file on some page, and the way back
