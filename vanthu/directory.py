"""The unit directory: who can receive assignments, and how to reach them.

The directory is data (``vanthu/data/<province>.yaml``, format in ``vanthu/data/README.md``).
The parse stage resolves printed unit names with :meth:`UnitDirectory.match`; the notify
stage expands collectives with :meth:`UnitDirectory.expand` and reads ``delivery``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError
from rapidfuzz import fuzz, process

from vanthu.normalize import match_key

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Qualifiers that do not change which unit is meant ("Sở Y tế tỉnh Nam Định", "các đoàn
# thể các cấp", "các đơn vị có liên quan"); removed from keys before comparing.
_QUALIFIERS = re.compile(r"\s(?:cac cap|co lien quan|lien quan|tren dia ban tinh|trong tinh|cua tinh)$")
FUZZY_CUTOFF = 85.0
# Words that never tell two units apart.
_FUNCTION_WORDS = frozenset({"va", "cac", "cua", "tinh"})
# A token used by this many units is vocabulary ("so", "huyen", "tinh"), not a name.
_COMMON_TOKEN_UNITS = 3


class DirectoryError(ValueError):
    """The directory file is malformed: duplicate ids, unknown members, clashing aliases."""


class Webhook(BaseModel):
    url: str
    secret_env: str | None = Field(None, description="Environment variable holding the signing secret.")


class Delivery(BaseModel):
    kafka: bool = True
    webhook: Webhook | None = None
    email: str | None = None


class Unit(BaseModel):
    id: str
    name: str
    aliases: list[str] = []
    kind: str
    members: list[str] = []
    member_kinds: list[str] = []
    delivery: Delivery = Delivery()

    @property
    def is_collective(self) -> bool:
        return bool(self.members or self.member_kinds)


class UnitMatch(BaseModel):
    unit: Unit
    score: float = Field(description="0-100; 100 for an exact (normalised) name or alias.")
    text: str = Field(description="The text that was matched, as given.")


class UnitDirectory:
    """Units of one province, matched by normalised name with fuzzy fallback."""

    def __init__(self, units: Iterable[Unit], province: str | None = None) -> None:
        self.province = province
        self._units: dict[str, Unit] = {}
        for unit in units:
            if not _SLUG.match(unit.id):
                raise DirectoryError(f"unit id {unit.id!r} is not a lowercase slug")
            if unit.id in self._units:
                raise DirectoryError(f"duplicate unit id {unit.id!r}")
            self._units[unit.id] = unit
        kinds = {u.kind for u in self._units.values()}
        for unit in self._units.values():
            for member in unit.members:
                if member not in self._units:
                    raise DirectoryError(f"{unit.id}: unknown member {member!r}")
            for kind in unit.member_kinds:
                if kind not in kinds:
                    raise DirectoryError(f"{unit.id}: no unit has member kind {kind!r}")
        self._province_key = match_key(province) if province else None
        self._by_key: dict[str, Unit] = {}
        for unit in self._units.values():
            for name in (unit.name, *unit.aliases):
                for key in self._keys_for(name):
                    other = self._by_key.setdefault(key, unit)
                    if other.id != unit.id:
                        raise DirectoryError(f"{name!r} names both {other.id} and {unit.id}")
        self._choices = list(self._by_key)
        units_per_token: Counter[str] = Counter()
        for unit in self._units.values():
            units_per_token.update({t for k, u in self._by_key.items() if u.id == unit.id for t in k.split()})
        self._common = {t for t, n in units_per_token.items() if n >= _COMMON_TOKEN_UNITS}
        self._cache: dict[str, UnitMatch | None] = {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> UnitDirectory:
        """Read a directory YAML file; None reads the packaged Nam Định directory."""
        if path is None:
            text = resources.files("vanthu").joinpath("data/nam_dinh.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict) or not isinstance(data.get("units"), list):
            raise DirectoryError("a directory is a mapping with a 'units' list")
        default_delivery = (data.get("defaults") or {}).get("delivery") or {}
        units = []
        for raw in data["units"]:
            if not isinstance(raw, dict):
                raise DirectoryError(f"unit entry is not a mapping: {raw!r}")
            try:
                units.append(Unit.model_validate({**raw, "delivery": {**default_delivery, **(raw.get("delivery") or {})}}))
            except ValidationError as exc:
                raise DirectoryError(f"unit {raw.get('id')!r}: {exc}") from exc
        return cls(units, province=data.get("province"))

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def units(self) -> list[Unit]:
        return list(self._units.values())

    def expand(self, unit_id: str) -> list[Unit]:
        """A collective's member units (recursively, each once); a plain unit -> [itself]."""
        result: dict[str, Unit] = {}
        self._expand(unit_id, result, set())
        return list(result.values())

    def _expand(self, unit_id: str, result: dict[str, Unit], seen: set[str]) -> None:
        unit = self._units.get(unit_id)
        if unit is None or unit_id in seen:
            return
        seen.add(unit_id)
        if not unit.is_collective:
            result.setdefault(unit.id, unit)
            return
        for member in unit.members:
            self._expand(member, result, seen)
        for other in self._units.values():
            if other.kind in unit.member_kinds:
                self._expand(other.id, result, seen)

    def match(self, text: str) -> UnitMatch | None:
        """The unit one printed name denotes, or None.

        Exact after normalisation (case, tone placement, diacritics, abbreviations such
        as UBND or LĐ-TB&XH, the province name, qualifiers like "có liên quan"); else the
        best fuzzy candidate scoring at least :data:`FUZZY_CUTOFF` that starts with the
        same word ("Sở" is never "Bộ") and contains the candidate's distinctive words (one
        may be missing from a long name), so "huyện Hải Hà" is not "huyện Hải Hậu".
        """
        if text not in self._cache:
            self._cache[text] = self._match(text)
        return self._cache[text]

    def _match(self, text: str) -> UnitMatch | None:
        keys = self._keys_for(text)
        if not keys or not keys[0]:
            return None
        for key in keys:
            if key in self._by_key:
                return UnitMatch(unit=self._by_key[key], score=100.0, text=text)
        key = keys[0]
        for choice, score, _ in process.extract(key, self._choices, scorer=fuzz.ratio, limit=3, score_cutoff=FUZZY_CUTOFF):
            if self._plausible(key, choice):
                return UnitMatch(unit=self._by_key[choice], score=round(score, 1), text=text)
        return None

    def _keys_for(self, name: str) -> list[str]:
        """Comparison keys of a name: normalised, then without "tỉnh" qualifiers."""
        key = match_key(name)
        if self._province_key:
            key = key.replace(f"tinh {self._province_key}", "tinh")
        while True:
            stripped = _QUALIFIERS.sub(lambda m: " tinh" if m.group(0) == " cua tinh" else "", key)
            if stripped == key:
                break
            key = stripped
        keys = [key]
        if key.endswith(" tinh"):
            keys.append(key.removesuffix(" tinh"))
        return keys

    def _plausible(self, key: str, choice: str) -> bool:
        """Whether a fuzzy candidate differs from ``key`` only by damage, not by name.

        Same first word; no word of ``key`` foreign to the choice (a word damaged beyond
        recognition may pair with the choice's word it replaces); at most one word of the
        choice missing, and only a distinctive one while another distinctive word is
        present ("Sở Lao động Thương và Xã hội" lacks only "binh").
        """
        words = [w for w in key.split() if w not in _FUNCTION_WORDS]
        choice_words = [w for w in choice.split() if w not in _FUNCTION_WORDS]
        if not words or not choice_words or words[0] != choice_words[0]:
            return False
        extras = list((Counter(words) - Counter(choice_words)).elements())
        missing = list((Counter(choice_words) - Counter(words)).elements())
        for extra in list(extras):
            twin = next((m for m in missing if min(len(m), len(extra)) >= 4 and fuzz.ratio(m, extra) >= 75), None)
            if twin:
                extras.remove(extra)
                missing.remove(twin)
        if extras:
            return False
        if not missing:
            return True
        shared_distinctive = any(w not in self._common for w in words if w in choice_words)
        return len(missing) == 1 and missing[0] not in self._common and shared_distinctive
