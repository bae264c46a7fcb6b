"""Organisational subjects at the start of a clause.

A clause such as "Sở Y tế, Sở Giáo dục và Đào tạo, các huyện, thành phố tổ chức tiêm ..."
opens with a list of units followed by its predicate. :func:`read_units` finds where the
list ends (the first predicate verb or a colon) and splits it into unit names, using the
unit directory to keep names that contain commas or "và" whole ("Sở Văn hóa, Thể thao
và Du lịch", "các huyện, thành phố").

A unit must *look* organisational: it opens with an organisational head noun ("Sở",
"Ủy ban", "Công an", "các huyện", "Giám đốc Sở ...") or is a directory name. A noun in the
middle of a sentence is never a subject, because callers only pass clause starts.

All searching happens on the tone-normalised, lower-cased form, which has the printed
text's offsets (see :mod:`vanthu.normalize`); returned names are printed slices.
"""

from __future__ import annotations

from collections.abc import Callable

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from vanthu.directory import NameSource

from vanthu.normalize import CAPITALS, tone_normalize


@lru_cache(maxsize=8192)
def lower_form(text: str) -> str:
    """Tone-normalised lower case with the printed text's offsets."""
    low = tone_normalize(text).lower()
    return low if len(low) == len(text) else "".join(c.lower()[0] for c in tone_normalize(text))


# Head nouns that name an organisation (or an office holder, whose unit is meant) whatever
# follows them.
_FIRM_HEADS = [
    "ủy ban", "ubnd", "hđnd", "hội đồng nhân dân", "công an", "văn phòng", "bảo hiểm xã hội", "bhxh",
    "huyện ủy", "thành ủy", "thị ủy", "tỉnh ủy", "quận ủy", "đảng ủy", "đảng đoàn", "ban cán sự", "mặt trận",
    "mttq", "tỉnh đoàn", "thành đoàn", "liên đoàn", "cơ quan", "đơn vị", "địa phương", "trung tâm",
    "bệnh viện", "chi cục", "tổng cục", "kho bạc", "ngân hàng", "bộ chỉ huy", "bộ đội", "ban chỉ đạo", "bcđ",
    "ban quản lý", "ban thường vụ", "ban chấp hành", "thường trực", "người đứng đầu", "thủ trưởng",
    "tổ chức đảng", "tổ chức cơ sở đảng", "tổ chức chính trị", "cấp ủy", "chính quyền", "doanh nghiệp",
    "trạm y tế", "hội liên hiệp", "hội nông dân", "hội cựu chiến binh", "hội chữ thập đỏ", "đoàn thể",
    "đoàn thanh niên", "các đồng chí", "giám đốc", "phó giám đốc", "chủ tịch", "chánh văn phòng",
    "chánh thanh tra", "trưởng ban", "bí thư", "chỉ huy trưởng", "tổng giám đốc", "công ty", "tổng công ty",
    "tập đoàn", "hợp tác xã", "hội đặc thù", "ban đảng", "ban tổ chức", "ban tuyên giáo", "ban dân vận", "ban nội chính",
    "thành viên ban", "tổ công tác", "tổ covid", "lực lượng", "bộ trưởng", "thứ trưởng", "cục trưởng",
    "vụ trưởng", "chi cục trưởng", "tổng biên tập", "thủ tướng", "phó thủ tướng", "chủ nhiệm", "tập đoàn",
    "đài truyền hình", "đài tiếng nói", "thông tấn xã", "vườn quốc gia", "bưu điện", "điện lực", "viễn thông",
    "cảng vụ", "hải quan", "chi nhánh", "cảnh sát", "tòa án", "viện kiểm sát", "trưởng phòng", "phó trưởng phòng",
    "chi bộ", "đảng bộ", "tạp chí", "cổng thông tin", "cơ sở giáo dục", "cơ sở đào tạo", "cơ sở y tế",
    "cơ sở khám bệnh", "cơ sở khám, chữa bệnh", "cơ sở kcb", "cơ sở kbcb", "chuyên viên", "giám thị", "trại giam",
    "trại tạm giam", "thống đốc", "tổ đảng", "tổ trưởng", "hội đồng", "hiệu trưởng", "chủ đầu tư", "chủ rừng",
    "hạt kiểm lâm", "sở quản lý", "sở chuyên ngành", "nhà đầu tư", "nhà thầu", "hiệp hội", "tiểu ban", "liên minh", "kiểm toán nhà nước", "đoàn đại biểu",
    "quý cơ quan",  # a letter's addressees, as it calls them
    # the tax and statistics offices' names since 2025: "Thuế tỉnh Lâm Đồng", "các Thuế tỉnh, thành phố",
    # "Thuế cơ sở 3 tỉnh Hà Tĩnh", "Thống kê tỉnh Bắc Ninh"
    "thuế tỉnh", "thuế thành phố", "thuế tp", "thuế cơ sở", "thống kê tỉnh", "thống kê thành phố",
]
# Short heads that are also ordinary words ("báo cáo", "xã hội", "phòng, chống"): they
# count only after a quantifier ("các sở") or before a capitalised name ("Sở Y tế").
_SOFT_HEADS = [
    "sở", "bộ", "ban", "hội", "đài", "báo", "viện", "trường", "phòng", "tổ", "đoàn", "huyện", "thành phố",
    "tỉnh", "thị xã", "xã", "phường", "thị trấn", "quận", "ngành", "cấp", "cục", "quỹ", "học viện", "lãnh đạo",
    "ủy viên", "cấp ủy viên", "thành viên", "trưởng", "vụ", "cá nhân", "đại học", "đại biểu", "thanh tra",
]
_QUANTIFIER = r"(?:(?:tất cả|toàn thể)\s+)?(?:các|những|mỗi|từng)\s+"
# Administrative levels, as a unit is named by one ("tỉnh Quảng Ninh", "thành phố Huế").
_LEVELS = r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A deputy holds the office too: "Phó Chủ tịch UBND tỉnh", "Phó Bí thư Tỉnh ủy".
_FIRM = re.compile(rf"(?:{_QUANTIFIER})?(?:phó\s+)?(?:{_alternation(_FIRM_HEADS)})(?![\w])")
_SOFT_AFTER_QUANTIFIER = re.compile(rf"{_QUANTIFIER}(?:{_alternation(_SOFT_HEADS)})(?![\w])")
_SOFT = re.compile(rf"(?:{_alternation(_SOFT_HEADS)})\s+(?=\S)")
# Office holders: the unit they head is what the directory knows.
_OFFICE = re.compile(
    r"^(?:phó\s+)?(?:giám đốc|tổng giám đốc|chủ tịch|chánh|trưởng ban|trưởng|thủ trưởng|bí thư|"
    r"chỉ huy trưởng|người đứng đầu|lãnh đạo|bộ trưởng|thứ trưởng|cục trưởng|vụ trưởng|chi cục trưởng|giám thị|"
    r"tổng biên tập|thống đốc|tổ trưởng|chủ nhiệm|hiệu trưởng)\s+"
)

