"""Re-break a document flattened to one line at its form's anchors.

Law sites and copy-paste give a directive as one paragraph: "ỦY BAN NHÂN DÂN TỈNH BẮC
NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 471/QĐ-UBND Bắc
Ninh, ngày 28 tháng 11 năm 2025 QUYẾT ĐỊNH ... Nơi nhận: - Như Điều 3; ... TM. ỦY BAN NHÂN
DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Báu Hà". The form of Decree 30/2020 and Guideline
36-HD/VPTW still shows in it: the motto, "Số:", the place and date, the type's title in
capitals, "Căn cứ", "Điều 1.", numbered items after a sentence's end, "Nơi nhận:" and its
"- " items, the authority's "TM."/"KT.", the title in capitals and the name under it.

Contract: :func:`reflow` returns the text with paragraph breaks put back before (and, for
a few fields, after) those anchors, in lines that hold a whole flattened form. A line is
flattened when it is long and carries at least two kinds of the form's anchors, or, with
no form (a news page quoting a directive), when it is very long and numbers several points
after a sentence's end, or when it is a whole signature block (authorities, title and
name); every other line is returned unchanged, so a document with its lines keeps its
reading exactly.
"""

from __future__ import annotations

import re

# A line shorter than this is a paragraph, a header row or a table row, never a document.
_MIN_FLAT = 120
# Without the form's anchors: a line this long with this many numbered points after stops.
_LONG_PAGE, _LONG_PAGE_ITEMS = 3000, 3
# Vietnamese capitals for a regex character class. Not the range "À-Ỹ": Unicode interleaves
# capitals and small letters there, so it holds "đ", "ư", "ạ" too.
CAPITALS = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_CAPS_WORD = rf"[{CAPITALS}][{CAPITALS}\d.,/-]*"
_CAPS_NEXT = re.compile(r"\s*(?:" + _CAPS_WORD + r")(?=\s|$)")
# The State's motto (either tone placement) or the Party's, and the State's slogan under it.
_MOTTO_TEXT = r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM"
_SLOGAN_TEXT = r"Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc"
# A signature's authority line: "TM." / "KT." / "TL." / "TUQ." (a dot may be lost), "T/M", "K/T".
_AUTHORITY_TEXT = r"(?:(?<!,\s)\b(?:TM|KT|TL|TUQ)\.?|\b(?:T/M|K/T|T/L))\s(?=[" + CAPITALS + r"])"
# The signer's offices, as the closing prints them in capitals.
_OFFICES_TEXT = (
    r"(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TƯỚNG|CỤC TRƯỞNG|CHI CỤC TRƯỞNG|VỤ TRƯỞNG|TRƯỞNG BAN"
    r"|TRƯỞNG PHÒNG|CHÁNH VĂN PHÒNG|BÍ THƯ|TỔNG GIÁM ĐỐC|HIỆU TRƯỞNG|CHỦ NHIỆM|THỐNG ĐỐC|TỔNG CỤC TRƯỞNG"
    r"|VIỆN TRƯỞNG|CHÁNH ÁN)\b"
)
# The form's anchors that tell a flattened document from a long paragraph.
_FORM = re.compile(
    _MOTTO_TEXT + "|" + _SLOGAN_TEXT + r"|\bSố\s*:|Nơi nhận\s*:|Kính gửi\s*:"
    r"|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b(?:TM|KT|TL|TUQ)\.\s|\b(?:T/M|K/T|T/L)\s"
    # A type's title in capitals over its subject: "299/TTg Hà Nội, ngày ... CHỈ THỊ VỀ ...",
    # "Hà Nội, ngày ... NGHỊ QUYẾT TIẾP TỤC TĂNG CƯỜNG ...".
    r"|\b(?:CHỈ THỊ|KẾ HOẠCH|CÔNG ĐIỆN|THÔNG BÁO|QUYẾT ĐỊNH|NGHỊ QUYẾT) (?:V/v\s|[" + CAPITALS + r"]{2,}\s)"
)
_FORM_WORDS = (
    "CỘNG H", "ĐẢNG CỘNG", "Độc lập", "Số", "Nơi nhận", "Kính gửi", "tháng", "TM", "KT", "TL", "TUQ", "/M", "/L",
    "CHỈ THỊ", "KẾ HOẠCH", "CÔNG ĐIỆN", "THÔNG BÁO", "QUYẾT ĐỊNH", "NGHỊ QUYẾT",
)
# Breaks before: what opens a field, a block or a numbered part wherever it stands.
_ALWAYS = re.compile(
    _MOTTO_TEXT + "|" + _SLOGAN_TEXT
    + r"|\bSố\s*:|\bSố\s+(?=\d+\s*[-/]\s*[A-ZĐ])"
    r"|\bV/v\b|\b(?:Về việc|VỀ VIỆC)\b"
    r"|(?:[-–]\s*)?Kính gửi\s*:|Nơi nhận\s*:|Căn cứ\b|Theo đề nghị\b|Xét đề nghị\b"
    r"|\b(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ|KẾT LUẬN)\s*:"
    r"|\bĐiều\s+\d+\s*\.\s|(?<!\S)#{1,6}\s"  # an article, a Markdown heading
    r"|\((?:Ban hành\s+)?[Kk]èm theo\b"  # the caption of a plan issued with the document
    # A title's subject in sentence case under its capitals ("KẾT LUẬN CỦA ... TỈNH ỦY Về công tác ...").
    r"|(?<=[" + CAPITALS + r"]{2})\s(?=Về\s)"
    # A paragraph's opening words, capitalised where no sentence would have them ("... trên
    # địa bàn tỉnh Thực hiện Quy chế ...", "- Các đồng chí Ủy viên ..., Thực hiện Kết luận ...").
    r"|(?<=[,;a-zđà-ỹ0-9)])\s(?=(?:Thực hiện|Nhằm|Để|Trước tình hình)\s)"
    # A news page's lead after its headline ("... trong tình hình mới Ngày 07/8/2021, ...").
    r"|(?<=[a-zđà-ỹ0-9)])\s(?=Ngày\s+\d{1,2}(?:/\d{1,2}/\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})\s*,)"
    r"|" + _AUTHORITY_TEXT
)
# Breaks before, when a sentence or an item has just ended (". 2. Sở ...", "; - Sở ...",
# ": a) ..."): inside a sentence these marks cite ("khoản 1. Điều", "điểm a) khoản 2").
_AFTER_STOP = re.compile(
    r"(?<=[.:;!?…])\s+(?=(?:\d+(?:\.\d+)*\.|[IVXLC]+\.|[a-zđ]\)|[-+–•])\s+\S)"
    # A basis or a list item ends at its ";", a paragraph at "./.": what opens in capitals
    # after it is a new paragraph ("... đặc khu; Nhằm giúp ...").
    r"|(?<=;)\s+(?=[" + CAPITALS + r"][^\s" + CAPITALS + r"])|(?<=\./\.)\s+"
    # A heading printed without a stop: in capitals before its first numbered point ("III. TỔ
    # CHỨC THỰC HIỆN 1. Trên cơ sở ..."), or before a lettered point that opens in capitals
    # ("6. Thúc đẩy ... trong doanh nghiệp a) Rà soát ..."; a cited "điểm a) khoản 2" does not).
    r"|(?<=[" + CAPITALS + r"]{2})\s+(?=\d+\.\s+[" + CAPITALS + r"])|\s(?=[a-zđ]\)\s+[" + CAPITALS + r"])"
    # A distribution list's items may end in commas ("- Như trên, - Lưu Văn phòng Tỉnh ủy.").
    r"|(?<=,)\s+(?=[-+–•]\s+[" + CAPITALS + r"])"
)
# Bold and italic marks, and a web page's rules under the issuer and the motto.
_MARKS = re.compile(r"\*+|_{2,}|(?<=\s)-{3,}(?=\s)")
_MOTTO = re.compile(_MOTTO_TEXT)
# A word in capitals just before a position (a number or a stop is no word).
_WORD_MAX = 40  # characters: a window that holds any word and the space before it
_CAPS_BEFORE = re.compile(r"(?:^|\s)([" + CAPITALS + r"][" + CAPITALS + r"]*)\s*\Z")
# What opens the body after the header's subject and its authority line.
_BODY = re.compile(r"Căn cứ\b|Theo đề nghị\b|Xét đề nghị\b|Kính gửi\s*:|Thực hiện\b|\b(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ)\s*:")
# The authority's line opens with a body's head or a head's office ("ỦY BAN NHÂN DÂN TỈNH
# BẮC NINH", "BỘ TRƯỞNG BỘ TÀI CHÍNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN ...").
_AUTHORITY_HEAD = re.compile(
    r"\b(?:(?:PHÓ\s+)?(?:CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG|THỦ TƯỚNG|THỐNG ĐỐC|TRƯỞNG BAN)"
    r"|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|CHÍNH PHỦ|BAN THƯỜNG VỤ|BAN CHẤP HÀNH)\b"
)
# A numbered heading printed without a stop ("2. Về hỗ trợ NNT khắc phục hậu quả - Đề nghị
# ..."): its first item's dash ends it.
_HEADING = re.compile(r"(?<![^\s])(?:\d+|[IVXLC]+)\.\s+(?:Về|VỀ)\s[^.;:\-–]{1,160}?(?=\s[-–]\s+[" + CAPITALS + r"])")
# A Party letter's subject right under its number ("Số 215-CV/TU Về một số nhiệm vụ ...").
_NUMBER_THEN_SUBJECT = re.compile(r"\bSố\s*:?\s*\S*/\S+(?=\s+(?:Về|VỀ|V/v)\s)")
# The distribution's last item ("- Lưu: VT, TH." / "- Lưu Văn phòng Tỉnh ủy."): a closing
# table flattened row by row may put the signer's name right after it.
_FILED = re.compile(r"[-–]\s*Lưu\b[^.]{0,80}\.\s+")
# "Kính gửi: Chủ tịch Ủy ban nhân dân các tỉnh. Thực hiện ...": the addressees (also a Công
# điện's, "THỦ TƯỚNG CHÍNH PHỦ điện: ...") end at the first stop, or with none before the
# letter's opening words ("... trực thuộc trung ương Triển khai việc phân bổ ...").
_RECIPIENTS = re.compile(
    r"(?:Kính gửi|\bđiện)\s*:[^.]{1,400}?(?:(?<!\bTP)(?<!\bTX)\.(?=\s+[" + CAPITALS + r"])"
    r"|(?=\s+(?:Thực hiện|Căn cứ|Triển khai|Theo|Ngày\s+\d|Để|Nhằm|Vừa qua|Thời gian qua|Hiện nay|Trước tình hình)\s))"
)
_AUTHORITY = re.compile(_AUTHORITY_TEXT)
# A signer's title with no authority line ("- Lưu: VT, TH. CHỦ TỊCH Lê Hải Hòa").
_BARE_TITLE = re.compile(
    r"(?<=[.)]\s)(?<!\b(?:TM|KT|TL)\.\s)(?<!TUQ\.\s)" + _OFFICES_TEXT
    + r"(?=(?:\s+[" + CAPITALS + r"]+)*\s+[" + CAPITALS + r"][a-zđà-ỹ])"
)
# A type's title in capitals, followed by its subject (in capitals or "Về ...").
_TITLE = re.compile(
    r"\b(?:QUYẾT ĐỊNH|CHỈ THỊ|KẾ HOẠCH|THÔNG BÁO|CÔNG ĐIỆN|NGHỊ QUYẾT|NGHỊ ĐỊNH|THÔNG TƯ"
    r"|BÁO CÁO|TỜ TRÌNH|HƯỚNG DẪN|CHƯƠNG TRÌNH|QUY ĐỊNH|QUY CHẾ|CÔNG VĂN|THÔNG TRI|KẾT LUẬN)"
    r"(?=\s+(?:[" + CAPITALS + r"]{2,}|[" + CAPITALS + r"][^\s" + CAPITALS + r"]|V/v\b))"
)
# "Bắc Ninh, ngày 28 tháng 11 năm 2025": the place is the capitalised words before the comma.
_DATE = re.compile(r",\s*ngày\s+(?:\S{1,4}\s+)?tháng\s+(?:\S{1,4}\s+)?năm\s+\d{4}")
_PLACE_WORD = re.compile(r"(?:TP\.|[" + CAPITALS + r"][^\s" + CAPITALS + r"]*)$")
# The closing's title ("PHÓ CHỦ TỊCH") after its authority line ("TM. ỦY BAN NHÂN DÂN"):
# the signer's office in capitals, then the name in title case.
_OFFICE = re.compile(
    r"(?<![.]\s)(?<!\bPHÓ)(?<!\b(?:KT|TM|TL))(?<!TUQ)(?<!(?:T/M|K/T|T/L))(?<!TỔNG)(?<!\bCHI)(?<=[" + CAPITALS + r"\d)])\s+(?=" + _OFFICES_TEXT + ")"
)
_NAME = re.compile(r"(?:[" + CAPITALS + r"][^\s" + CAPITALS + r"\d.,;:()]+\s+){1,5}[" + CAPITALS + r"][^\s" + CAPITALS + r"\d.,;:()]+")


