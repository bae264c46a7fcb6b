"""Assignments: which unit must do what, in which role, by when, and why we think so.

The rules follow ../shared/corpus/CONVENTIONS.md. Each reading is recorded with the name
of the rule that found it (``AssignmentEvidence.rule``):

* ``subject``: units opening a clause, then their predicate: "X, Y tổ chức ..." -> X, Y
  assigned; "X chủ trì, phối hợp với Y ..." -> X lead (Y by ``cooperate-cue``); "X phối
  hợp với Y" -> X assigned; "X chủ trì cùng Y" -> Y cooperates; role cues may follow an
  adverbial ("X theo chức năng, nhiệm vụ chủ trì ...") or sit in a parenthesis after a
  name ("Sở Y tế (chủ trì)"), or read "X là cơ quan chủ trì".
* ``trigger``: the units after "Giao", "Đề nghị", "Yêu cầu" ..., also after the issuer
  ("Ban Thường vụ Tỉnh ủy yêu cầu X ...", and "Sở X hướng dẫn Y đánh giá ...": the
  issuer guiding Y to act).
* ``heading``: a heading that ends in units and a colon ("6. Các huyện, thành phố:", "1.
  Bộ Tài chính chủ trì, phối hợp với ...:") hands its units, in its section, to the items
  below that name no subject; an item's "Chủ trì, phối hợp với Z" makes them lead. So
  does an article headed by whose duties it lists ("Điều 5. Trách nhiệm của Sở Tài chính").
* ``addressees``: the opening asking a bare collective ("Bộ Xây dựng yêu cầu các cơ quan,
  đơn vị:") asks the addressees ("Kính gửi", a Công điện's "... điện:" list): each is
  assigned, section null.
* ``plan-field``, ``plan-table``, ``appendix-table``: "Cơ quan chủ trì / phối hợp /
  thực hiện:" fields, "|" table rows, and tables after the signature flattened one cell
  per line; a catalogue of administrative procedures tasks no one.

Not assignments: legal bases and cited proposals; the issuer's own act ("UBND tỉnh ban
hành ...", "Cục Hải quan thông báo ..."); the closing formula ("... để X biết"); reports
("đã", "đang", an earlier document's "đã giao"); whom a tasked unit directs ("Chỉ đạo Sở Y
tế chủ trì, phối hợp với Y ...": the document tasks the one who directs, Y cooperates); a
listing of names with no predicate; who chaired a meeting. The units the opening sentence
asks to act are assigned with section null; the numbered tasks below it without a subject
of their own are implicit and not recorded again.

One assignment per (unit, role, numbered section): the lettered points and items it was
read in are its ``points``, each reading its ``evidence`` (page and spans located in
the parsed text by :class:`services.parse.evidence.TextLocator`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from rapidfuzz import fuzz

from vanthu.directory import NameSource, Succession
from vanthu.events import Assignment, AssignmentEvidence, Role, Section, Span
from vanthu.normalize import CAPITALS, fold, match_key

from services.parse.dates import Deadline, find_recurrence
from services.parse import roles
from services.parse.deadlines import task_deadline
from services.parse.evidence import TextLocator
from services.parse.readings import Group, Party, parties_of
from services.parse.tables import appendix_groups, field_groups, table_groups
from services.parse.subjects import (
    UnitList,
    lower_form,
    names_the_addressees,
    office_free,
    predicate_start,
    read_units,
    starts_with_verb,
)

# How close a printed name must be to the issuer to be the issuer speaking (rapidfuzz ratio).
_ISSUER_SCORE = 90
_SENTENCE_END = re.compile(rf"(?<=[.!?…])\s+(?=[^\s\w]*[{CAPITALS}0-9])")
_CLAUSE_END = re.compile(r"(?<=;)\s+")
_ENUMERATOR = re.compile(r"(?:^|\s+)\((?:[ivx]{1,4}|\d{1,2})\)\s+")


class Resolved(NamedTuple):
    """A printed name as the directory reads it: the unit (``unit_id`` None when unknown or
    ambiguous), how the printed body became it, and an ambiguous name's candidates."""

    unit: str
    unit_id: str | None
    succession: list[str]
    candidates: list[str]


class Resolver:
    """Printed unit name -> :class:`Resolved`, recording a warning for each unknown name."""

    def __init__(self, directory: NameSource | None, usable: bool) -> None:
        self.directory = directory if usable else None
        self.unknown: list[str] = []
        self.notes: list[str] = []  # warnings on names only the grammar could end

    def resolve(self, text: str, *, members_known: bool = False) -> Resolved:
        """``members_known``: ``text`` is a shared head whose listed members all resolve (see
        :meth:`members`); it is then not reported as an unknown unit."""
        found = self.directory.lookup(office_free(text)) if self.directory else None
        if found is None or found.unit is None:
            if text not in self.unknown and not members_known:
                self.unknown.append(text)
            return Resolved(text, None, [], [u.id for u in found.candidates] if found else [])
        history = [_succession_note(s) for s in found.succession]
        return Resolved(found.unit.name, found.unit.id, history, [])

    def members(self, members: Sequence[str]) -> list[str | None]:
        """Each member's unit id, None where unknown (reported as any unknown name)."""
        return [self.resolve(m).unit_id for m in members]


def _succession_note(s: Succession) -> str:
    when = f" until {s.date.isoformat()}" if s.date else ""
    return f"{s.former}{when}" + (f" ({s.basis})" if s.basis else "")


class _Clause(NamedTuple):
    """What one clause assigns: its units and their task (the rest of the clause)."""

    parties: list[Party]
    task: str
    joins: bool = False  # the units join those of an enclosing heading ("Phối hợp với Y ...")
    heading_leads: bool = False  # ... and the heading's units lead ("Chủ trì, phối hợp với Y ...")


