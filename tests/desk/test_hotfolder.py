"""The hot folder submits what a scanner wrote, once it is complete, and moves it aside."""

from __future__ import annotations

import hashlib
import os

from services.desk.hotfolder import HotFolder
from tests.desk.conftest import UploadingStorage
from vanthu import batches
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


def test_an_archive_folder_sends_each_scan_of_it_to_the_bulk_lane_as_one_batch(tmp_path):
    # GIVEN an archive's hot folder, and three files of the back file written into it
    storage = UploadingStorage(Settings())
    state = StateStore(storage)
    folder = HotFolder(tmp_path, state, desk="Kho lưu trữ", archive=True)
    for n in range(1, 4):
        (tmp_path / f"Hồ sơ {n}.pdf").write_bytes(f"%PDF-1.4 archive file {n}".encode())
    # WHEN the folder is scanned until they are taken, then a fourth file comes
    folder.poll()
    first = folder.poll()
    (tmp_path / "Hồ sơ 4.pdf").write_bytes(b"%PDF-1.4 archive file 4")
    folder.poll()
    second = folder.poll()
    # THEN the three went to the bulk lane as one batch, whose progress lists them ...
    bulk = storage.settings.lanes.bulk_prefix
    assert len(first) == 3 and all(r.key.startswith(bulk) for r in first)
    [batch] = {r.batch for r in first}
    progress = batches.progress(state, batch)
    assert sorted(i.item.filename for i in progress.items) == ["Hồ sơ 1.pdf", "Hồ sơ 2.pdf", "Hồ sơ 3.pdf"]
    assert progress.count("remaining") == 3
    # ... and the next scan's file is a batch of its own
    assert len(second) == 1 and second[0].batch not in (None, batch) and second[0].key.startswith(bulk)


def test_an_ordinary_folder_sends_to_the_ordinary_lane_without_a_batch(tmp_path):
    storage = UploadingStorage(Settings())
    folder = HotFolder(tmp_path, StateStore(storage), desk="")
    (tmp_path / "công văn.pdf").write_bytes(b"%PDF-1.4 today's letter")
    folder.poll()
    [result] = folder.poll()
    assert result.batch is None and not result.key.startswith(storage.settings.lanes.bulk_prefix)
