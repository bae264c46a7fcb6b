"""What a clause or a table row yields before it becomes an assignment: the units
(parties) it names with their roles, and the task they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanthu.events import Role

from services.parse.subjects import UnitName


# A task that says no more than that duties follow: "có trách nhiệm.", "chịu trách nhiệm:".
_DUTIES_ONLY = re.compile(r"(?:có|chịu)\s+(?:trách nhiệm|nhiệm vụ)(?:\s+(?:thực hiện\s+)?(?:các\s+)?(?:nội dung|nhiệm vụ)\s+sau)?\s*[.:]?")


@dataclass(frozen=True)
class Party:
    text: str  # as printed
    role: Role
    rule: str  # what found it: the rule names of services.parse.assignments' docstring
    members: tuple[str, ...] = ()
    at: str | None = None  # the path of the heading it is printed in, when handed to the items below


def parties_of(names: list[UnitName], role: Role, rule: str) -> list[Party]:
    """Parties in ``role``, unless a name's own parenthesis says otherwise ("Sở Y tế (chủ trì)")."""
    return [Party(n.text, n.role_cue or role, rule, n.members) for n in names]  # type: ignore[arg-type]


@dataclass
class Group:
    """Units sharing one task, with the task's text as it accumulates."""

    parties: list[Party]
    task: list[str] = field(default_factory=list)
    deadline_text: str | None = None
    anchor: str = ""  # the printed clause it was read in, to locate it

    @property
    def task_text(self) -> str:
        return " ".join(t for t in self.task if t).strip(" ,;:")

    @property
    def opens_list(self) -> bool:
        """A heading whose task is given by the items below it: it ends in a colon, or its
        task is only to have duties ("Sở X có trách nhiệm." over its "-" items)."""
        text = " ".join(self.task).strip()
        return not text or text.endswith(":") or _DUTIES_ONLY.fullmatch(text.lower()) is not None
