"""The unit directory: who can receive assignments, and how to reach them.

Two kinds of directory share one API:

* the **national directory** (:meth:`UnitDirectory.national`), generated at load time by
  ``vanthu/data/generate.py`` from the ``vietnam-provinces`` package (34 provinces, 3,321
  communes), the small data files in ``vanthu/data`` (provincial departments, central
  bodies, successions) and the former units of the ``vietnamadminunits`` package, plus a
  deployment's overlay file (delivery channels, local units, clerks' aliases). Ids are
  stable: ``vn:37:so-y-te``, ``vn:37:ward:14308``, ``vn:bo-y-te``.
* a **province file** (:meth:`UnitDirectory.load`; ``vanthu/data/nam_dinh.yaml`` when no
  path is given), the older hand-written format of ``vanthu/data/README.md``.

Every unit belongs to a *scope* whose names it is matched in: a province ("37"), a former
province inside it ("37/36": its districts and communes before 1 July 2025), the central
scope ("vn"), or a ministry's own units (the ministry's id, "vn:bo-y-te"). A
:class:`Jurisdiction` says which scopes a document's bare names mean: in a document of
Hà Tĩnh "Sở Y tế" is Hà Tĩnh's; in a ministry's, "Vụ Pháp che" is that ministry's.

Matching API (the parse stage):

* ``directory.jurisdiction_of(issuer, parent=None, place=None) -> Jurisdiction``: once per
  document, from the header's issuing body, its parent body and the place-date line.
* ``directory.match(text, jurisdiction=None) -> UnitMatch | None``: the unit one printed
  name denotes (``None`` when unknown *or ambiguous*); ``UnitMatch.succession`` lists
  the changes between the printed name and today's unit ("Sở Lao động - Thương binh
  và Xã hội" -> Sở Nội vụ, 2025-03-01).
* ``directory.lookup(text, jurisdiction=None) -> Lookup``: the same, with the
  ``candidates`` of an ambiguous name ("Sở", two communes of one name), never guessed.
* ``directory.knows(text, jurisdiction=None) -> bool``: whether the text is a unit's
  name at all (one unit or several), for telling names from other words.

``jurisdiction`` is a :class:`Jurisdiction`, or a string: a province ("Hà Tĩnh", "37",
a former province such as "Nam Định"), a unit id, or an issuing body's name; ``None`` (or
"vn") means a central document. It is never taken to be the deployment's home by default:
a document of another province would then have its bare names read as the home's
units; ``jurisdiction_of`` falls back to the home only when the header names no province.

Routing API (the notify stage): :meth:`UnitDirectory.expand` (a collective's members),
:meth:`UnitDirectory.serves` (whether this deployment's mailroom serves a unit: the
``home`` of ``VANTHU_DIRECTORY__HOME``) and ``Unit.delivery``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import fuzz, process

from vanthu.normalize import match_key, tone_normalize

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# Legacy ids are slugs; national ids are slugs joined by ":" under "vn".
_ID = re.compile(rf"^(?:{_SLUG}|vn(?::{_SLUG})+)$")
# Qualifiers that do not change which unit is meant ("Sở Y tế tỉnh Nam Định", "các đoàn
# thể các cấp", "các đơn vị có liên quan"); removed from keys before comparing.
_QUALIFIERS = re.compile(r"\s(?:cac cap|co lien quan|lien quan|tren dia ban tinh|trong tinh|cua tinh|cap tinh)$")
# Office holders name the unit they head ("Giám đốc Sở Y tế" is Sở Y tế, "Chánh Văn phòng"
# the Văn phòng, "Bộ trưởng Bộ Công an" the ministry). Stripped one title at a time, so a
# name that itself starts with such a word ("Trưởng ban ..." vs "Ban ...") is tried both ways.
_TITLES = re.compile(
    r"^(?:cac dong chi |dong chi |cac )?(?:pho )?(?:giam doc|chu tich hoi dong thanh vien|chu tich|thu truong|"
    r"tong giam doc|cuc truong|vu truong|truong|chanh|chi huy truong|bi thu|chu nhiem|bo truong(?= bo ))(?: thuong truc)? "
)
# "... các tỉnh, thành phố (trực thuộc Trung ương)": the same body of every province; in a
# central document "... (các) địa phương" too ("cơ quan thuế địa phương").
_ALL_PROVINCES = re.compile(r"^(.*?)\s*\bcac tinh thanh pho(?: truc thuoc trung uong)?$")
_LOCALITIES = re.compile(r"^(.+?)\s+(?:cac )?dia phuong$")
# A unit at the provincial level ("Ủy ban nhân dân cấp tỉnh"), once the qualifier is read: in
# a central document, every province's.
_PROVINCIAL_LEVEL = re.compile(r"^(.+ tinh)$")
# An issuer of a province or below ("Ban Chỉ đạo ... tỉnh", "UBND xã ..."): its place names its province.
_LOCAL_LEVEL = re.compile(r"\b(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|dac khu)\b")
FUZZY_CUTOFF = 85.0
# Words that never tell two units apart.
_FUNCTION_WORDS = frozenset({"va", "cac", "cua", "tinh"})
# A token used by this many units of a scope is vocabulary ("so", "huyen"), not a name.
_COMMON_TOKEN_UNITS = 3
# The central scope, and the scope that holds every province's template names (for "Sở Y
# tế các tỉnh, thành phố"); a legacy province file has the one scope "".
CENTRAL = "vn"
ALL_PROVINCES = "vn:provinces"
_MAX_CANDIDATES = 50
_CACHE_SIZE = 100_000


class DirectoryError(ValueError):
    """The directory is malformed: duplicate ids, unknown members, clashing aliases."""


class Webhook(BaseModel):
    # A secret written into the file ("secret: ...") is refused, not ignored: it belongs in
    # the environment variable ``secret_env`` names, never in a file that is shared and versioned.
    model_config = ConfigDict(extra="forbid")

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
    member_kinds: list[str] = Field([], description="Every unit of these kinds in the same scope is a member.")
    delivery: Delivery = Delivery()
    scope: str = Field("", description="Where the unit's names are matched: a province code, 'vn', a ministry id.")

    @property
    def is_collective(self) -> bool:
        return bool(self.members or self.member_kinds)


class Succession(BaseModel):
    """A change between the name as printed and today's unit."""

    model_config = ConfigDict(frozen=True)

    former: str = Field(description="The former body, e.g. 'Sở Lao động - Thương binh và Xã hội' or 'tỉnh Nam Định'.")
    date: dt.date | None = Field(None, description="When the change took effect.")
    basis: str | None = Field(None, description="The legal act, e.g. '45/2025/NĐ-CP'.")


