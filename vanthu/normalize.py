"""Text normalisation for the parse stage and the unit directory.

Contracts:

* :func:`tone_normalize` and :func:`fold` are *length preserving* on NFC text: the
  character at index ``i`` of the result stems from index ``i`` of the input. Modules
  therefore search the normalised or folded form and slice the printed text with the
  same offsets, so every value they return is "as printed".
* :func:`clean_document` turns raw extracted text into logical lines: NFC, a flattened
  document broken at its form's anchors, markdown marks and web-page furniture removed,
  lines broken inside a sentence re-joined.
* :func:`match_key` is the comparison form of a unit name: folded, abbreviations
  expanded, punctuation removed, spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from vanthu.letters import fold as fold  # the parse stage folds with it from here
from vanthu.letters import tone_normalize as tone_normalize
from vanthu.markup import page_text
from vanthu.reflow import CAPITALS as CAPITALS  # the parse stage's patterns take it from here
from vanthu.reflow import reflow
from vanthu.syllables import split_glued

# Abbreviations of Vietnamese administration, on folded text. Longer forms first so that
# "ld-tb&xh" is not read as "ld" + something.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"ld\s*-?\s*tb\s*(?:&|-|va)?\s*xh|ldtbxh", "lao dong thuong binh va xa hoi"),
    (r"gd\s*(?:&|-|va)?\s*dt", "giao duc va dao tao"),
    (r"tt\s*(?:&|va)\s*tt", "thong tin va truyen thong"),
    (r"kh\s*(?:&|va)\s*dt", "ke hoach va dau tu"),
    (r"kh\s*(?:&|va)\s*cn|khcn", "khoa hoc va cong nghe"),
    (r"nn\s*(?:&|va)\s*ptnt|nnptnt", "nong nghiep va phat trien nong thon"),
    (r"tn\s*(?:&|va)\s*mt|tnmt", "tai nguyen va moi truong"),
    (r"vh\s*,?\s*tt\s*(?:&|va)\s*dl|vhttdl", "van hoa the thao va du lich"),
    (r"gtvt", "giao thong van tai"),
    (r"pt\s*-?\s*th|ptth", "phat thanh truyen hinh"),
    (r"ubmttq", "uy ban mat tran to quoc"),
    (r"ubnd", "uy ban nhan dan"),
    (r"hdnd", "hoi dong nhan dan"),
    (r"mttq", "mat tran to quoc"),
    (r"bchqs", "bo chi huy quan su"),
    (r"bcd", "ban chi dao"),
    (r"bcsd", "ban can su dang"),
    (r"bch", "ban chap hanh"),
    (r"btv", "ban thuong vu"),
    (r"ubkt", "uy ban kiem tra"),
    (r"lhpn", "lien hiep phu nu"),
    (r"ldld", "lien doan lao dong"),
    (r"ccb", "cuu chien binh"),
    (r"bhxh", "bao hiem xa hoi"),
    (r"kcn", "khu cong nghiep"),
    (r"dbqh", "dai bieu quoc hoi"),
    (r"tncs", "thanh nien cong san"),
    (r"vp", "van phong"),
    (r"tp", "thanh pho"),
    (r"d/c", "dong chi"),
]
_ABBREV_RE = re.compile(r"(?<![\w])(?:" + "|".join(f"({p})" for p, _ in _ABBREVIATIONS) + r")(?![\w])")
_NON_WORD = re.compile(r"[^\w]+")


def _expand(m: re.Match[str]) -> str:
    return _ABBREVIATIONS[m.lastindex - 1][1] if m.lastindex else m.group(0)


@lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """Comparison form of a name: "Sở LĐ-TB&XH" -> "so lao dong thuong binh va xa hoi"."""
    folded = fold(unicodedata.normalize("NFC", text))
    return " ".join(_NON_WORD.sub(" ", _ABBREV_RE.sub(_expand, folded)).split())


# --- document cleaning ----------------------------------------------------------------

_INVISIBLE = str.maketrans({"\xa0": " ", "\u200b": None, "\ufeff": None, "\r": None, "\t": "  "})
_ANY_INVISIBLE = re.compile("[\xa0\u200b\ufeff\r\t]")  # str.translate walks every character: look first
_HEADING_HASHES = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"\*\*|__|\*")
# A converter's Markdown escapes: "Số 57\-NQ/TW", "**1\.**" print "57-NQ/TW", "1.".
_MD_ESCAPE = re.compile(r"\\([-.\\`*_{}\[\]()#+!|<>])")
# A council's or committee's name glued to its level's by a lost line break ("ỦY BAN NHÂN
# DÂNTHÀNH PHỐ HỒ CHÍ MINH"): no word of the language runs on that way.
_GLUED_LEVEL = re.compile(r"(NHÂN DÂN)(?=(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\b)")
# A Markdown list item's "* " is the item's dash, not emphasis ("*   Chủ trì thẩm tra ...").
_MD_BULLET = re.compile(r"^\s*\*\s+(?=\S)(?!.*\*\s*$)")
# HTML a Markdown converter leaves in a line: a line break inside a table's cell, a space.
_HTML_SPACE = re.compile(r"<br\s*/?>|&nbsp;", re.IGNORECASE)
_CELL_END = re.compile(r"(?<=\S)\s+\|\s*$")
# A label's cell beside its content's ("Kính gửi: | - Các sở, ban, ngành; - Công an tỉnh.").
_LABEL_CELL = re.compile(r"(?<=:)\s+\|\s+(?=\S)")
# Web furniture: the related-links list of a news page begins with one of these lines.
_FURNITURE_START = re.compile(
    r"^(tin cung chuyen muc|tin lien quan|bai viet lien quan|cac tin khac|tin khac|tin moi hon|"
    r"tin da dua|xem them|chia se|in bai viet)\s*:?$"
)
_BANNER = re.compile(r"\bbanner\b")
# Block keywords and furniture headings are short: only a line's head is folded for them
# (folding every whole line was a third of the cleaning time).
_KEYWORD_SPAN = 60
# Page furniture of a published copy: the Official Gazette's running header ("CÔNG BÁO/Số
# 281/Ngày 21-05-2026", with the page number beside it) and a digital signature's overlay
# ("Ký bởi: CÔNG BÁO ... / Cơ quan: ... / Ngày ký: 2026-05-21 08:05:48 +07:00").
_RUNNING_HEADER = re.compile(r"^cong bao\s*/\s*so\b.*\bngay\b")
_ESIGN_START = re.compile(r"^(?:ky boi|nguoi ky\s*:|thoi gian ky\s*:)")
_PAGE_BREAK = re.compile(r"^[-=*\s]*page\s*break[-=*\s]*$")
ESIGN_LABEL = re.compile(r"^(ky boi|thoi gian ky|ngay ky|nguoi ky|co quan|to chuc|email|chuc vu)\s*:")
# A table's group of rows: its number in a cell of its own ("I", "2."), or a heading line
# across the table's width ("V. Đa dạng hoá nguồn lực ..."), which is still the table.
GROUP_NUMBER = re.compile(r"(?:[IVXLC]+|\d{1,2})\.?")
GROUP_HEADING = re.compile(rf"[IVXLC]+(?:\.\s+\S|\s+[{CAPITALS}])")
# What starts a list item, a table row or a numbered part: "-", "+", "|", "a)", "1.", a
# sub-row's "5.1" alone on its line (a decimal is written with a comma), a table row's bare
# number ("6") or its group's numeral before the title ("IV Huy động ...") or "1/" (not a
# year ending a wrapped sentence: "... trong năm" / "2025."; OCR: "1,",
# or "-5," with a speck of the scan before it), "II.", "Điều 2" ("Điều 2. Nghị quyết này ...":
# a stop after the number makes it an article). Not "Điều 1 chịu ..." or "Điều 22 Luật ...":
# a sentence that cites an article ("các thành viên quy định tại" / "Điều 1 chịu trách nhiệm").
_LIST_MARK = re.compile(rf"^(?:\d{{1,3}}$|[IVXLC]+(?=\s+[{CAPITALS}]))|" r"^(?:[-+–•|]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})+$|[-–—.,'‘’\"*•]{0,2}\d{1,3}(?:\.\d+)*[.),;/]|[IVXLC]+\.|Điều\s+\d+(?:[.:]|(?!\s+(?:Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Pháp lệnh)(?![\w]))(?!\s+[a-zđàáảãạăâèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữự])))(?:\s|$)")
_BULLET = re.compile(r"^[-+–•]\s")
_APPENDIX_LINE = re.compile(r"phu luc(?:\s+(?:[ivxlc]+|\d+))?")


def is_appendix_title(line: str) -> bool:
    """Whether ``line`` is an appendix's title alone, in any case: "Phụ lục", "Phụ lục II", "PHỤ LỤC 2"."""
    return _APPENDIX_LINE.fullmatch(fold(line).strip(" *_.:")) is not None