class _Reader:
    """Reads one clause: its units, their roles and their task (see the module docstring)."""

    def __init__(self, directory: NameSource | None, resolver: Resolver, issuer: str | None = None) -> None:
        self.directory = directory
        self.resolver = resolver
        self.issuer = match_key(issuer) if issuer else ""

    def is_issuer(self, name: str) -> bool:
        """Whether a printed name is the document's issuer, the office that signs for it, or
        its short form ("UBND tỉnh" for "Ủy ban nhân dân tỉnh Nam Định")."""
        if not self.issuer:
            return False
        printed = match_key(office_free(name))
        # A short form keeps the issuer's head: "UBND tỉnh" is "Ủy ban nhân dân tỉnh Nam Định"'s,
        # not "Đảng ủy Ủy ban nhân dân tỉnh"'s (the committee's Party body).
        return bool(printed) and (
            set(printed.split()) <= set(self.issuer.split()) and printed.split()[0] == self.issuer.split()[0]
            or fuzz.ratio(printed, self.issuer) >= _ISSUER_SCORE
        )

    def units(self, clause: str, start: int, *, whole: bool = False) -> UnitList | None:
        units = read_units(clause, start, self.directory, whole=whole)
        if units is None:
            return None
        if (cut := units.undelimited) is not None:
            note = f"unit name ended by grammar, not by a known verb: {units.names[-1].text!r} in {cut.text!r}"
            if note not in self.resolver.notes:
                self.resolver.notes.append(note)
        # An upper-case name is a title line ("BỘ TRƯỞNG BỘ Y TẾ" over "QUYẾT ĐỊNH:"): the
        # issuer speaking, never an addressee.
        names = [n for n in units.names if not (n.text.isupper() and len(n.text.split()) > 2)]
        return UnitList(names, units.end) if names else None

    def clause(self, clause: str) -> _Clause | None:
        """What ``clause`` assigns, or None when it names no unit of its own."""
        low = lower_form(clause)
        duties = roles.DUTIES_OF.match(low) or (roles.HEADED_FOR.match(low) if clause.rstrip().endswith(":") else None)
        if duties and (units := self.units(clause.rstrip(" .:"), duties.end(), whole=True)):
            return _Clause(parties_of(units.names, "assigned", "subject"), "")
        address = roles.ADDRESS.match(low) or roles.LED_CONTENT.match(low)
        if units := self.units(clause, address.end() if address else 0):
            trigger = roles.TRIGGER.match(low, _skip(clause, units.end))
            if trigger is None and all(self.is_issuer(n.text) for n in units.names):
                trigger = roles.GUIDES.match(low, _skip(clause, units.end))
            if trigger is None:
                return self._predicate(clause, low, units)
            # "UBND tỉnh yêu cầu X ...": the units before the trigger are the issuer.
            addressees = self.units(clause, trigger.end())
            return self._predicate(clause, low, addressees, "trigger") if addressees else None
        triggers = [(m, False) for m in roles.TRIGGER.finditer(low)] + [(m, True) for m in roles.GUIDES.finditer(low)]
        for m, guides in sorted(triggers, key=lambda found: found[0].start()):
            # The issuer may follow an introductory phrase: "Thực hiện ..., Ban Thường vụ yêu cầu X".
            opened = max(clause.rfind(c, 0, m.start()) for c in ",;:") + 1
            before = clause[opened : m.start()].strip()
            if opened == 0 and before[:1].isupper() and _CONNECTIVE.fullmatch(lower_form(before)):
                # "Đồng thời cũng yêu cầu X ...": a sentence going on the speaker's request; within
                # a task's steps ("...; đồng thời yêu cầu doanh nghiệp ...") its doer asks
                before = ""
            speaker = self.units(before, 0, whole=True) if before else None
            if (
                _IN_WRITING.search(low, opened, m.end())
                and (own := self.units(clause, opened))
                and _IN_WRITING.match(low, _skip(clause, own.end))
                and not all(self.is_issuer(n.text) for n in own.names)
            ):
                # "BHXH các tỉnh có văn bản đề nghị các cơ sở KCB ...": the subject's task is to
                # ask; whom it asks, the document does not task
                return self._predicate(clause, low, own)
            itself = bool(before) and roles.THE_DOCUMENT.fullmatch(lower_form(before)) is not None
            if (before and not speaker and not itself) or (
                guides and not (speaker and all(self.is_issuer(n.text) for n in speaker.names))
            ):
                continue
            if (words := low[: m.start()].split()) and roles.PAST.fullmatch(words[-1]) or any(
                roles.PAST.fullmatch(w) for w in lower_form(before).split()
            ):
                # "Thủ tướng Chính phủ đã giao “X ...”", "Bộ ... đã có Công văn số 2501/... đề
                # nghị X ...": an earlier document's task, reported
                continue
            if not before and m.start() and (
                (starts_with_verb(clause) and not roles.INTRO.match(low)) or _asked_by_doer(clause, m.start())
            ):
                continue  # a task's own step ("Phối hợp với Y rà soát, yêu cầu các doanh nghiệp ..."): its units ask
            if units := self.units(clause, m.end()):
                return self._predicate(clause, low, units, "trigger")
        if roles.INTRO.match(low) and (found := self._after_intro(clause, low)):
            return found
        if m := roles.DIRECT.match(low):
            # "Chỉ đạo các Khu Quản lý đường bộ phối hợp với các Sở Xây dựng ...": whom a tasked
            # unit directs, the document does not task; the partners it names cooperate
            # (CONVENTIONS.md; corpus a03), with the unit that directs.
            directed = self.units(clause, m.end())
            found = self._predicate(clause, low, directed) if directed else None
            names = {n.text for n in directed.names} if directed else set()
            partners = [p for p in (found.parties if found else []) if p.role == "cooperate" and p.text not in names]
            return _Clause(partners, clause, joins=True) if partners else None
        lead = _opening_cue(roles.LEAD, low)
        if lead and lead.start() and not roles.COOPERATE.match(low, lead.end()):
            lead = None  # mid-clause "chủ trì" names a duty ("trách nhiệm chủ trì, trách nhiệm phối hợp")
        if m := roles.COOPERATE_ALONE.match(low, lead.end()) if lead else _opening_cue(roles.COOPERATE_ALONE, low):
            units = self.units(clause, m.end())
            partners = parties_of(units.names, "cooperate", "cooperate-cue") if units else []
            task = clause[units.end :].strip(" ,") if units and lead else clause
            return _Clause(partners, task, joins=True, heading_leads=bool(lead)) if units else None
        if lead:  # "Chủ trì tổ chức ...": the heading's units lead
            return _Clause([], clause[lead.end() :].strip(" ,"), joins=True, heading_leads=True)
        return None

    def _after_intro(self, clause: str, low: str) -> _Clause | None:
        """"Đối với 355 nhiệm vụ ... (danh mục ...), các Bộ, cơ quan ngang Bộ khẩn trương rà
        soát ...": the subject after an introductory phrase, at its first comma outside
        parentheses that units follow, when a predicate verb follows them: a lead-in may hold
        commas of its own ("Đối với các chi phí khám bệnh, chữa bệnh ..., Bảo hiểm xã hội
        Việt Nam khẩn trương ...", "Trường hợp cần điều chỉnh danh mục hàng hóa, dịch vụ
        ..., Sở quản lý ngành, lĩnh vực đánh giá ..."); a condition may end at "thì" instead
        ("Trường hợp ... thì Ủy ban nhân dân cấp tỉnh phải ..."). A comma after a unit's name parts
        a list of the lead-in's own ("Thực hiện Kết luận của Bộ Chính trị, Ban Bí thư, Ban
        Chỉ đạo ..."): no subject starts there, unless a collective name opens the subject
        ("... Chương trình hành động của Chính phủ, các bộ, cơ quan ngang bộ ... xây dựng")."""
        depth, first = 0, True
        then = {m.end() - 2 for m in _THEN.finditer(low)}  # "Trường hợp ... thì X ...": the condition's end
        for k, ch in enumerate(clause):
            depth += (ch == "(") - (ch == ")")
            if k in then and not depth:
                opens = True
            elif ch != "," or depth or (self._ends_in_unit(clause, k) and not _COLLECTIVE.match(clause, k + 1)):
                continue
            elif _QUANTIFIED_TAIL.search(clause, 0, k) and _KIND_GOES_ON.match(clause, k + 1):
                continue  # "đề nghị của các Bộ, cơ quan liên quan, Bộ Tài chính ...": one quantified list
            else:
                # Past the lead-in's first comma a subject opens with a name or a quantifier, not the
                # lead-in's own nouns ("căn cứ kết quả ..., xem xét ... của cơ quan, đơn vị và ...").
                opens = first or _SUBJECT_OPENS.match(clause, k + 1)
                first = False
            units = self.units(clause, k + 1) if opens else None
            if units is None:
                continue
            pos = _skip(clause, units.end)
            if (trigger := roles.TRIGGER.match(low, pos)) and (addressees := self.units(clause, trigger.end())):
                # "Để thống nhất ..., BHXH Việt Nam chuyển ... đề nghị BHXH các tỉnh ...": who asks, then whom
                return self._predicate(clause, low, addressees, "trigger")
            if pos < len(clause) and starts_with_verb(clause[pos:]) and (found := self._predicate(clause, low, units)):
                return found
            break
        return self._run_on_subject(clause, low)

    def _run_on_subject(self, clause: str, low: str) -> _Clause | None:
        """The subject of a main clause that a copy ran into its condition with no comma and
        no "thì" ("Đối với hàng ... để xuất khẩu Chi cục Hải quan nơi lưu giữ hàng hóa hướng
        dẫn ...", "... theo quy định tại Điều 52 Thông tư 38/2015/TT-BTC Chi cục Hải quan
        ... hướng dẫn ..."): a capitalised name mid-clause opens a sentence when its verb
        follows it with nothing between, and the words before it neither take it as their
        object (a preposition, a verb: "của", "kiến nghị") nor hold its first words ("Tổng
        cục Hải quan", "Đảng ủy Bộ Y tế", "cơ quan BHXH")."""
        if not _CONDITION.match(low):
            return None  # a basis or a purpose ("Căn cứ ...", "Để ...") leads into no run-on sentence
        for m in _RUN_ON.finditer(clause):
            if ":" in clause[: m.start()]:
                break  # "Đối với ...: Kinh phí ...": what follows a colon is the lead-in's own content
            printed = list(re.finditer(r"\S+", clause[: m.start()]))
            if len(printed) < _CONDITION_WORDS or not (
                printed[-1].group()[:1].islower() or printed[-1].group().endswith(")") or any(c.isdigit() for c in printed[-1].group())
            ):
                continue
            last = [w.group().lower() for w in printed[-2:]]
            if last[-1] in _TAKES_A_NAME or any(
                starts_with_verb(" ".join(last[-n:])) or roles.TRIGGER.fullmatch(" ".join(last[-n:]) + " ") for n in (1, 2)
            ):
                continue
            if any(
                (held := self.units(clause, w.start())) and held.names[0].start == w.start() and held.names[0].end > m.end()
                for w in printed[-_NAME_WORDS_BEFORE:]
            ):
                continue  # the capital goes on a name begun before it
            units = self.units(clause, m.end())
            if units is None or units.names[0].start != m.end():
                continue
            if any(office_free(n.text) != n.text or lower_form(n.text) in _LEVEL_WORDS for n in units.names):
                continue  # a body opens a run-on sentence: not an office ("Số lượng Phó Chủ tịch ..."), not a bare level
            if not clause[units.names[-1].end : units.end].strip() and starts_with_verb(clause[units.end :].lstrip()):
                return self._predicate(clause, low, units)  # its verb follows it, no comma between
        return None

    def _ends_in_unit(self, clause: str, pos: int) -> bool:
        """Whether a unit's name ends at ``pos``, its head among the last few words."""
        starts = [m.start() for m in re.finditer(r"\S+", clause[:pos])][-_NAME_WORDS:]
        return any(self.units(clause[:pos], at, whole=True) for at in starts if clause[at].isupper())

    def _directed_partners(self, clause: str, low: str, pos: int) -> UnitList | None:
        """The partners named after whom a predicate at ``pos`` directs ("chỉ đạo X phối hợp
        với Y ..."): Y, or None."""
        if not (direct := roles.DIRECT.match(low, pos)) or not (directed := self.units(clause, direct.end())):
            return None
        at = _skip(clause, directed.end)
        if cue := roles.ADVERBIAL.match(low, at):
            at = cue.end()
        if not (m := roles.COOPERATE.match(low, at)):
            return None
        return self.units(clause, m.end())

    def _predicate(self, clause: str, low: str, units: UnitList, rule: str = "subject") -> _Clause | None:
        pos = _skip(clause, units.end)
        if roles.NEGATED.match(low, pos) and (urged := roles.URGED.search(low, pos)):
            # "Các Bộ, ... đến nay chưa có báo cáo ..., khẩn trương gửi báo cáo ...": those
            # the relative clause picks out are urged to act
            pos = urged.start(1)
        since = roles.SINCE.match(low, pos)  # "X trong thời gian ngắn đã tích cực vào cuộc": a report
        if (
            roles.PAST.match(low, since.end() if since else pos) or roles.DATED.match(low, pos) or roles.NEGATED.match(low, pos)
            or roles.PASSIVE.match(low, pos)
            or roles.PERMITTED.match(low, pos) or roles.LIABLE.match(low, pos)
            or any(roles.WHICHEVER.search(n.text) for n in units.names)
        ):
            return None  # a report, a shortcoming, what they receive, may do or answer for, or a condition ("đơn vị nào ... thì ...")
        if ":" in clause[units.end : pos] and pos < len(clause) and not starts_with_verb(clause[pos:]):
            return None  # "lãnh đạo các Tập đoàn: Điện lực Việt Nam, ...": a listing, not "X: task"
        if roles.TO_KNOW.match(low, pos) or roles.ANNOUNCES.match(low, pos):
            return None  # the closing formula: "thông báo để X biết, thực hiện"
        if roles.SPEAKS.match(low, pos):
            return None  # who speaks: "Phó Thủ tướng ... kết luận như sau:"
        if all(self.is_issuer(n.text) for n in units.names) and (
            roles.OWN_ACT.match(low, pos) or (rule == "subject" and not roles.LEAD.match(low, pos))
        ):
            # The issuer's own act ("Cục Hải quan thông báo ...", "UBND tỉnh ban hành ...") or
            # account ("Cục Thuế nhận được câu hỏi ..."): a document tasks others; its issuer
            # only when a trigger or a role cue says so (CONVENTIONS.md).
            return None
        role: Role = "assigned"
        extra: list[Party] = []
        cue = roles.ADVERBIAL.match(low, pos) or roles.ASIDE.match(low, pos)
        if cue and (roles.LEAD.match(low, cue.end()) or roles.COOPERATE.match(low, cue.end())):
            pos = cue.end()
        if m := roles.LEAD.match(low, pos):
            if roles.MEETING.match(low, m.end()):
                return None  # "X chủ trì cuộc họp": who chaired the meeting, no task
            role, pos = "lead", m.end()
        if m := roles.COOPERATE.match(low, pos):
            partners = self.units(clause, m.end())
            if partners:
                extra = parties_of(partners.names, "cooperate", "cooperate-cue")
                pos = partners.end
        elif (partners := self._directed_partners(clause, low, pos)) is not None:
            # "Đảng ủy Chính phủ lãnh đạo, chỉ đạo các bộ, ngành tiếp tục phối hợp với Bộ Tư pháp
            # ...": whom the subject directs is not tasked; the partners it names cooperate (a03)
            extra = parties_of(partners.names, "cooperate", "cooperate-cue")
        elif (later := _LATER_PARTNERS.search(low, pos)) and (partners := self.units(clause, later.end())):
            # "Các bộ, ngành ... hoàn thiện cơ sở dữ liệu, phối hợp với Bộ Công an thực hiện ...":
            # the subject's next step names its partners
            extra = parties_of(partners.names, "cooperate", "cooperate-cue")
        parties = parties_of(units.names, role, rule) + extra
        return _Clause(parties, clause[pos:].strip(" ,"))


