"""End to end in a real browser (Debian's headless Chromium, driven by Selenium) against the
real local Kafka and MinIO, the three services and the desk: a clerk signs in, uploads a
text PDF, watches it reach "notified" on the list without reloading, opens it to see its
pages and an assignment's evidence, and gives that assignment another unit; the new
unit's user then finds the task in its inbox, and the corrected notice and the old
unit's cancellation are on Kafka. Screenshots of each page are kept under
.cache/desk-screenshots/<run>/ (the path is printed)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import time
import uuid
from pathlib import Path

import pypdfium2
import pytest
from aiokafka import AIOKafkaConsumer

from examples.render import scan_pdf, text_pdf
from services.desk.app import create_app
from services.desk.config import DeskSettings
from services.desk.users import UserStore
from services.notify import app as notify_app
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from tests.desk.conftest import PASSWORD, SAMPLE, pipeline_events
from vanthu.events import AssignmentNotice

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(600),
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="needs Debian's chromium and chromium-driver (deploy/local/bootstrap.sh installs them)"),
]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(browser, seconds: float):
    """Waits that look again when the live list replaced an element under their feet."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException])


def _click(wait, locator) -> None:
    """Click what ``locator`` finds once it is clickable, and again if the page redrew it in
    between (the desk refreshes its lists as events arrive: the element found goes stale)."""
    from selenium.webdriver.support import expected_conditions as ec

    wait.until(lambda b: ec.element_to_be_clickable(locator)(b) and (b.find_element(*locator).click() or True))


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--lang=vi"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def _sign_in(browser, wait, base: str, name: str, shots: Path | None = None) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(base + "/")  # not signed in: sent to sign in
    wait.until(ec.url_contains("/login"))
    browser.find_element(By.NAME, "name").send_keys(name)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    if shots:
        browser.save_screenshot(str(shots / "1-login.png"))
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait.until(ec.none_of(ec.url_contains("/login")))


def _upload_until_notified(browser, wait, pdf: Path, shots: Path | None = None):
    """Upload ``pdf`` on the documents page and wait, without reloading, for its row to
    say "notified"; returns (seconds from the click, the row's locator)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.find_element(By.ID, "files").send_keys(str(pdf))
    started = time.monotonic()
    browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "progress"), "Đã nộp"))
    row = (By.XPATH, f"//tbody[@id='rows']/tr[td/a[text()='{pdf.name}']]")
    wait.until(ec.presence_of_element_located(row))
    if shots:
        browser.save_screenshot(str(shots / "2-uploaded.png"))
    # the page is never reloaded: the row changes through server-sent events
    wait.until(lambda b: "Đã gửi thông báo" in b.find_element(*row).text)
    return time.monotonic() - started, row


def _clerk_session(base: str, pdf: Path, shots: Path, index: int, new_unit: str, task: str) -> dict[str, float]:
    """What the clerk, then the new unit's user, do in the browser; returns what was measured."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser = _browser()
    wait = _wait(browser, 120)
    try:
        _sign_in(browser, wait, base, "van.thu", shots)
        notified, row = _upload_until_notified(browser, wait, pdf, shots)
        browser.save_screenshot(str(shots / "3-notified.png"))

        _click(wait, (row[0], row[1] + "/td/a"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".assignment")))
        wait.until(lambda b: b.execute_script(
            "return [...document.querySelectorAll('.page img')].every(i => i.complete && i.naturalWidth > 0)"))
        pages = len(browser.find_elements(By.CSS_SELECTOR, ".page img"))
        first = browser.find_element(By.CSS_SELECTOR, ".assignment")
        browser.execute_script("arguments[0].scrollIntoView()", first)
        first.click()
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".page .mark.unit"))
        time.sleep(0.6)  # the smooth scroll to the mark
        browser.save_screenshot(str(shots / "4-document.png"))
        marks = len(browser.find_elements(By.CSS_SELECTOR, ".page .mark"))
        # a header field's evidence too: the number, where it is printed
        number = browser.find_element(By.CSS_SELECTOR, 'tr.field[data-evidence="number"]')
        browser.execute_script("arguments[0].scrollIntoView()", number)
        number.click()
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".page .mark.field"))
        time.sleep(0.6)
        browser.save_screenshot(str(shots / "4b-header-field.png"))
        field_marks = len(browser.find_elements(By.CSS_SELECTOR, ".page .mark.field"))

        # the clerk gives assignment `index` another unit
        browser.get(browser.current_url + "/correct")
        field = browser.find_element(By.NAME, f"a{index}.unit_id")
        field.clear()
        field.send_keys(new_unit)
        browser.save_screenshot(str(shots / "5-correct.png"))
        browser.find_element(By.CSS_SELECTOR, "form.correct button[type=submit]").click()
        wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "Bản sửa lần 1"))
        browser.find_element(By.CSS_SELECTOR, "form.signout button").click()

        # the new unit's user sees the task arrive in its inbox, without reloading the page
        wait.until(ec.url_contains("/login"))
        _sign_in(browser, wait, base, "don.vi")
        wait.until(ec.url_contains("/inbox"))
        with contextlib.suppress(TimeoutException):
            _wait(browser, 60).until(lambda b: task in b.find_element(By.ID, "tasks").text)
        browser.save_screenshot(str(shots / "6-inbox.png"))
        in_inbox = task in browser.find_element(By.TAG_NAME, "main").text
        return {"upload_to_notified_s": notified, "pages": pages, "marks": marks, "field_marks": field_marks,
                "in_inbox": in_inbox}
    finally:
        browser.quit()


