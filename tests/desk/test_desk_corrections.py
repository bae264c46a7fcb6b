"""A clerk's correction, a review item's resolution and a unit's task marks, made on the
desk and handed to vanthu.revisions (published through a captured publisher here)."""

from __future__ import annotations

import pytest

from services.desk.app import create_app
from services.desk.config import DeskSettings
from tests.desk.conftest import PASSWORD, csrf_of, sign_in
from vanthu.events import DirectiveParsed, TaskMarked
from vanthu.state import StateStore

revisions = pytest.importorskip("vanthu.revisions", reason="the corrections module (issue 14, part B) is absent")


@pytest.fixture
def published():
    return []


@pytest.fixture
def corrected_desk(desk, sample_run, published, tmp_path):
    """The desk with the sample notified and its parsed revision kept, publishing into ``published``."""
    desk.app = create_app(desk.settings, DeskSettings(data_dir=tmp_path / "desk"), storage=desk.storage,
                          projection=desk.projection, follow=False,
                          publish=lambda topic, event, key: published.append((topic, event, key)))
    desk.put(sample_run)
    revisions.keep_parsed(desk.storage, sample_run.directive)
    desk.users.add("van.thu", PASSWORD, "clerk")
    return desk


def _form(page: str) -> dict[str, str]:
    """The correction form's fields as the page fills them (inputs, selected options, text areas)."""
    import re

    fields = {m[1]: m[2] for m in re.finditer(r'<input (?:type="date" )?name="([^"]+)" value="([^"]*)"', page)}
    for name, body in re.findall(r'<select name="([^"]+)">(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected>', body) or re.search(r'<option value="([^"]+)"', body)
        fields[name] = chosen[1]  # a browser sends the selected option, else the first
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = body
    fields["csrf_token"] = csrf_of(page)
    return fields


def test_a_clerk_changes_a_unit_and_the_number_as_one_revision(corrected_desk, sample_run, published):
    client = corrected_desk.client()
    sign_in(client, "van.thu")
    assert "Sửa kết quả đọc" in client.get(f"/documents/{sample_run.document_id}").text
    page = client.get(f"/documents/{sample_run.document_id}/correct").text
    form = _form(page)
    first = sample_run.directive.assignments[0]
    other = next(a.unit_id for a in sample_run.directive.assignments if a.unit_id and a.unit_id != first.unit_id)
    form.update({"number": "999/TB-UBND", "a0.unit_id": other})
    response = client.post(f"/documents/{sample_run.document_id}/correct", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[-500:]
    [(topic, revision, key)] = published
    assert topic == corrected_desk.settings.topics.directives and key == sample_run.document_id
    assert isinstance(revision, DirectiveParsed) and revision.revision == 1 and revision.corrected_by == "van.thu"
    assert revision.number == "999/TB-UBND" and revision.assignments[0].unit_id == other
    # only what the clerk changed is a change (the number's sequence and symbol follow the
    # number): the fields left as the form showed them are not
    fields = {c.field for c in revision.changes}
    assert {"number", "assignments[0].unit_id"} <= fields <= {"number", "number_seq", "symbol",
                                                               "assignments[0].unit_id"}


def test_a_form_that_changes_nothing_publishes_nothing(corrected_desk, sample_run, published):
    client = corrected_desk.client()
    sign_in(client, "van.thu")
    form = _form(client.get(f"/documents/{sample_run.document_id}/correct").text)
    assert client.post(f"/documents/{sample_run.document_id}/correct", data=form).status_code == 422
    assert published == []


def test_corrections_need_a_clerk_and_the_token(corrected_desk, sample_run, published):
    unit_id = next(n.unit_id for n in sample_run.notices if n.unit_id)
    corrected_desk.users.add("don.vi", PASSWORD, "unit", unit_id)
    clerk = corrected_desk.client()
    sign_in(clerk, "van.thu")
    form = _form(clerk.get(f"/documents/{sample_run.document_id}/correct").text) | {"number": "1/X"}
    assert clerk.post(f"/documents/{sample_run.document_id}/correct",
                      data=form | {"csrf_token": "forged"}).status_code == 403
    unit = corrected_desk.client()
    sign_in(unit, "don.vi")
    token = csrf_of(unit.get("/inbox").text)
    assert unit.get(f"/documents/{sample_run.document_id}/correct").status_code == 403
    assert unit.post(f"/documents/{sample_run.document_id}/correct",
                     data=form | {"csrf_token": token}).status_code == 403
    assert published == []


def test_a_unit_marks_its_own_task_received_and_not_another_unit_s(corrected_desk, sample_run, published):
    desk = corrected_desk
    mine = next(n for n in sample_run.notices if n.unit_id)
    theirs = next(n for n in sample_run.notices if n.unit_id and n.unit_id != mine.unit_id)
    in_force = {n.idempotency_key: revisions.SentNotice(key=n.idempotency_key, digest="d", unit_id=n.unit_id,
                                                        unit=n.unit, unit_text=n.unit_text, role=n.role)
                for n in (mine, theirs)}
    StateStore(desk.storage).record(sample_run.document_id, "notified",
                                    in_force={k: v.model_dump(mode="json") for k, v in in_force.items()})
    desk.users.add("don.vi", PASSWORD, "unit", mine.unit_id)
    client = desk.client()
    sign_in(client, "don.vi")
    token = csrf_of(client.get("/inbox").text)
    assert client.post("/inbox/mark", data={"notice_key": theirs.idempotency_key, "mark": "received",
                                            "csrf_token": token}).status_code == 404
    response = client.post("/inbox/mark", data={"notice_key": mine.idempotency_key, "mark": "received",
                                                "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    [(topic, marked, key)] = published
    assert isinstance(marked, TaskMarked) and marked.unit_id == mine.unit_id and marked.mark == "received"
    # the mark comes back on Kafka and shows in the inbox
    desk.projection.apply([(topic, 0, 0, marked.model_dump_json().encode())])
    assert "mark-received" in client.get("/inbox").text


def test_a_clerk_routes_a_review_item_to_a_unit(corrected_desk, sample_run, published):
    item = next(n for n in sample_run.notices if not n.unit_id and not n.withheld)
    unit_id = next(n.unit_id for n in sample_run.notices if n.unit_id)
    client = corrected_desk.client()
    sign_in(client, "van.thu")
    page = client.get("/review").text
    assert item.unit_text in page
    response = client.post("/review/resolve", data={"notice_key": item.idempotency_key, "unit_id": unit_id,
                                                    "csrf_token": csrf_of(page)}, follow_redirects=False)
    assert response.status_code == 303
    [(topic, revision, _)] = published
    assert topic == corrected_desk.settings.topics.directives and revision.revision == 1
    routed = [a for a in revision.assignments if a.unit_text == item.unit_text and a.section == item.section
              and a.role == item.role]
    assert routed and all(a.unit_id == unit_id for a in routed)


def test_a_typed_unit_name_is_suggested_as_the_directory_s_unit_of_the_document_s_province(corrected_desk,
                                                                                             sample_run):
    client = corrected_desk.client()
    sign_in(client, "van.thu")
    # the sample is a province's document: its "Sở Y tế" is that province's
    lead = next(a for a in sample_run.directive.assignments if a.unit_text == "Sở Y tế" and a.unit_id)
    found = client.get("/units", params={"q": "so y te", "document": sample_run.document_id}).json()
    assert found[0]["id"] == lead.unit_id and "Y tế" in found[0]["name"]
    assert client.get("/units", params={"q": "s"}).json() == []