def _addressed(reader: _Reader, group: Group, addressees: Sequence[str]) -> Group:
    """``group``, an opening sentence's reading, with the addressees in place of the bare
    collective the issuer asks ("Bộ Xây dựng yêu cầu các cơ quan, đơn vị:" over a
    "BỘ XÂY DỰNG điện:" list): each is assigned, by the ``addressees`` rule; with no task
    of its own (the numbered tasks follow), the sentence is its task."""
    if not addressees or not group.parties or not all(
        p.rule == "trigger" and names_the_addressees(p.text) for p in group.parties
    ):
        return group
    parties = []
    for entry in addressees:
        units = reader.units(entry, 0, whole=True)
        parties += parties_of(units.names, "assigned", "addressees") if units else [Party(entry, "assigned", "addressees")]
    return Group(parties, group.task if group.task_text else [group.anchor], group.deadline_text, group.anchor)


def _opening_cue(cue: re.Pattern[str], low: str) -> re.Match[str] | None:
    """A role cue in a clause without a subject, at its start or after a short lead-in
    with no list in it ("Tiếp tục phát huy vai trò cơ quan thường trực chủ trì, phối hợp
    với Y ..."): the enclosing heading's units take the role."""
    m = cue.search(low)
    if m is None or not m.start():
        return m
    lead_in = low[: m.start()]
    if (roles.INTRO.match(lead_in) or starts_with_verb(lead_in)) and lead_in.rstrip().endswith(",") and ";" not in lead_in:
        # a condition first: "Trường hợp cố tình vi phạm, phối hợp với Công an tỉnh xử lý"; or
        # the task's first step: "Xây dựng tài liệu tuyên truyền, phối hợp với UBND các xã, ..."
        return m
    if re.search(r"[,;:]", lead_in) or len(lead_in.split()) > _LEAD_IN_WORDS:
        return None
    return m


