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

import re
from dataclasses import dataclass
from functools import lru_cache

from vanthu.directory import UnitDirectory

from vanthu.normalize import tone_normalize


@lru_cache(maxsize=8192)
def lower_form(text: str) -> str:
    """Tone-normalised lower case with the printed text's offsets."""
    low = tone_normalize(text).lower()
    return low if len(low) == len(text) else "".join(c.lower()[0] for c in tone_normalize(text))


# Head nouns that name an organisation (or an office holder, whose unit is meant) whatever
# follows them.
_FIRM_HEADS = [
    "ủy ban", "ubnd", "hđnd", "hội đồng nhân dân", "công an", "văn phòng", "thanh tra", "bảo hiểm xã hội",
    "huyện ủy", "thành ủy", "thị ủy", "tỉnh ủy", "quận ủy", "đảng ủy", "đảng đoàn", "ban cán sự", "mặt trận",
    "mttq", "tỉnh đoàn", "thành đoàn", "liên đoàn", "cơ quan", "đơn vị", "địa phương", "trung tâm",
    "bệnh viện", "chi cục", "tổng cục", "kho bạc", "ngân hàng", "bộ chỉ huy", "bộ đội", "ban chỉ đạo", "bcđ",
    "ban quản lý", "ban thường vụ", "ban chấp hành", "thường trực", "người đứng đầu", "thủ trưởng",
    "tổ chức đảng", "tổ chức cơ sở đảng", "tổ chức chính trị", "cấp ủy", "chính quyền", "doanh nghiệp",
    "trạm y tế", "hội liên hiệp", "hội nông dân", "hội cựu chiến binh", "hội chữ thập đỏ", "đoàn thể",
    "đoàn thanh niên", "các đồng chí", "giám đốc", "phó giám đốc", "chủ tịch", "chánh văn phòng",
    "chánh thanh tra", "trưởng ban", "bí thư", "chỉ huy trưởng", "tổng giám đốc", "công ty", "tổng công ty",
    "tập đoàn", "hợp tác xã", "hội đặc thù", "ban đảng", "ban tổ chức", "ban tuyên giáo", "ban dân vận", "ban nội chính",
    "thành viên ban", "tổ công tác", "tổ covid", "lực lượng",
]
# Short heads that are also ordinary words ("báo cáo", "xã hội", "phòng, chống"): they
# count only after a quantifier ("các sở") or before a capitalised name ("Sở Y tế").
_SOFT_HEADS = [
    "sở", "bộ", "ban", "hội", "đài", "báo", "viện", "trường", "phòng", "tổ", "đoàn", "huyện", "thành phố",
    "thị xã", "xã", "phường", "thị trấn", "quận", "ngành", "cấp", "cục", "quỹ", "học viện", "lãnh đạo",
    "ủy viên", "cấp ủy viên",
]
_QUANTIFIER = r"(?:(?:tất cả|toàn thể)\s+)?(?:các|những|mỗi|từng)\s+"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_FIRM = re.compile(rf"(?:{_QUANTIFIER})?(?:{_alternation(_FIRM_HEADS)})(?![\w])")
_SOFT_AFTER_QUANTIFIER = re.compile(rf"{_QUANTIFIER}(?:{_alternation(_SOFT_HEADS)})(?![\w])")
_SOFT = re.compile(rf"(?:{_alternation(_SOFT_HEADS)})\s+(?=\S)")
# Office holders: the unit they head is what the directory knows.
_OFFICE = re.compile(
    r"^(?:phó\s+)?(?:giám đốc|tổng giám đốc|chủ tịch|chánh|trưởng ban|trưởng|thủ trưởng|bí thư|"
    r"chỉ huy trưởng|người đứng đầu|lãnh đạo)\s+"
)

