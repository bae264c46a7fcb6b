"""Sign-in, sessions, CSRF and who sees what, through the desk's HTTP interface."""

from __future__ import annotations

import time

import pytest

from examples.render import text_pdf
from services.desk.auth import COOKIE
from tests.desk.conftest import PASSWORD, SAMPLE, csrf_of, pipeline_events, sign_in


@pytest.fixture
def filled(desk, sample_run):
    """The desk with the sample document notified, a clerk, and users of a unit it was sent
    to and of a unit it was not."""
    desk.put(sample_run)
    sent = sorted({n.unit_id for n in sample_run.notices if n.unit_id})
    assert len(sent) >= 2, "the sample must reach at least two units"
    desk.users.add("van.thu", PASSWORD, "clerk")
    desk.users.add("don.vi", PASSWORD, "unit", sent[0])
    desk.users.add("khac", PASSWORD, "unit", "vn:unit-that-got-nothing")
    return desk, sample_run, sent[0]


def test_pages_need_sign_in(filled):
    desk, run, _ = filled
    client = desk.client()
    for url in ("/documents", f"/documents/{run.document_id}", f"/documents/{run.document_id}/pages/1.png",
                "/inbox", "/review", "/events"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", url


def test_wrong_password_is_refused_and_right_one_signs_in(filled):
    desk, _, _ = filled
    client = desk.client()
    assert sign_in(client, "van.thu", "not the password").status_code == 401
    assert client.get("/documents", follow_redirects=False).status_code == 303
    response = sign_in(client, "Van.Thu")  # names are not case-sensitive
    assert response.status_code == 303 and response.headers["location"] == "/documents"
    assert "Văn bản trong ngày" in client.get("/documents").text


def test_the_users_file_holds_no_password(filled):
    desk, _, _ = filled
    stored = desk.users.path.read_text(encoding="utf-8")
    assert PASSWORD not in stored and "$argon2id$" in stored


def test_every_form_post_needs_the_sessions_csrf_token(filled):
    desk, _, _ = filled
    client = desk.client()
    # sign-in itself: without the token of the visitor's session
    client.get("/login")
    refused = client.post("/login", data={"name": "van.thu", "password": PASSWORD, "csrf_token": "forged"})
    assert refused.status_code == 403
    sign_in(client, "van.thu")
    page = client.get("/documents").text
    upload = {"files": ("a.pdf", b"%PDF-1.4 not much", "application/pdf")}
    assert client.post("/upload", files=upload, data={"csrf_token": "forged"}).status_code == 403
    assert client.post("/upload", files=upload).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    # with the token the page carries, sign-out works and ends the session
    assert client.post("/logout", data={"csrf_token": csrf_of(page)}, follow_redirects=False).status_code == 303
    assert client.get("/documents", follow_redirects=False).status_code == 303


def test_a_session_expires(filled, monkeypatch):
    desk, _, _ = filled
    client = desk.client()
    sign_in(client, "van.thu")
    assert client.get("/documents").status_code == 200
    later = time.time() + 9 * 3600  # the default sign-in lasts 8 hours
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/documents", follow_redirects=False).status_code == 303


@pytest.fixture
def guarded(desk, tmp_path):
    """The desk with small sign-in limits: 3 failures per account, 5 per address, in 10 minutes."""
    from fastapi.testclient import TestClient

    from services.desk.app import create_app
    from services.desk.config import DeskSettings

    limits = DeskSettings(data_dir=tmp_path / "desk", sign_in_failures_per_account=3, sign_in_failures_per_address=5,
                          sign_in_window_s=600)
    app = create_app(desk.settings, limits, storage=desk.storage, projection=desk.projection, follow=False)
    desk.users.add("van.thu", PASSWORD, "clerk")
    desk.users.add("ke.toan", PASSWORD, "clerk")
    return lambda address: TestClient(app, base_url="http://127.0.0.1", client=(address, 50000))


def test_repeated_failed_sign_ins_to_an_account_are_refused_for_a_while(guarded, monkeypatch):
    here, elsewhere = guarded("10.0.0.1"), guarded("10.0.0.2")
    # GIVEN three wrong passwords for one account (its name typed differently each time)
    for name in ("van.thu", "Van.Thu", " VAN.THU"):
        assert sign_in(here, name, "sai mật khẩu rồi").status_code == 401
    # WHEN its right password is tried, from the same address or another
    for client in (here, elsewhere):
        refused = sign_in(client, "van.thu")
        # THEN it is refused, with a message in Vietnamese saying when to try again
        assert refused.status_code == 429 and "Đăng nhập sai quá nhiều lần" in refused.text
        assert 0 < int(refused.headers["Retry-After"]) <= 600
        assert client.get("/documents", follow_redirects=False).status_code == 303
    # while another account signs in from there as usual
    assert sign_in(here, "ke.toan").status_code == 303
    # AND once the window has passed, the right password works again
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    assert sign_in(here, "van.thu").status_code == 303


def test_repeated_failed_sign_ins_from_an_address_are_refused_for_every_account(guarded):
    guesser, colleague = guarded("10.0.0.9"), guarded("10.0.0.3")
    # GIVEN five wrong passwords from one address, over several names (none reaching its own limit)
    for name in ("van.thu", "van.thu", "ke.toan", "ke.toan", "khong.co"):
        assert sign_in(guesser, name, "đoán mò").status_code == 401
    # THEN that address may not sign in any account, even with the right password
    assert sign_in(guesser, "ke.toan").status_code == 429
    # while the same account signs in from another address
    assert sign_in(colleague, "ke.toan").status_code == 303


def test_a_right_password_forgives_its_account_s_failures(guarded):
    client = guarded("10.0.0.4")
    for _ in range(2):
        assert sign_in(client, "van.thu", "gõ nhầm").status_code == 401
    assert sign_in(client, "van.thu").status_code == 303
    for _ in range(2):  # two more: four in the window, but only two since the right one
        assert sign_in(client, "van.thu", "gõ nhầm").status_code == 401
    assert sign_in(client, "van.thu").status_code == 303


def test_a_tampered_cookie_is_no_session(filled):
    desk, _, _ = filled
    client = desk.client()
    sign_in(client, "don.vi")
    value = client.cookies[COOKIE]
    client.cookies.set(COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_a_unit_user_sees_its_tasks_and_the_documents_it_was_sent(filled):
    desk, run, unit_id = filled
    client = desk.client()
    assert sign_in(client, "don.vi").headers["location"] == "/inbox"
    inbox = client.get("/inbox").text
    mine = [n for n in run.notices if n.unit_id == unit_id]
    assert all(n.task[:40] in inbox for n in mine)
    others = [n for n in run.notices if n.unit_id and n.unit_id != unit_id and n.task[:40] not in
              {m.task[:40] for m in mine}]
    assert others and not any(n.task[:40] in inbox for n in others)
    assert client.get(f"/documents/{run.document_id}").status_code == 200
    page = client.get(f"/documents/{run.document_id}/pages/1.png")
    assert page.status_code == 200 and page.content.startswith(b"\x89PNG")


def test_a_unit_user_cannot_guess_its_way_elsewhere(filled, directory):
    desk, run, unit_id = filled
    other = pipeline_events(desk.settings, text_pdf("UBND TỈNH NAM ĐỊNH\nSố: 1/TB-UBND\nTHÔNG BÁO\nVề việc khác\n"
                                                    "Giao Sở Tài chính chủ trì thực hiện."),
                            "2026/12/04/ffff0000-khac.pdf", directory)
    desk.put(other)
    client = desk.client()
    sign_in(client, "khac")
    # another unit's inbox, a document not sent to it, its pages, the clerks' pages
    assert client.get(f"/inbox?unit={unit_id}").status_code == 403
    for url in (f"/documents/{run.document_id}", f"/documents/{run.document_id}/pages/1.png",
                f"/documents/{other.document_id}", "/documents/" + "0" * 64, "/documents/../etc/passwd"):
        assert client.get(url).status_code == 404, url
    assert client.get("/documents").status_code == 403
    assert client.get("/review").status_code == 403
    assert client.get("/documents/rows").status_code == 403
    token = csrf_of(client.get("/inbox").text)
    upload = {"files": ("a.pdf", b"%PDF-1.4", "application/pdf")}
    assert client.post("/upload", files=upload, data={"csrf_token": token}).status_code == 403


def test_a_clerk_sees_every_unit_and_document(filled):
    desk, run, unit_id = filled
    client = desk.client()
    sign_in(client, "van.thu")
    assert run.directive.number in client.get("/documents").text
    assert client.get(f"/inbox?unit={unit_id}").status_code == 200
    assert client.get(f"/documents/{run.document_id}/pages/1.png").status_code == 200
    assert client.get(f"/documents/{run.document_id}/pages/99.png").status_code == 404


def test_a_secret_document_shows_its_identity_only(desk, examples, directory):
    run = pipeline_events(desk.settings, text_pdf(examples[SAMPLE]), "2026/12/04/9999aaaa-mat.pdf", directory,
                          secrecy="Mật", withheld=True)
    desk.put(run)
    desk.users.add("van.thu", PASSWORD, "clerk")
    client = desk.client()
    sign_in(client, "van.thu")
    page = client.get(f"/documents/{run.document_id}").text
    assert run.directive.number in page and "Văn bản mật" in page
    assert run.directive.subject not in page and "/pages/1.png" not in page
    assert client.get(f"/documents/{run.document_id}/pages/1.png").status_code == 404


def test_pages_wait_until_the_parse_says_whether_the_document_is_secret(desk, sample_run):
    desk.storage.objects[(sample_run.source.bucket, sample_run.source.key)] = sample_run.pdf
    desk.storage.put_model(sample_run.text.artifact, sample_run.artifact)
    desk.projection.apply([(desk.settings.topics.text, 0, 0, sample_run.text.model_dump_json().encode())])
    desk.users.add("van.thu", PASSWORD, "clerk")
    client = desk.client()
    sign_in(client, "van.thu")
    page = client.get(f"/documents/{sample_run.document_id}").text
    assert "Đã đọc chữ" in page and "/pages/1.png" not in page
    assert client.get(f"/documents/{sample_run.document_id}/pages/1.png").status_code == 404