# A subject asking in writing: "X có văn bản đề nghị Y ...".
_IN_WRITING = re.compile(r"(?:có|gửi)\s+(?:văn bản|công văn|tờ trình)\s+(?:đề nghị|yêu cầu|kiến nghị)(?![\w])")
_LEAD_IN_WORDS = 12
# What links a sentence to the one before it, standing before its trigger with no speaker.
_CONNECTIVE = re.compile(
    r"(?:(?:đồng thời|ngoài ra|bên cạnh đó|mặt khác|theo đó|qua đó|do đó|vì vậy|vì thế|trước mắt)\s*,?\s*)?"
    r"(?:cũng\s*)?(?:đồng thời\s*)?"
)
# The main clause after a condition with no comma: "Trường hợp ... thì Ủy ban nhân dân ...".
_THEN = re.compile(r"(?<=\s)thì\s")
_LATER_PARTNERS = re.compile(r"(?:,|\s+và)\s+phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\s+")
_NAME_WORDS = 8  # words: how far back a name ending at a comma may begin
_COLLECTIVE = re.compile(r"\s*(?:các|Các)\s")
_SUBJECT_OPENS = re.compile(rf"\s*(?:[{CAPITALS}]|(?:các|những|mỗi|từng)\s)")
# A quantifier's list goes on in lower case: "các Bộ, cơ quan", "các sở, ngành, địa phương".
_QUANTIFIED_TAIL = re.compile(r"(?<![\w])(?:các|những)\s+\S+(?:\s+\S+)?$", re.IGNORECASE)
_KIND_GOES_ON = re.compile(r"\s*(?:cơ quan|đơn vị|ngành|địa phương|tổ chức)(?![\w])")
# A capitalised word after a word: a name, or a sentence the copy ran on.
_RUN_ON = re.compile(rf"(?<=[\w)])\s+(?=[{CAPITALS}])")
_NAME_WORDS_BEFORE = 4  # words before a capital where a name holding it may begin
_CONDITION = re.compile(r"(?:(?:trong\s+)?trường hợp|đối với|sau khi|khi|nếu)(?![\w])")
_LEVEL_WORDS = {"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường"}
_CONDITION_WORDS = 4  # a condition is a few words long at least: "Trường hợp Sở Y tế đề nghị ..." is one's subject
# Words a name follows as their object or complement: no sentence opens after them ("nghị":
# "kiến nghị Thủ tướng Chính phủ điều chỉnh", whom one asks; "nghe": whose report is heard;
# "chí": "đồng chí Giám đốc Sở Y tế", a person's title).
_TAKES_A_NAME = {
    "của", "với", "cho", "tại", "đến", "từ", "và", "hoặc", "thuộc", "về", "theo", "bởi", "do", "là", "giữa",
    "qua", "ở", "trong", "trên", "các", "những", "mỗi", "từng", "cùng", "khi", "nếu", "hợp", "để", "nhằm", "nghị", "nghe", "chí", "ông", "bà", "sang", "cấp",
}


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,:":
        pos += 1
    return pos