# Predicate openers: the verbs and modals that end a subject list. Matched only where the
# printed word is lower case, so names like "Sở Xây dựng" or "Ủy ban Kiểm tra" survive.
_VERBS = [
    "chủ trì", "phối hợp", "có trách nhiệm", "chịu trách nhiệm", "tham mưu", "tiếp tục", "tập trung",
    "chỉ đạo", "thực hiện", "triển khai", "không", "khẩn trương", "tăng cường", "căn cứ", "theo chức năng",
    "phải", "cần", "rà soát", "xây dựng", "hướng dẫn", "nghiên cứu", "đẩy mạnh", "thường xuyên",
    "chủ động", "kiểm tra", "đôn đốc", "báo cáo", "nắm", "theo dõi", "bố trí", "hỗ trợ", "quán triệt",
    "ban hành", "đề xuất", "tuyên truyền", "giám sát", "bảo đảm", "đảm bảo", "phát huy", "xử lý",
    "kịp thời", "nghiêm túc", "sớm", "cung cấp", "phân bổ", "đã", "đang", "sẽ", "được", "gương mẫu",
    "quyết liệt", "vận động", "hoàn thành", "tổng hợp", "tích cực", "chuẩn bị", "ưu tiên", "giải quyết",
    "lập", "thẩm định", "duy trì", "nâng cao", "huy động", "tiến hành", "khắc phục", "thành lập",
    "bổ sung", "cập nhật", "công bố", "thông báo", "chấp hành", "kiểm soát", "quản lý", "củng cố",
    "chăm lo", "phổ biến", "thống nhất", "tiếp nhận", "điều hành", "thi hành", "dừng", "tạm dừng",
    "xem xét", "đánh giá", "phát hiện", "xác định", "mua sắm", "điều tra", "tiêm", "xét nghiệm",
    "tham gia", "đề nghị", "yêu cầu", "giao", "có kế hoạch", "có văn bản", "có ý kiến", "có báo cáo",
    "có giải pháp", "có phương án", "trình", "cử", "ký", "làm", "nhanh chóng", "thông tin", "liên hệ",
    "cụ thể hóa", "hằng", "hàng", "định kỳ", "trực tiếp", "lựa chọn", "rà", "ứng phó",
]
# "tổ chức" is a verb unless it names Party or political organisations ("tổ chức đảng").
_VERB = re.compile(
    rf"(?<![\w])(?:{_alternation(_VERBS)}|tổ chức(?!\s*(?:đảng|cơ sở|chính trị|hội|đoàn|xã hội|,)))(?![\w])"
)
# A verb right after one of these words is part of a name ("Ban Chỉ đạo", "các ban chỉ đạo",
# "Ủy ban Kiểm tra") when the word opens the name: capitalised, or after a quantifier, a
# separator or the list's start -- not "Bộ Quốc phòng hướng dẫn ...".
_NAME_BEFORE_VERB = re.compile(
    r"(?:^|(?<=[,;(])\s*|(?<=\s)(?=[A-ZĐÀ-Ỹ])|(?<=[Cc]ác\s)|(?<=[Nn]hững\s)|(?<=\svà\s))"
    r"(?i:ban|ủy ban|uỷ ban|trung tâm|cục|chi cục|phòng|sở|tổ|ban cán sự đảng|đội)\s$"
)
# Separators between the names of a list; "nhất là" introduces a member worth naming.
_SEPARATOR = re.compile(r"\s*[,;]\s*(?:nhất là\s+|đặc biệt là\s+|trong đó có\s+)?|\s+(?:và|cùng|cùng với|với)\s+(?:cả\s+)?")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
# A bare level or kind of body ("đơn vị", "các cấp", "địa phương liên quan") continues the
# vague name before it: "thủ trưởng các cơ quan, đơn vị, địa phương" is one addressee.
_BARE = re.compile(
    rf"(?:{_QUANTIFIER})?(?:cơ quan|đơn vị|địa phương|cấp|ngành)"
    r"(?:\s+(?:có\s+)?liên quan|\s+(?:trên địa bàn|trong|của)(?:\s+(?:tỉnh|thành phố|huyện))?)?$"
)
_MAX_LIST_CHARS = 400


@dataclass(frozen=True)
class UnitName:
    text: str  # as printed
    start: int
    end: int


@dataclass(frozen=True)
class UnitList:
    names: list[UnitName]
    end: int  # offset in the clause where the predicate begins


def looks_organisational(text: str, directory: UnitDirectory | None) -> bool:
    """Whether a name as printed opens like an organisation (or is a directory name)."""
    low = lower_form(text)
    if _FIRM.match(low) or _SOFT_AFTER_QUANTIFIER.match(low):
        return True
    m = _SOFT.match(low)
    if m:
        nxt = text[m.end() :]
        if nxt[:1].isupper() and not nxt.isupper() or re.match(r"[A-ZĐ]{2,}|các\s", nxt):
            return True
    return directory is not None and directory.match(text) is not None


def office_free(text: str) -> str:
    """"Giám đốc Sở Y tế" -> "Sở Y tế": the unit an office holder stands for."""
    m = _OFFICE.match(lower_form(text))
    return text[m.end() :] if m and m.end() < len(text) else text


