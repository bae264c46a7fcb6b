"""A batch uploaded from the documents page in a real browser (Debian's headless Chromium,
driven by Selenium), against the desk alone (in-memory storage and read model, no Kafka):
the page's script asks for a batch name, sends each file with it and "Lưu trữ", links the
batch's page, and that page changes in place when the pipeline moves."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
import uvicorn

from tests.desk.conftest import PASSWORD
from tests.desk.test_desk_browser import _browser, _sign_in, _wait
from vanthu.errors import FailureReason
from vanthu.events import DocumentFailed, ObjectRef

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="needs Debian's chromium and chromium-driver (deploy/local/bootstrap.sh installs them)"),
]


@pytest.fixture
def served(desk):
    """The test desk on a local port: its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(desk.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_clerk_uploads_an_archive_batch_and_follows_it(desk, served, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    desk.users.add("van.thu", PASSWORD, "clerk")
    files = [tmp_path / "hồ sơ 1990.pdf", tmp_path / "hồ sơ 1991.pdf"]
    for i, path in enumerate(files):
        path.write_bytes(b"%PDF-1.4 archive file " + str(i).encode())
    browser = _browser()
    wait = _wait(browser, 30)
    try:
        _sign_in(browser, wait, served, "van.thu")
        browser.get(served + "/documents")
        browser.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in files))
        browser.find_element(By.NAME, "archive").click()
        browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
        wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#progress li.submitted")) == 2)
        link = browser.find_element(By.CSS_SELECTOR, "#batch-link a")
        batch = link.get_attribute("href").rsplit("/", 1)[-1]
        # both files in one batch, in the bulk lane
        summary = desk.projection.batch_summary(batch)
        assert summary is not None and summary["files"] == summary["bulk"] == summary["remaining"] == 2
        link.click()
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".counts"), "2 đang xử lý"))
        assert "hàng lưu trữ" in browser.find_element(By.ID, "batch").text
        # WHEN the OCR stage fails one of them, THEN the page says so without being reloaded
        browser.execute_script("document.body.dataset.unreloaded = 'yes'")
        key = next(f["key"] for f in desk.projection.batch(batch))
        failed = DocumentFailed(stage="ocr", reason=FailureReason.CORRUPT_FILE, message="broken",
                                source=ObjectRef(bucket=key.split("/", 1)[0], key=key.split("/", 1)[1]))
        desk.projection.apply([(desk.settings.topics.failed, 0, 0, failed.model_dump_json().encode())])
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".counts"), "1 lỗi"))
        assert "Tệp bị hỏng" in browser.find_element(By.ID, "batch").text
        assert browser.execute_script("return document.body.dataset.unreloaded") == "yes"
    finally:
        browser.quit()
