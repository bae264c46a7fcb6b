"""The closing block: distribution list ("Nơi nhận") and signature.

The closing starts at the first "Nơi nhận" line or signature-authority line after the
body; layouts put either first. Signature authority prefixes: state TM./KT./TL./TUQ./Q.,
Party T/M, K/T, T/L (Decree 30, Guideline 36). Keywords match on folded text, so
"Noi nhan" or "Nơi nhân" from OCR still count.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from vanthu.events import Recipient, Signer

from services.parse.header import is_upper
from vanthu.normalize import CAPITALS, fold, is_appendix_title

_DISTRIBUTION = re.compile(r"^noi nhan\s*:?\s*")
# The prefix's dot may touch the body ("KT.BỘ TRƯỞNG"): OCR drops narrow spaces, and may read
# the dot as a comma ("KT, CHỦ TỊCH").
_AUTHORITY = re.compile(r"^(t\s*/\s*m|k\s*/\s*t|t\s*/\s*l|t\.\s*m|tm|kt|tl|tuq|q)\s*(?:[.:/,]\s*|\s+)(?=\S)")
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
_NAME = re.compile(rf"^(?:[{CAPITALS}][a-zà-ỹđ]*)(?:\s+[{CAPITALS}][a-zà-ỹđ]*){{1,5}}$")


# A copy's mark that the original was signed, after the name it prints for the signature:
# "Nguyễn Văn An (Đã ký)".
_SIGNED = re.compile(r"\s*[(\[]\s*(?:đã\s+ký|đã\s+kí)\s*[)\]]\s*$", re.IGNORECASE)


def _signed_name(line: str) -> str | None:
    """The name of a line "<name> (Đã ký)", or None."""
    if not line.rstrip().endswith((")", "]")):
        return None  # (what _SIGNED needs, checked before its search over every line)
    name = _SIGNED.sub("", line)
    return name.strip() if name != line and _is_name(name.strip()) else None


# An authority prefix alone on its line, its body on the next ("KT." / "CHỦ TỊCH").
_BARE_AUTHORITY = re.compile(r"^(?:t\s*/\s*m|k\s*/\s*t|t\s*/\s*l|tm|kt|tl|tuq)\s*[.:/]?$")
# A piece of a personal name: capitalised words, not in capitals ("Vũ" / "Chiến Thắng").
_NAME_PART = re.compile(rf"^(?:[{CAPITALS}][a-zà-ỹđ]*)(?:\s+[{CAPITALS}][a-zà-ỹđ]*){{0,4}}$")
_NAME_WORDS = (2, 5)  # Vietnamese names: family name, middle names, given name
# A military or police rank, or an academic title, printed before a signer's name: no part of it.
_NAME_PREFIX = re.compile(
    r"^(?:(?:đại|thượng|trung|thiếu)\s+(?:tướng|tá|úy|uý)|(?:(?:gs|pgs|ts|ths|bs|ks)\.?\s*)+)\s+", re.IGNORECASE
)


def is_authority(line: str) -> bool:
    return bool(_AUTHORITY.match(fold(line[:8]))) and is_upper(line)


def _bare_authority(lines: list[str], i: int) -> bool:
    line = lines[i]
    return len(line) <= 8 and bool(_BARE_AUTHORITY.match(fold(line))) and i + 1 < len(lines) and is_upper(lines[i + 1])


def _signature_lines(tail: list[str]) -> list[str]:
    """The closing's lines with what the signature table broke re-joined: a bare authority
    prefix with its body ("KT." / "CHỦ TỊCH"), and an authority's body broken before the
    next authority ("TM. ỦY BAN NHÂN" / "DÂN" / "KT. CHỦ TỊCH")."""
    lines: list[str] = []
    i = 0
    while i < len(tail):
        if _bare_authority(tail, i):
            lines.append(f"{tail[i]} {tail[i + 1]}")
            i += 2
            continue
        if (
            lines
            and is_authority(lines[-1])
            and i + 1 < len(tail)
            and is_upper(tail[i], 2)
            and not is_authority(tail[i])
            and (is_authority(tail[i + 1]) or _bare_authority(tail, i + 1))
        ):
            lines[-1] = f"{lines[-1]} {tail[i]}"
        else:
            lines.append(tail[i])
        i += 1
    return lines


def _syllables(words: list[str]) -> bool:
    """Every word is Vietnamese letters with a vowel, as every syllable is, its marks on
    vowels and at most one tone mark: OCR debris ("Vfr", "Høơäng", "Pñi", "Phạếm") is not."""
    return all(_SYLLABLE.fullmatch(_folded(word)) and _marked_as_spoken(word) for word in words)


def _folded(word: str) -> str:
    """``word`` folded, with the foreign "ø" OCR reads for an "o" whose marks blurred ("Caø") as the "o"."""
    return fold(word).replace("ø", "o")


# Vietnamese marks, as Unicode decomposes them: the tones (huyền, sắc, ngã, hỏi, nặng) and
# the vowels' own (circumflex, breve, horn).
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWEL_MARKS = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aeiouy")


def _marked_as_spoken(word: str) -> bool:
    """Whether ``word``'s marks are a syllable's: each on a vowel, one tone at most."""
    base, tones = "", 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if not unicodedata.combining(ch):
            base = ch
        elif base not in _VOWELS or ch not in _TONE_MARKS | _VOWEL_MARKS:
            return False
        else:
            tones += ch in _TONE_MARKS
    return tones <= 1


def _name_in_capitals(line: str) -> str | None:
    """A personal name printed in capitals ("NÔNG ĐỨC MẠNH" -> "Nông Đức Mạnh"): two to
    five syllables opening with a common family name; None otherwise (a title, a body)."""
    words = [w.capitalize() for w in line.split()]
    if not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1] or not all(w.isalpha() for w in words):
        return None
    # Spelt as the family name is, tones and all: "CHỦ TỊCH" is no "Chu".
    return " ".join(words) if words[0] in _FAMILY_NAMES.values() and _syllables(words) else None


# The titles of heads who sign and speak for their body (folded): over a name in the
# signature block ("Chủ tịch" / "NÔNG ĐỨC MẠNH"), opening a speaker's sentence in the body.
HEAD_TITLES = (
    "chu tich", "giam doc", "tong giam doc", "bo truong", "thu tuong", "cuc truong", "tong cuc truong",
    "truong ban", "chanh van phong", "chanh an", "vien truong", "thong doc", "tong kiem toan", "chu nhiem",
    "bi thu",
)
_TITLE_CASE = re.compile(rf"(?:pho\s+)?(?:{'|'.join(HEAD_TITLES)})")


def _name_at(lines: list[str], i: int) -> str | None:
    """The personal name starting at line ``i``, joined when the block broke it over lines."""
    words: list[str] = []
    while i < len(lines) and _NAME_PART.match(line := _NAME_PREFIX.sub("", lines[i])) and not is_upper(line, 2):
        part = line.split()
        # An OCR speck ("ˆ") or a vowel-less fragment is no name; nor is a lone capital on a
        # line above one (a signature's stroke read as "Ậ").
        if not all(word[0].isupper() for word in part) or not _syllables(part) or not words and part == [part[0][:1]]:
            break
        # Two pieces of two words or more are two names, not one broken name.
        if words and len(words) > 1 and len(part) > 1 or len(words) + len(part) > _NAME_WORDS[1]:
            break
        if words and len(part) > 1 and _family(part[0]) and not _family(words[0]):
            words = []  # a seal's rim word over the name ("Nước" over "Bùi Thanh An"): the name starts here
        words += part
        i += 1
    if not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1]:
        return None
    first = family_misread(words[0]) or words[0]
    if len(words) == _NAME_WORDS[0] and family_name(first) is None:
        return None  # two words without a family name: a name whose first word a seal took ("Thanh Bình")
    return " ".join([first, *words[1:]])


def _family(word: str) -> str | None:
    return family_name(word) or family_misread(word)


def family_misread(word: str, *, cut: bool = False) -> str | None:
    """The family name a long first word is, read with one letter too many, too few or
    wrong ("Nguyễyn" -> "Nguyễn"), when it is no family name itself and exactly one is
    that close; a short word ("Lò", "Hà") is too close to too many to tell, unless its
    wrong letter is the foreign "ø" for an "o" ("Caø" -> "Cao"). A word ``cut`` short (a
    mark took its last letter: "Nguyệ") may be a well-formed syllable and still be read."""
    folded = fold(word)
    if folded != _folded(word):
        return family_name(word)
    if folded in _FAMILY_NAMES or len(folded) < _LONG_FAMILY or not cut and _WELL_FORMED.fullmatch(folded):
        return None  # a well-formed syllable may be a family name of its own ("Khương", not "Khổng")
    found = {name for key, name in _FAMILY_NAMES.items() if len(key) >= _LONG_FAMILY - 1
             and Levenshtein.distance(key, folded, score_cutoff=1) <= 1}
    return found.pop() if len(found) == 1 else None


# Common Vietnamese family names (a closed set), by folded form. A signature line read
# through a seal or a pen stroke ("b= lì Nguyễn Văn An", "ÑØ@uyễn Văn An") is trusted as a
# name only when it starts with one, or when its damaged first word ends like exactly one.
_FAMILY_NAMES = {
    fold(name): name
    for name in (
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh "
        "Trương Đinh Lâm Phùng Mai Tô Hà Tạ Lưu Lương Châu Cao Chu Thái Đậu Triệu Kiều Nghiêm Quách "
        "Tăng Lại Mạc Khúc Thân Hứa Từ Giang Tống Diệp Lò Lục Nông Hầu Doãn Khổng Khuất Kim Lã Mã "
        "Ninh Quan Tôn Thạch Cù Đàm Đồng Bế Mạnh Lữ Viên"
    ).split()
}


def well_formed(word: str) -> bool:
    """Whether ``word`` has a Vietnamese syllable's shape: an onset, one to three vowels and
    a coda, its marks a syllable's ("Quỳnh", "Nguyễn"); a letter misread breaks it ("Yhanh"
    for "Thanh", "Nguyễyn", "Thaïnh")."""
    return bool(_WELL_FORMED.fullmatch(fold(word))) and _marked_as_spoken(word)


def family_spelled(word: str) -> str | None:
    """The common family name ``word`` spells, its vowels' own marks included and only its
    tone mark aside ("Høãng" -> "Hoàng"; not "Tang" for "Tăng"); None if none."""
    return _SPELLED.get(_untoned(word))


def _untoned(word: str) -> str:
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", word.lower().replace("ø", "o")) if ch not in _TONE_MARKS))


_SPELLED = {_untoned(name): name for name in _FAMILY_NAMES.values()}


def family_name(word: str) -> str | None:
    """The common Vietnamese family name ``word`` is, tone marks aside ("Phậm" -> "Phạm") and
    an "o" read as the foreign "ø" ("Caø" -> "Cao"); None if none."""
    return _FAMILY_NAMES.get(_folded(word))


_FRAGMENT = 3  # letters: fewer end like too many family names
_LONG_FAMILY = 5  # letters, folded: a shorter misread first word is too close to too many family names
# A Vietnamese syllable, folded: onset, one to three vowels, coda ("nguyen", "khuong"; not "nguyeyn").
_WELL_FORMED = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")
# Folded letters of Vietnamese syllables: the script has no f, j, w or z ("Fhị" is "Thị" misread).
_SYLLABLE = re.compile(r"[a-eg-ik-vxy]*[aeiouy][a-eg-ik-vxy]*")
_WORD = re.compile(rf"[{CAPITALS}][a-zà-ỹđ]*")
# A capital letter split from the rest of its word ("N gọc"): OCR broke the word.
_SPLIT_WORD = re.compile(rf"\b([{CAPITALS}]) ([a-zà-ỹđ]+)\b")
_FOLDED_TAIL = re.compile(r"[a-z]+$")
_LEADING_DEBRIS = re.compile(r"^[\W_]+")


def _family_from_fragment(token: str) -> str | None:
    """The family name a damaged first word is the end of ("rần" -> "Trần", "Høơäng",
    "Høäng" -> "Hoàng"), when exactly one ends that way; None otherwise."""
    if _WORD.fullmatch(token) and _syllables([token]):
        return None
    # The letters after the damage; or with the "ø" read as the "o" it was ("Høäng": "ang" ends
    # too many names, "hoang" one).
    for folded in dict.fromkeys((fold(token), _folded(token))):
        tail = _FOLDED_TAIL.search(folded)
        if tail is None or len(tail.group()) < _FRAGMENT:
            continue
        found = {name for key, name in _FAMILY_NAMES.items() if key.endswith(tail.group()) and key != fold(token)}
        if len(found) == 1:
            return found.pop()
    return None


def _noisy_name(line: str) -> str | None:
    """The personal name ending a signature-block line that OCR noise, a rank or a damaged
    family name before two words or more precedes ("b= lì tổ Nguyễn Văn An", "tá Đậu Xuân
    Bảo", "rần Văn An"); None unless it starts with a family name, so a cut name ("Văn An",
    "hong Phú") is never returned."""
    tokens = _SPLIT_WORD.sub(r"\1\2", _NAME_PREFIX.sub("", line.strip())).split()
    while tokens and not any(c.isalpha() for c in tokens[-1]):  # a speck after the name ("`", "/.")
        tokens.pop()
    k = len(tokens)
    while k > 0 and _WORD.fullmatch(tokens[k - 1]) and _syllables(tokens[k - 1 : k]):
        k -= 1
    run = tokens[k:]
    if k > 0 and len(run) >= _NAME_WORDS[0] and (family := _family_from_fragment(tokens[k - 1])):
        # A fragment mends a family name only before a whole given name: what cut the family
        # name may have taken the middle name too ("hong Phú" for "Phan Phong Phú").
        run.insert(0, family)
    if not run or family_name(run[0]) is None:
        return None
    return " ".join(run) if _NAME_WORDS[0] <= len(run) <= _NAME_WORDS[1] else None


_SIGNATURE_SPAN = 4  # lines: title, "(đã ký)", name
_TITLE_WORDS = 6
_NOISE_SPAN = 8  # lines after the title or distribution that may hold seal and signature debris


def closing_start(lines: list[str], start: int) -> int:
    """Index of the first closing line at or after ``start`` (``len(lines)`` when none).

    Besides "Nơi nhận" and authority lines, a head who signs in their own name ("THỦ
    TƯỚNG" / "Phạm Minh Chính", no T/M or KT.) opens the closing: a short upper-case
    title with a personal name after it, among the last lines or right after the body's
    closing mark "./." (a published copy prints no "Nơi nhận", and its appendix follows),
    and a name marked "(Đã ký)" with no title (an old copy's closing, its appendices after it).
    """
    for i in range(start, len(lines)):
        if _DISTRIBUTION.match(fold(lines[i][:12])) or is_authority(lines[i]) or _bare_authority(lines, i):
            return i
        if _signed_name(lines[i]):
            return i  # a copy that prints only the signer's name and "(Đã ký)", its appendices after it
        if _SIGNED.fullmatch(lines[i]) and (begin := _around_mark(lines, i)) is not None:
            return begin
        if not (len(lines[i].split()) <= _TITLE_WORDS and is_upper(lines[i])):
            continue
        if len(lines) - i - 1 < _SIGNATURE_SPAN and any(_is_name(line) for line in lines[i + 1 :]):
            return i
        if i and lines[i - 1].rstrip().endswith("/.") and any(_is_name(line) for line in lines[i + 1 : i + 4]):
            return i
    return len(lines)


def _around_mark(lines: list[str], i: int) -> int | None:
    """Where a block with "(Đã ký)" on a line of its own begins: at the name above the mark
    ("Võ Văn Kiệt" / "(Đã ký)"), or at the title above the mark when the name follows it
    ("Thủ tướng" / "(Đã ký)" / "Phan Văn Khải"); None when neither is there."""
    if i and _is_name(lines[i - 1]):
        return i - 1
    if i + 1 < len(lines) and _is_name(lines[i + 1]):
        short = i and len(lines[i - 1].split()) <= _TITLE_WORDS and not lines[i - 1].rstrip().endswith((".", ";", ":"))
        return i - 1 if short else i
    return None


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
    """Authority chain, on-behalf-of body, title and name of the signature block.

    The title is the last upper-case line before the name ("PHÓ TRƯỞNG BAN THƯỜNG TRỰC" /
    "PHÓ THỦ TƯỚNG" -> the latter); the name is the first personal name after the authority,
    whole even when the block broke it over lines ("Vũ" / "Chiến Thắng").
    """
    signer = Signer()
    tail = [_signed_name(line) or line for line in _signature_lines(tail)]
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
    title_at = anchor = -1  # in ``rest``: the title line; it or the last distribution item
    for k, line in enumerate(rest):
        if _DISTRIBUTION.match(fold(line)) or _ITEM.match(line):
            anchor = k
            # A name whose capital the seal took starts in lower case, and clean_document
            # joins it to the archive line above ("- Lưu: VT, NC. rần Văn An").
            if _ARCHIVE.match(fold(_ITEM.sub("", line))) and (name := _noisy_name(line)):
                signer.name = name
                break
            continue
        under_title = 0 <= title_at == k - 1 or k > 0 and _TITLE_CASE.fullmatch(fold(rest[k - 1]).strip())
        if is_upper(line) and under_title and (name := _name_in_capitals(line)):
            signer.name = name  # an older block's name in capitals: "Chủ tịch" / "NÔNG ĐỨC MẠNH"
            signer.title = signer.title or rest[k - 1].strip()
            break
        if title_at == k - 1 and is_upper(line) and not any(_syllables([w]) for w in line.split()):
            continue  # a seal's or signature's debris read in capitals under the title ("HC NN")
        if (signer.title is None or title_at == k - 1) and is_upper(line):
            # Seal debris may open the title's line ("= CHỦ TỊCH").
            signer.title, title_at = _LEADING_DEBRIS.sub("", line).strip(), k
            anchor = k
        elif name := _name_at(rest, k) or (
            # Seal and signature debris sits between the title and the name: read a noisy
            # line as a name only there, never in an annex after the block.
            k - anchor <= _NOISE_SPAN and _noisy_name(line)
        ):
            signer.name = name
            break
    return signer


# A document issued with this one and printed after its signature: its type title in
# capitals ("KẾ HOẠCH", "QUY CHẾ ...") and, within a few lines, its caption "(Ban hành kèm
# theo Quyết định số ...)". An appendix (PHỤ LỤC, a form, a table) ends its body.
_ATTACHED_TITLE = re.compile(
    r"^[\W_]*(?:ke hoach|quy che|quy dinh|chuong trinh|phuong an|de an|huong dan|dieu le|noi quy)(?![\w])"
)
_ATTACHED_CAPTION = re.compile(r"^[\W_]*(?:ban hanh\s+)?kem theo(?![\w])")
_APPENDIX_TITLE = re.compile(r"^[\W_]*(?:phu luc|bieu mau|mau so)(?![\w])")
# The caption the page joined to the title's name: "Hành động thực hiện ... (Kèm theo Nghị quyết số ...)".
_CAPTION_AT_END = re.compile(r"\((?:ban hanh\s+)?kem theo\b[^()]*\)\s*$")
_CAPTION_SPAN = 5  # lines from the type title to its caption (the title's name may run on)
# An appendix of tasks set out as the body sets them: "Phụ lục" / "NHIỆM VỤ CỤ THỂ GIAO CÁC BỘ,
# CƠ QUAN, ĐỊA PHƯƠNG" / "(Kèm theo Nghị quyết số ...)" / "1. Các bộ, ... căn cứ ...:".
_TASKS_TITLE = re.compile(r"^[\W_]*(?:danh muc |phan cong )?(?:cac )?nhiem vu(?![\w])")
_PROSE_ITEM = re.compile(r"^\d{1,2}\.\s+\S.{30,}")


def attached_document(tail: list[str]) -> tuple[int, int] | None:
    """Where the body of a document issued with this one (a plan "ban hành kèm theo" a
    Quyết định), or of an appendix of tasks set out in numbered sentences ("NHIỆM VỤ CỤ
    THỂ GIAO CÁC BỘ ..." kèm theo a resolution; an appendix's task table is left to the
    appendix's reading), runs in ``tail``, the lines from the closing on: ``(start, end)``
    from the line after its caption to its next appendix title, or to the end; None when
    the tail carries none."""
    for i, line in enumerate(tail):
        if not is_upper(line):
            continue
        tasks = _TASKS_TITLE.match(fold(line[:40])) is not None
        if not (tasks or _ATTACHED_TITLE.match(fold(line[:40]))) or (_appendix_title(tail, i - 1) and not tasks):
            continue  # "PHỤ LỤC" / "KẾ HOẠCH TRIỂN KHAI ...": the appendix's name, over its table
        for j in range(i + 1, min(i + 1 + _CAPTION_SPAN, len(tail))):
            if _ATTACHED_CAPTION.match(fold(tail[j][:30])) or _CAPTION_AT_END.search(fold(tail[j])):
                start = j + 1
                if ")" not in tail[j] and start < len(tail) and tail[start].rstrip(" *_").endswith(")"):
                    start += 1  # a caption broken over two lines
                if tasks and not _numbered_prose(tail, start):
                    break  # a task table: the appendix's own reading takes it
                end = next((k for k in range(start, len(tail)) if _appendix_title(tail, k)), len(tail))
                return start, end
    return None


def _numbered_prose(lines: list[str], start: int) -> bool:
    """Whether the text from ``start`` opens with a numbered item in sentences ("1. Các bộ,
    cơ quan, địa phương căn cứ ...:"), not a table's header or its first row's cells."""
    first = next((line for line in lines[start:] if line.strip(" _-*")), "")
    return _PROSE_ITEM.match(first) is not None


def _appendix_title(lines: list[str], k: int) -> bool:
    """Whether line ``k`` titles an appendix: "PHỤ LỤC ..." in capitals, or "Phụ lục II" alone on its line."""
    if k < 0:
        return False
    folded = fold(lines[k]).strip(" *_")
    return _APPENDIX_TITLE.match(folded[:20]) is not None and (is_upper(lines[k]) or is_appendix_title(lines[k]))
