"""Words a copy glued together split back into their syllables ("chủtrì" -> "chủ trì").

Vietnamese writes every syllable apart, and a syllable has one run of vowels. A law
site's copy that lost the spaces at its line breaks prints "chủtrì", "Ủyban", "triển
khaithực hiện", "vàĐầu tư": a word with two or more runs of vowels and a letter only the
Vietnamese alphabet has. Where the consonants between two runs can be cut more than one
way ("thựchiện": "thực hiện" or "thự chiện"), the syllables real documents use decide:
each part must be one of them, and the commonest cut wins (``data/syllables.txt``,
counted by ``vanthu.data.count_syllables``). A word that does not split into known
syllables is left as it is; so are words without a Vietnamese letter ("online", "email")
and words in capitals of one run ("UBND").
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib import resources
from pathlib import Path

from vanthu.letters import fold, tone_normalize

SYLLABLES_FILE = Path(str(resources.files("vanthu") / "data" / "syllables.txt"))
WORD = re.compile(r"[^\W\d_]+")
_VOWEL_RUN = re.compile(r"[aeiouy]+")
# Letters (any case, any tone) of the Vietnamese alphabet that English has not: a word with
# none of them is no glued Vietnamese ("online").
_VIETNAMESE = re.compile(r"[à-ãè-êì-íò-õù-úýăđĩũơưạ-ỹÀ-ÃÈ-ÊÌ-ÍÒ-ÕÙ-ÚÝĂĐĨŨƠƯ]")
_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_CONSONANTS = "bcdđghklmnpqrstvx"
_V = _VOWELS + _VOWELS.upper()
_C = _CONSONANTS + _CONSONANTS.upper()
# A word with a consonant between two vowels: the only words that may be glued syllables.
_CANDIDATE = re.compile(rf"\b[{_C}]*+[{_V}]++[{_C}]++[{_V}][^\W\d_]*")
_MOST_RUNS = 4  # syllables a glued word may hold


def vowel_runs(word: str) -> int:
    """How many runs of vowels ``word`` has: a syllable has one."""
    return len(_VOWEL_RUN.findall(fold(word)))


def syllable_key(word: str) -> str:
    return tone_normalize(word.lower())


@cache
def _known() -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in SYLLABLES_FILE.read_text(encoding="utf-8").splitlines():
        syllable, _, count = line.partition("\t")
        counts[syllable] = int(count)
    return counts


def split_glued(text: str) -> str:
    """``text`` with each glued word split into its syllables, space between (see the module)."""
    return _CANDIDATE.sub(_split_match, text)


def _split_match(m: re.Match[str]) -> str:
    word = m.group(0)
    if not _VIETNAMESE.search(word) or not 1 < vowel_runs(word) <= _MOST_RUNS or syllable_key(word) in _known():
        return word
    parts = _best_cut(word)
    return " ".join(parts) if parts else word


def _best_cut(word: str) -> list[str] | None:
    """The parts of ``word`` that are all known syllables, the commonest such cut, or None."""
    known = _known()
    if syllable_key(word) in known:
        return [word]
    best: tuple[float, list[str]] | None = None
    for end in range(1, len(word)):
        head = word[:end]
        if word[end - 1] in _V and word[end] in _V:
            continue  # a run of vowels is one syllable's ("Ủy|ban", never "Ủ|yban")
        if vowel_runs(head) != 1 or syllable_key(head) not in known:
            continue
        rest = _best_cut(word[end:])
        if rest is None:
            continue
        score = math.log(known[syllable_key(head)]) + sum(math.log(known[syllable_key(p)]) for p in rest)
        if best is None or score > best[0]:
            best = (score, [head, *rest])
    return best[1] if best else None