def _sentences(paragraph: str) -> list[list[str]]:
    """Sentences, each cut into clauses at ";" and at inline enumerators ("(i)", "(2)")."""
    return [
        [c for part in _CLAUSE_END.split(s) for c in _ENUMERATOR.split(part) if c.strip()]
        for s in _SENTENCE_END.split(paragraph)
        if s.strip()
    ]


# A numbered heading's label: what a section path is made of (CONVENTIONS.md); lettered
# points, "-" and "+" items are not part of it.
_NUMBERED = re.compile(r"[IVXLC]+|\d+|Điều \d+")


def split_path(path: str | None) -> tuple[str | None, str | None]:
    """"II.1.a" -> ("II.1", "a"); "3.-1.+2" -> ("3", "-1.+2"); "Điều 2.1" stays whole."""
    if not path:
        return None, None
    parts = path.split(".")
    k = 0
    while k < len(parts) and _NUMBERED.fullmatch(parts[k]):
        k += 1
    return ".".join(parts[:k]) or None, ".".join(parts[k:]) or None


@dataclass
class _Context:
    reader: _Reader
    year: int | None
    locator: TextLocator
    out: list[Assignment] = field(default_factory=list)
    index: dict[tuple[str, str, str | None], Assignment] = field(default_factory=dict)
    cursor: int = 0  # where the last located clause starts: the text is read in order

    def emit(self, group: Group, path: str | None) -> None:
        """One assignment per (unit, role, numbered section); a later reading of the same
        one adds its point, its evidence and, when new, its task and an earlier deadline."""
        task = group.task_text
        if not task or not group.parties:
            return
        deadline = task_deadline(task, self.year)
        if group.deadline_text:
            deadline = task_deadline(group.deadline_text, self.year) or task_deadline(
                f"trong {group.deadline_text}", self.year
            )
        anchor = self._locate_anchor(group.anchor or task)
        at = anchor.start if anchor else self.cursor
        task_span = self.locator.find_clause(task, at)
        recurrence = find_recurrence(task)
        for party in group.parties:
            section, point = _section_of(party, path)
            evidence = self._evidence(party, point, anchor, task_span)
            key = (_unit_key(party.text), party.role, section)
            if (known := self.index.get(key)) is not None:
                _merge_reading(known, point, evidence, task, deadline, recurrence)
                continue
            member_ids = self.reader.resolver.members(party.members)
            resolved = self.reader.resolver.resolve(party.text, members_known=bool(member_ids) and all(member_ids))
            self.index[key] = assignment = Assignment(
                unit=party.text,
                unit_text=party.text,
                unit_id=resolved.unit_id,
                unit_name=resolved.unit if resolved.unit_id else None,
                succession=resolved.succession,
                candidates=resolved.candidates,
                members=list(party.members),
                member_ids=member_ids,
                role=party.role,
                section=section,
                points=[point] if point else [],
                task=task,
                deadline=deadline.date if deadline else None,
                deadline_text=deadline.text if deadline else group.deadline_text,
                recurrence=recurrence,
                evidence=[evidence],
            )
            self.out.append(assignment)

    def _locate_anchor(self, clause: str) -> Span | None:
        span = self.locator.find_clause(clause, self.cursor) or self.locator.find_clause(clause)
        if span is not None:
            self.cursor = span.start
        return span

    def _evidence(self, party: Party, point: str | None, anchor: Span | None, task: Span | None) -> AssignmentEvidence:
        at = anchor.start if anchor else self.cursor
        if party.rule == "heading":  # printed above the item it is handed to (or after, when the item was not located)
            unit = self.locator.find_before(party.text, at + 1) or self.locator.find(party.text, at)
        else:
            unit = self.locator.find(party.text, at, anchor.end if anchor else None) or self.locator.find(party.text, at)
        return AssignmentEvidence(
            rule=party.rule,
            point=point,
            page=self.locator.page(unit.start if unit else at),
            unit_span=unit,
            task_span=task,
        )


