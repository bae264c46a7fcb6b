"""Generate the national unit directory from well-kept data, at load time.

* Provinces and communes as they are since 1 July 2025 come from the ``vietnam-provinces``
  package (34 provinces, 3,321 communes, their official codes).
* Former provinces, districts and communes, and which new commune took over each former
  one, come from the ``vietnamadminunits`` package's conversion tables (its data files
  only: its code pulls in geocoding libraries this needs none of).
* The units every province and commune has, the central bodies and the successions of
  merged bodies are the small hand-kept lists beside this file.

The result is a :class:`National`: units, scopes and extra names for
:class:`vanthu.directory.UnitDirectory` (see its module docstring for ids and scopes).
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from vanthu.directory import ALL_PROVINCES, CENTRAL, Delivery, DirectoryError, Key, Scope, Succession, Unit, name_key
from vanthu.normalize import fold

# Provinces merged on 1 July 2025 (Resolution 202/2025/QH15); the district level was
# abolished and communes merged on the same day.
REORGANISED = date(2025, 7, 1)
PROVINCES_BASIS = "202/2025/QH15"


@dataclass
class National:
    units: dict[str, Unit]
    scopes: list[Scope]
    names: list[tuple[str, str, str, Succession | None]]
    keyed: frozenset[str]  # units whose names are all in ``names`` already


def generate(overlay: dict[str, Any] | None = None) -> National:
    """The national directory; ``overlay`` is a deployment's overlay mapping (local units,
    delivery, per-province ``add``/``remove``), read by :func:`vanthu.directory.read_overlay`."""
    overlay = overlay or {}
    builder = _Builder(_data("provincial.yaml"), _data("central.yaml"), _data("successions.yaml"))
    builder.central()
    builder.provinces(_current_provinces(), overlay.get("provinces") or {})
    builder.former_units(_former_tables())
    builder.successions()
    builder.overlay(overlay)
    return National(units=builder.units, scopes=list(builder.scopes.values()), names=builder.names,
                    keyed=frozenset(builder.keyed))


@cache
def _data(name: str) -> dict:
    text = resources.files("vanthu").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _package_data(package: str) -> Path:
    """A package's data folder, found without importing the package: importing
    ``vietnam_provinces`` builds an enum of 3,321 wards (0.17 s), and
    ``vietnamadminunits`` pulls in geocoding libraries; only their data files are used."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DirectoryError(f"the {package} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def _current_provinces() -> list[dict]:
    # vietnam_provinces.NESTED_DIVISIONS_JSON_PATH names this file.
    return json.loads((_package_data("vietnam_provinces") / "nested-divisions.json").read_text(encoding="utf-8"))