# Predicate openers: the verbs and modals that end a subject list. Matched only where the
# printed word is lower case, so names like "Sở Xây dựng" or "Ủy ban Kiểm tra" survive.
_VERBS = [
    "chủ trì", "phối hợp", "có trách nhiệm", "chịu trách nhiệm", "tham mưu", "tiếp tục", "tập trung",
    "chỉ đạo", "thực hiện", "triển khai", "không", "khẩn trương", "tăng cường", "căn cứ", "theo chức năng",
    "phải", "cần", "rà soát", "xây dựng", "hướng dẫn", "nghiên cứu", "đẩy mạnh", "thường xuyên",
    "chủ động", "kiểm tra", "đôn đốc", "báo cáo", "nắm", "theo dõi", "bố trí", "hỗ trợ", "quán triệt",
    "ban hành", "đề xuất", "tuyên truyền", "giám sát", "bảo đảm", "đảm bảo", "phát huy", "xử lý",
    "kịp thời", "nghiêm túc", "sớm", "cung cấp", "cung ứng", "phân bổ", "đã", "đang", "sẽ", "được", "chưa", "gương mẫu",
    "quyết liệt", "vận động", "hoàn thành", "tổng hợp", "tích cực", "chuẩn bị", "ưu tiên", "giải quyết",
    "lập", "thẩm định", "duy trì", "nâng cao", "huy động", "tiến hành", "khắc phục", "thành lập",
    "bổ sung", "cập nhật", "công bố", "thông báo", "chấp hành", "kiểm soát", "củng cố",
    "chăm lo", "phổ biến", "thống nhất", "tiếp nhận", "điều hành", "thi hành", "dừng", "tạm dừng",
    "xem xét", "đánh giá", "phát hiện", "xác định", "mua sắm", "điều tra", "tiêm", "xét nghiệm",
    "tham gia", "đề nghị", "yêu cầu", "có kế hoạch", "có văn bản", "có ý kiến", "có báo cáo",
    "có giải pháp", "có phương án", "trình", "cử", "làm", "nhanh chóng", "thông tin", "liên hệ",
    "cụ thể hóa", "hằng", "định kỳ", "lựa chọn", "rà", "ứng phó", "biết", "để", "nhằm", "niêm yết", "đẩy nhanh", "thừa", "đưa", "phân cấp", "trân trọng", "thiết lập", "gửi", "khi", "nơi có", "trong việc", "xin", "giúp", "trên cơ sở",
    "quan tâm", "có thể", "tạo điều kiện", "tạo thuận lợi", "tạo mọi điều kiện", "mở rộng", "hoàn thiện", "hoàn chỉnh", "trong quá trình",
    "trong thời gian", "trong công tác", "trong phạm vi", "giải ngân", "bàn giao", "tuyển sinh", "phát động", "chọn", "kết hợp", "đổi mới", "tiếp thu",
    # "cấp" is a level ("các cấp", "cấp tỉnh") except before what is issued
    "cấp giấy", "cấp phép", "cấp kinh phí", "cấp phát", "cấp đổi", "cấp lại", "cấp bù", "cấp mã", "cấp chứng",
]
# "tổ chức" is a verb unless it names Party or political organisations ("tổ chức đảng") or
# follows a quantifier ("các tổ chức thành viên") or names the organisations concerned
# ("cơ quan, tổ chức có liên quan");
# "giao" (assign) is not the first syllable of a noun ("Cảnh sát giao thông", "giao dịch");
# "chuyển" (forward) is, in "chuyển đổi số"; "hàng" ("hàng năm", yearly) is the goods in "hàng hóa";
# "lãnh đạo" is the leaders ("đại diện lãnh đạo Bộ ...") but in "lãnh đạo, chỉ đạo" (to lead);
# "quy định" (to lay down: "Chính phủ quy định chi tiết ...") is a participle before "tại"
# ("các thành viên quy định tại Điều 1");
# "lập" after "công" is the adjective "công lập" (public: "đơn vị sự nghiệp công lập");
# "ký" (sign) is a verb, but after "đăng", "lưu", "thư" a noun's ("Văn phòng Đăng ký đất đai", "Tổng công ty Lưu
# ký ...", "Thư ký Hội đồng");
# "quản lý" is the management body in "cơ quan (đơn vị) quản lý ..." ("Cơ quan quản lý nhà cấp
# tỉnh"), "Sở quản lý ngành", "cơ quan chuyên môn quản lý ngành, lĩnh vực", "Tổng cục quản lý ruộng đất".
_VERB = re.compile(
    rf"(?<![\w])(?<!công )(?:{_alternation(_VERBS)}|(?<![Đđ]ăng )(?<![Ll]ưu )(?<![Tt]hư )ký|(?<!các )(?<!những )(?<!là )tổ chức(?!\s*(?:đảng|cơ sở|chính trị|hội|đoàn|xã hội|,|(?:có\s+)?liên quan(?!\s+đến)))"
    r"|giao(?!\s+(?:thông|dịch|lưu|thương|nhận|tiếp|ban|khoán)(?![\w]))"
    r"|chuyển(?!\s+đổi)|hàng(?!\s+(?:hóa|hoá))|quy định(?!\s+(?:tại|ở|trong|theo)(?![\w]))"
    r"|lãnh đạo(?=\s*(?:,|và)\s*chỉ đạo)"
    r"|(?<![Cc]ục )(?<!cơ quan )(?<!đơn vị )(?:(?<![Ss]ở )(?<!chuyên môn )quản lý|quản lý(?!\s+(?:nhà nước|trực tiếp|chuyên ngành|ngành)))|(?<!quản lý )trực tiếp(?!\s+là))(?![\w])"
)
# A verb right after one of these words is part of a name ("Ban Chỉ đạo", "các ban chỉ đạo",
# "Ủy ban Kiểm tra") when the word opens the name: capitalised, or after a quantifier, a
# separator or the list's start -- not "Bộ Quốc phòng hướng dẫn ...".
_NAME_BEFORE_VERB = re.compile(
    rf"(?:^|(?<=[,;(])\s*|(?<=\s)(?=[{CAPITALS}])|(?<=[Cc]ác\s)|(?<=[Nn]hững\s)|(?<=\svà\s)|(?<=[Tt]rưởng\s))"
    r"(?i:ban|ủy ban|uỷ ban|trung tâm|cục|chi cục|phòng|sở|tổ|ban cán sự đảng|đội)\s$"
)
# Separators between the names of a list; "nhất là" introduces a member worth naming.
_SEPARATOR = re.compile(r"\s*[,;]\s*(?:nhất là\s+|đặc biệt là\s+|trực tiếp là\s+|trong đó có\s+)?|\s+(?:và|cùng|cùng với|với)\s+(?:cả\s+)?")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
# A title in quotes after a word: the name of a movement or a programme that is part of a
# body's name ("Ban Chỉ đạo Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá”").
_QUOTED_TITLE = re.compile(r"(?<=\w )“[^“”]{1,160}”")
# A bare level or kind of body ("đơn vị", "các cấp", "địa phương liên quan") continues the
# vague name before it: "thủ trưởng các cơ quan, đơn vị, địa phương" is one addressee.
_BARE = re.compile(
    rf"(?:{_QUANTIFIER})?(?:cơ quan|đơn vị|địa phương|cấp|ngành)"
    r"(?:\s+(?:có\s+)?liên quan|\s+(?:trên địa bàn|trong|của)(?:\s+(?:tỉnh|thành phố|huyện))?)?$"
)
_MAX_LIST_CHARS = 400
# A bare collective with nothing to set it apart ("các cơ quan, đơn vị", "Quý cơ quan"):
# in a document with addressees, the issuer asking it to act is asking them.
_ADDRESSEES = re.compile(r"(?:các|quý)\s+(?:cơ quan|đơn vị|địa phương)(?:\s*,\s*(?:cơ quan|đơn vị|địa phương))*")