def _section_of(party: Party, path: str | None) -> tuple[str | None, str | None]:
    """(numbered section, point) of a reading: a heading's unit stays in the heading's
    section, the item it is read in ("Điều 2.1" under "Điều 2") becomes its point."""
    if party.at is None:
        return split_path(path)
    section, point = split_path(party.at)
    below = path[len(party.at) + 1 :] if path and path.startswith(f"{party.at}.") else None
    return section, ".".join(p for p in (point, below) if p) or None


def _merge_reading(
    known: Assignment,
    point: str | None,
    evidence: AssignmentEvidence,
    task: str,
    deadline: Deadline | None,
    recurrence: str | None,
) -> None:
    if point and point not in known.points:
        known.points.append(point)
    known.evidence.append(evidence)
    if task not in known.task:
        known.task = f"{known.task}\n{task}"
    if deadline and (known.deadline is None or deadline.date and deadline.date < known.deadline):
        known.deadline, known.deadline_text = deadline.date, deadline.text
    known.recurrence = known.recurrence or recurrence


# A line that cannot end there: a list going on, or a head noun or preposition waiting for
# its name ("Phối hợp với Sở" / "Khoa học và Công nghệ", "Cục" / "Báo chí").
_DANGLING = re.compile(
    r"(?:,|(?:^|\s)(?:và|với|của|các|ngang|thuộc|sở(?<!cơ sở)|cục|vụ|bộ|ban|ủy ban|tổng cục|chi cục|văn phòng|giám đốc|chủ tịch|"
    r"thủ trưởng|chỉ huy trưởng|chánh văn phòng|trưởng|bí thư))$"
)


def _broken_name(line: str, paragraph: str) -> bool:
    """A capitalised name the page broke between two lines ("Tập đoàn ... Việt" / "Nam báo
    cáo ..."): the line ends inside a sentence on a capitalised word and the next one goes
    on with a capitalised word that is no verb."""
    last = line.rstrip().rsplit(" ", 1)[-1]
    return last[:1].isupper() and last[-1:].isalnum() and paragraph[:1].isupper() and not starts_with_verb(paragraph)


def _joined(paragraphs: list[str]) -> list[str]:
    """Paragraphs joined where a line was broken inside a unit list or a unit's name; page
    numbers left by a text layer dropped."""
    out: list[str] = []
    for paragraph in paragraphs:
        if paragraph.strip().isdigit():
            continue  # a page's number between a heading and its items
        if out and not paragraph.startswith("|") and (
            _DANGLING.search(lower_form(out[-1].rstrip())) or _broken_name(out[-1], paragraph)
        ):
            out[-1] = f"{out[-1].rstrip()} {paragraph.strip()}"
        else:
            out.append(paragraph)
    return out


_OWN_LEVEL = re.compile(r"\s+(?:thanh pho|tinh)$")


def _unit_key(name: str) -> str:
    """What makes two printed names one unit of the document: case, tone marks and the
    issuer's own level after a collective ("các sở, ban, ngành" / "các Sở, ban, ngành Thành
    phố" in a city's letter) aside."""
    return _OWN_LEVEL.sub("", fold(name))


# A notice answering requests names each first: "2. Về đề nghị Bộ Nội vụ tham mưu ...: Bộ Nội
# vụ nghiên cứu ...", "3. Về dự án nạo vét luồng tàu ...: Bộ Xây dựng khẩn trương ...". The
# request is the petitioner's wording or a topic; the answer after it tasks.
_REQUEST_TOPIC = re.compile(r"về\s+|đối với\s+(?:đề nghị|kiến nghị|đề xuất)(?![\w])")


def _answer(paragraph: str) -> str:
    """``paragraph`` without the request or topic it answers (the text up to its first
    colon), when an answer follows on it."""
    if _REQUEST_TOPIC.match(lower_form(paragraph[:40])) and (colon := paragraph.find(":")) > 0:
        return paragraph[colon + 1 :].strip() or paragraph
    return paragraph


def _asked_by_doer(clause: str, trigger: int) -> bool:
    """Whether the trigger at ``trigger`` follows a verb of the clause's own task, one comma
    back ("nếu ... không đạt, phải hướng dẫn, yêu cầu các đơn vị ...")."""
    comma = clause.rfind(",", 0, trigger)
    start = max(clause.rfind(c, 0, comma) for c in ",;:") + 1 if comma > 0 else 0
    step = lower_form(clause[start:comma].strip()) if comma > 0 else ""
    return bool(step) and starts_with_verb(step) and not roles.INTRO.match(step)


def _from_heading(parties: list[Party], role: Role | None = None) -> list[Party]:
    """A heading's units, handed to an item below it (in ``role`` when the item says so)."""
    return [replace(p, role=role or p.role, rule="heading") for p in parties]


