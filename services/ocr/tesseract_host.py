"""A long-lived Tesseract: Debian's libtesseract loaded once, reading page after page.

Why: a ``tesseract`` process pays ~0.1 s of CPU to start and load the language model
before every page, and the OCR stage runs it ~1.5 times a page (bands of a document's
last pages, signature strips, table cells) on pages scaled down to what the recogniser
needs, so that start is about a tenth of Tesseract's time. The host runs the same
library with the same parameters: its TSV is the program's, byte for byte
(tests/ocr/test_ocr_tesseract_host.py).

Protocol (``services/ocr/tesseract.py`` drives it, one request at a time): a JSON line
on stdin, ``{"image": path, "language": "vie", "dpi": 300, "psm": 3}``; the answer on
stdout is ``OK <n>`` and a newline, then n bytes of TSV with the program's header row,
or ``ERR <reason>``. It exits at the end of its stdin, so it ends with its owner.
"""

from __future__ import annotations

import ctypes
import json
import sys

# The program prints it over the rows; the library's TSV is the rows alone.
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
LIBRARIES = ("libtesseract.so.5", "liblept.so.5")  # Debian's tesseract-ocr and its Leptonica


class HostError(Exception):
    """A request the host could not answer; the host itself goes on."""


class _Tesseract:
    """The libtesseract C API calls the host makes, one API handle per language."""

    def __init__(self) -> None:
        t, lept = (ctypes.CDLL(name) for name in LIBRARIES)
        handle = ctypes.c_void_p
        for name, args, result in (
            ("TessBaseAPICreate", [], handle),
            ("TessBaseAPIInit3", [handle, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
            ("TessBaseAPISetImage2", [handle, handle], None),
            ("TessBaseAPISetSourceResolution", [handle, ctypes.c_int], None),
            ("TessBaseAPISetPageSegMode", [handle, ctypes.c_int], None),
            ("TessBaseAPIRecognize", [handle, handle], ctypes.c_int),
            ("TessBaseAPIGetTsvText", [handle, ctypes.c_int], handle),
            ("TessDeleteText", [handle], None),
        ):
            getattr(t, name).argtypes, getattr(t, name).restype = args, result
        lept.pixRead.argtypes, lept.pixRead.restype = [ctypes.c_char_p], handle
        lept.pixDestroy.argtypes, lept.pixDestroy.restype = [ctypes.POINTER(handle)], None
        self.t, self.lept = t, lept
        self.apis: dict[str, int] = {}

    def _api(self, language: str) -> int:
        if language not in self.apis:
            api = self.t.TessBaseAPICreate()
            if self.t.TessBaseAPIInit3(api, None, language.encode()) != 0:
                raise HostError(f"Failed loading language '{language}'")
            self.apis[language] = api
        return self.apis[language]

    def tsv(self, image: str, language: str, dpi: int | None, psm: int) -> str:
        api = self._api(language)
        pix = ctypes.c_void_p(self.lept.pixRead(image.encode()))
        if not pix.value:
            raise HostError(f"cannot read the page image {image}")
        try:
            self.t.TessBaseAPISetImage2(api, pix)
            if dpi:
                self.t.TessBaseAPISetSourceResolution(api, dpi)
            self.t.TessBaseAPISetPageSegMode(api, psm)
            if self.t.TessBaseAPIRecognize(api, None) != 0:
                raise HostError("recognition failed")
            text = self.t.TessBaseAPIGetTsvText(api, 0)
            try:
                return TSV_HEADER + ctypes.string_at(text).decode("utf-8", "replace")
            finally:
                self.t.TessDeleteText(text)
        finally:
            self.lept.pixDestroy(ctypes.byref(pix))


def main() -> int:
    tesseract = _Tesseract()
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            data = tesseract.tsv(request["image"], request["language"], request.get("dpi"), request["psm"]).encode()
            out.write(b"OK %d\n" % len(data) + data)
        except (HostError, ValueError, KeyError) as e:
            out.write(f"ERR {e}\n".encode())
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