# A list item's mark alone on its line ("1.", "1.1.", "IV.", "a)", "-"; an article's "Điều" over
# "11. Tên ..."), the page having moved its text to the next line.
_MARK_ALONE = re.compile(r"^(?:[-+–•]|Điều|Chương|Mục|Phần|\d{1,2}(?:\.\d{1,2})*\.|[IVXLC]+\.|[a-zđ]\))$")
# Lines that open a block of their own (on the diacritic-folded line): never a continuation.
_BLOCK_START = re.compile(
    r"^(?:noi nhan|kinh gui|can cu|theo de nghi|(?:xin )?tran trong|tren day la|t/m|k/t|t/l|(?:tm|kt|tl|tuq|q)\.\s"
    r"|(?:\w+\s+){1,6}dien\s*:$)"  # a Công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:"
)


# A law site's note on a provision's later fate, in brackets inside the text: "[Điều này được
# hướng dẫn bởi Điều 9 Nghị định 127/2005/NĐ-CP có hiệu lực từ ngày 01/11/2005]". Not the
# document's words (it had split "NGHỊ ĐỊNH" from "CỦA CHÍNH PHỦ SỐ 61-CP ...").
_SITE_NOTE = re.compile(
    r"\s*\[[^\[\]\n]{0,600}?(?:được hướng dẫn bởi|bị thay thế bởi|được sửa đổi(?:,\s*bổ sung)? bởi|bị bãi bỏ bởi"
    r"|bị đình chỉ|hết hiệu lực|có hiệu lực (?:thi hành )?(?:từ|kể từ) ngày)[^\[\]\n]{0,600}\]"
)
# A copy's signature: the signer's name marked "(Đã ký)", a line of its own.
_SIGNED_NAME = re.compile(r"\(\s*da\s+k[yi]\s*\)$")
# A rule printed under a header cell, left at its line's end ("ỦY BAN NHÂN DÂN TỈNH TÂY NINH -------").
_TRAILING_RULE = re.compile(r"(?<=\S)\s+[-_=–]{3,}\s*$")
# A character one of the patterns _strip_marks applies needs.
_MARK_CHARS = re.compile(r"[\\*_#<&|•]|[-=–]{3}")
# A web page's list bullet before a heading in capitals ("• TÒA ÁN NHÂN DÂN TỐI CAO"): the
# site's layout, not an item of the document's.
_WEB_BULLET = re.compile(r"^\s*•\s+")


