"""Intake, the live list, a document's view with its evidence, and a unit's inbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from services.desk.pages import WordIndex
from services.desk.projection import Filters
from tests.desk.conftest import PASSWORD, csrf_of, sign_in
from vanthu.errors import FailureReason
from vanthu.events import DocumentFailed, ObjectRef
from vanthu.normalize import fold
from vanthu.state import StateStore, received_step


def _clerk(desk):
    desk.users.add("van.thu", PASSWORD, "clerk")
    client = desk.client()
    sign_in(client, "van.thu")
    return client


def test_upload_lands_in_incoming_as_submit_does_and_is_listed_at_once(desk):
    client = _clerk(desk)
    token = csrf_of(client.get("/documents").text)
    files = [("files", ("Công văn số 1.pdf", b"%PDF-1.4 first", "application/pdf")),
             ("files", ("scan 2.png", b"\x89PNG\r\n\x1a\n second", "image/png"))]
    response = client.post("/upload", files=files, data={"csrf_token": token, "desk": "Bàn tiếp dân"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    results = response.json()
    assert [r["status"] for r in results] == ["submitted", "submitted"]
    stored = {key: data for (bucket, key), data in desk.storage.objects.items() if bucket == "incoming"}
    assert sorted(stored.values()) == [b"%PDF-1.4 first", b"\x89PNG\r\n\x1a\n second"]
    # the same key form as `vanthu submit`: YYYY/MM/DD/<8 hex>-<safe name>
    assert all(re.fullmatch(r"\d{4}/\d{2}/\d{2}/[0-9a-f]{8}-.+", key) for key in stored)
    assert results[0]["document_id"] == hashlib.sha256(b"%PDF-1.4 first").hexdigest()
    listed = client.get("/documents").text
    assert "Công văn số 1.pdf" in listed and "Bàn tiếp dân" in listed and "van.thu" in listed
    assert "Đã tiếp nhận" in listed


def test_bytes_submitted_before_are_not_uploaded_again(desk):
    client = _clerk(desk)
    data = b"%PDF-1.4 the same bytes"
    document_id = hashlib.sha256(data).hexdigest()
    # the OCR stage received them earlier, from another submission
    StateStore(desk.storage).record(document_id, received_step(ObjectRef(bucket="incoming", key="old.pdf")),
                                    bucket="incoming", key="old.pdf")
    token = csrf_of(client.get("/documents").text)
    response = client.post("/upload", files={"files": ("again.pdf", data, "application/pdf")},
                           data={"csrf_token": token}, headers={"Accept": "application/json"})
    assert response.json()[0]["status"] == "duplicate"
    assert not any(b == "incoming" for b, _ in desk.storage.objects)


def test_the_list_follows_the_stages_and_filters(desk, sample_run):
    client = _clerk(desk)
    desk.put(sample_run)
    failed = DocumentFailed(document_id="f" * 64, stage="ocr", reason=FailureReason.ENCRYPTED, message="encrypted",
                            source=ObjectRef(bucket="incoming", key="2026/12/04/00000000-khoa.pdf"))
    desk.projection.apply([(desk.settings.topics.failed, 0, 0, failed.model_dump_json().encode())])
    page = client.get("/documents").text
    assert "Đã gửi thông báo" in page  # the sample reached its units
    assert "Tệp PDF có mật khẩu" in page  # a failure in the clerk's words, not the reason code
    assert "encrypted" not in page
    only_failed = client.get("/documents?stage=failed").text
    assert "khoa.pdf" in only_failed and sample_run.directive.number not in only_failed
    # the issuer filter tolerates missing diacritics
    folded = fold(sample_run.directive.issuer).split()[-1]
    assert sample_run.directive.number in client.get(f"/documents?issuer={folded}").text
    assert sample_run.directive.number not in client.get("/documents?desk=Bàn 9").text
    yesterday = dt.date.today() - dt.timedelta(days=1)
    assert sample_run.directive.number not in client.get(f"/documents?day={yesterday}").text


def test_replayed_messages_change_nothing_and_offsets_are_kept(desk, sample_run):
    desk.put(sample_run)
    before = desk.projection.submissions(Filters())
    version = desk.projection.version
    text = (desk.settings.topics.text, 1, 41, sample_run.text.model_dump_json().encode())
    assert desk.projection.apply([text]) == 0  # text again after "notified": no step back
    assert desk.projection.version == version
    assert [r["stage"] for r in desk.projection.submissions(Filters())] == [r["stage"] for r in before]
    assert desk.projection.offsets()[(desk.settings.topics.text, 1)] == 42


def test_an_assignment_s_evidence_is_boxed_on_its_page(desk, sample_run):
    client = _clerk(desk)
    desk.put(sample_run)
    page = client.get(f"/documents/{sample_run.document_id}").text
    evidence = json.loads(re.search(r'<script type="application/json" id="evidence">(.*?)</script>', page, re.S)[1])
    assignments = sample_run.directive.assignments
    assert {key for key in evidence if key.isdigit()} == {str(i) for i in range(len(assignments))}
    text = sample_run.artifact.text
    index = WordIndex(sample_run.artifact)
    for i, assignment in enumerate(assignments):
        readings = [r for r in assignment.evidence if r.unit_span]
        unit_marks = [m for m in evidence[str(i)] if m["kind"] == "unit"]
        # the unit's boxes: on each reading's page, one per printed word of the unit
        assert {m["page"] for m in unit_marks} == {r.page for r in readings}
        printed = [w for r in readings for w in text[r.unit_span.start:r.unit_span.end].split()]
        assert sum(len(m["boxes"]) for m in unit_marks) == len(printed)
        assert all(0 <= x0 < x1 <= 1 and 0 <= top < bottom <= 1 for m in unit_marks for x0, top, x1, bottom in m["boxes"])
    # and they are the boxes of those very words on the page
    first = assignments[0].evidence[0]
    words = [w for p in sample_run.artifact.pages if p.number == first.page for b in p.blocks for line in b.lines
             for w in line.words]
    boxed = {tuple(b) for pb in index.boxes(first.unit_span) for b in pb.boxes}
    page_size = next(p for p in sample_run.artifact.pages if p.number == first.page)
    hit = [w.text for w in words if (w.box[0] / page_size.width, w.box[1] / page_size.height,
                                     w.box[2] / page_size.width, w.box[3] / page_size.height) in boxed]
    assert " ".join(hit) == " ".join(text[first.unit_span.start:first.unit_span.end].split())


def test_a_header_field_s_evidence_is_boxed_where_the_field_is_printed(desk, sample_run):
    # GIVEN a parsed directive whose header fields carry their evidence
    client = _clerk(desk)
    desk.put(sample_run)
    directive = sample_run.directive
    # (this notice prints no issuer: the parser infers it, and an inferred field has no evidence)
    assert set(directive.evidence) == {"number", "date", "doc_type", "subject", "signer"}
    # WHEN a clerk opens the document
    page = client.get(f"/documents/{sample_run.document_id}").text
    evidence = json.loads(re.search(r'<script type="application/json" id="evidence">(.*?)</script>', page, re.S)[1])
    text = sample_run.artifact.text
    for field, reading in directive.evidence.items():
        # THEN the field's row can be clicked, and its marks are the words printed there, on its page
        assert f'data-evidence="{field}"' in page
        marks = evidence[field]
        assert {m["page"] for m in marks} == {reading.page} and all(m["kind"] == "field" for m in marks)
        assert sum(len(m["boxes"]) for m in marks) == len(text[reading.span.start:reading.span.end].split())
    number = directive.evidence["number"].span
    assert text[number.start:number.end] == directive.number
    signer = directive.evidence["signer"]
    assert " ".join(text[signer.span.start:signer.span.end].split()) == directive.signer.name
    assert signer.page == len(sample_run.artifact.pages) or signer.page > directive.evidence["number"].page


def test_the_inbox_lists_a_unit_s_tasks_newest_first_with_overdue_and_due_soon(desk, sample_run):
    desk.put(sample_run)
    unit_id = next(n.unit_id for n in sample_run.notices if n.unit_id)
    today = dt.date.today()
    base = next(n for n in sample_run.notices if n.unit_id == unit_id)
    extra = [base.model_copy(update={"idempotency_key": f"{base.document_id}:90{i}:{unit_id}", "deadline": due,
                                     "task": f"Nhiệm vụ thử {i}", "at": base.at + dt.timedelta(minutes=i + 1)})
             for i, due in enumerate([today - dt.timedelta(days=2), today + dt.timedelta(days=1),
                                      today + dt.timedelta(days=30)])]
    desk.projection.apply([(desk.settings.topics.assignments, 0, 100 + i, n.model_dump_json().encode())
                           for i, n in enumerate(extra)])
    desk.users.add("don.vi", PASSWORD, "unit", unit_id)
    client = desk.client()
    sign_in(client, "don.vi")
    page = client.get("/inbox").text
    assert "Quá hạn: 1" in page and "Sắp đến hạn: 1" in page
    order = [page.index(f"Nhiệm vụ thử {i}") for i in (2, 1, 0)]
    assert order == sorted(order)  # newest first
    row = page[page.rindex("<tr", 0, page.index("Nhiệm vụ thử 0")):page.index("Nhiệm vụ thử 0")]
    assert 'class="task overdue"' in row


def test_the_inbox_updates_in_place_when_a_new_task_and_a_cancellation_arrive(desk, sample_run):
    # GIVEN a unit user's inbox open, its tasks a live part of the page
    desk.put(sample_run)
    base = next(n for n in sample_run.notices if n.unit_id)
    desk.users.add("don.vi", PASSWORD, "unit", base.unit_id)
    client = desk.client()
    sign_in(client, "don.vi")
    page = client.get("/inbox").text
    live = re.search(r'<div id="tasks" data-live="([^"]+)">', page)[1].replace("&amp;", "&")
    before = client.get(live).text
    assert base.task[:40] in before and "Nhiệm vụ mới" not in before
    # WHEN the pipeline sends the unit a new task and cancels the one it had
    version = desk.projection.version
    new = base.model_copy(update={"idempotency_key": f"{base.document_id}:r1:new:{base.unit_id}", "revision": 1,
                                  "task": "Nhiệm vụ mới sau khi sửa", "at": base.at + dt.timedelta(minutes=5)})
    cancelled = base.model_copy(update={"idempotency_key": f"{base.document_id}:r1:0:{base.unit_id}", "revision": 1,
                                        "status": "cancelled", "supersedes": base.idempotency_key,
                                        "task": "Việc đã được rút lại"})
    desk.projection.apply([(desk.settings.topics.assignments, 0, 700 + i, n.model_dump_json().encode())
                           for i, n in enumerate([new, cancelled])])
    # THEN the page's event stream has something to say, and the live part shows the change
    assert desk.projection.version > version
    after = client.get(live).text
    assert "Nhiệm vụ mới sau khi sửa" in after and base.idempotency_key not in after
    assert "<html" not in after  # the part alone, not a whole page
    # and the part is the user's own unit's only
    other = next(n.unit_id for n in sample_run.notices if n.unit_id and n.unit_id != base.unit_id)
    assert client.get("/inbox/tasks", params={"unit": other}).status_code == 403


def test_a_corrected_revision_s_notice_shows_the_page_of_its_assignment(desk, sample_run):
    desk.put(sample_run)
    assignment = next(a for a in sample_run.directive.assignments if a.unit_id and a.evidence)
    later_page = max(p.number for p in sample_run.artifact.pages) + 5  # a page no other task is on
    revision = sample_run.directive.model_copy(update={"revision": 1, "assignments": [
        assignment.model_copy(update={"evidence": [e.model_copy(update={"page": later_page})
                                                   for e in assignment.evidence]})]})
    base = next(n for n in sample_run.notices if n.unit_id == assignment.unit_id)
    notice = base.model_copy(update={"idempotency_key": f"{base.document_id}:r1:x:{assignment.unit_id}",
                                     "section": assignment.section, "role": assignment.role, "revision": 1,
                                     "unit_text": assignment.unit_text, "task": "Nhiệm vụ sau khi sửa"})
    t = desk.settings.topics
    desk.projection.apply([(t.directives, 0, 50, revision.model_dump_json().encode()),
                           (t.assignments, 0, 500, notice.model_dump_json().encode())])
    desk.users.add("don.vi", PASSWORD, "unit", assignment.unit_id)
    client = desk.client()
    sign_in(client, "don.vi")
    page = client.get("/inbox").text
    row = page[page.rindex("<tr", 0, page.index("Nhiệm vụ sau khi sửa")):page.index("Nhiệm vụ sau khi sửa")]
    assert f"#page-{later_page}" in row


def test_deliveries_recorded_in_the_state_store_move_the_document_on(desk, sample_run):
    from services.desk.feed import sweep_state

    desk.put(sample_run)
    state = StateStore(desk.storage)
    now = dt.datetime.now(dt.UTC)
    sweep_state(state, desk.projection, now)
    assert {r["stage"] for r in desk.projection.submissions(Filters())} == {"notified"}
    state.record(sample_run.document_id, "delivered/abc-webhook", channel="webhook")
    sweep_state(state, desk.projection, now)
    assert {r["stage"] for r in desk.projection.submissions(Filters())} == {"delivered"}
    # a document whose last change is older than the sweep's window is left alone
    later = now + dt.timedelta(hours=1)
    assert desk.projection.in_motion(later - dt.timedelta(minutes=15)) == []


def test_a_directive_with_nothing_to_send_shows_notified_once_notify_recorded_it(desk, sample_run):
    from services.desk.feed import sweep_state

    t = desk.settings.topics
    desk.projection.apply([(t.text, 0, 0, sample_run.text.model_dump_json().encode()),
                           (t.directives, 0, 0, sample_run.directive.model_dump_json().encode())])
    state = StateStore(desk.storage)
    sweep_state(state, desk.projection, dt.datetime.now(dt.UTC))
    assert {r["stage"] for r in desk.projection.submissions(Filters())} == {"parsed"}
    state.record(sample_run.document_id, "notified", notices=0)
    sweep_state(state, desk.projection, dt.datetime.now(dt.UTC))
    assert {r["stage"] for r in desk.projection.submissions(Filters())} == {"notified"}


def test_the_review_queue_names_the_candidate_units(desk, sample_run, directory):
    # GIVEN a review item whose printed name may mean two units of the directory
    desk.put(sample_run)
    first, second = [u for u in directory.units() if u.name.startswith("Sở Y tế")][:2]
    base = next(n for n in sample_run.notices if n.unit_id)
    item = base.model_copy(update={"idempotency_key": f"{base.document_id}:77:review", "unit_id": None,
                                   "unit_text": "Sở Y tế", "candidates": [first.id, second.id]})
    desk.projection.apply([(desk.settings.topics.review, 0, 900, item.model_dump_json().encode())])
    # WHEN a clerk opens the review queue THEN each candidate is shown by the directory's name
    page = _clerk(desk).get("/review").text
    for unit in (first, second):
        assert f'title="{unit.id}">{unit.name}</span>' in page