@dataclass(frozen=True)
class UnitName:
    text: str  # as printed
    start: int
    end: int
    members: tuple[str, ...] = ()  # a shared head's expansion: "các Bộ: Quốc phòng, Công an"
    role_cue: str | None = None  # "lead" / "cooperate" from a parenthesis after it: "Sở Y tế (chủ trì)"


@dataclass(frozen=True)
class UnitList:
    names: list[UnitName]
    end: int  # offset in the clause where the predicate begins
    # The text the last name was cut from, when only the grammar could end it (see _grammar_cut).
    undelimited: UnitName | None = None


# A capitalised level standing alone for the body addressed ("Tỉnh xem xét ...", in a notice
# to one province): only ever a whole name, since a verb must follow it.
_BARE_LEVELS = {"Tỉnh", "Thành phố", "Huyện", "Xã", "Phường"}
# "Bộ luật", "Bộ chỉ số": a head noun's other sense, a set of rules or criteria.
# A short head's syllable opening a word that names no body: "bộ luật", "(các) báo cáo", "trường
# hợp", "hội nghị", "vụ việc"; and the verb "tổ chức" with no quantifier ("TỔ CHỨC THỰC HIỆN").
_NOT_A_BODY = re.compile(
    rf"(?:{_QUANTIFIER})?(?:bộ\s+(?:luật|chỉ số|tiêu chí|hồ sơ|thủ tục|câu hỏi|dữ liệu)|báo cáo|trường hợp|hội nghị"
    r"|hội thảo|vụ việc|vụ án|quỹ đất|cấp độ|ngành hàng|tổ hợp)(?![\w])"
    r"|tổ chức(?!\s+(?:đảng|cơ sở đảng|chính trị))(?![\w])"
)


def looks_organisational(text: str, directory: NameSource | None) -> bool:
    """Whether a name as printed opens like an organisation (or is a directory name)."""
    if text.strip() in _BARE_LEVELS:
        return True
    low = lower_form(text)
    if _NOT_A_BODY.match(low):
        return False
    if _FIRM.match(low) or _SOFT_AFTER_QUANTIFIER.match(low):
        return True
    m = _SOFT.match(low)
    if m and m.group(0).rstrip() != "cấp":  # "Cấp Oresol cho trạm y tế": to supply; a level alone is no body
        nxt = text[m.end() :]
        if nxt[:1].isupper() and not nxt.isupper() or re.match(r"[A-ZĐ]{2,}|các\s", nxt):
            return True
        if text[:1].isupper() and _AT_LEVEL.match(nxt):
            return True  # "Thanh tra tỉnh", "Thanh tra Bộ": a capitalised head at a level
    return directory is not None and directory.match(text) is not None


_AT_LEVEL = re.compile(rf"(?:{_LEVELS}|bộ|sở)(?![\w])", re.IGNORECASE)


def office_free(text: str) -> str:
    """"Giám đốc Sở Y tế" -> "Sở Y tế": the unit an office holder stands for."""
    m = _OFFICE.match(lower_form(text))
    return text[m.end() :] if m and m.end() < len(text) else text


def starts_with_verb(text: str) -> bool:
    """Whether ``text`` opens with a predicate verb, whatever its case ("Tổ chức tiêm ...")."""
    return _VERB.match(lower_form(text)) is not None


def predicate_start(clause: str, start: int = 0) -> int | None:
    """Offset of the first predicate verb or colon after ``start``; None when there is none."""
    low = lower_form(clause)
    colon = clause.find(":", start)
    for m in _VERB.finditer(low, start):
        if colon != -1 and colon < m.start():
            return colon
        if m.start() == start or not (clause[m.start()].islower() or m.group(0) in _ROLE_WORDS):
            continue  # a capitalised verb is a name's word ("Ban Chỉ đạo"), but no name goes on with "Chủ trì"
        if _inside_head(low, m.start()):
            continue  # "hàng" in "Ngân hàng Nhà nước"
        if low.endswith("nơi ", 0, m.start()):
            continue  # what a body is named by: "Chi cục Hải quan nơi quản lý cảng hướng dẫn ..."
        if m.group(0) == "giao" and not _GIVEN_TO.match(clause, m.end()):
            continue  # "Bộ Ngoại giao chủ trì": the ministry's name, not "giao" (assign) a unit
        if _NAME_BEFORE_VERB.search(clause[start : m.start()]):
            continue
        if " " not in m.group(0) and _CAPITALISED_BEFORE.search(clause, start, m.start()) and _LISTED.match(clause, m.end()):
            continue  # a syllable of a capitalised name in a list: "Bộ Ngoại giao, ..."
        if m.group(0) == "xây dựng" and _without_object(clause, m.end()):
            continue  # "Vụ Vật liệu xây dựng, Vụ ..." / "Cục Kinh tế xây dựng phối hợp ..."
        return m.start()
    return colon if colon != -1 else None