def _strip_marks(line: str) -> str:
    if not _MARK_CHARS.search(line):
        return line.strip()  # most lines carry no markup at all
    if line.isupper() and (bullet := _WEB_BULLET.match(line)):
        line = line[bullet.end() :]
    line = _TRAILING_RULE.sub("", _MD_ESCAPE.sub(r"\1", line))
    line = _MD_BULLET.sub("- ", _HEADING_HASHES.sub("", _HTML_SPACE.sub(" ", line)), count=1)
    if "|" in line and not line.lstrip().startswith("|"):
        line = _CELL_END.sub("", line)  # a flattened table's cell end: "ỦY BAN NHÂN DÂN |"
        line = _LABEL_CELL.sub(" ", line, count=1)
    return _EMPHASIS.sub("", line).strip()


def _continues(prev: str, line: str) -> bool:
    """A line broken inside a sentence: the next part starts in lower case. Not after an
    upper-case line: that is a title ("KẾ HOẠCH") over its lower-case trích yếu."""
    if not prev or prev.isupper() and not _ABBREVIATION.fullmatch(prev) or _LIST_MARK.match(line):
        return False  # ("UBND" alone, a cell's first line, goes on: "UBND" / "các tỉnh, thành phố")
    opened = line.lstrip("(“\"‘'")  # "(xem ...", "“bảo đảm ...": the words inside go on
    return bool(opened) and opened[0].islower()


