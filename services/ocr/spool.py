"""The pages of a long document kept on disk while it is read (the bulk lane's archive scans).

A page's layout (every word with its box) costs about 0.35 MB as Python objects and 75 kB
as JSON, so a 500-page document held whole grows a worker by some 175 MB, and twice over
when its artifact is handed back to the service. :class:`PageSpool` writes each page's JSON
to an unnamed scratch file as soon as the page is read (pages finish in any order) and
keeps the page without its layout; :meth:`PageSpool.write_artifact` then writes the
artifact's JSON to a file one page at a time, in page order. Memory stays that of the pages
being read, whatever the document's length.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from vanthu.events import PageText, TextArtifact


def without_layout(page: PageText) -> PageText:
    """``page`` with its text and what is known of it, without its blocks, asides and blanks."""
    return page.model_copy(update={"blocks": [], "aside": [], "blanks": []})


class PageSpool:
    """Pages written to a scratch file in the directory of ``artifact``, the file the whole
    artifact's JSON goes to. Not thread-safe: one reader puts and gets."""

    def __init__(self, artifact: Path) -> None:
        self.artifact = artifact
        # unnamed: the file is gone with the process, however it ends
        self._file = tempfile.TemporaryFile(dir=artifact.parent)
        self._at: dict[int, tuple[int, int]] = {}

    def put(self, page: PageText) -> PageText:
        """Keep ``page`` on disk; return it without its layout."""
        data = page.model_dump_json().encode()
        self._at[page.number] = (self._file.seek(0, os.SEEK_END), len(data))
        self._file.write(data)
        return without_layout(page)

    def pages(self) -> Iterator[PageText]:
        """The pages put, whole, in page order, read back one at a time."""
        for number in sorted(self._at):
            offset, size = self._at[number]
            self._file.seek(offset)
            yield PageText.model_validate_json(self._file.read(size))

    def write_artifact(self, shell: TextArtifact, pages: Iterable[PageText]) -> TextArtifact:
        """Write the JSON of ``shell`` with ``pages`` (taken one at a time) as its pages to
        :attr:`artifact`, which :meth:`TextArtifact.model_validate_json` reads as it reads
        ``model_dump_json``'s; return ``shell`` with the pages without their layout."""
        kept = []
        head = shell.model_dump_json(exclude={"pages"}).encode()
        with self.artifact.open("wb") as out:
            out.write(head[:-1] + b',"pages":[')  # head ends with its closing brace
            for page in pages:
                out.write((b"," if kept else b"") + page.model_dump_json().encode())
                kept.append(without_layout(page))
            out.write(b"]}")
        return shell.model_copy(update={"pages": kept})

    def close(self) -> None:
        self._file.close()
