"""Whose units a directive's names mean: a province's, or the central level's.

"Sở Y tế" in a directive of UBND tỉnh Hà Tĩnh is Hà Tĩnh's department; in a ministry's
directive it is every province's. The issuing body says which (Decree 30/2020/NĐ-CP,
Annex I: the issuer's name carries its level and place): "UBND TỈNH HÀ TĨNH" -> Hà Tĩnh,
"BỘ TÀI CHÍNH" / "CỤC THUẾ" -> central, "SỞ Y TẾ" under "UBND TỈNH X" -> X. A provincial
body whose name carries no place ("SỞ Y TẾ" alone, "BAN THƯỜNG VỤ TỈNH ỦY") is placed by
the place/date line; a central body never is (its place is the capital, not its reach).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanthu.normalize import fold

# A province or centrally-run city in a body's name: "tỉnh Hà Tĩnh", "Thành phố Hà Nội",
# "Tỉnh ủy Nghệ An", "THÀNH ỦY HẢI PHÒNG". Matched on the folded name; the place is the
# capitalised words that follow, sliced from the printed name.
_PROVINCE_IN_NAME = re.compile(r"\b(?:tinh|thanh pho)(?: uy)?\s+")
# Bodies of the central level (Decree 30 Annex I; Guideline 36 for the Party's).
_CENTRAL = re.compile(
    r"^(?:bo\b|chinh phu|thu tuong|van phong chinh phu|quoc hoi|uy ban thuong vu quoc hoi|"
    r"ban chap hanh trung uong|bo chinh tri|ban bi thu|van phong trung uong|toa an nhan dan toi cao|"
    r"vien kiem sat nhan dan toi cao|kiem toan nha nuoc|ngan hang nha nuoc|tong cuc|cuc\b|"
    r"ban [^,]*trung uong|ban chi dao [^,]*chinh phu)"
)
# Bodies of a province (or below) whose name need not print the place.
_PROVINCIAL = re.compile(
    r"^(?:so\b|uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|ban thuong vu tinh uy|tinh uy|thanh uy|"
    r"cong an tinh|ban [^,]*tinh uy|van phong (?:ubnd|uy ban nhan dan|tinh uy)|bo chi huy quan su tinh)"
)


# Below the province: "xã" (not "xã hội"), "phường" (not "địa phương"), "huyện", "quận ủy" ...
_LOCAL = re.compile(r"\b(?:xa(?! hoi)|(?<!dia )phuong|huyen|thi xa|thi tran|dac khu|quan uy|thi uy)\b")


@dataclass(frozen=True)
class Jurisdiction:
    """The level a directive speaks for: ``central``, or the ``province`` as printed
    ("Hà Tĩnh"; display case when the header is in capitals)."""

    province: str | None
    central: bool = False


def _province_in(name: str) -> str | None:
    folded = fold(name)
    for m in _PROVINCE_IN_NAME.finditer(folded):
        words: list[str] = []
        for word in name[m.end() :].split():
            if word in ("-", "–") and words:  # "Bà Rịa - Vũng Tàu"
                words.append(word)
                continue
            if not word[:1].isupper() or fold(word) in ("uy", "ban", "so"):
                break
            words.append(word.strip(",.;:"))
        while words and words[-1] in ("-", "–"):
            words.pop()
        if words:
            return " ".join(w if not w.isupper() else w.capitalize() for w in words)
    return None


def jurisdiction_of(issuer: str | None, parent: str | None, place: str | None) -> Jurisdiction | None:
    """The jurisdiction of a directive from its issuer chain (``parent`` over ``issuer``), or
    None when the header does not say."""
    chain = [name for name in (parent, issuer) if name]
    for name in chain:
        if province := _province_in(name):
            return Jurisdiction(province)
    if not chain:
        return None
    top = fold(chain[0]).strip()
    if _CENTRAL.match(top):
        return Jurisdiction(None, central=True)
    # A commune's or district's place/date line names the commune, not the province.
    if place and _PROVINCIAL.match(top) and not any(_LOCAL.search(fold(name)) for name in chain):
        return Jurisdiction(place)
    return None