def _wrapped(prev_raw: str, line: str, full_width: int, entry: str = "") -> bool:
    """A line the page width broke: the previous one is about as long as the text's lines
    get, is no upper-case heading, introduces no list (":") and is no bulleted item its
    ";" or "." closes (an addressee: "- Sở Xây dựng các tỉnh ...: Gia Lai, Lâm Đồng.", or
    the ``entry`` it belongs to is the line "Kính gửi: ..." itself);
    the next is no list item and no upper-case heading. A full line may end a sentence
    and the paragraph go on: the OCR stage marks paragraph ends with blank lines, so
    within a block it goes on; but the addressees of a "Kính gửi" line go on only after a
    comma or mid-phrase, the letter's first paragraph may follow them at once. A shorter line (a paragraph's indented first line) was
    broken too when it stops mid-phrase: on a word that needs what follows ("của", "và")
    or inside a capitalised name, its last two words, the next line goes on with ("Thủ tướng / Chính phủ",
    "tỉnh Điện / Biên"), unless the next line opens a sentence of its own."""
    if _name_hyphen(prev_raw, line, full_width):
        return True
    if prev_raw[-1] == ":" or prev_raw.isupper() or line.isupper() or _LIST_MARK.match(line) or is_appendix_title(line):
        return False  # ... nor an appendix's title alone on its line ("Phụ lục II")
    head = fold(line[:_KEYWORD_SPAN])  # folded once: the checks below read the line's head
    addressed = _ADDRESSEE_LINE.match(fold(entry[:_KEYWORD_SPAN])) is not None
    if addressed and not (prev_raw[-1] == "," or _mid_phrase(prev_raw, line, head)):
        return False
    # However short: a line ending on a word that needs what follows, an item's head noun
    # alone, or an item's first line ("- Mặt trận Tổ quốc, Đoàn" / "Thanh niên, Hội Phụ nữ ...",
    # "3. Bộ Tư lệnh" / "Thành phố chủ trì ...").
    dangling = (
        prev_raw.rsplit(" ", 1)[-1].lower() in _OPEN_ENDED or _BARE_HEAD.search(prev_raw) is not None
        or _LIST_MARK.match(prev_raw) is not None
    )
    return (
        (len(prev_raw) >= 0.75 * full_width or (len(prev_raw) >= 0.5 * full_width or dangling) and _mid_phrase(prev_raw, line, head))
        and not (prev_raw[-1] in ";." and (_BULLET.match(prev_raw) or addressed))
        and not _BLOCK_START.match(head)
        and not _SIGNED_NAME.search(fold(line))
        and not _NUMBER_FIELD.match(head)
        and not _task_under_heading(prev_raw, line, head)
    )


_HYPHEN_LINE = re.compile(r"^[-–]\s+(\S+)")