# A signature block flattened to one line, however short: "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH
# PHÓ CHỦ TỊCH Trần Văn Chiến", "CHỦ TỊCH QUỐC HỘI Vương Đình Huệ" (an office in its
# capitals, a name after them; an appendix's title in capitals may follow on the same row).
_SIGNATURE_ROW = re.compile(
    r"\s*(?:" + _AUTHORITY_TEXT + r")?(?=[" + CAPITALS + r"\s./,-]*" + _OFFICES_TEXT + r")[" + CAPITALS + r"\s./,-]+\s"
    + _NAME.pattern + r"(?:\s+[" + CAPITALS + r"]{2,}.*)?\s*$"
)


def reflow(text: str) -> str:
    """``text`` with its flattened lines broken at the form's anchors (module docstring)."""
    lines = text.split("\n")
    if all(len(line) < _MIN_FLAT for line in lines) and not any(_SIGNATURE_ROW.match(line) for line in lines):
        return text
    return "\n".join(_reflow_line(line) if _flattened(line) or _SIGNATURE_ROW.match(line) else line for line in lines)


def _flattened(line: str) -> bool:
    if len(line) < _MIN_FLAT:
        return False
    # Every anchor holds one of these words: a paragraph with fewer than two of them is no
    # form, without the cost of the anchors' pattern (a tenth of a long directive's parse).
    if sum(word in line for word in _FORM_WORDS) >= 2 and len({m.group(0)[:4] for m in _FORM.finditer(line)}) >= 2:
        return True
    # A page with no form (a news page quoting a directive) still numbers its points.
    return len(line) >= _LONG_PAGE and sum(1 for _ in _AFTER_STOP.finditer(line)) >= _LONG_PAGE_ITEMS