class UnitMatch(BaseModel):
    unit: Unit
    score: float = Field(description="0-100; 100 for an exact (normalised) name or alias.")
    text: str = Field(description="The text that was matched, as given.")
    succession: list[Succession] = Field([], description="Former bodies between the printed name and the unit.")


class Lookup(BaseModel):
    """The outcome of :meth:`UnitDirectory.lookup`: a unit, or the candidates of an
    ambiguous name (never both), or neither for an unknown name."""

    text: str
    unit: Unit | None = None
    score: float = 0.0
    succession: list[Succession] = []
    candidates: list[Unit] = []
    partial: bool = Field(False, description="The candidates' names only start with the text ('Sở'); otherwise "
                          "the whole name is theirs ('Sở Y tế' in a central document).")


@dataclass(frozen=True)
class Jurisdiction:
    """Which scopes a document's bare names mean, nearest first.

    Each tier is a tuple of scopes searched together; a name found for two different
    units in one tier is ambiguous. ``fuzzy`` tiers also accept damaged names.
    ``succession`` applies to everything found (a document of a former province).
    """

    label: str
    tiers: tuple[tuple[str, ...], ...]
    fuzzy: int = 1
    succession: tuple[Succession, ...] = ()
    own: tuple[str, ...] = ()  # the scopes (and unit ids) a mailroom of this jurisdiction serves

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # Every directory look-up keys its cache on the jurisdiction; hashing its pydantic
        # Successions anew each time was a measurable share of a parse.
        return hash((self.label, self.tiers, self.fuzzy, self.succession, self.own))


@dataclass
class Scope:
    """A namespace of unit names (see the module docstring)."""

    id: str
    name: str
    city: bool = False
    province: str | None = None
    former: Succession | None = None  # for "37/36": the former province, and when it merged
    names: dict[str, dict[str, Succession | None]] = field(default_factory=dict)  # key -> unit id -> succession


@dataclass(frozen=True)
class DirectoryView:
    """One document's view of a directory: its bare names mean ``jurisdiction``'s units.

    The parse stage hands this to code that asks ``match(text)`` / ``knows(text)`` about
    printed names, so that code need not carry the jurisdiction along."""

    directory: UnitDirectory
    jurisdiction: Jurisdiction

    def match(self, text: str) -> UnitMatch | None:
        return self.directory.match(text, self.jurisdiction)

    def lookup(self, text: str) -> Lookup:
        return self.directory.lookup(text, self.jurisdiction)

    def knows(self, text: str) -> bool:
        return self.directory.knows(text, self.jurisdiction)


