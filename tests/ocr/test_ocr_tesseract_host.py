"""Debian's Tesseract read by long-lived hosts (services/ocr/tesseract_host.py): the same
readings as the program run once per page, and a page that hangs or a host that dies
costs that page only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from services.ocr import tesseract

PROGRAM_PATH = shutil.which("tesseract")  # the same program by its path: run once per call


def _hosts() -> list[int]:
    """Pids of this process's live hosts."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"services.ocr.tesseract_host" in (entry / "cmdline").read_bytes():
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def _read(image: Image.Image, program: str = "tesseract", **kwargs) -> tesseract.Recognition:
    return tesseract.recognise(image, **{"language": "vie", "dpi": 300, "timeout": 120, "cmd": program, **kwargs})


def test_a_host_reads_a_page_as_the_program_does(scans):
    # GIVEN page 1 of a scan, read by a host and by the program run for it alone
    hosted, alone = _read(scans[0]), _read(scans[0], PROGRAM_PATH)
    # THEN the readings are the same, word for word and box for box, and a host stays for the next page
    assert hosted == alone and hosted.words > 100
    assert _hosts()


def test_a_page_past_its_deadline_is_stopped_and_the_next_is_read(scans):
    _read(scans[0])
    idle = set(_hosts())
    with pytest.raises(tesseract.TesseractTimeout):
        _read(scans[0], timeout=0.05)
    # THEN the host that was reading it is gone, not reading on
    assert idle and set(_hosts()) < idle
    assert _read(scans[1]).words > 100


def test_a_host_that_dies_mid_page_fails_that_page_only(scans):
    _read(scans[0])  # a host is idle now
    failure: list[Exception] = []

    def read() -> None:
        try:
            _read(scans[0])
        except tesseract.TesseractError as e:
            failure.append(e)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.3)  # the host is reading
    for pid in _hosts():
        os.kill(pid, signal.SIGKILL)
    reader.join()
    assert failure and "killed by signal 9" in str(failure[0])
    assert _read(scans[1]).words > 100


def test_a_language_that_is_not_installed_is_refused_and_the_host_goes_on(scans):
    with pytest.raises(tesseract.TesseractError, match="xyz"):
        _read(Image.new("L", (200, 100), 255), language="xyz")
    assert _read(scans[1]).words > 100


def test_hosts_end_with_their_owner(tmp_path):
    # GIVEN a process that reads a page and then dies without a word to its hosts
    script = (
        "import json, os; from PIL import Image; from services.ocr import tesseract\n"
        "tesseract.recognise(Image.new('L', (400, 200), 255), language='vie', dpi=300, timeout=60)\n"
        "print(json.dumps([p for p in os.listdir('/proc') if p.isdigit()"
        " and b'tesseract_host' in open(f'/proc/{p}/cmdline', 'rb').read()"
        " and open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1] == str(os.getpid())]), flush=True)\n"
        "os._exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    (host,) = json.loads(out.stdout)
    # THEN its host exits too
    for _ in range(50):
        if not Path(f"/proc/{host}").exists() or "Z" in Path(f"/proc/{host}/stat").read_text().rsplit(")", 1)[1][:3]:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"host {host} outlived its owner")