def _name_hyphen(prev: str, line: str, full_width: int) -> bool:
    """A compound's hyphen the page width put first on a line, not a dash item: a full
    line stops with no mark, and what follows the hyphen goes on in lower case ("... kinh
    tế" / "- xã hội ...") or the name on both sides does ("Tập đoàn Công nghiệp" / "-
    Viễn thông Quân đội", "Bộ Lao động" / "- Thương binh và Xã hội"); a task opening
    with its verb is an item ("... nghĩa vụ tài chính" / "- Cấp Giấy chứng nhận ...")."""
    m = _HYPHEN_LINE.match(line)
    if m is None or len(prev) < 0.75 * full_width or not prev[-1].isalnum():
        return False
    word = m.group(1)
    if word[0].islower():
        return True
    named = any(w[:1].isupper() for w in prev.split()[-2:])
    return named and word[0].isupper() and not _SENTENCE_OPENER.match(fold(line[m.start(1) : m.start(1) + _KEYWORD_SPAN]))


def _task_under_heading(prev: str, line: str, head: str) -> bool:
    """A numbered heading with no closing mark over a task opening with its verb
    ("7. Ban Quản lý Khu kinh tế tỉnh Lào Cai" / "Chủ trì, phối hợp ..."), however long."""
    return (
        _LIST_MARK.match(prev) is not None and prev[-1] not in ".;:," and not _BARE_HEAD.search(prev)
        and line[:1].isupper() and _SENTENCE_OPENER.match(head) is not None
    )


_ADDRESSEE_LINE = re.compile(r"^kinh gui(?![\w])")
# The header's "Số: 12/KH-UBND" / "Số 445-KL/TU" line: a field of its own.
_NUMBER_FIELD = re.compile(r"^so\s*(?::|\d)")
# Words a phrase cannot end on: prepositions, conjunctions, quantifiers.
_OPEN_ENDED = frozenset("của và với tại các những về để cho đến theo từ bởi thuộc hoặc trong".split())
# An item or a field's value that is a head noun alone, waiting for its body's name ("+ Sở" /
# "Xây dựng: ...", "Đơn vị phối hợp: Sở" / "Tư pháp."); at the end of a longer line the noun
# may be whole ("Thủ trưởng cơ quan ngang Bộ").
_BARE_HEAD = re.compile(r"^(?:[-+–•]\s+)?(?:Sở|Bộ|Cục|Vụ|Ban|Ủy|Uỷ)$|:\s*(?:Sở|Bộ|Cục|Vụ|Ban|Ủy|Uỷ)$")
# What opens a sentence of its own after a capitalised word ("... cơ quan ngang Bộ / Thực hiện ...").
# The form's own lines are no phrase either: "Số" / "V/v" under the slogan "... Hạnh phúc";
# nor is a task's first verb under a unit's heading ("5. Sở Khoa học và Công nghệ" / "Chủ trì, ...").
_SENTENCE_OPENER = re.compile(
    r"^(?:thuc hien|can cu|de|theo|trong|nham|tren co so|sau khi|doi voi|ngay|hien nay|so|v\s*/\s*v"
    r"|chu tri|phoi hop|trien khai|tham muu|to chuc|xay dung|huong dan|khan truong|tiep tuc|chi dao|theo doi"
    r"|ra soat|chu dong|tang cuong|bao cao)(?![\w])"
)


# A body's abbreviation inside a name that goes on: "phối hợp với BHXH" / "Thành phố ...",
# "đề xuất Chủ tịch" / "UBND tỉnh ...".
_ABBREVIATION = re.compile(r"(?:UBND|HĐND|BHXH|MTTQ|BCĐ|BQL)")


def _mid_phrase(prev: str, line: str, head: str) -> bool:
    if prev[-1] in ".;:!?,)\"”'":
        return False
    tail, first = prev.split(" ")[-2:], line.split(" ", 1)[0]
    if tail[-1].lower() in _OPEN_ENDED or prev.count("(") > prev.count(")") or (_BARE_HEAD.search(prev) is not None and first[:1].isupper()):
        # "... Bộ Tài chính (Cơ quan thường trực" / "Ban chỉ đạo 751), ...": a parenthesis goes
        # on; "+ Sở" / "Xây dựng: ...": the name follows its head, even a name that is a verb.
        return True
    return (
        any(w[:1].isupper() and (not w.isupper() or _ABBREVIATION.fullmatch(w)) for w in tail)
        and first[:1].isupper() and (not first.isupper() or _ABBREVIATION.fullmatch(first) is not None)
        and not _SENTENCE_OPENER.match(head)
        and not fold(prev[-12:]).endswith("hanh phuc")
    )