# Common words that a level's name folds onto once diacritics are dropped (names are
# compared without them so that OCR-damaged ones still match): printed with their own
# diacritics, they are those words. "Phương án bố trí ..." (a plan) is not "phường An".
_LEVEL_TWINS = frozenset({"phương", "tình", "huyền", "quần", "xà"})


def _folds_onto_a_level(text: str) -> bool:
    """Whether ``text`` opens with a common word that folds onto a level's name."""
    words = tone_normalize(unicodedata.normalize("NFC", text)).lower().split(maxsplit=1)
    return bool(words) and words[0] in _LEVEL_TWINS


class UnitDirectory:
    """Units matched by normalised name within a jurisdiction, with fuzzy fallback."""

    def __init__(
        self,
        units: Iterable[Unit],
        province: str | None = None,
        *,
        scopes: Iterable[Scope] = (),
        names: Iterable[tuple[str, str, str, Succession | None]] = (),
        keyed: frozenset[str] = frozenset(),
        home: str | None = None,
        unserved: Literal["review", "drop"] = "review",
    ) -> None:
        """``names`` are extra (scope, name or :class:`Key`, unit id, succession) entries;
        the units in ``keyed`` have all their names there already (generated ones). Units
        without ``scopes`` are one hand-written province file, where one name given to
        two units is an error; in the national directory it makes the name ambiguous."""
        scopes = list(scopes)
        self.province = province
        self._strict = not scopes
        # The same generic names ("Sở Y tế") recur in every province: normalise each once.
        self._keys: dict[str, str] = {}
        self.unserved = unserved
        self._units: dict[str, Unit] = {}
        for unit in units:
            if not _ID.match(unit.id):
                raise DirectoryError(f"unit id {unit.id!r} is neither a slug nor a vn:... id")
            if unit.id in self._units:
                raise DirectoryError(f"duplicate unit id {unit.id!r}")
            self._units[unit.id] = unit
        self._scopes: dict[str, Scope] = {s.id: s for s in scopes}
        self._scopes.setdefault("", Scope(id="", name=province or ""))
        self._by_kind: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        for unit in self._units.values():
            self._by_kind[(unit.scope, unit.kind)].append(unit)
            self._scope(unit.scope)
        for unit in self._units.values():
            for member in unit.members:
                if member not in self._units:
                    raise DirectoryError(f"{unit.id}: unknown member {member!r}")
            for kind in unit.member_kinds:
                if (unit.scope, kind) not in self._by_kind:
                    raise DirectoryError(f"{unit.id}: no unit of its scope has member kind {kind!r}")
        for unit in self._units.values():
            if unit.id in keyed:
                continue
            for name in (unit.name, *unit.aliases):
                self._add_name(unit.scope, self._name_key(name), unit.id, None, strict=True)
        for scope_id, text, unit_id, succession in names:
            if unit_id not in self._units:
                raise DirectoryError(f"name {text!r} points to unknown unit {unit_id!r}")
            key = text if isinstance(text, Key) else self._name_key(text)
            self._add_name(scope_id, key, unit_id, succession, strict=False)
        self._keys.clear()
        self._designations = self._build_designations()
        self._designation_re = _alternation(self._designations)
        self._fuzzy_cache: dict[str, tuple[list[str], dict[str, set[str]]]] = {}
        self._cache: dict[tuple[str, Jurisdiction], Lookup] = {}
        self._jurisdictions: dict[str | None, Jurisdiction] = {}
        self.home = self.jurisdiction(home) if home else None

    # --- loading --------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> UnitDirectory:
        """Read a directory file; None reads the packaged Nam Định province file.

        A file with ``national: true`` is an overlay of the national directory (see
        :meth:`national`); any other file is a province file (``vanthu/data/README.md``).
        """
        if path is None:
            text = resources.files("vanthu").joinpath("data/nam_dinh.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        if isinstance(data, dict) and data.get("national"):
            return cls.national(overlay=path)
        if not isinstance(data, dict) or not isinstance(data.get("units"), list):
            raise DirectoryError("a directory is a mapping with a 'units' list")
        default_delivery = (data.get("defaults") or {}).get("delivery") or {}
        units = [_unit(raw, default_delivery) for raw in data["units"]]
        return cls(units, province=data.get("province"))

    @classmethod
    def national(
        cls, home: str | None = None, overlay: str | Path | None = None, unserved: str | None = None
    ) -> UnitDirectory:
        """The national directory, generated from the packaged data, with an overlay.

        ``home`` is the jurisdiction this deployment's mailroom serves (a province's name
        or code, a ministry's id; default: the overlay's ``home``, else every unit).
        ``unserved`` says what becomes of assignments to units it does not serve:
        "review" (default) or "drop". The overlay's format is in ``vanthu/data/README.md``.
        """
        from vanthu.data.generate import generate

        data = read_overlay(overlay) if overlay else {}
        with _gc_paused():
            return cls._national(generate(data), data, home, unserved)

    @classmethod
    def _national(cls, national: Any, data: dict, home: str | None, unserved: str | None) -> UnitDirectory:
        overlay_names = []
        for text, target in (data.get("aliases") or {}).items():
            target = target if isinstance(target, dict) else {"unit": target}
            unit = national.units.get(target["unit"])
            if unit is None:
                raise DirectoryError(f"overlay alias {text!r} points to unknown unit {target['unit']!r}")
            overlay_names.append((target.get("scope", unit.scope), text, unit.id, None))
        return cls(
            national.units.values(),
            scopes=national.scopes,
            names=[*national.names, *overlay_names],
            keyed=national.keyed,
            home=home or data.get("home"),
            unserved=unserved or data.get("unserved") or "review",
        )

    @classmethod
    def from_settings(cls, settings: Any) -> UnitDirectory:
        """The directory a service uses: ``directory_path`` (a province file or an
        overlay), else the national directory with ``VANTHU_DIRECTORY__*`` options."""
        if settings.directory_path:
            return cls.load(settings.directory_path)
        options = settings.directory
        return cls.national(home=options.home, overlay=options.overlay, unserved=options.unserved)

    # --- units ------------------------------------------------------------------------------

    @property
    def is_national(self) -> bool:
        """Whether names are matched per jurisdiction (the national directory), rather than
        in one province file's single namespace."""
        return not self._strict

    def view(self, jurisdiction: Jurisdiction | str | None) -> DirectoryView:
        """This directory as one document sees it (see :class:`DirectoryView`)."""
        return DirectoryView(self, self.jurisdiction(jurisdiction))

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def units(self) -> list[Unit]:
        return list(self._units.values())

    def scope_name(self, scope_id: str) -> str:
        scope = self._scopes.get(scope_id)
        return scope.name if scope else scope_id

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
        for kind in unit.member_kinds:
            for other in self._by_kind.get((unit.scope, kind), ()):
                self._expand(other.id, result, seen)

    def serves(self, unit_id: str) -> bool:
        """Whether this deployment routes notices to the unit: every unit when it has no
        ``home``; else the units of the home jurisdiction's own scopes."""
        unit = self._units.get(unit_id)
        if unit is None:
            return False
        if self.home is None:
            return True
        return unit.scope in self.home.own or unit.id in self.home.own

    # --- jurisdiction --------------------------------------------------------------------------

    def jurisdiction(self, spec: Jurisdiction | str | None = None) -> Jurisdiction:
        """A jurisdiction from a province's name or code, a unit's id or name; None or "vn"
        for the central one. An unknown name raises :class:`DirectoryError`."""
        if isinstance(spec, Jurisdiction):
            return spec
        if spec not in self._jurisdictions:
            self._jurisdictions[spec] = self._resolve_jurisdiction(spec)
        return self._jurisdictions[spec]

    def jurisdiction_of(self, issuer: str | None, parent: str | None = None, place: str | None = None) -> Jurisdiction:
        """The jurisdiction of a document, from its issuing body, the body above it and its
        place-date line: "SỞ Y TẾ" under "UBND TỈNH HÀ TĨNH" -> Hà Tĩnh; "BỘ XÂY DỰNG" ->
        that ministry, then central; "BAN THƯỜNG VỤ TỈNH ỦY" dated "Nghệ An" -> Nghệ An.
        The place decides only for a local issuer (central bodies sign in the capital). A
        header that says nothing usable falls back to the deployment's home, else to the
        central jurisdiction. Never raises."""
        fallback = self.home or self.jurisdiction(CENTRAL)
        outer = self._issuer_jurisdiction(parent, fallback) if parent else None
        # Under a central parent ("BỘ TÀI CHÍNH" over "CỤC THUẾ") the issuer is central too,
        # wherever it signs.
        under_central = outer is not None and any(s == CENTRAL or s.startswith("vn:") for s in outer.own)
        local = self._place_jurisdiction(place) if place and not under_central else None
        if issuer and local is not None:
            found = self.lookup(issuer, local)
            if (found.unit is not None and found.unit.scope in local.own) or (
                found.unit is None and _LOCAL_LEVEL.search(name_key(issuer))
            ):
                return local
        if issuer and (found := self._issuer_jurisdiction(issuer, outer or fallback)) is not None:
            return found
        return outer or fallback

    def _place_jurisdiction(self, place: str) -> Jurisdiction | None:
        return self._designations.get(_strip_province_word(name_key(place)))

    def _issuer_jurisdiction(self, text: str, within: Jurisdiction) -> Jurisdiction | None:
        key = name_key(text)
        designated = self._designations.get(_strip_province_word(key))
        if designated is not None:
            return designated
        found = self.lookup(text, within)
        if found.unit is None:
            return None
        split = self._designated(key)
        if split is not None and found.unit.scope in split[1].own:
            return split[1]  # "UBND tỉnh Nam Định": the former province, with its districts
        own = self._scope_jurisdiction(found.unit.id if found.unit.id in self._scopes else found.unit.scope)
        if found.succession and not own.succession:
            own = replace(own, succession=tuple(found.succession))
        return own

    def _resolve_jurisdiction(self, spec: str | None) -> Jurisdiction:
        if spec is None or spec == CENTRAL:
            return self._scope_jurisdiction(CENTRAL if CENTRAL in self._scopes else "")
        if spec in self._scopes:
            return self._scope_jurisdiction(spec)
        if spec in self._units:
            unit = self._units[spec]
            return self._scope_jurisdiction(unit.id if unit.id in self._scopes else unit.scope)
        found = self._issuer_jurisdiction(spec, self.jurisdiction(CENTRAL))
        if found is None:
            raise DirectoryError(f"no province or body {spec!r} in the directory")
        return found

    def _scope_jurisdiction(self, scope_id: str) -> Jurisdiction:
        """Nearest first: the scope, a province's former provinces, the central scope,
        the ministries' own units; a central scope ends with every province."""
        scope = self._scopes[scope_id]
        ministries = tuple(s for s in self._scopes if s.startswith("vn:") and s != ALL_PROVINCES)
        provinces = tuple(s for s in self._scopes if s and not s.startswith("vn"))
        if scope_id == "":
            return Jurisdiction(scope.name, (("",),), own=("",))
        if scope.former is not None:
            province = scope.province or ""
            others = tuple(s for s in self._formers(province) if s != scope_id)
            tiers = ((scope_id,), (province,), others, (CENTRAL,), ministries)
            renamed = scope.name != self._scopes[province].name
            return Jurisdiction(scope.name, _nonempty(tiers), fuzzy=2, succession=(scope.former,) if renamed else (),
                                own=(province, *self._formers(province)))
        if scope_id not in (CENTRAL, *ministries):
            formers = self._formers(scope_id)
            return Jurisdiction(scope.name, _nonempty(((scope_id,), formers, (CENTRAL,), ministries)),
                                own=(scope_id, *formers))
        head = (scope_id,) if scope_id != CENTRAL else ()
        rest = tuple(m for m in ministries if m != scope_id)
        tiers = (head, (CENTRAL,), rest, provinces)
        return Jurisdiction(scope.name, _nonempty(tiers), fuzzy=2 if head else 1, own=head or (CENTRAL,))

    def _formers(self, province: str) -> tuple[str, ...]:
        return tuple(s.id for s in self._scopes.values() if s.former is not None and s.province == province)

    # --- matching ---------------------------------------------------------------------------------

    def match(self, text: str, jurisdiction: Jurisdiction | str | None = None) -> UnitMatch | None:
        """The unit one printed name denotes, or None when unknown or ambiguous.

        Exact after normalisation (case, tone placement, diacritics, abbreviations such
        as UBND or LĐ-TB&XH, office holders such as "Giám đốc", a province named at the
        end, qualifiers like "có liên quan"); else the best fuzzy candidate scoring at
        least :data:`FUZZY_CUTOFF` that starts with the same word ("Sở" is never "Bộ") and
        contains the candidate's distinctive words (one may be missing from a long name),
        so "huyện Hải Hà" is not "huyện Hải Hậu". See :meth:`lookup` for the candidates
        of an ambiguous name.
        """
        found = self.lookup(text, jurisdiction)
        if found.unit is None:
            return None
        return UnitMatch(unit=found.unit, score=found.score, text=text, succession=found.succession)

    def knows(self, text: str, jurisdiction: Jurisdiction | str | None = None) -> bool:
        """Whether the text is a unit's name, of one unit or (ambiguously) of several: what
        the parser asks to keep "Sở Văn hóa, Thể thao và Du lịch" whole in a list."""
        found = self.lookup(text, jurisdiction)
        return found.unit is not None or (bool(found.candidates) and not found.partial)

    def lookup(self, text: str, jurisdiction: Jurisdiction | str | None = None) -> Lookup:
        """:meth:`match` with the candidates of an ambiguous name (see :class:`Lookup`)."""
        j = self.jurisdiction(jurisdiction)
        cache_key = (text, j)
        if cache_key not in self._cache:
            if len(self._cache) >= _CACHE_SIZE:  # a long-running service sees ever new texts
                self._cache.clear()
            self._cache[cache_key] = self._lookup(text, j)
        return self._cache[cache_key]

    def _lookup(self, text: str, j: Jurisdiction) -> Lookup:
        base = _strip_qualifiers(name_key(text))
        if not base or _folds_onto_a_level(text):
            return Lookup(text=text)
        variants = _variants(base)
        found = self._exact(text, variants, j)
        if found is None and (split := self._designated(base)) is not None:
            remainder, designated = split
            found = self._exact(text, _variants(remainder), designated)
        m = _ALL_PROVINCES.match(base) or (
            (_LOCALITIES.match(base) or name_key(text).endswith(" cap tinh") and _PROVINCIAL_LEVEL.match(base))
            if self._is_central(j) else None
        )
        if (found is None or found.unit is None) and m and ALL_PROVINCES in self._scopes:
            # (a generic name found in every province is this collective, not ambiguous)
            everywhere = Jurisdiction("các tỉnh, thành phố", ((ALL_PROVINCES,),))
            found = self._exact(text, _variants(m.group(1) or "uy ban nhan dan tinh"), everywhere)
        if found is None:
            found = self._leader(text, j)
        if found is None:
            found = self._fuzzy(text, variants, j)
        return found or Lookup(text=text, candidates=self._partial(variants, j), partial=True)

    def _is_central(self, j: Jurisdiction) -> bool:
        return all(s.startswith(CENTRAL) for s in j.tiers[0])

    def _exact(self, text: str, variants: list[str], j: Jurisdiction) -> Lookup | None:
        for tier in j.tiers:
            for variant in variants:
                hits: dict[str, Succession | None] = {}
                for scope_id in tier:
                    scope = self._scopes[scope_id]
                    for key in _scope_keys(variant, scope):
                        for unit_id, succession in scope.names.get(key, {}).items():
                            hits.setdefault(unit_id, succession)
                if not hits:
                    continue
                if len(hits) > 1:
                    hits = self._by_diacritics(text, hits) or hits
                if len(hits) > 1:
                    return Lookup(text=text, candidates=[self._units[u] for u in list(hits)[:_MAX_CANDIDATES]])
                [(unit_id, succession)] = hits.items()
                chain = [*j.succession, *([succession] if succession else [])]
                return Lookup(text=text, unit=self._units[unit_id], score=100.0, succession=chain)
        return None

    def _by_diacritics(self, text: str, hits: dict[str, Succession | None]) -> dict[str, Succession | None]:
        """Of units whose names fold alike ("xã Cẩm Giang", "xã Cẩm Giàng"), those whose
        name ends the printed text with its diacritics."""
        printed = _accented(text)
        return {
            u: s for u, s in hits.items()
            if any(printed == n or printed.endswith(" " + n) for n in map(_accented, _names(self._units[u])))
        }

    def _designated(self, key: str) -> tuple[str, Jurisdiction] | None:
        """A province named at the end of ``key`` ("Sở Y tế tỉnh Hà Tĩnh", "Sở Xây dựng Lâm
        Đồng"): the rest, with "tinh" for the province it names, and that province's
        jurisdiction; for the province alone with its level ("tỉnh Hà Tĩnh"), its UBND."""
        if self._designation_re is None:
            return None
        m = self._designation_re.search(key)
        if m is None:
            return None
        rest = key[: m.start()].strip()
        if not rest:
            # The province itself, with its level ("Tỉnh Nghệ An khẩn trương ...", "Thành phố Hà
            # Nội đẩy nhanh ..."): tasked, it is its People's Committee, which acts for it.
            # A place's name alone ("Hà Nội") or under another level ("thành phố Gia Lai") is no body's.
            jurisdiction = self._designations[m.group(2)]
            named = m.group(1) and name_key(self._scopes[jurisdiction.tiers[0][0]].name).startswith(m.group(1))
            return ("uy ban nhan dan tinh", jurisdiction) if named else None
        if m.group(1):
            rest = f"{rest} tinh"
        return rest, self._designations[m.group(2)]

    def _leader(self, text: str, j: Jurisdiction) -> Lookup | None:
        """An office named with its holder ("Phó Thủ tướng Trần Hồng Hà"): the office, when
        dropping two to four capitalised words at the end leaves a leader's exact name."""
        words = unicodedata.normalize("NFC", text).split()
        for n in (2, 3, 4):
            if len(words) <= n or not all(w[:1].isupper() for w in words[-n:]):
                break
            found = self._exact(text, [_strip_qualifiers(name_key(" ".join(words[:-n])))], j)
            if found is not None and found.unit is not None and found.unit.kind == "leader":
                return found
        return None

    def _fuzzy(self, text: str, variants: list[str], j: Jurisdiction) -> Lookup | None:
        for tier in j.tiers[: j.fuzzy]:
            for scope_id in tier:
                choices, common = self._fuzzy_index(scope_id)
                scope = self._scopes[scope_id]
                for key in variants[:1]:
                    for choice, score, _ in process.extract(
                        key, choices, scorer=fuzz.ratio, limit=3, score_cutoff=FUZZY_CUTOFF
                    ):
                        entries = scope.names[choice]
                        if len(entries) == 1 and _plausible(key, choice, common.get(choice.split()[0], set())):
                            [(unit_id, succession)] = entries.items()
                            chain = [*j.succession, *([succession] if succession else [])]
                            return Lookup(text=text, unit=self._units[unit_id], score=round(score, 1), succession=chain)
        return None

    def _partial(self, variants: list[str], j: Jurisdiction) -> list[Unit]:
        """Units of the nearest tier whose name starts with the printed words ("Sở")."""
        for variant in variants:
            prefix = variant + " "
            for tier in j.tiers[:1]:
                found = {
                    unit_id: None
                    for scope_id in tier
                    for key, entries in self._scopes[scope_id].names.items()
                    if key.startswith(prefix)
                    for unit_id in entries
                }
                if len(found) > 1:
                    return [self._units[u] for u in list(found)[:_MAX_CANDIDATES]]
        return []

    # --- index ----------------------------------------------------------------------------------------

    def _name_key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = _strip_qualifiers(name_key(name))
        return key

    def _scope(self, scope_id: str) -> Scope:
        if scope_id not in self._scopes:
            self._scopes[scope_id] = Scope(id=scope_id, name=scope_id)
        return self._scopes[scope_id]

    def _add_name(self, scope_id: str, key: str, unit_id: str, succession: Succession | None, *, strict: bool) -> None:
        if not key:
            return
        entries = self._scope(scope_id).names.setdefault(key, {})
        if unit_id in entries:
            return
        if strict and entries and self._strict:
            # A province file is hand-written: one name for two units is a mistake there.
            raise DirectoryError(f"{key!r} names both {next(iter(entries))} and {unit_id}")
        entries[unit_id] = succession

    def _fuzzy_index(self, scope_id: str) -> tuple[list[str], dict[str, set[str]]]:
        """A scope's names for fuzzy matching, and the common tokens among the names that
        start with each first word ("binh" names many communes of Ninh Bình, but only one
        "Sở"), built on first use."""
        if scope_id not in self._fuzzy_cache:
            names = self._scopes[scope_id].names
            units_per_token: dict[tuple[str, str], set[str]] = defaultdict(set)
            for key, entries in names.items():
                words = key.split()
                for token in words:
                    units_per_token[(words[0], token)].update(entries)
            common: dict[str, set[str]] = defaultdict(set)
            for (first, token), units in units_per_token.items():
                if len(units) >= _COMMON_TOKEN_UNITS:
                    common[first].add(token)
            self._fuzzy_cache[scope_id] = (list(names), common)
        return self._fuzzy_cache[scope_id]

    def _build_designations(self) -> dict[str, Jurisdiction]:
        """Province names a text may end with ("ha tinh", "nam dinh"), each selecting its
        jurisdiction."""
        result: dict[str, Jurisdiction] = {}
        if self.province and set(self._scopes) <= {""}:
            result[name_key(self.province)] = Jurisdiction(self.province, (("",),), own=("",))
            return result
        for scope in self._scopes.values():
            if scope.former is not None or (scope.id and not scope.id.startswith("vn")):
                key = _strip_province_word(name_key(scope.name))
                # A current province's name wins over a former province of the same name.
                if key not in result or scope.former is None:
                    result[key] = self._scope_jurisdiction(scope.id)
        return result


# --- helpers ---------------------------------------------------------------------------------------


class Key(str):
    """A name already in :func:`name_key` form (generated names skip normalising again)."""


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building the national directory makes ~100k small objects that all live on: the
    cyclic collector would rescan them again and again while they are made (half the load
    time), and in a later full collection during some lookup (150 ms). So it pauses while
    they are made, and then moves them out of its sight (``gc.freeze``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def name_key(name: str) -> str:
    """The comparison form of a unit name (:func:`vanthu.normalize.match_key`)."""
    return match_key(name)


def _unit(raw: Any, default_delivery: dict) -> Unit:
    if not isinstance(raw, dict):
        raise DirectoryError(f"unit entry is not a mapping: {raw!r}")
    try:
        return Unit.model_validate({**raw, "delivery": {**default_delivery, **(raw.get("delivery") or {})}})
    except ValidationError as exc:
        raise DirectoryError(f"unit {raw.get('id')!r}: {exc}") from exc


def read_overlay(path: str | Path) -> dict:
    """A deployment's overlay file as a mapping (see ``vanthu/data/README.md``)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise DirectoryError(f"{path}: an overlay is a mapping")
    return data


def learn_alias(path: str | Path, text: str, unit_id: str) -> None:
    """Store a clerk's resolution in the overlay at ``path`` (made when absent): ``text``,
    a unit's name as printed, names ``unit_id`` from now on (matched in the unit's own
    scope, with the usual normalisation). DirectoryError, and the overlay unchanged, when
    the overlay would no longer load or the wording would not resolve to the unit (a clash
    with another unit's name)."""
    path = Path(path)
    data = read_overlay(path) if path.exists() else {"national": True}
    data.setdefault("aliases", {})[text] = unit_id
    candidate = path.with_name(path.name + ".new")
    candidate.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:  # the overlay must still load, and the wording now name the unit in its own jurisdiction
        directory = UnitDirectory.national(overlay=candidate)
        unit = directory.get(unit_id)
        found = directory.match(text, unit.scope if unit else None)
        if found is None or found.unit.id != unit_id:
            raise DirectoryError(f"{text!r} would not resolve to {unit_id}: a clash with another unit's name?")
    except DirectoryError:
        candidate.unlink()
        raise
    candidate.replace(path)


def _names(unit: Unit) -> list[str]:
    return [unit.name, *unit.aliases]


def _accented(text: str) -> str:
    """Lower case with diacritics, words only: tells "Cẩm Giang" from "Cẩm Giàng"."""
    return " ".join(re.sub(r"[^\w]+", " ", tone_normalize(unicodedata.normalize("NFC", text)).lower()).split())


def _strip_qualifiers(key: str) -> str:
    while True:
        stripped = _QUALIFIERS.sub(lambda m: " tinh" if m.group(0) in (" cua tinh", " cap tinh") else "", key)
        if stripped == key:
            return key
        key = stripped


def _strip_province_word(key: str) -> str:
    return re.sub(r"^(?:tinh|thanh pho) ", "", key)


def _variants(key: str) -> list[str]:
    """The key, then the key with office-holder titles removed one at a time."""
    result = [key]
    for current in result:
        stripped = _TITLES.sub("", current, count=1)
        if stripped != current and stripped and stripped not in result:
            result.append(stripped)
        if len(result) > 4:
            break
    return result


def _scope_keys(key: str, scope: Scope) -> list[str]:
    """Keys to try in one scope: the key; in a province's scope (or the template scope of
    "... các tỉnh, thành phố") the key without or with a trailing "tỉnh", since the province
    meant is the scope's ("Sở Y tế tỉnh", "Trung tâm Phục vụ hành chính công"); in a
    centrally-run city "thành phố" read as "tỉnh" ("UBND Thành phố")."""
    keys = [key]
    if key.endswith(" tinh"):
        keys.append(key.removesuffix(" tinh"))
    elif scope.province is not None or scope.id == ALL_PROVINCES:
        keys.append(f"{key} tinh")
    if scope.city and key.endswith(" thanh pho"):
        keys.append(key.removesuffix(" thanh pho") + " tinh")
    return keys


def _nonempty(tiers: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(t for t in tiers if t)


def _alternation(designations: dict[str, Jurisdiction]) -> re.Pattern[str] | None:
    if not designations:
        return None
    names = "|".join(re.escape(k) for k in sorted(designations, key=len, reverse=True))
    return re.compile(rf"(?:^|\s)((?:tinh|thanh pho)\s)?({names})$")


def _plausible(key: str, choice: str, common: set[str]) -> bool:
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
    shared_distinctive = any(w not in common for w in words if w in choice_words)
    return len(missing) == 1 and missing[0] not in common and shared_distinctive


# What the parse stage asks about printed names: a whole directory (a province file) or
# one document's view of the national one.
NameSource = UnitDirectory | DirectoryView