def _reflow_line(line: str) -> str:
    # A web page's table cells and bold marks: a cell is a line of the form.
    line = re.sub(r"\s*\|\s*", "\n", _MARKS.sub("", line))
    cuts: set[int] = set()
    cuts.update(m.start() for m in _ALWAYS.finditer(line))
    cuts.update(m.end() for m in _AFTER_STOP.finditer(line))
    for m in _MOTTO.finditer(line):
        cuts.update((_caps_run_start(line, m.start()), m.end()))
    for m in _TITLE.finditer(line):
        if _caps_run_start(line, m.start()) == m.start():
            cuts.update((m.start(), m.end()))
            cuts.update(_authority_cuts(line, m.end()))
    cuts.update(m.end() for m in _HEADING.finditer(line))
    cuts.update(m.end() for m in _NUMBER_THEN_SUBJECT.finditer(line))
    for m in _FILED.finditer(line):
        if name := _NAME.match(line, m.end()):
            cuts.update((name.start(), name.end()))
    for m in _RECIPIENTS.finditer(line):
        cuts.add(m.end())
    for m in _DATE.finditer(line):
        cuts.update((_place_start(line, m.start()), m.end()))
    cuts.update(m.end() for m in _OFFICE.finditer(line))
    for m in _AUTHORITY.finditer(line):
        cuts.update(_signature_cuts(line, m.end()))
    for m in _BARE_TITLE.finditer(line):
        cuts.update([m.start(), *_signature_cuts(line, m.start())])
    if _SIGNATURE_ROW.match(line):
        cuts.update(_signature_cuts(line, 0))
    pieces, last = [], 0
    for cut in sorted(c for c in cuts if 0 < c < len(line)):
        pieces.append(line[last:cut])
        last = cut
    pieces.append(line[last:])
    # Blank lines between the pieces: each is a paragraph, not a line the page width broke.
    return "\n\n".join(piece.strip() for piece in pieces if piece.strip())