# What "giao" (assign) is followed by: the unit given the task, or "cho" / "nhiệm vụ" ...
_GIVEN_TO = re.compile(rf"\s+(?:[{CAPITALS}]|(?:cho|các|những|mỗi|từng|nhiệm vụ|trách nhiệm)(?![\w]))")


def _inside_head(low: str, at: int) -> bool:
    """Whether offset ``at`` of ``low`` falls inside a firm head noun that began before it."""
    for m in _FIRM_ANYWHERE.finditer(low, max(0, at - _LONGEST_HEAD), at + _LONGEST_HEAD):
        if m.start() < at < m.end():
            return True
    return False


_FIRM_ANYWHERE = re.compile(rf"(?<![\w])(?:{_alternation(_FIRM_HEADS)})(?![\w])")
_LONGEST_HEAD = max(map(len, _FIRM_HEADS))
# A capitalised word right before a one-syllable verb: the verb is that name's second syllable.
_CAPITALISED_BEFORE = re.compile(rf"(?<![\w])[{CAPITALS}][\w]*\s$")
# "xây dựng" (to build) ends many a body's name in lower case ("Vụ Vật liệu xây dựng", "Cục
# Kinh tế xây dựng"): the verb takes an object, so with none after it (the list goes on with
# a capitalised name, or the clause's own verb follows) it is the name's last word.
_CLAUSE_VERB = re.compile(r"\s+(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|là|tham mưu)(?![\w])")
_NEXT_NAME = re.compile(r"\s*[,;]\s*(?=\w)")


def _without_object(clause: str, end: int) -> bool:
    if _CLAUSE_VERB.match(clause, end):
        return True
    listed = _NEXT_NAME.match(clause, end)
    return listed is not None and clause[listed.end()].isupper()
_LISTED = re.compile(r"\s*[,;]")


def _pieces(region: str, offset: int) -> list[UnitName]:
    pieces, pos = [], 0
    for m in _SEPARATOR.finditer(region):
        if m.start() > pos:
            pieces.append(UnitName(region[pos : m.start()], offset + pos, offset + m.start()))
        pos = m.end()
    if pos < len(region):
        pieces.append(UnitName(region[pos:], offset + pos, offset + len(region)))
    return pieces


def _trimmed(piece: UnitName) -> UnitName:
    """``piece`` without the spaces around it, its offsets moved to match."""
    lead = len(piece.text) - len(piece.text.lstrip())
    text = piece.text.strip()
    return UnitName(text, piece.start + lead, piece.start + lead + len(text))


def _merge(pieces: list[UnitName], clause: str, directory: NameSource | None) -> list[UnitName] | None:
    """Pieces -> names: the longest run the directory knows, else a head piece plus the
    pieces that cannot start a name ("Sở Lao động", "Thương binh và Xã hội")."""
    names: list[UnitName] = []
    i = 0
    while i < len(pieces):
        taken = None
        if directory is not None:
            known = _longest_run(
                pieces, i, clause, 6, lambda text, j: bool(directory.match(office_free(text))) and not _office_again(pieces, j)
            )
            if known is not None:
                taken = _written_out(pieces, i, known, clause, directory)
        if taken is None:
            if not looks_organisational(pieces[i].text, directory):
                if not names:
                    return None
                names[-1] = UnitName(clause[names[-1].start : pieces[i].end], names[-1].start, pieces[i].end)
                i += 1
                continue
            taken = i
        name = UnitName(clause[pieces[i].start : pieces[taken].end], pieces[i].start, pieces[taken].end)
        if names and _catch_all_goes_on(names[-1].text, name.text, directory):
            prev = names.pop()
            name = UnitName(clause[prev.start : name.end], prev.start, name.end)
        names.append(name)
        i = taken + 1
    return _all_levels(_shared_level_head(_shared_offices(names, clause), clause), clause) or None


# A body named by its kind and an administrative unit ("Ủy ban nhân dân thành phố Hà Nội"),
# and a bare unit of a level after it in lower case ("thành phố Hồ Chí Minh", "tỉnh Quảng Ninh").
_KIND_AT_LEVEL = re.compile(rf"^(.+?)\s+{_LEVELS}\s+[{CAPITALS}]")
_BARE_AT_LEVEL = re.compile(rf"^{_LEVELS}\s+[{CAPITALS}]")
# A quantified level over two or more places, of a kind of body or none: "(Ủy ban nhân dân)
# các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng".
_PLACE = rf"[{CAPITALS}]\w*(?:\s+[{CAPITALS}]\w*){{0,3}}"
_LEVEL_OVER_NAMES = re.compile(
    rf"(.*?\s)?(?:các|những|Các|Những)\s+({_LEVELS})\s+({_PLACE}(?:\s*,\s*{_PLACE})*(?:\s*,\s*|\s+và\s+){_PLACE})"
)


def _shared_level_head(names: list[UnitName], clause: str) -> list[UnitName]:
    """Names that share their head, as the convention for a shared head has it: one name,
    a member for each. "Ủy ban nhân dân thành phố Hà Nội, thành phố Hồ Chí Minh và tỉnh
    Quảng Ninh": the kind of body before the first administrative unit is shared by the
    bare units after it ("Ủy ban nhân dân tỉnh Quảng Ninh"); a unit written with a capital
    ("Tỉnh Quảng Ninh") or with a kind of its own ("Sở Y tế tỉnh Quảng Ninh") is no such
    member. "(Ủy ban nhân dân) các tỉnh Nghệ An, Quảng Ngãi và Cao Bằng": the kind and the
    level over each place ("Ủy ban nhân dân tỉnh Cao Bằng", "tỉnh Cao Bằng")."""
    out: list[UnitName] = []
    k = 0
    while k < len(names):
        if listed := _LEVEL_OVER_NAMES.fullmatch(names[k].text.strip()):
            kind, level = listed.group(1) or "", lower_form(listed.group(2))
            places = re.split(r"\s*,\s*|\s+và\s+", listed.group(3))
            out.append(replace(names[k], members=tuple(f"{kind}{level} {place}" for place in places)))
            k += 1
            continue
        head = _KIND_AT_LEVEL.match(names[k].text.strip())
        j = k + 1
        while head and j < len(names) and _BARE_AT_LEVEL.match(names[j].text.strip()):
            j += 1
        if j == k + 1 or names[k].members or re.search(r"\d", head.group(1)):
            out.append(names[k])
            k += 1
            continue
        kind = head.group(1)
        members = (names[k].text.strip(), *(f"{kind} {n.text.strip()}" for n in names[k + 1 : j]))
        out.append(UnitName(clause[names[k].start : names[j - 1].end], names[k].start, names[j - 1].end, members))
        k = j
    return out