# A Markdown table row ("| Số: 13/CT-TTg | Hà Nội, ngày ... |"): the form's two-column tables
# as a converter writes them, each cell's own lines run together.
_TABLE_ROW = re.compile(r"^\s*\|.*\s\|\s.*\|\s*$")
# "THỨ TRƯỞNG     Lê Công Thành"; a converter's "KT. BỘ TRƯỞNG <br> THỨ TRƯỞNG".
# The rule under the issuer ("THỦ TƯỚNG CHÍNH PHỦ -------") ends its line too.
_CELL_LINE_BREAK = re.compile(r"\s{3,}|\s*<br\s*/?>\s*|\s*[-_]{3,}\s*", re.IGNORECASE)
_FORM_CELL = re.compile(r"noi nhan|kinh gui|nhu tren;|\(da ky|cong hoa|dang cong san|doc lap|(?<![\w])so\s*:|ngay\s+\d{1,2}\s+thang|(?<![\w])(?:tm|kt|tl)\.")
_CELL_ITEM = re.compile(r"(?<=[;:])\s+(?=[-–]\s)")  # "Nơi nhận: - Như trên; - Lưu: VT."


# A gutter between the form's two columns as a layout-keeping text extractor prints them
# ("ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI ...", "Nơi nhận:          TM. ỦY BAN NHÂN DÂN").
_GUTTER = re.compile(r"(?<=\S)[ \t]{6,}(?=\S)")


def _columns_in_order(raw_lines: list[str]) -> list[str]:
    """Blocks of lines (between blank ones) that hold the form's two columns side by side:
    the left column's lines, then the right's. Other blocks (a body's table) stay as they are."""
    out: list[str] = []
    block: list[str] = []
    for raw in [*raw_lines, ""]:
        if raw.strip():
            block.append(raw)
            continue
        out += _block_columns(block)
        out.append(raw)
        block = []
    return out[:-1]


def _block_columns(block: list[str]) -> list[str]:
    """Each run of lines that shows the two columns (lines with both, or the right one's
    alone, a few left-only lines between them: "Số: ..." between the motto's lines), with
    the left column's "- " items right after it (the rest of "Nơi nhận"), column by
    column; the lines around the runs as they are."""
    gaps = [m for line in block if (m := _GUTTER.search(line))]
    if not gaps or not _FORM_CELL.search(fold(" ".join(block))):
        return block
    gutter = min(m.end() for m in gaps) - 2
    right_side = [bool(_GUTTER.search(line)) or _indent(line) >= gutter for line in block]
    out: list[str] = []
    k = 0
    while k < len(block):
        if not right_side[k]:
            out.append(block[k])
            k += 1
            continue
        last = k
        while (after := next((j for j in range(last + 1, min(len(block), last + 2 + _LEFT_ONLY)) if right_side[j]), None)) is not None:
            last = after
        while last + 1 < len(block) and _BULLET.match(block[last + 1].lstrip()) and not right_side[last + 1]:
            last += 1
        left, right = [], []
        for line in block[k : last + 1]:
            if m := _GUTTER.search(line):
                left.append(line[: m.start()])
                right.append(line[m.end() :])
            else:
                (right if _indent(line) >= gutter else left).append(line)
        out += left + right
        k = last + 1
    return out


