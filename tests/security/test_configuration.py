"""Settings that keep secrets out of sight and refuse to start misconfigured; the private
scratch space of a process."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError

from vanthu.events import ObjectRef
from vanthu.settings import ChannelOptions, Settings
from vanthu.storage import Storage, scratch_dir

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 3600


def test_secrets_do_not_show_in_repr_or_dumps():
    settings = Settings(minio_secret_key="mật-khẩu-minio", channels=ChannelOptions(smtp_password="mật-khẩu-smtp"),
                        secrecy={"key": "A" * 43 + "="})
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert "mật-khẩu" not in shown and "A" * 43 not in shown
    # ... but a child process started with the settings gets them
    assert settings.as_env()["VANTHU_MINIO_SECRET_KEY"] == "mật-khẩu-minio"


@pytest.mark.parametrize(("seconds", "valid"), [(0, False), (1, True), (7 * DAY, True), (7 * DAY + 1, False)])
def test_link_expiry_is_between_one_second_and_seven_days(seconds, valid):
    if valid:
        assert Settings(link_expiry_s=seconds).link_expiry_s == seconds
    else:
        with pytest.raises(ValidationError, match="link_expiry_s"):
            Settings(link_expiry_s=seconds)


@pytest.mark.parametrize("setting", [
    {"minio_endpoint": "http://minio:9000"}, {"minio_endpoint": "minio:9000/x"}, {"minio_endpoint": "minio:port"},
    {"kafka_bootstrap": "kafka"},
    {"minio_public_endpoint": "https://files.example.gov.vn/"}, {"kafka_bootstrap": "kafka:9092,kafka2"},
    {"secrecy": {"text": "encrypt"}}, {"secrecy": {"key": "too-short"}},
])
def test_a_bad_endpoint_or_key_is_refused(setting):
    with pytest.raises(ValidationError):
        Settings(**setting)


def test_a_misconfigured_service_does_not_start():
    # GIVEN a link expiry S3 cannot sign WHEN the notify service is started THEN it stops at once, saying why
    env = os.environ | {"VANTHU_LINK_EXPIRY_S": str(30 * DAY), "VANTHU_HTTP_PORT": "0"}
    result = subprocess.run([sys.executable, "-m", "vanthu.cli", "serve", "notify"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "link_expiry_s" in result.stdout + result.stderr
    assert "/health/ready" not in result.stdout  # it never served a health endpoint


def test_links_are_signed_for_the_public_endpoint():
    # GIVEN MinIO reached by people at a public name, over TLS
    settings = Settings(minio_public_endpoint="files.example.gov.vn", minio_secure=True, link_expiry_s=3600)
    # WHEN a link is made (no connection is needed for it)
    url = urlsplit(Storage(settings).presigned_url(ObjectRef(bucket="incoming", key="a b.pdf"), settings.link_expiry_s))
    # THEN it points at that name and expires as configured
    assert (url.scheme, url.netloc, url.path) == ("https", "files.example.gov.vn", "/incoming/a%20b.pdf")
    assert parse_qs(url.query)["X-Amz-Expires"] == ["3600"]


def test_the_scratch_directory_is_private_and_removed_at_exit():
    # GIVEN a process that makes its scratch directory and exits normally
    script = "from vanthu.storage import scratch_dir; d = scratch_dir(); (d / 'page.pnm').write_bytes(b'P5'); print(d)"
    made = Path(subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                               check=True, timeout=60).stdout.strip())
    # THEN it is gone; and this process's own is readable by its user only
    assert not made.exists()
    assert stat.S_IMODE(scratch_dir().stat().st_mode) == 0o700
    assert scratch_dir().parent == Path(tempfile.gettempdir())


def test_a_killed_processs_page_images_are_removed_by_the_next_start():
    # GIVEN an OCR process killed outright (kill -9) while a page image was in its scratch directory
    script = ("import time; from vanthu.storage import scratch_dir; d = scratch_dir(); "
              "(d / 'page.pnm').write_bytes(b'P5'); print(d, flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    left = Path(proc.stdout.readline().strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert (left / "page.pnm").exists()
    # WHEN the next process makes its scratch directory
    time.sleep(0.1)
    subprocess.run([sys.executable, "-c", "from vanthu.storage import scratch_dir; scratch_dir()"], cwd=ROOT,
                   check=True, timeout=60)
    # THEN the dead process's page images are gone
    assert not left.exists()