# The political system's kinds of body, unnamed: "cấp ủy, tổ chức đảng, chính quyền, đoàn thể".
_SYSTEM_KIND = re.compile(
    r"(?:(?:các|những)\s+)?(?:cấp ủy|tổ chức đảng|tổ chức cơ sở đảng|chính quyền|đoàn thể|mặt trận|cơ quan|đơn vị)"
    r"(?:\s+(?:địa phương|cơ sở|chính trị - xã hội))?(?:\s+các cấp)?"
)


def _all_levels(names: list[UnitName], clause: str) -> list[UnitName]:
    """Kinds of body listed with no name of their own and closed by "các cấp" ("cấp ủy, tổ
    chức đảng, chính quyền, đoàn thể các cấp"): the level qualifies them all, one collective."""
    if len(names) < 2 or not lower_form(names[-1].text.strip()).endswith("các cấp"):
        return names
    if not all(_SYSTEM_KIND.fullmatch(lower_form(n.text.strip())) for n in names):
        return names
    return [UnitName(clause[names[0].start : names[-1].end], names[0].start, names[-1].end)]


def _written_out(pieces: list[UnitName], i: int, j: int, clause: str, directory: NameSource) -> int:
    """Where a run of pieces the directory knows as one collective ("Ủy ban MTTQ Việt Nam
    tỉnh và các tổ chức chính trị - xã hội tỉnh") is two units, each written out in full:
    a known unit, then a quantified kind the directory knows too. The last piece of the
    first unit, or ``j`` when the run is one name."""
    for m in range(i, j):
        rest = clause[pieces[m + 1].start : pieces[j].end]
        first = directory.match(office_free(clause[pieces[i].start : pieces[m].end]))
        if (
            first is not None and first.score == 100.0
            and _QUANTIFIED.match(lower_form(rest)) and directory.match(rest) is not None
        ):
            return m
    return j


_QUANTIFIED = re.compile(_QUANTIFIER)


# An office title with no body after it ("Bộ trưởng", "các Giám đốc", a company's "Chủ tịch
# Hội đồng thành viên"): it shares the body of the name that follows ("Bộ trưởng, Thủ trưởng
# các cơ quan ngang Bộ").
_BARE_OFFICE = re.compile(
    r"(?:(?:các|những)\s+)?(?:đồng chí\s+)?(?:phó\s+)?(?:chủ tịch hội đồng (?:thành viên|quản trị)|bộ trưởng|thủ trưởng|giám đốc|tổng giám đốc|chủ tịch|người đứng đầu|lãnh đạo)$"
)
# A lower-case kind of body after an office holder's plural ("Thủ trưởng các cơ quan ngang
# Bộ, cơ quan thuộc Chính phủ"): the same office over a second kind.
_KIND = re.compile(r"(?:cơ quan|đơn vị|tổ chức)(?![\w])")


def _office_again(names: list[UnitName], k: int) -> bool:
    """Whether the office opening ``names[k]`` opens a later name of the list too ("Bộ
    trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ"): an office
    written out for each body enumerates office holders, each of their own, not one
    shared office ("Bộ trưởng, Thủ trưởng cơ quan ngang Bộ")."""
    office = _OFFICE.match(lower_form(names[k].text.strip()))
    return office is not None and any(
        lower_form(n.text.strip()).startswith(office.group()) for n in names[k + 1 :]
    )


def _shared_offices(names: list[UnitName], clause: str) -> list[UnitName]:
    """Names joined where an office is shared across a comma (see the two patterns above),
    unless the office after the comma is written out again further on (:func:`_office_again`)."""
    out: list[UnitName] = []
    for k, name in enumerate(names):
        low = lower_form(name.text.strip())
        if out and (
            _BARE_OFFICE.fullmatch(lower_form(out[-1].text.strip())) and not _office_again(names, k)
            or (
                name.text.strip()[:1].islower()
                and _KIND.match(low)
                and _OFFICE.match(lower_form(out[-1].text.rsplit(",", 1)[-1].strip()))
            )
        ):
            prev = out.pop()
            name = UnitName(clause[prev.start : name.end], prev.start, name.end)
        out.append(name)
    return out


def _catch_all_goes_on(previous: str, piece: str, directory: NameSource | None) -> bool:
    """Whether ``piece`` continues the catch-all before it: a bare level or kind ("các cơ
    quan, đơn vị"), or, after a quantified list, a bare lower-case kind with at most a
    level or a place ("các Sở, ban, ngành Thành phố", "các Bộ, cơ quan ngang Bộ"), or a Party
    committee after one ("các văn phòng tỉnh ủy, thành ủy"). Kinds with a name of their own
    ("tổ chức đảng", "ban cán sự đảng") are units of their own."""
    low = lower_form(piece)
    if _BARE.match(low) and _vague(previous, directory):
        return True
    if _PARTY_COMMITTEE.fullmatch(low) and _PARTY_COMMITTEE_END.search(lower_form(previous)):
        return True  # "các văn phòng tỉnh ủy, thành ủy": one office of each committee
    if _MINISTRY_PEER.fullmatch(low) and _MINISTRY_END.search(lower_form(previous)):
        return True  # "Văn phòng Bộ, cơ quan ngang Bộ": the office of each

    if not piece[:1].islower() or _QUANTIFIED_KIND.search(lower_form(previous)) is None:
        return False
    if _KIND_PIECE.fullmatch(low):
        return True
    head, _, rest = piece.partition(" ")
    return _SOFT_WORD.fullmatch(lower_form(head)) is not None and all(w[:1].isupper() for w in rest.split())