def _paragraph_groups(ctx: _Context, paragraphs: list[str], inherited: list[Party] | None) -> list[Group]:
    groups: list[Group] = []
    current: Group | None = None
    attending = False  # an attendance list broken at its colon goes on in the next paragraph
    address = False  # the paragraph is the address the one before announced ("... theo địa chỉ:")
    for paragraph in map(_answer, _joined(paragraphs)):
        address, announced = roles.ADDRESS_FOLLOWS.search(lower_form(paragraph).rstrip()) is not None, address
        if announced:
            continue  # "Cục Văn hóa cơ sở - số 51, Ngô Quyền, ... Fax: ...": where to send, not who acts
        first = len(groups)
        for sentence in _sentences(paragraph):
            opened = len(groups)  # the groups from here on were opened by this sentence's clauses
            enumerating = False  # clauses after "như:" inside a sentence are its examples
            # A task's later step "...; yêu cầu các tổ chức, doanh nghiệp ..." is its doer asking:
            # whom it asks is not tasked by the document (as with "chỉ đạo X").
            opener = lower_form(sentence[0].strip())
            task_first = starts_with_verb(opener) and not roles.INTRO.match(opener) and not roles.TRIGGER.match(opener)
            attendance = attending or roles.ATTENDANCE.search(opener) is not None  # its clauses list who attended
            attending = attendance and sentence[-1].rstrip().endswith(":")
            for k, clause in enumerate(sentence):
                asks = k > 0 and task_first and roles.TRIGGER.match(lower_form(clause.strip())) is not None
                found = None if enumerating or asks or attendance else ctx.reader.clause(clause)
                enumerating = enumerating or roles.EXAMPLES.search(lower_form(clause).rstrip().rstrip(":")) is not None
                if found and found.joins and current is not None and not current.task_text:
                    # "Cục A, Cục B" / "Phối hợp với Vụ C ...": the units of the line above
                    # are the subject of the role cue below.
                    role: Role | None = "lead" if found.heading_leads else None
                    if role and (headed := [p for p in current.parties if p.role == "assigned"]):
                        # "5. Sở Khoa học và Công nghệ" / "Chủ trì ...": the heading tasks the
                        # unit, which also leads (CONVENTIONS.md: "X:" as an item heading).
                        groups.insert(groups.index(current), Group(headed, [found.task], anchor=clause))
                    current.parties = [*(replace(p, role=role) if role else p for p in current.parties), *found.parties]
                    current.task = [found.task]
                    continue
                if found and current is not None and not current.task_text and not found.joins:
                    # "Chánh Văn phòng ...; Giám đốc Sở ...; Thủ trưởng ... chịu trách nhiệm
                    # thi hành": one list of units cut by ";", sharing the last part's task.
                    current.parties += found.parties
                    current.task = [found.task]
                    continue
                if found:
                    parties, task = found.parties, found.task
                    subject = [p for p in groups[-1].parties if p.role == "assigned"] if len(groups) > opened else []
                    if found.heading_leads and subject:
                        # "Bộ Tư pháp có trách nhiệm kiểm tra ...; chủ trì, phối hợp với Văn phòng
                        # Chính phủ nghiên cứu ...": the sentence's subject leads its next task.
                        parties = [*(replace(p, role="lead") for p in subject), *parties]
                    elif found.joins and inherited:
                        role = "lead" if found.heading_leads else None
                        parties = [*_from_heading(inherited, role), *parties]
                    current = Group(parties, [task], anchor=clause)
                    groups.append(current)
                elif current is not None:
                    current.task.append(clause)
                elif inherited:
                    current = Group(_from_heading(inherited), [clause], anchor=clause)
                    groups.append(current)
            if current is not None and not current.task_text and sentence[-1].rstrip().endswith((".", "!", "?", "…")):
                if any(p.role == "cooperate" for p in current.parties) and current.anchor:
                    # "X chủ động phối hợp chặt chẽ với Y.": working with Y is the task
                    current.task = [current.anchor]
                else:
                    # Units in a finished sentence with no predicate ("Tham dự có đại diện ...;
                    # lãnh đạo các Tập đoàn: A, B."): a listing, not someone's task.
                    groups.remove(current)
                    current = None
        _share_final_deadline(groups[first:], paragraph, ctx.year)
    return groups


def _share_final_deadline(groups: list[Group], paragraph: str, year: int | None) -> None:
    """A date closing a point ("a) X chủ trì ...; phối hợp với Y ...; báo cáo Thủ tướng
    trước ngày 13 tháng 12 năm 2025.") times the whole point: the units read in its earlier
    clauses, whose tasks are not timed otherwise, share it."""
    if len(groups) < 2:
        return
    final = task_deadline(_sentences(paragraph)[-1][-1], year)
    if final is None or final.date is None:
        return
    for group in groups[:-1]:
        if group.deadline_text is None and task_deadline(group.task_text, year) is None:
            group.deadline_text = final.text


def _walk(ctx: _Context, node: Section, inherited: list[Party] | None) -> None:
    if node.heading and roles.POWERS_OF.match(lower_form(node.heading)):
        return
    fields = field_groups(ctx.reader, node)
    if fields:
        found, used = fields
        for group in found:
            ctx.emit(group, node.path)
        children = [c for i, c in enumerate(node.children) if i not in used]
        for child in children:
            _walk(ctx, child, inherited)
        return
    rows, paragraphs = table_groups(ctx.reader, node.text.split("\n"), node.path)
    for row, path in rows:
        ctx.emit(row, path)
    groups = _paragraph_groups(ctx, paragraphs, inherited)
    handed = inherited
    heading = None
    children = node.children
    if node.children and groups and groups[-1].opens_list:
        heading = groups.pop()
        handed = [p if p.at else replace(p, at=node.path) for p in heading.parties]
        listed, count = _listed_bodies(ctx.reader, node)
        if count and not _tasks_after(node, count):
            # a board's members ("3. Các ủy viên:" / "- Bộ trưởng Bộ Quốc phòng;" / "- 01
            # Thứ trưởng Bộ Nội vụ;"): its composition, no one's tasks
            heading, children = None, []
        elif listed:
            heading = Group(listed, heading.task, anchor=heading.anchor)
            handed = [replace(p, at=node.path) for p in listed]
            children = node.children[count:]
    for group in groups:
        ctx.emit(group, node.path)
    for child in children:
        _walk(ctx, child, handed)
    if heading is not None:
        _heading_tasks(ctx, heading, node.path)


def _listed_bodies(reader: _Reader, node: Section) -> tuple[list[Party], int]:
    """The bodies a heading lists on "-" items of their own before the items that task them
    ("Giao các sở ... gồm:" / "- Sở Công Thương (đối với ...);" / "- Sở Xây dựng ...;" /
    "Có trách nhiệm:" / "a) Chủ trì ..."): their parties and how many of the node's first
    children they fill; nothing when fewer than two such items open the node."""
    parties: list[Party] = []
    count = 0
    for child in node.children:
        if not child.path.rsplit(".", 1)[-1].startswith("-") or child.children:
            break
        units = reader.units(child.text.strip().rstrip(";.,"), 0, whole=True)
        if units is None:
            break
        parties += parties_of(units.names, "assigned", "heading")
        count += 1
    return (parties, count) if count >= 2 else ([], 0)