@cache
def _former_tables() -> dict[str, dict]:
    root = _package_data("vietnamadminunits")
    return {
        name: json.loads((root / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("converter_2025", "parser_legacy", "parser_from_2025")
    }


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _squeezed(text: str) -> str:
    """The packages' key form of a name: lower case, no spaces ("xãcẩmgiàng")."""
    return "".join(_spaced(text).lower().split())


class _Builder:
    def __init__(self, provincial: dict, central: dict, successions: dict) -> None:
        self.provincial = provincial
        self.central_data = central
        self.succession_data = successions
        self.units: dict[str, Unit] = {}
        self.scopes: dict[str, Scope] = {CENTRAL: Scope(id=CENTRAL, name="Trung ương"),
                                         ALL_PROVINCES: Scope(id=ALL_PROVINCES, name="các tỉnh, thành phố")}
        self.names: list[tuple[str, str, str, Succession | None]] = []
        # province code -> {squeezed ward name -> ward code}, to place former communes.
        self.ward_codes: dict[str, dict[str, int]] = {}
        self.province_templates: dict[str, list[dict]] = {}
        self.former_collectives: dict[str, str] = {}  # "former scope|slug" -> collective id
        self.keyed: set[str] = set()

    def add(self, unit: Unit) -> None:
        if unit.id in self.units:
            raise DirectoryError(f"generated duplicate unit id {unit.id!r}")
        self.units[unit.id] = unit

    # --- central bodies ----------------------------------------------------------------------

    def central(self) -> None:
        for entry in self.central_data["units"]:
            unit_id = f"vn:{entry['slug']}"
            self.add(_from_template(entry, unit_id, entry["name"], CENTRAL, "vn:"))
            if entry["kind"] in ("ministry", "ministerial-agency"):
                self.scopes[unit_id] = Scope(id=unit_id, name=entry["name"])
                for own in [*self.central_data["ministry_units"], *entry.get("units", [])]:
                    own = {**own, "aliases": [a.format(ministry=entry["name"]) for a in own.get("aliases", [])]}
                    self.add(_from_template(own, f"{unit_id}:{own['slug']}", own["name"], unit_id, f"{unit_id}:"))

    # --- provinces and communes ------------------------------------------------------------------

    def provinces(self, provinces: list[dict], exceptions: dict) -> None:
        templates = self.provincial["units"]
        groups = self.provincial.get("groups") or {}
        present: dict[str, list[str]] = defaultdict(list)
        for province in provinces:
            code = f"{province['code']:02d}"
            short = _spaced(province["name"]).removeprefix("Thành phố ")
            city = province["division_type"] != "tỉnh"
            self.scopes[code] = Scope(id=code, name=f"{'thành phố' if city else 'tỉnh'} {short}", city=city, province=code)
            own = [*(self.provincial.get("provinces") or {}).get(code, {}).get("add", []),
                   *(exceptions.get(code) or {}).get("add", [])]
            removed = {*(self.provincial.get("provinces") or {}).get(code, {}).get("remove", []),
                       *(exceptions.get(code) or {}).get("remove", [])}
            chosen = [t for t in [*templates, *own]
                      if t["slug"] not in removed and (not t.get("only_in") or code in groups.get(t["only_in"], []))]
            self.province_templates[code] = chosen
            slugs = {t["slug"] for t in chosen}
            for template in chosen:
                template = {**template, "members": [m for m in template.get("members", []) if m in slugs]}
                aliases = [template["name"], *template.get("aliases", []), *(template.get("city", []) if city else [])]
                unit = _from_template({**template, "aliases": aliases}, f"vn:{code}:{template['slug']}",
                                      _display(template, short, city), code, f"vn:{code}:")
                self.add(unit)
                # Matched by the generic names only: the full name ends with the province's,
                # which the directory reads as a designation, and would make its words
                # ("Bình" of Ninh Bình) look like every unit's.
                self.keyed.add(unit.id)
                self.names.extend((code, alias, unit.id, None) for alias in aliases)
                present[template["slug"]].append(unit.id)
            self._communes(code, province["wards"])
        generic = {t["slug"]: t for code in self.province_templates for t in self.province_templates[code]}
        for slug, members in present.items():
            template = generic[slug]
            self.add(Unit.model_construct(
                id=f"{ALL_PROVINCES}:{slug}", name=f"{template['name']} các tỉnh, thành phố".replace(" tỉnh các", " các"),
                aliases=[template["name"], *template.get("aliases", [])], kind="collective", members=members,
                member_kinds=[], delivery=Delivery(), scope=ALL_PROVINCES,
            ))

    def _communes(self, code: str, wards: list[dict]) -> None:
        codes = self.ward_codes.setdefault(code, {})
        for ward in wards:
            kind_word = ward["division_type"]
            proper = re.sub(rf"^{re.escape(kind_word)}\s+", "", _spaced(ward["name"]), flags=re.IGNORECASE)
            codes[_squeezed(ward["name"])] = ward["code"]
            for template in self.provincial["commune_units"]:
                suffix = f":{template['suffix']}" if template["suffix"] else ""
                unit = Unit.model_construct(
                    id=f"vn:{code}:ward:{ward['code']:05d}{suffix}",
                    name=template["name"].format(type=kind_word, name=proper),
                    aliases=[a.format(type=kind_word, name=proper) for a in template.get("aliases", [])],
                    kind=template["kind"], members=[], member_kinds=[], delivery=Delivery(), scope=code,
                )
                self.add(unit)
                self.keyed.add(unit.id)
                for pattern in (template["name"], *template.get("aliases", [])):
                    self.names.append((code, _compose(pattern, type=kind_word, name=proper), unit.id, None))

    # --- former provinces, districts and communes -------------------------------------------------------

    def former_units(self, tables: dict[str, dict]) -> None:
        """Scopes "<new code>/<old code>" holding the names of each former province's
        districts and communes, succeeded by the new communes that took them over."""
        converter, legacy, current = tables["converter_2025"], tables["parser_legacy"], tables["parser_from_2025"]
        for new_key, old_keys in converter["DICT_PROVINCE"].items():
            code = current["DICT_PROVINCE"][new_key]["provinceCode"]
            new_wards = {**current["DICT_PROVINCE_WARD_NO_ACCENTED"].get(new_key, {}),
                         **current["DICT_PROVINCE_WARD_ACCENTED"].get(new_key, {})}
            successors: dict[str, set[int]] = defaultdict(set)  # "oldprovince_district_ward" -> new ward codes
            for ward_key, olds in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items():
                ward_code = self._ward_code(code, new_wards.get(ward_key))
                for old in olds:
                    if ward_code is not None:
                        successors[old].add(ward_code)
            for old, parts in converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).items():
                for part in parts:
                    ward_code = self._ward_code(code, new_wards.get(part["newWardKey"]))
                    if ward_code is not None:
                        successors[old].add(ward_code)
            for old_key in old_keys:
                self._former_province(code, old_key, legacy, successors, merged=len(old_keys) > 1)

    def _ward_code(self, code: str, ward: dict | None) -> int | None:
        if ward is None:
            return None
        codes = self.ward_codes.get(code, {})
        squeezed = _squeezed(ward["ward"])
        if squeezed in codes:
            return codes[squeezed]
        folded = fold(squeezed)
        matches = [c for name, c in codes.items() if fold(name) == folded]
        return matches[0] if len(matches) == 1 else None

    def _former_province(self, code: str, old_key: str, legacy: dict, successors: dict[str, set[int]],
                         merged: bool) -> None:
        info = legacy["DICT_PROVINCE"][old_key]
        full = _spaced(info["province"])
        scope_id = f"{code}/{info['provinceCode']}"
        scope_name = full[0].lower() + full[1:]
        self.scopes[scope_id] = Scope(id=scope_id, name=scope_name, province=code,
                                      former=Succession(former=scope_name, date=REORGANISED, basis=PROVINCES_BASIS))
        # A former commune by its units' names and its bare name ("xã Hiển Khánh"); the rarer
        # aliases ("Thường trực UBND xã ...") of some 10,000 former communes are left out.
        patterns = [(_head_key(pattern), f":{t['suffix']}" if t["suffix"] else "")
                    for t in self.provincial["commune_units"] for pattern in (t["name"], *t.get("aliases", [])[:1])]
        province_communes: set[int] = set()
        for district_key, district in legacy["DICT_PROVINCE_DISTRICT"][old_key].items():
            dtype = district["districtType"].lower()
            dname = _spaced(district["districtShort"])
            prefix = f"{old_key}_{district_key}_"
            # An island district without communes ("huyện Côn Đảo") is converted whole.
            district_communes: set[int] = set(successors.get(prefix, ()))
            wards = {**legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].get(old_key, {}).get(district_key, {}),
                     **legacy["DICT_PROVINCE_DISTRICT_WARD_ACCENTED"].get(old_key, {}).get(district_key, {})}
            for ward_key, ward in wards.items():
                if not isinstance(ward.get("wardType"), str):
                    continue
                codes = successors.get(prefix + ward_key, set())
                district_communes |= codes
                wtype = ward["wardType"].lower()
                wname = _spaced(ward["wardShort"])
                succession = Succession.model_construct(former=f"{wtype} {wname}, {dtype} {dname}", date=REORGANISED,
                                                        basis=None)
                tail = f"{_word_key(wtype)} {_word_key(wname)}"
                targets = [f"vn:{code}:ward:{ward_code:05d}" for ward_code in sorted(codes)]
                for head, suffix in patterns:
                    key = Key(f"{head} {tail}" if head else tail)
                    self.names.extend((scope_id, key, target + suffix, succession) for target in targets)
            if district_communes:
                self._former_district(code, scope_id, district, dtype, dname, sorted(district_communes))
            province_communes |= district_communes
        if merged and province_communes:
            self._former_province_collectives(code, scope_id, info["provinceCode"], scope_name, sorted(province_communes))

    def _former_district(self, code: str, scope_id: str, district: dict, dtype: str, dname: str,
                         communes: list[int]) -> None:
        party = self.provincial["party_words"].get(dtype, "Huyện ủy")
        succession = Succession(former=f"{dtype} {dname}", date=REORGANISED)
        for template in self.provincial["former_district_units"]:
            suffix = f":{template['suffix']}" if template["suffix"] else ""
            unit_id = f"vn:{code}:district:{district['districtCode']}{suffix}"
            self.add(Unit.model_construct(
                id=unit_id, name=template["name"].format(type=dtype, name=dname, party=party), aliases=[],
                kind="former-district", members=[f"vn:{code}:ward:{c:05d}{suffix}" for c in communes],
                member_kinds=[], delivery=Delivery(), scope=scope_id,
            ))
            for pattern in template["former"]:
                self.names.append((scope_id, pattern.format(type=dtype, name=dname, party=party), unit_id, succession))

    def _former_province_collectives(self, code: str, scope_id: str, old_code: str, old_name: str,
                                     communes: list[int]) -> None:
        suffixes = {t["kind"]: t["suffix"] for t in self.provincial["commune_units"]}
        for template in self.province_templates[code]:
            if template["slug"] not in self.provincial["former_province_collectives"]:
                continue
            suffix = suffixes[template["member_kinds"][0]]
            unit_id = f"vn:{code}:former-{old_code}:{template['slug']}"
            self.add(Unit.model_construct(
                id=unit_id, name=f"{template['name']} thuộc {old_name} (cũ)", aliases=[], kind="collective",
                members=[f"vn:{code}:ward:{c:05d}{':' + suffix if suffix else ''}" for c in communes],
                member_kinds=[], delivery=Delivery(), scope=scope_id,
            ))
            self.former_collectives[f"{scope_id}|{template['slug']}"] = unit_id

    # --- successions and overlay ---------------------------------------------------------------------------

    def successions(self) -> None:
        for entry in self.succession_data.get("provincial", []):
            for former in entry["former"]:
                succession = Succession(former=former, date=entry.get("date"), basis=entry.get("basis"))
                for code in self.province_templates:
                    target = f"vn:{code}:{entry['to']}"
                    if target in self.units:
                        self.names.append((code, former, target, succession))
                for scope_id, scope in self.scopes.items():
                    collective = self.former_collectives.get(f"{scope_id}|{entry['to']}")
                    if scope.former is not None and collective:
                        self.names.append((scope_id, former, collective, succession))
                if f"{ALL_PROVINCES}:{entry['to']}" in self.units:
                    self.names.append((ALL_PROVINCES, former, f"{ALL_PROVINCES}:{entry['to']}", succession))
        for entry in self.succession_data.get("central", []):
            for former in entry["former"]:
                succession = Succession(former=former, date=entry.get("date"), basis=entry.get("basis"))
                self.names.append((CENTRAL, former, f"vn:{entry['to']}", succession))

    def overlay(self, overlay: dict) -> None:
        for raw in overlay.get("units") or []:
            try:
                unit = Unit.model_validate(raw)
            except ValueError as exc:
                raise DirectoryError(f"overlay unit {raw.get('id')!r}: {exc}") from exc
            self.scopes.setdefault(unit.scope, Scope(id=unit.scope, name=unit.scope))
            self.add(unit)
        for unit_id, delivery in (overlay.get("delivery") or {}).items():
            unit = self.units.get(unit_id)
            if unit is None:
                raise DirectoryError(f"overlay delivery for unknown unit {unit_id!r}")
            merged = Delivery.model_validate({**unit.delivery.model_dump(exclude_none=True), **delivery})
            self.units[unit_id] = unit.model_copy(update={"delivery": merged})


