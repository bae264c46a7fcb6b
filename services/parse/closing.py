"""The closing block: distribution list ("Nơi nhận") and signature.

The closing starts at the first "Nơi nhận" line or signature-authority line after the
body; layouts put either first. Signature authority prefixes: state TM./KT./TL./TUQ./Q.,
Party T/M, K/T, T/L (Decree 30, Guideline 36). Keywords match on folded text, so
"Noi nhan" or "Nơi nhân" from OCR still count.
"""

from __future__ import annotations

import re

from vanthu.events import Recipient, Signer

from services.parse.header import is_upper
from vanthu.normalize import fold

_DISTRIBUTION = re.compile(r"^noi nhan\s*:?\s*")
_AUTHORITY = re.compile(r"^(t\s*/\s*m|k\s*/\s*t|t\s*/\s*l|t\.\s*m|tm|kt|tl|tuq|q)\s*[.:/]?\s+(?=\S)")
_CANONICAL_AUTHORITY = {"t/m": "T/M", "k/t": "K/T", "t/l": "T/L", "t.m": "TM.", "tm": "TM.", "kt": "KT.", "tl": "TL.", "tuq": "TUQ.", "q": "Q."}
# "để" is often OCR'd as "đề" or "de".
_PURPOSE_WORDS = (
    r"(?:để|đề|de)\s+(chỉ đạo thực hiện|báo cáo|b/c|thực hiện|t/h|biết|phối hợp|p/h|chỉ đạo|theo dõi|"
    r"thi hành|kiểm tra|giám sát)"
)
_PURPOSE = re.compile(r"[|}(]?\s*\b" + _PURPOSE_WORDS + r"\b\s*\)?", re.IGNORECASE)
_PURPOSE_ONLY = re.compile(r"[(|}\s]*" + _PURPOSE_WORDS + r"[\s)]*", re.IGNORECASE)
_ARCHIVE = re.compile(r"^luu\b")
_ITEM = re.compile(r"^[-–•+]\s*")
# A personal name: two to six capitalised words, nothing else.
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]*){1,5}$")


def is_authority(line: str) -> bool:
    return bool(_AUTHORITY.match(fold(line[:8]))) and is_upper(line)


_SIGNATURE_SPAN = 4  # lines: title, "(đã ký)", name
_TITLE_WORDS = 6


def closing_start(lines: list[str], start: int) -> int:
    """Index of the first closing line at or after ``start`` (``len(lines)`` when none).

    Besides "Nơi nhận" and authority lines, a head who signs in their own name ("THỦ
    TƯỚNG" / "Phạm Minh Chính", no T/M or KT.) opens the closing: a short upper-case
    title among the last lines, with a personal name after it.
    """
    for i in range(start, len(lines)):
        if _DISTRIBUTION.match(fold(lines[i][:12])) or is_authority(lines[i]):
            return i
        if (
            len(lines) - i - 1 < _SIGNATURE_SPAN
            and is_upper(lines[i])
            and len(lines[i].split()) <= _TITLE_WORDS
            and any(_is_name(line) for line in lines[i + 1 :])
        ):
            return i
    return len(lines)


def _is_name(line: str) -> bool:
    return bool(_NAME.match(line)) and not is_upper(line)


def _recipient(text: str) -> Recipient | None:
    text = _ITEM.sub("", text).strip()
    purpose = None
    if m := _PURPOSE.search(text):
        purpose = "để " + m.group(1).lower()
        text = (text[: m.start()] + text[m.end() :]).strip()
    text = text.strip(" ,;.|")
    if not text:
        return None
    return Recipient(text=text, purpose=purpose, is_archive=bool(_ARCHIVE.match(fold(text))))


def parse_distribution(tail: list[str]) -> list[Recipient]:
    """The "Nơi nhận" items; a lone "(Để báo cáo)" line applies to the first item."""
    start = next((i for i, line in enumerate(tail) if _DISTRIBUTION.match(fold(line))), None)
    if start is None:
        return []
    recipients: list[Recipient] = []
    first = _DISTRIBUTION.sub("", fold(tail[start]))
    lines = ([tail[start][len(tail[start]) - len(first) :]] if first else []) + tail[start + 1 :]
    for line in lines:
        if is_authority(line) or _is_name(line) or (is_upper(line) and not _ITEM.match(line)):
            break
        if m := _PURPOSE_ONLY.fullmatch(line):
            target = next((r for r in recipients if r.purpose is None), None)
            if target:
                target.purpose = "để " + m.group(1).lower()
            continue
        if recipient := _recipient(line):
            recipients.append(recipient)
    return recipients


def parse_signer(tail: list[str]) -> Signer:
    """Authority chain, on-behalf-of body, title and name of the signature block."""
    signer = Signer()
    authorities: list[str] = []
    i = 0
    while i < len(tail) and not authorities:
        if is_authority(tail[i]):
            while i < len(tail) and is_authority(tail[i]):
                m = _AUTHORITY.match(fold(tail[i]))
                prefix = _CANONICAL_AUTHORITY[re.sub(r"\s", "", m.group(1))]
                authorities.append(f"{prefix} {tail[i][m.end():].strip()}")
                i += 1
            break
        i += 1
    if authorities:
        first_prefix, _, behalf = authorities[0].partition(" ")
        signer.authority = " / ".join(authorities) if len(authorities) > 1 else first_prefix
        signer.on_behalf_of = behalf or None
        rest = tail[i:]
    else:
        rest = [line for line in tail if not _DISTRIBUTION.match(fold(line))]
    # Title: the first upper-case line after the authority; name: the first personal name.
    for line in rest:
        if _DISTRIBUTION.match(fold(line)):
            continue
        if signer.title is None and is_upper(line) and not _ITEM.match(line):
            signer.title = line.strip()
        elif _is_name(line):
            signer.name = line.strip()
            break
    return signer
