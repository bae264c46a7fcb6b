"""The hot folder submits what a scanner wrote, once it is complete, and moves it aside."""

from __future__ import annotations

import hashlib
import os

from services.desk.hotfolder import HotFolder
from tests.desk.conftest import UploadingStorage
from vanthu.events import ObjectRef
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step


def test_a_file_is_submitted_once_it_stopped_growing_and_then_moved_aside(tmp_path):
    storage = UploadingStorage(Settings())
    folder = HotFolder(tmp_path, StateStore(storage), desk="Máy quét tầng 1")
    scan = tmp_path / "Quét 0001.pdf"
    scan.write_bytes(b"%PDF-1.4 first half")
    assert folder.poll() == []  # seen for the first time: maybe still being written
    with scan.open("ab") as f:
        f.write(b" and the rest")
    assert folder.poll() == []  # it grew: wait again
    [result] = folder.poll()
    assert result.key is not None and result.name == "Quét 0001.pdf"
    assert storage.objects[("incoming", result.key)] == b"%PDF-1.4 first half and the rest"
    assert not scan.exists() and (tmp_path / ".submitted" / "Quét 0001.pdf").exists()
    assert folder.poll() == []  # nothing is submitted twice


def test_a_duplicate_goes_aside_without_an_upload(tmp_path):
    storage = UploadingStorage(Settings())
    state = StateStore(storage)
    data = b"%PDF-1.4 seen before"
    state.record(hashlib.sha256(data).hexdigest(), received_step(ObjectRef(bucket="incoming", key="a.pdf")),
                 bucket="incoming", key="a.pdf")
    (tmp_path / "again.pdf").write_bytes(data)
    (tmp_path / ".partial.pdf").write_bytes(b"a scanner's temporary file")
    folder = HotFolder(tmp_path, state, desk="")
    folder.poll()
    [result] = folder.poll()
    assert result.key is None
    assert (tmp_path / ".duplicates" / "again.pdf").exists()
    assert not any(bucket == "incoming" for bucket, _ in storage.objects)
    assert (tmp_path / ".partial.pdf").exists()


def test_a_file_that_cannot_be_uploaded_stays_for_the_next_pass(tmp_path):
    class Unavailable(UploadingStorage):
        def upload(self, *args, **kwargs):
            raise ConnectionError("MinIO is away")

    storage = Unavailable(Settings())
    folder = HotFolder(tmp_path, StateStore(storage), desk="")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4")
    os.utime(scan, ns=(1, 1))
    folder.poll()
    assert folder.poll() == [] and scan.exists()