def predicate_start(clause: str, start: int = 0) -> int | None:
    """Offset of the first predicate verb or colon after ``start``; None when there is none."""
    low = lower_form(clause)
    colon = clause.find(":", start)
    for m in _VERB.finditer(low, start):
        if colon != -1 and colon < m.start():
            return colon
        if m.start() == start or not clause[m.start()].islower():
            continue
        if _NAME_BEFORE_VERB.search(clause[start : m.start()]):
            continue
        return m.start()
    return colon if colon != -1 else None


def _pieces(region: str, offset: int) -> list[UnitName]:
    pieces, pos = [], 0
    for m in _SEPARATOR.finditer(region):
        if m.start() > pos:
            pieces.append(UnitName(region[pos : m.start()], offset + pos, offset + m.start()))
        pos = m.end()
    if pos < len(region):
        pieces.append(UnitName(region[pos:], offset + pos, offset + len(region)))
    return pieces


def _merge(pieces: list[UnitName], clause: str, directory: UnitDirectory | None) -> list[UnitName] | None:
    """Pieces -> names: the longest run the directory knows, else a head piece plus the
    pieces that cannot start a name ("Sở Lao động", "Thương binh và Xã hội")."""
    names: list[UnitName] = []
    i = 0
    while i < len(pieces):
        taken = None
        if directory is not None:
            for j in range(min(len(pieces), i + 6) - 1, i, -1):
                text = clause[pieces[i].start : pieces[j].end]
                if directory.match(office_free(text)):
                    taken = j
                    break
        if taken is None:
            if not looks_organisational(pieces[i].text, directory):
                if not names:
                    return None
                names[-1] = UnitName(clause[names[-1].start : pieces[i].end], names[-1].start, pieces[i].end)
                i += 1
                continue
            taken = i
        name = UnitName(clause[pieces[i].start : pieces[taken].end], pieces[i].start, pieces[taken].end)
        if names and _BARE.match(lower_form(name.text)) and _vague(names[-1].text, directory):
            prev = names.pop()
            name = UnitName(clause[prev.start : name.end], prev.start, name.end)
        names.append(name)
        i = taken + 1
    return names or None


def _vague(text: str, directory: UnitDirectory | None) -> bool:
    """A name the directory does not know and that holds no proper name ("các cơ quan")."""
    if directory is not None and directory.match(office_free(text)) is not None:
        return False
    return not any(word[:1].isupper() for word in text.split()[1:])


def read_units(clause: str, start: int, directory: UnitDirectory | None, *, whole: bool = False) -> UnitList | None:
    """The unit list opening ``clause`` at ``start``, or None when it does not open with one.

    The list ends at the first predicate verb or colon. With no verb, the rest of the
    clause must itself be the list (a heading such as "6. Các huyện, thành phố:"), and
    with ``whole`` the list must fill the clause.
    """
    while start < len(clause) and clause[start] in " ,:":
        start += 1
    end = predicate_start(clause, start)
    if whole or end is None:
        end = len(clause)
    region = clause[start:end]
    # Parentheses hold short names ("(Ban chỉ đạo)") or remarks: blank them, keep offsets.
    region = _PARENTHESIS.sub(lambda m: " " * len(m.group(0)), region)
    stripped = region.rstrip(" ,;:.")
    if not stripped.strip() or len(stripped) > _MAX_LIST_CHARS:
        return None
    names = _merge(_pieces(stripped, start), clause, directory)
    if not names:
        return None
    if not whole and (cut := _known_prefix(names[-1], directory)) is not None:
        names[-1], end = cut, cut.end
    return UnitList([UnitName(n.text.strip(), n.start, n.end) for n in names], end)


# Lower-case words that carry a name on ("Ủy ban nhân dân tỉnh Đồng Nai"): no cut before them.
_NAME_GOES_ON = {"tỉnh", "huyện", "thành", "thị", "xã", "phường", "quận", "thôn", "và", "của", "các", "tại", "trực", "cấp"}


def _known_prefix(name: UnitName, directory: UnitDirectory | None) -> UnitName | None:
    """The longest start of an unknown ``name`` that is exactly a directory name and is
    followed by a lower-case word: the predicate began with a verb the list above lacks
    ("Ủy ban Kiểm tra Tỉnh ủy đưa nội dung ...")."""
    if directory is None or directory.match(office_free(name.text)) is not None:
        return None
    words = list(re.finditer(r"\S+", name.text))
    for k in range(len(words) - 1, 0, -1):
        prefix = name.text[: words[k - 1].end()]
        if not words[k].group(0)[:1].islower() or lower_form(words[k].group(0)) in _NAME_GOES_ON:
            continue
        match = directory.match(office_free(prefix))
        if match is not None and match.score == 100.0:
            return UnitName(prefix, name.start, name.start + len(prefix))
    return None