def _caps_run_start(line: str, pos: int) -> int:
    """Where the run of words in capitals that ends at ``pos`` begins (``pos`` if none)."""
    start = pos
    while m := _CAPS_BEFORE.search(line, max(0, start - _WORD_MAX), start):
        start = m.start(1)
    return start


def _authority_cuts(line: str, title_end: int) -> list[int]:
    """The authority's line between a title's subject and the body ("... NĂM 2026 ỦY BAN
    NHÂN DÂN TỈNH BẮC NINH Căn cứ ..."): the last capitals in the subject that name a body
    or an office, or capitals after a subject in sentence case."""
    body = _BODY.search(line, title_end)
    if not body:
        return []
    run_start = _caps_run_start(line, body.start())
    if run_start == body.start():
        return []
    if run_start > title_end + 1:
        return [run_start]  # "Về việc ... năm 2026 ỦY BAN NHÂN DÂN ..."
    heads = [m.start() for m in _AUTHORITY_HEAD.finditer(line, title_end, body.start())]
    return heads[-1:]


def _place_start(line: str, comma: int) -> int:
    """Where the place before a date's comma begins: up to four capitalised words back."""
    start = comma
    for _ in range(4):
        head = line[:start].rstrip()
        m = _PLACE_WORD.search(head)
        if not m or (m.start() > 0 and not head[m.start() - 1].isspace()):
            break
        if m.group(0).isupper() and len(m.group(0)) > 1 and start != comma:
            break  # the capitals before it are the motto's or the issuer's
        start = m.start()
    return start


def _signature_cuts(line: str, after: int) -> list[int]:
    """Around the name under a signature block: the first title-case run after the
    capitals of the authority and title lines; a last capitalised word that a lower-case
    word follows opens the text after the name ("Trần Báu Hà Quyết định 84/...")."""
    k = after
    while (m := _CAPS_NEXT.match(line, k)) and (len(m.group(0).strip()) > 1 or m.group(0).strip() in "ĐV"):
        k = m.end()
    m = _NAME.match(line, k + (len(line[k:]) - len(line[k:].lstrip())))
    if not m:
        return [k]
    end = m.end()
    rest = line[end:]
    if re.match(r"\s+[a-zđà-ỹ]", rest) and m.group(0).count(" ") >= 2:
        end = m.start() + m.group(0).rstrip().rfind(" ")
    return [k, end]
