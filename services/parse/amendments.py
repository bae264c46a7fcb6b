"""The replacement text an amending document quotes: no task of its own.

A decision or resolution that amends an earlier regulation prints the new wording in
quotation marks after the amendment it makes ("1. Sửa đổi, bổ sung khoản 2 Điều 5 như
sau:" / "“2. Sở Tài chính thẩm định hồ sơ, ...”"). What the quoted wording asks of a
department is the amended regulation's standing rule; the amending document tasks only
those its own articles name ("Điều 4. Giao Ủy ban nhân dân thành phố tổ chức thực hiện").
The document's sections keep the quoted text; the assignments are read without it.
"""

from __future__ import annotations

import re

from vanthu.normalize import fold

# An amendment announcing its new wording: "Sửa đổi, bổ sung khoản 2 Điều 5 như sau:",
# "Bổ sung Điều 6a vào sau Điều 6 như sau:", "Điều 3 được sửa đổi như sau:".
_AMENDS = re.compile(r"(?:sua doi|bo sung|thay the)[^:]*\bnhu sau\s*:")
_OPENING = "“\""
_CLOSING = re.compile(r"[”\"]\s*[.;,]?\s*(?:\./\.)?\s*$")


def without_amended_text(lines: list[str]) -> list[str]:
    """``lines`` without the wording quoted after an amendment's "... như sau:": the quoted
    lines are dropped, and a line that opens the quote after its colon keeps what precedes
    it. Unchanged (the same list) when the document amends nothing."""
    kept: list[str] = []
    quoting = changed = False
    for line in lines:
        if quoting:
            quoting = _CLOSING.search(line) is None
            changed = True
            continue
        amends = _AMENDS.search(fold(line))
        if amends and (rest := line[amends.end() :].lstrip(" *")) and rest[0] in _OPENING:
            kept.append(line[: amends.end()])  # "… như sau: “a) Sở X chủ trì …”" on one line
            quoting, changed = _CLOSING.search(rest[1:]) is None, True
            continue
        opened = line.lstrip(" *")
        if kept and opened[:1] in _OPENING and kept[-1].rstrip().endswith(":") and _AMENDS.search(fold(kept[-1])):
            quoting, changed = _CLOSING.search(opened[1:]) is None, True
            continue
        kept.append(line)
    return kept if changed else lines
