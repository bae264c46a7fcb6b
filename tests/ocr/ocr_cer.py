"""Character error rate, the accuracy measure of the OCR tests and of bench/ocr.py."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_MARKDOWN = re.compile(r"[*#]")  # the examples' markdown marks; the renderer drops most of them


def normalise(text: str) -> str:
    """NFC, markdown marks dropped, every run of whitespace one space."""
    return " ".join(_MARKDOWN.sub("", unicodedata.normalize("NFC", text)).split())


def cer(hypothesis: str, reference: str) -> float:
    """Edit distance between the normalised texts over the reference's length (0.01 = 1%)."""
    ref = normalise(reference)
    return Levenshtein.distance(normalise(hypothesis), ref) / max(1, len(ref))