def _from_template(entry: dict, unit_id: str, name: str, scope: str, member_prefix: str) -> Unit:
    return Unit.model_construct(
        id=unit_id, name=name, aliases=list(entry.get("aliases", [])), kind=entry["kind"],
        members=[member_prefix + m for m in entry.get("members", [])], member_kinds=list(entry.get("member_kinds", [])),
        delivery=Delivery(), scope=scope,
    )


def _display(template: dict, short: str, city: bool) -> str:
    """The full name of a province's unit: "Sở Y tế tỉnh Hà Tĩnh", "Thành ủy Hà Nội"."""
    if "display" in template:
        pattern = template["display"]
        if city and template.get("city"):
            pattern = template["city"][0] + " {province}"
        return pattern.format(province=short)
    whole = f"{'thành phố' if city else 'tỉnh'} {short}"
    name = template["name"]
    if name.endswith(" tỉnh"):
        return f"{name.removesuffix(' tỉnh')} {whole}"
    if city and template.get("city"):
        return f"{template['city'][0]} {short}"
    return f"{name} {whole}"


@cache
def _head_key(pattern: str) -> str:
    """The key of a pattern's words before "{type} {name}"."""
    return name_key(pattern.split("{type}")[0])


@cache
def _word_key(text: str) -> str:
    return name_key(text)


def _compose(pattern: str, *, type: str, name: str) -> Key:
    """``name_key(pattern.format(type=..., name=...))`` for patterns "<words> {type} {name}",
    from cached parts: the former communes' names are many."""
    head = _head_key(pattern)
    tail = f"{_word_key(type)} {_word_key(name)}"
    return Key(f"{head} {tail}" if head else tail)
