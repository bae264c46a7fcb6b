"""The script's letters: tone placement and folding to plain ASCII-like letters.

Kept apart from :mod:`vanthu.normalize` so that modules it uses (:mod:`vanthu.syllables`)
can fold and compare syllables too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _toned(base: str) -> dict[str, tuple[str, str]]:
    """Precomposed vowel with a tone -> (base vowel, combining tone)."""
    return {unicodedata.normalize("NFC", b + t): (b, t) for b in base for t in _TONES}


_SECOND_VOWEL = _toned("aeyAEY")
# Old style ("hoà", "uỷ") puts the tone on the second vowel of an open "oa", "oe", "uy"
# syllable; new style ("hòa", "ủy") on the first. After "q" the "u" is a consonant
# ("quý"), so both styles agree and nothing moves.
_OLD_TONE = re.compile(
    "(?<![qQ])(?:([oO])([" + "".join(c for c, (b, _) in _SECOND_VOWEL.items() if b in "aeAE") + "])"
    "|([uU])([" + "".join(c for c, (b, _) in _SECOND_VOWEL.items() if b in "yY") + "]))(?!\\w)"
)


def _move_tone(m: re.Match[str]) -> str:
    first = m.group(1) or m.group(3)
    second = m.group(2) or m.group(4)
    base, tone = _SECOND_VOWEL[second]
    return unicodedata.normalize("NFC", first + tone) + base


def tone_normalize(text: str) -> str:
    """NFC text with old-style tone placement rewritten to the new style ("uỷ" -> "ủy")."""
    return _OLD_TONE.sub(_move_tone, text)


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    low = ch.lower()
    return unicodedata.normalize("NFD", low[0] if len(low) > 1 else low)[0]


# Latin, Latin Extended and the Vietnamese block cover every letter of the script.
_FOLD_TABLE = {cp: _fold_char(chr(cp)) for cp in [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]}


@lru_cache(maxsize=16384)  # the parser folds the same lines and names many times
def fold(text: str) -> str:
    """Lowercase without diacritics ("Nơi nhận" -> "noi nhan"); same length as the input."""
    return text.translate(_FOLD_TABLE)
