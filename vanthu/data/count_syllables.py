"""Count the syllables of real documents into ``syllables.txt`` (run by hand, not at load).

    python -m vanthu.data.count_syllables ../shared/corpus examples/directives

Every ``.txt`` under the folders given is read; a syllable is a word with one run of vowels
(:func:`vanthu.syllables.vowel_runs`), counted in lower case with the new tone placement.
The file lists one ``syllable<TAB>count`` per line, most common first: what
:mod:`vanthu.syllables` splits glued words into.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from vanthu.syllables import SYLLABLES_FILE, WORD, syllable_key, vowel_runs


def main(folders: list[str]) -> None:
    counts: Counter[str] = Counter()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.txt")):
            for m in WORD.finditer(path.read_text(encoding="utf-8", errors="replace")):
                if vowel_runs(m.group(0)) == 1:
                    counts[syllable_key(m.group(0))] += 1
    SYLLABLES_FILE.write_text("".join(f"{s}\t{n}\n" for s, n in counts.most_common()), encoding="utf-8")
    print(f"{len(counts)} syllables written to {SYLLABLES_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