_LEFT_ONLY = 3  # left-only lines a run of the two columns may hold between its right-column lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _bare_row(raw: str) -> str:
    """A table row that a converter printed as its cells between " | ", with no bar at
    one end or either ("10-11/2019 | Xây dựng ... | Vụ Pháp chế", " | Lấy ý kiến ... | ..."
    with its first cell empty, "1 | Lập quy hoạch | |"), as a Markdown row; any other line
    as it is. Three cells at least, or two of which the first numbers a group of rows ("I |
    GIAI ĐOẠN 1: ..."): two are the form's header and closing ("Số: 836/QĐ-BXD | Hà Nội,
    ngày ...", "| Nơi nhận: ... | KT.")."""
    if "|" not in raw:
        return raw
    stripped = raw.strip()
    opened, closed = stripped.startswith("|"), stripped.endswith("|")
    if opened and closed:
        return raw
    cells = [cell.strip() for cell in stripped.removeprefix("|").removesuffix("|").split("|")]
    if opened:
        cells.insert(0, "")
    if len(cells) >= 3 or (len(cells) == 2 and not opened and GROUP_NUMBER.fullmatch(cells[0])):
        return "| " + " | ".join(cells) + " |"
    return raw


def _table_cells(raw: str) -> list[str]:
    """A row of the form's two-column tables (header, closing) -> its cells, column by
    column, each cell's lines and list items on lines of their own; the rule under a
    table's first row -> nothing; any other line (a plan's task table) as it is."""
    raw = _bare_row(raw)
    if not _TABLE_ROW.match(raw):
        return [raw]
    if set(raw) <= set("|-: \t"):
        return []  # the rule under a table's first row: "| --- | --- |"
    if raw.count(" | ") != 1 or not _FORM_CELL.search(fold(raw)):
        return [raw]
    lines = []
    for cell in raw.strip().strip("|").split(" | "):
        if set(cell) <= set("-: "):
            continue
        for part in _CELL_LINE_BREAK.split(_strip_marks(cell)):
            lines += _CELL_ITEM.split(part)
    return lines


def _page_furniture(lines: list[str]) -> set[int]:
    """Indices of a published copy's page furniture among ``lines``: running headers,
    digital-signature overlays (a "Ký bởi:" or "Người ký:" line and the labelled lines that
    follow it) and a converter's page-break marks ("--- PAGE BREAK ---"), with the page
    numbers and blank lines around them: a page break is no paragraph break."""
    out: set[int] = set()
    overlay = False
    for k, line in enumerate(lines):
        folded = fold(line[:_KEYWORD_SPAN])  # all three are a line's head
        if _RUNNING_HEADER.match(folded) or _PAGE_BREAK.match(folded):
            out.add(k)
        overlay = (overlay and bool(ESIGN_LABEL.match(folded))) or _ESIGN_START.match(folded) is not None
        if overlay:
            out.add(k)
    for k in sorted(out):
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(lines) and j not in out and (not lines[j] or lines[j].isdigit()):
                out.add(j)
                j += step
    return out


# A table's number column, folded: "TT", "STT", "Số TT".
TABLE_NUMBER_HEAD = frozenset({"tt", "stt", "so tt"})
_NUMBER_HEAD_CHARS = 5
_FIRST_ROWS = 14  # lines: how far below "TT" the header cells end and row 1 begins
# characters: a cell's lines are narrower than a paragraph's (on a page of short lines,
# the 90th percentile is no paragraph's width).
_TABLE_LINE_MAX = 60
_CELL_GAP = re.compile(r"(?<=\S)\s{2,}(?=\S)")