_SOFT_WORD = re.compile(rf"(?:{_alternation(_SOFT_HEADS)})")
# A Party committee named by its level alone, and a name ending in one.
_PARTY_COMMITTEE = re.compile(r"(?:tỉnh|thành|huyện|thị|quận|đảng) ủy(?:\s+trực thuộc(?:\s+trung ương)?)?")
_PARTY_COMMITTEE_END = re.compile(r"(?:tỉnh|thành|huyện|thị|quận|đảng) ủy$")
# The bodies ranked with a ministry, after a name ending in "Bộ" (ministry as a level).
_MINISTRY_PEER = re.compile(r"cơ quan (?:ngang bộ|(?:trực )?thuộc chính phủ)")
_MINISTRY_END = re.compile(r"(?<![\w])(?:ngang )?bộ$|chính phủ$")
# Party committees by level and Party bodies: "Ban Thường vụ các huyện ủy, thành ủy, thị ủy",
# "các chi bộ, đảng bộ cơ sở" are one addressee each.
_COMMITTEES = [
    "tỉnh ủy", "thành ủy", "huyện ủy", "thị ủy", "quận ủy", "đảng ủy", "đảng ủy xã", "đảng ủy phường",
    "chi bộ", "đảng bộ", "tạp chí", "cổng thông tin", "cơ sở giáo dục", "cơ sở đào tạo", "cơ sở y tế",
    "cơ sở khám bệnh", "cơ sở khám, chữa bệnh", "cơ sở kcb", "cơ sở kbcb", "chuyên viên",
]
# Kinds of body a catch-all lists ("các sở, ban, ngành", "các cơ quan, đơn vị, doanh nghiệp").
_KINDS = [*_SOFT_HEADS, *_COMMITTEES, "cơ quan", "đơn vị", "tổ chức", "địa phương", "đoàn thể", "doanh nghiệp"]
# A quantified kind of body, wherever it stands in the name ("Giám đốc các sở", "Ban Thường vụ các
# huyện ủy"; not an office: "các Bộ trưởng").
_QUANTIFIED_KIND = re.compile(rf"(?:^|(?<=\s)){_QUANTIFIER}(?:{_alternation(_KINDS)})(?![\w])(?!\s+trưởng)")
# A bare kind of body in a catch-all ("ban", "ngành", "địa phương", "đoàn thể", "doanh nghiệp",
# "thị ủy"), with a level ("đoàn thể cấp tỉnh", "doanh nghiệp thuộc thành phố").
_KIND_PIECE = re.compile(
    rf"(?:{_alternation(_KINDS)}|cơ quan ngang bộ|cơ quan thuộc chính phủ)"
    r"(?:\s+(?:tỉnh|thành phố|trung ương|cơ sở|trực thuộc|có liên quan|liên quan|các cấp"
    r"|(?:trực\s+)?thuộc (?:tỉnh|thành phố|huyện|quận|xã|phường)"
    r"|cấp (?:tỉnh|thành phố|huyện|xã|trung ương)"
    r"|trên địa bàn(?:\s+(?:tỉnh|thành phố|huyện|xã|phường))?))?"
)


def names_the_addressees(text: str) -> bool:
    """Whether a printed name is a bare collective that can only mean the document's
    addressees ("các cơ quan, đơn vị"; not "các cơ quan có liên quan", "các cơ quan trung ương")."""
    return _ADDRESSEES.fullmatch(lower_form(text).strip(" .,;:")) is not None


def _vague(text: str, directory: NameSource | None) -> bool:
    """A name the directory does not know and that holds no proper name ("các cơ quan"):
    a collective ("thủ trưởng các cơ quan") or a bare kind ("Cơ quan liên quan"), not a
    body's kind at a level ("Ủy ban nhân dân cấp tỉnh": one body in each province)."""
    if directory is not None and directory.match(office_free(text)) is not None:
        return False
    if any(word[:1].isupper() for word in text.split()[1:]):
        return False
    low = lower_form(text)
    return not text[:1].isupper() or _QUANTIFIED_ANYWHERE.search(low) is not None or _BARE.match(low) is not None


_QUANTIFIED_ANYWHERE = re.compile(rf"(?<![\w]){_QUANTIFIER}")


def read_units(clause: str, start: int, directory: NameSource | None, *, whole: bool = False) -> UnitList | None:
    """The unit list opening ``clause`` at ``start``, or None when it does not open with one.

    The list ends at the first predicate verb or colon. With no verb, the rest of the
    clause must itself be the list (a heading such as "6. Các huyện, thành phố:"), and
    with ``whole`` the list must fill the clause.
    """
    while start < len(clause) and clause[start] in " ,:":
        start += 1
    # Parentheses hold short names ("(Ban chỉ đạo)"), remarks or roles ("(chủ trì)"), and
    # quotes a title; neither holds the predicate: blank them, keep offsets.
    blank = _PARENTHESIS.sub(_blanked, clause) if "(" in clause else clause
    if "“" in blank:
        blank = _QUOTED_TITLE.sub(_one_word, blank)
    end = predicate_start(blank, start)
    if whole or end is None:
        end = len(clause)
    region = blank[start:end]
    stripped = region.rstrip(" ,;:.")
    if not stripped.strip() or len(stripped) > _MAX_LIST_CHARS:
        return None
    names = _merge(_pieces(stripped, start), clause, directory)
    if not names:
        return None
    if not whole and end < len(clause) and clause[end] == ":" and (listed := _colon_members(clause, names, end, directory)):
        names, end = listed
    if not whole and (cut := _known_prefix(names[-1], directory)) is not None:
        names[-1], end = cut, cut.end
    undelimited = None
    if not whole and (cut := _grammar_cut(names[-1], blank, directory)) is not None:
        undelimited = names[-1]
        names[-1], end = cut, cut.end
    tidied = [_tidy(n, clause) for n in names]
    if _TIME_ADVERB.search(names[-1].text.strip().rstrip(" ,;")):
        end = tidied[-1].end  # "UBND tỉnh vừa ban hành": the predicate opens with "vừa"
    return UnitList(tidied, end, undelimited)