def _tasks_after(node: Section, count: int) -> bool:
    """Whether an item after the node's first ``count`` says what to do (opens with a verb
    or has a predicate), or there is no item after them."""
    rest = node.children[count:]
    return not rest or any(starts_with_verb(c.text) or predicate_start(c.text) is not None for c in rest)


def _heading_tasks(ctx: _Context, heading: Group, path: str | None) -> None:
    """"3. Bộ Nông nghiệp và Phát triển nông thôn:" over items that all say "Chủ trì, ...":
    the heading tasks the unit itself too (CONVENTIONS.md: "X:" as an item heading), with
    the task it leads."""
    for party in heading.parties:
        section = _section_of(party, path)[0]
        if party.role != "assigned" or (_unit_key(party.text), "assigned", section) in ctx.index:
            continue
        if (led := ctx.index.get((_unit_key(party.text), "lead", section))) is not None:
            ctx.emit(Group([party], [led.task], anchor=heading.anchor), path)


def _without_bases(opening: list[str]) -> list[str]:
    """The opening without its legal bases and the proposal it cites ("Căn cứ ...", "Theo
    đề nghị của Giám đốc Sở ... tại Tờ trình ..."): they task no one. A basis runs on over
    broken lines until one ends its sentence (";" or ".") or announces what follows ("Xét
    đề nghị ..., Phó Thủ tướng có ý kiến như sau:"), and on over the acts it cites after
    its first ("...; Luật Tổ chức chính quyền địa phương ..."); what follows its end in the same
    paragraph is kept ("Căn cứ ... từng cá nhân. Cục Thuế đề nghị các Thuế tỉnh ...")."""
    kept: list[str] = []
    in_basis = after_basis = False  # after_basis: the sentence before was a basis
    for paragraph in opening:
        rest: list[str] = []
        for sentence in _BASIS_END.split(paragraph):
            folded = fold(sentence)
            # A basis may cite acts one after another: "Căn cứ Luật A ...; Luật B ...; Nghị quyết số ..."
            in_basis = in_basis or roles.BASIS.match(folded) is not None or (after_basis and bool(_CITED_ACT.match(folded)))
            if in_basis and (main := _main_clause(sentence)) is not None:
                sentence, in_basis = main, False
            after_basis = in_basis
            if not in_basis:
                rest.append(sentence)
            elif sentence.rstrip().endswith((";", ".", ":")):
                in_basis = False
        if rest:
            kept.append(" ".join(rest))
    return kept


def _main_clause(basis: str) -> str | None:
    """What a cited proposal leads into in its own sentence: "Xét đề nghị của Ủy ban nhân
    dân tỉnh ... tại văn bản số ..., Phó Thủ tướng Vũ Văn Ninh giao các Bộ ... xem xét ..."
    -> "Phó Thủ tướng ... giao ...": a speaker's short name after a comma, then a trigger."""
    low = lower_form(basis)
    for m in roles.TRIGGER.finditer(low):
        if not basis[m.start()].islower():
            continue  # a name's word: "Bộ Giao thông vận tải", "Bộ Ngoại giao"
        comma = basis.rfind(",", 0, m.start())
        speaker = basis[comma + 1 : m.start()].strip()
        if comma != -1 and speaker[:1].isupper() and len(speaker.split()) <= _PROPOSAL_SPEAKER_WORDS:
            return basis[comma + 1 :].strip()
    return None


_PROPOSAL_SPEAKER_WORDS = 8  # "Phó Thủ tướng Vũ Văn Ninh", "Chủ tịch Ủy ban nhân dân tỉnh"


_CITED_ACT = re.compile(
    r"(?:hien phap|bo luat|luat|phap lenh|nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|ket luan|quy dinh)(?![\w])"
)


# A sentence's end inside a paragraph: a stop after a word in lower case or a number
# ("TP. Hồ Chí Minh" goes on), before a capital.
_BASIS_END = re.compile(rf"(?<=[a-zà-ỹđ0-9)][.;])\s+(?=[{CAPITALS}])")


def extract_assignments(
    opening: list[str],
    sections: list[Section],
    closing: list[str],
    directory: NameSource | None,
    resolver: Resolver,
    year: int | None,
    appendix: Sequence[str] = (),
    issuer: str | None = None,
    text: str = "",
    addressees: Sequence[str] = (),
) -> list[Assignment]:
    """Every assignment in the body, then in the appendix tables after the signature
    (``appendix``: the lines from the closing block on), in reading order; unknown names
    land in ``resolver.unknown``.

    ``issuer`` (as printed) keeps the issuer's own acts out ("Cục Hải quan thông báo ...");
    ``text`` is the parsed text the evidence spans point into; ``addressees`` (the "Kính
    gửi" entries, a Công điện's list after "... điện:") are who the opening's "các cơ quan,
    đơn vị" are."""
    ctx = _Context(_Reader(directory, resolver, issuer), year, TextLocator(text))
    opening = _without_bases(opening)
    rows, paragraphs = table_groups(ctx.reader, opening, None)
    for row, path in rows:
        ctx.emit(row, path)
    groups = _paragraph_groups(ctx, paragraphs, None)
    # "... yêu cầu X, Y thực hiện các nhiệm vụ sau:": X and Y are asked to act, with section
    # null; the numbered tasks below without a subject of their own are implicit, not
    # recorded again (CONVENTIONS.md).
    for group in groups:
        ctx.emit(_addressed(ctx.reader, group, addressees), None)
    for section in sections:
        _walk(ctx, section, None)
    for group in _paragraph_groups(ctx, closing, None):
        ctx.emit(group, None)
    for row, path in appendix_groups(ctx.reader, appendix):
        ctx.emit(row, path)
    # An annex's plan table as a PDF's text layer or a scan's grid gives it: "|" rows.
    for row, path in table_groups(ctx.reader, list(appendix), None)[0]:
        ctx.emit(row, path)
    return ctx.out