async def test_a_clerk_uploads_sees_it_notified_opens_and_corrects_it(run_settings, examples, directory, tmp_path,
                                                                      capsys):
    settings = run_settings
    run = uuid.uuid4().hex[:8]
    shots = ROOT / ".cache" / "desk-screenshots" / run
    shots.mkdir(parents=True)
    desk_settings = DeskSettings(data_dir=tmp_path / "desk", port=_free_port(), desk_name="Bàn 1")
    pdf = tmp_path / "Thông báo kết luận.pdf"
    pdf.write_bytes(text_pdf(examples[SAMPLE]))
    # what the services will read: an assignment with a unit, and a unit of the document
    # whose own tasks are other ones, to give it to
    expected = pipeline_events(settings, pdf.read_bytes(), "expected.pdf", directory)
    index, moved = next((i, a) for i, a in enumerate(expected.directive.assignments) if a.unit_id)
    new_unit = next(n.unit_id for n in expected.notices if n.unit_id and n.unit_id != moved.unit_id
                    and not any(m.unit_id == n.unit_id and m.section == moved.section for m in expected.notices))
    task = " ".join(moved.task.split()[:8])
    users = UserStore(desk_settings.path("users.json"))
    users.add("van.thu", PASSWORD, "clerk")
    users.add("don.vi", PASSWORD, "unit", new_unit)

    async with _running(settings, desk_settings) as base:
        measured = await asyncio.to_thread(_clerk_session, base, pdf, shots, index, new_unit, task)
        notices = await _notices(settings, lambda found: any(n.revision == 1 for n in found))

    with capsys.disabled():
        print(f"\ndesk e2e: upload -> 'notified' shown {measured['upload_to_notified_s']:.2f} s; "
              f"screenshots in {shots}")
    assert measured["pages"] >= 2  # the sample renders on several pages, each shown
    assert measured["marks"] >= 1
    assert measured["field_marks"] >= 1  # the number's box
    assert measured["in_inbox"], "the corrected task did not reach the new unit's inbox"
    corrected = [n for n in notices if n.revision == 1]
    assert any(n.unit_id == new_unit and n.status == "assigned" and n.section == moved.section for n in corrected)
    assert any(n.unit_id == moved.unit_id and n.status == "cancelled" and n.section == moved.section
               for n in corrected)
    assert all((shots / name).stat().st_size > 10_000 for name in
               ("1-login.png", "2-uploaded.png", "3-notified.png", "4-document.png", "4b-header-field.png",
                "5-correct.png", "6-inbox.png"))


async def test_a_scan_reaches_notified_on_the_page(run_settings, examples, tmp_path, capsys):
    """The time from upload to "notified" shown on the list for an image-only scan (OCR)."""
    desk_settings = DeskSettings(data_dir=tmp_path / "desk", port=_free_port(), desk_name="Bàn 1")
    UserStore(desk_settings.path("users.json")).add("van.thu", PASSWORD, "clerk")
    pdf = tmp_path / "Thông báo kết luận (bản quét).pdf"
    pdf.write_bytes(scan_pdf(examples[SAMPLE], seed=3))

    def clerk(base: str) -> float:
        browser = _browser()
        try:
            wait = _wait(browser, 300)
            _sign_in(browser, wait, base, "van.thu")
            return _upload_until_notified(browser, wait, pdf)[0]
        finally:
            browser.quit()

    async with _running(run_settings, desk_settings) as base:
        seconds = await asyncio.to_thread(clerk, base)
    with capsys.disabled():
        print(f"\ndesk e2e: scan of {len(pypdfium2.PdfDocument(pdf))} pages, upload -> 'notified' shown {seconds:.2f} s")


@contextlib.asynccontextmanager
async def _running(settings, desk_settings):
    """The three services and the desk on ``settings``; yields the desk's address."""
    import uvicorn

    apps = [module.create_app(settings) for module in (ocr_app, parse_app, notify_app)]
    for app in apps:
        await app.start()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, desk_settings), host="127.0.0.1",
                                           port=desk_settings.port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{desk_settings.port}"
    finally:
        server.should_exit = True
        await serving
        for app in apps:
            await app.stop()


async def _notices(settings, done, timeout: float = 60) -> list[AssignmentNotice]:
    """The assignment notices on Kafka, read from the start until ``done(notices)``."""
    consumer = AIOKafkaConsumer(settings.topics.assignments, bootstrap_servers=settings.kafka_bootstrap,
                                auto_offset_reset="earliest", group_id=None, enable_auto_commit=False)
    found: list[AssignmentNotice] = []
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not done(found):
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                found += [AssignmentNotice.model_validate_json(r.value) for r in records]
    finally:
        await consumer.stop()
    return found