def _blanked(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _one_word(m: re.Match[str]) -> str:
    """A quoted title as one word of the name around it: no separator, no verb inside."""
    return "“" + "_" * (len(m.group(0)) - 2) + "”"


def _tidy(name: UnitName, clause: str) -> UnitName:
    """``name`` without the spaces around it, a separator a cut left at its end ("các
    Sở, ban ngành," before a party that is no body: "chủ đầu tư kinh doanh hạ tầng") and a
    time or aspect word the predicate opens with ("Tổng công ty nhà nước đến nay chưa có
    ...", "UBND tỉnh vừa ban hành ...")."""
    text = name.text.strip()
    kept = _TIME_ADVERB.sub("", text.rstrip(" ,;")).rstrip(" ,;")
    end = name.end - (len(text) - len(kept))
    return UnitName(kept, name.start, end, name.members, _role_cue(clause, end))


_TIME_ADVERB = re.compile(r"\s+(?:(?:cho\s+)?đến nay|hiện nay|vẫn|đã|đang|vừa|sẽ)$", re.IGNORECASE)
_ROLE_IN_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")


def _role_cue(clause: str, end: int) -> str | None:
    """"Sở Y tế (chủ trì)", "Sở Tài chính (cơ quan phối hợp)": the role the parenthesis right
    after a name gives it."""
    m = _ROLE_IN_PARENTHESIS.match(clause, end)
    inside = lower_form(m.group(1)) if m else ""
    return "lead" if "chủ trì" in inside else "cooperate" if "phối hợp" in inside else None


# A head that only names a kind of body ("Thủ trưởng các cơ quan: Sở A, Sở B"): the
# members written out in full are the units.
_GENERIC_HEAD = re.compile(rf"(?:.*\s)?(?:{_QUANTIFIER})?(?:cơ quan|đơn vị|sở, ban, ngành|sở, ngành|cơ quan, đơn vị)$")
# A head that says its members are listed ("các cơ sở đào tạo trọng điểm gồm: Trường A, Viện B").
_LISTING = re.compile(r"\s(?:bao\s+)?gồm$")
_KIND_ONLY = re.compile(rf"(?:{_QUANTIFIER})?(?:bộ|sở|ban|ngành|cơ quan|đơn vị|cục|vụ|địa phương|tập đoàn)")
_QUANTIFIER_WORD = re.compile(rf"(?<![\w]){_QUANTIFIER}", re.IGNORECASE)


_ROLE_WORDS = ("phối hợp", "chủ trì")
# A member is a name: no figures in it, a few words long.
_NO_MEMBER = re.compile(r"\d")
_MEMBER_WORDS = 10


def _colon_members(
    clause: str, names: list[UnitName], colon: int, directory: NameSource | None
) -> tuple[list[UnitName], int] | None:
    """A shared head over its members, "các Bộ: Quốc phòng, Công an chủ trì ...", "Chủ tịch
    UBND các tỉnh: Hà Tĩnh, Huế phối hợp ...": the members run from the colon to the
    predicate (or the clause's end), each a capitalised name. Members written out in full under a generic head
    ("Thủ trưởng các cơ quan: Văn phòng UBND tỉnh, Sở Xây dựng") are units of their own;
    otherwise the head and its members are one name that keeps the expansion. None when
    nothing follows the colon (a heading over items: "Các huyện, thành phố:")."""
    end = predicate_start(clause, colon + 1)
    if end is None:
        end = len(clause)  # a list that fills the clause: "Giám đốc: Trung tâm A, Trung tâm B;"
    # A heading over items may close its member list with a colon of its own ("1. Các Bộ:
    # Công Thương, Xây dựng:" over "a) Chủ trì ..."); any other second colon is no list's.
    second_colon = end < len(clause) and clause[end] == ":" and bool(clause[end + 1 :].strip())
    if end <= colon + 1 or second_colon or not clause[colon + 1 : end].strip(" ,;."):
        return None
    region = clause[colon + 1 : end].rstrip(" ,;")
    pieces = _pieces(region, colon + 1)
    if not pieces or len(region) > _MAX_LIST_CHARS or not all(p.text.strip()[:1].isupper() for p in pieces[:1]):
        return None
    task = lower_form(region.strip()).startswith(_ROLE_WORDS)  # "X và Y: Phối hợp với Sở Tài chính ..."
    if task or starts_with_verb(region.strip()) and not (len(pieces) > 1 and all(p.text.strip()[:1].isupper() for p in pieces)):
        return None  # "Ủy ban nhân dân cấp xã: Rà soát, ...": a heading and its task ("Các Sở: Xây dựng, Y tế" is not)
    # The head is the last name and the bare kinds before it ("Các Bộ, cơ quan: Tài chính, ...").
    k = len(names) - 1
    while k > 0 and _KIND_ONLY.fullmatch(lower_form(names[k - 1].text.strip())):
        k -= 1
    head = names[-1]
    full = _merge([_trimmed(p) for p in pieces], clause, directory)
    generic = _GENERIC_HEAD.match(lower_form(head.text)) or _LISTING.search(lower_form(head.text))
    if full and generic and all(looks_organisational(n.text, directory) for n in full):
        return names[:-1] + full, end
    stem = _QUANTIFIER_WORD.sub("", names[k].text).strip()
    # The members are capitalised; a catch-all after them ("và các cơ quan liên quan") is a name of its own.
    # So is an office holder after them ("Bộ trưởng các Bộ: Tài chính, Xây dựng, Thống đốc Ngân hàng ...").
    tail = next((i for i, p in enumerate(pieces)
                 if not p.text.strip()[:1].isupper() or i and _OFFICE.match(lower_form(p.text.strip()))), len(pieces))
    pieces, rest = pieces[:tail], _merge(pieces[tail:], clause, directory) or [] if tail < len(pieces) else []
    if any(_NO_MEMBER.search(p.text) or len(p.text.split()) > _MEMBER_WORDS for p in pieces):
        return None  # "+ Xã Tân Tiến: Lấy mẫu 01 vị trí ...": what is done there, no member's name
    pieces = _whole_members(stem, pieces, clause, directory)
    members = tuple(_member_name(stem, p.text.strip(), directory) for p in pieces)
    start = names[k].start
    return names[:k] + [UnitName(clause[start : pieces[-1].end], start, pieces[-1].end, members), *rest], end


_LEVEL_CHOICE = re.compile(rf"^(.*?\s)({_LEVELS}(?:\s*,\s*{_LEVELS})+)$")


def _member_name(stem: str, member: str, directory: NameSource | None) -> str:
    """A member's own name under its head: "UBND tỉnh, thành phố" over "Huế" is "UBND thành
    phố Huế" when the directory's unit of that name is a thành phố; otherwise the head as
    printed before the member."""
    m = _LEVEL_CHOICE.match(lower_form(stem))
    if m and directory is not None:
        head = stem[: m.end(1)]
        levels = re.split(r"\s*,\s*", stem[m.start(2) :])
        match = directory.match(f"{head}{levels[0]} {member}")
        known = lower_form(match.unit.name) if match is not None else ""
        for level in levels:
            if known.endswith(lower_form(f"{level} {member}")):
                return f"{head}{level} {member}"
    return f"{stem} {member}"


def _whole_members(stem: str, pieces: list[UnitName], clause: str, directory: NameSource | None) -> list[UnitName]:
    """Members a separator split that the directory knows whole under the head ("Các Sở:
    Giáo dục và Đào tạo, Y tế" -> "Giáo dục và Đào tạo", "Y tế")."""
    out: list[UnitName] = []
    i = 0
    while i < len(pieces):
        j = i
        if directory is not None:
            exact = _longest_run(
                pieces, i, clause, 4, lambda text, _: (m := directory.match(f"{stem} {text}")) is not None and m.score == 100.0
            )
            j = i if exact is None else exact
        out.append(UnitName(clause[pieces[i].start : pieces[j].end], pieces[i].start, pieces[j].end))
        i = j + 1
    return out


def _longest_run(
    pieces: list[UnitName], i: int, clause: str, most: int, known: Callable[[str, int], bool]
) -> int | None:
    """The last piece of the longest run of at least two pieces from ``pieces[i]`` (at most
    ``most``) whose text is ``known``, or None."""
    for j in range(min(len(pieces), i + most) - 1, i, -1):
        if known(clause[pieces[i].start : pieces[j].end], j):
            return j
    return None


# Lower-case words a name may run on with: levels, places and kinds of body.
_NAME_WORDS = {
    "tỉnh", "thành", "phố", "huyện", "xã", "phường", "quận", "thị", "trấn", "đặc", "khu", "cấp", "các", "và",
    "trực", "thuộc", "trung", "ương", "nhân", "dân", "liên", "quan", "ngang", "bộ", "cơ", "đơn", "vị",
    "công", "ty", "nhà", "nước",  # "Tổng công ty nhà nước", "doanh nghiệp nhà nước"
}
_HEAD_WORDS = {h.split()[0] for h in _FIRM_HEADS + _SOFT_HEADS}
# A run of this many lower-case syllables, none of them such words, is a predicate.
_PREDICATE_RUN = 6


_RELATED_END = re.compile(r"^(?:\S+\s+){1,12}?(?:có\s+)?liên quan(?![\w])")


def _grammar_cut(name: UnitName, blank: str, directory: NameSource | None) -> UnitName | None:
    """The name ended by its grammar when no listed verb ended it.

    A unit's name is a head and capitalised words, each with its lower-case syllables
    ("Bộ Tài chính", "Trung tâm Phục vụ hành chính công tỉnh"), and place or level words.
    A long run of other lower-case syllables ("Bộ Tài chính đưa nội dung thực thi ...") is
    the predicate: the name ends before the run, or after its first syllable when that
    follows a capitalised word (the compound "Tài chính"). Names the directory knows are
    never cut, nor a body named by where it acts ("Chi cục Hải quan nơi lưu giữ hàng hóa
    tạm nhập"): its relative clause runs to the verb. Words in parentheses (``blank``: the
    clause with them blanked) do not count."""
    if directory is not None and directory.match(office_free(name.text)) is not None:
        return None
    printed = blank[name.start : name.end]
    words = [m.group(0) for m in re.finditer(r"\S+", printed)]
    ends = [m.end() for m in re.finditer(r"\S+", printed)]
    capital = [any(part[:1].isupper() for part in w.split("-")) for w in words]  # "Công nghiệp-Năng lượng"
    if words and lower_form(words[0]) in ("các", "những", "mỗi", "từng"):
        capital[0] = False  # "Các doanh nghiệp ...": capitalised as the sentence's first word, no name's
    if (related := _RELATED_END.search(lower_form(printed))) and (rest := printed[related.end() :].strip(" .,;")):
        # A catch-all ends with "(có) liên quan" unless a name follows: "các cơ quan liên quan mở
        # rộng diện xét ...", "các Bộ, ngành, cơ quan liên quan và tham khảo ý kiến ..."
        if not looks_organisational(re.sub(r"^(?:và|cùng)\s+", "", rest), directory):
            return UnitName(name.text[: related.end()], name.start, name.start + related.end())
    seen_capital, run, start = False, 0, 0
    for k, word in enumerate(words):
        low = lower_form(word).rstrip(",;")
        if capital[k]:
            seen_capital, run = True, 0
        elif seen_capital and low == "nơi":
            return None  # "Chi cục Hải quan nơi lưu giữ hàng hóa tạm nhập": named by what it does, to the verb
        elif low in ("và", "cùng") or word.endswith((",", ";")):
            run = 0  # a new name of the list begins
        elif seen_capital and low not in _NAME_WORDS:
            run += 1
            if run == 1:
                start = k
            if run == _PREDICATE_RUN:
                end = ends[start] if _compound_syllable(words, capital, start) else ends[start - 1]
                return UnitName(name.text[:end], name.start, name.start + end)
    return None


def _compound_syllable(words: list[str], capital: list[bool], k: int) -> bool:
    """Whether lower-case word ``k`` ends a capitalised compound ("Tài chính" in "Bộ Tài
    chính"): it follows one capitalised syllable that follows a head noun or a lower-case
    word -- not a proper name, whose syllables are all capitalised ("Tuyên Quang")."""
    if k == 0 or not capital[k - 1]:
        return False
    return k < 2 or not capital[k - 2] or lower_form(words[k - 2]) in _HEAD_WORDS


# Lower-case words that carry a name on ("Ủy ban nhân dân tỉnh Đồng Nai"): no cut before them.
_NAME_GOES_ON = {
    "tỉnh", "huyện", "thành", "thị", "xã", "phường", "quận", "thôn", "và", "của", "các", "tại", "trực", "cấp",
    "trưởng",  # "Bộ" / "trưởng": an office ("các Bộ trưởng"), not the ministries
    "khu", "chi",  # a branch: "Kho bạc Nhà nước khu vực XI", "Ngân hàng Nhà nước chi nhánh ..."
}


def _known_prefix(name: UnitName, directory: NameSource | None) -> UnitName | None:
    """The longest start of an unknown ``name`` that is exactly a directory name and is
    followed by a lower-case word: the predicate began with a verb the list above lacks
    ("Ủy ban Kiểm tra Tỉnh ủy đưa nội dung ...")."""
    if directory is None or directory.match(office_free(name.text)) is not None:
        return None
    words = list(re.finditer(r"\S+", name.text))
    head = _FIRM.match(lower_form(name.text))
    for k in range(len(words) - 1, 0, -1):
        prefix = name.text[: words[k - 1].end()]
        following = lower_form(words[k].group(0)).rstrip(",;.:")
        if not words[k].group(0)[:1].islower() or following in _NAME_GOES_ON or prefix[-1] in ",;-–":
            continue  # the name goes on, or the list does ("các sở, ban, ngành", "các Sở - ngành")
        if head is not None and len(prefix) < head.end():
            break  # inside its head noun ("Thuế" of "Thuế cơ sở 3 ...")
        match = directory.match(office_free(prefix))
        if match is not None and match.score == 100.0:
            return UnitName(prefix, name.start, name.start + len(prefix))
    return None