def _flat_table_cells(lines: list[str], marked: list[str], full_width: int) -> Iterator[tuple[str, bool]]:
    """Each line and whether it lies in a table the page printed one cell per line, each
    cell's text wrapped in its narrow column (a PDF's text layer of a plan's task table):
    from a "TT" line with a row number a few lines below it, until a line as wide as a
    paragraph's that does not head a group of rows ("V. Đa dạng hoá ..."); from a header
    row opening with "TT", until a blank line.
    Inside, two cells printed side by side on one line ("cơ quan ngang bộ  Bộ Tư pháp")
    are two lines."""
    in_table = whole_cells = False
    for k, line in enumerate(lines):
        head = line.removeprefix("|").split("|", 1)[0].strip() if line.startswith("|") else line
        if len(head) <= _NUMBER_HEAD_CHARS and fold(head) in TABLE_NUMBER_HEAD and any(
            re.fullmatch(r"\d{1,3}\.?", later) for later in lines[k + 1 : k + _FIRST_ROWS]
        ):
            # A header row ("| TT | Nội dung | ... |") over one cell per line: a converter's,
            # whose cells are not wrapped, so the table runs to the next blank line.
            in_table, whole_cells = True, head != line
        elif in_table and (not line if whole_cells else len(line) > max(_TABLE_LINE_MAX, 0.75 * full_width)
                           and not _heads_group(lines, k)):
            in_table = False
        if not in_table:
            yield line, False
            continue
        for cell in _CELL_GAP.split(marked[k]) if line else [line]:
            yield " ".join(cell.split()), True


def _heads_group(lines: list[str], k: int) -> bool:
    """Whether line ``k`` heads a group of a table's rows, or goes on with the heading above
    it in lower case: a heading runs across the table's width."""
    while k > 0 and lines[k][:1].islower():
        k -= 1
    return GROUP_HEADING.match(lines[k]) is not None


def clean_document(text: str) -> list[str]:
    """Raw extracted text -> logical lines (non-empty, stripped, NFC).

    A web page's HTML source is first read as the page's text (:mod:`vanthu.markup`). A
    document flattened to one line is first broken at its form's anchors
    (:func:`vanthu.reflow.reflow`); words a copy glued together are split
    (:mod:`vanthu.syllables`: "chủtrì" -> "chủ trì").
    Removes markdown marks (a Markdown table's rows become their cells' lines, column
    by column, as do the form's two columns printed side by side), a web page's banner
    line and everything from its
    related-links heading on, repeated lines (a news list prints each title twice) and a
    published copy's page furniture (the gazette's running headers, signature overlays).
    Re-joins what PDF extraction and OCR broke: a line starting in lower case continues
    the previous one, even across blank lines (page and column ends, OCR's paragraph
    guesses); and within a block of lines, a line the page width broke mid-sentence
    continues too, whatever its first letter ("... của đồng chí Tổng / Bí thư ...").
    """
    text = unicodedata.normalize("NFC", page_text(text))
    if "[" in text:
        text = _SITE_NOTE.sub("", text)
    text = reflow(text.translate(_INVISIBLE) if _ANY_INVISIBLE.search(text) else text)
    text = split_glued(_GLUED_LEVEL.sub(r"\1\n", text))
    marked = [_strip_marks(part) for raw in _columns_in_order(text.split("\n")) for part in _table_cells(raw)]
    raw_lines = [" ".join(line.split()) for line in marked]
    furniture = _page_furniture(raw_lines)
    marked = [line for k, line in enumerate(marked) if k not in furniture]
    raw_lines = [line for k, line in enumerate(raw_lines) if k not in furniture]
    lengths = sorted(len(line) for line in raw_lines if line)
    full_width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    lines: list[str] = []
    prev_raw, gap, mark = "", False, ""
    for line, in_table in _flat_table_cells(raw_lines, marked, full_width):
        if not in_table and _MARK_ALONE.match(line):
            mark = f"{mark} {line}".strip()  # "1.1." / "Trưởng Ban Chỉ đạo": the item's text is on the next line
            continue
        if not line or set(line) <= set("*-_=|"):
            gap = True
            continue
        if mark:
            line, mark = f"{mark} {line}", ""
        if in_table:
            # A cell's wrapped lines go on in lower case; the page width says nothing here.
            if lines and _continues(lines[-1], line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
            prev_raw, gap = line, False
            continue
        if len(line) <= _KEYWORD_SPAN and _FURNITURE_START.match(fold(line)):
            break
        if _BANNER.search(line.lower()) or (lines and line == lines[-1]):
            continue
        if lines and (_continues(lines[-1], line) or (not gap and _wrapped(prev_raw, line, full_width, lines[-1]))):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        prev_raw, gap = line, False
    return lines
