"""The hot folder: files a scanner writes into a directory are submitted, then moved aside.

Like Paperless-ngx's consume folder, but it keeps what it took: a submitted file goes to
``DIR/.submitted/``, a duplicate (bytes submitted before) to ``DIR/.duplicates/``, a file
that could not be uploaded stays where it is and is tried again on the next pass. A file
is taken only once its size and modification time held still over one whole interval, so
a scanner still writing is not read half-way. The directory is polled: it works the same
on a network share, where file-system notifications do not arrive.

An archive's hot folder (``archive``; ``VANTHU_DESK__HOTFOLDER_ARCHIVE`` for ``vanthu serve
hotfolder``) is for the back file being digitised: its files go to the bulk lane, as
``vanthu submit --bulk`` sends them, read only when no ordinary document waits, and the
files of one scan of the folder make one batch, whose progress ``vanthu status --batch``
shows (the name is logged, and on each result). Files of an ordinary hot folder are
announced on Kafka at once after their upload (vanthu/announce.py): a scanned HỎA TỐC
letter does not wait for MinIO's notification.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from vanthu import batches
from vanthu.announce import Announcer
from vanthu.cli.pipeline import Submitted, submit_file
from vanthu.logs import get_logger
from vanthu.state import StateStore

log = get_logger("hotfolder")
SUBMITTED, DUPLICATES = ".submitted", ".duplicates"


class HotFolder:
    def __init__(self, directory: Path, state: StateStore, *, desk: str, by: str = "hotfolder",
                 archive: bool = False, announcer: Announcer | None = None) -> None:
        self.directory = directory
        self.state = state
        self.desk, self.by = desk, by
        self.archive = archive
        self.announcer = announcer
        self._seen: dict[Path, tuple[int, int]] = {}  # file -> (size, mtime) at the last pass

    def poll(self) -> list[Submitted]:
        """One pass: submit the files that held still since the last pass (in an archive's
        folder, in the bulk lane as one new batch)."""
        done = []
        current = {}
        batch = batches.new_name() if self.archive else None
        for path in sorted(self.directory.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue  # our own folders, hidden and temporary files of scanners
            stat = path.stat()
            current[path] = (stat.st_size, stat.st_mtime_ns)
            if self._seen.get(path) != current[path] or not stat.st_size:
                continue
            try:
                result = submit_file(self.state.storage, self.state, path, by=self.by, desk=self.desk,
                                     batch=batch, bulk=self.archive, announcer=self.announcer)
            except Exception as exc:  # MinIO away: the file stays and is tried on the next pass
                log.warning("hot folder could not submit a file; will retry", file=path.name, error=str(exc)[:200])
                continue
            self._move(path, DUPLICATES if result.key is None else SUBMITTED)
            log.info("hot folder submitted" if result.key else "hot folder duplicate", file=path.name,
                     document_id=result.document_id, batch=batch if result.key else None)
            current.pop(path)
            done.append(result)
        self._seen = current
        if batch and any(r.key for r in done):
            log.info("hot folder batch: follow it with `vanthu status --batch`", batch=batch,
                     files=sum(1 for r in done if r.key))
        return done

    def _move(self, path: Path, folder: str) -> None:
        target = self.directory / folder
        target.mkdir(exist_ok=True)
        destination = target / path.name
        if destination.exists():  # the same name again: keep both
            destination = target / f"{path.stem}-{time.time_ns()}{path.suffix}"
        shutil.move(path, destination)

    def run(self, interval_s: float = 2.0) -> None:
        """Poll until interrupted."""
        log.info("hot folder watching", directory=str(self.directory))
        while True:
            self.poll()
            time.sleep(interval_s)
