"""The desk's accounts: a small JSON file of names, roles and argon2 password hashes.

Three roles: a ``clerk`` files and watches documents, a ``unit`` user sees the tasks of
one unit (its directory id), an ``admin`` does what a clerk does. Passwords are hashed
with argon2id (argon2-cffi's defaults); the file holds no password. It is rewritten
whole, through a temporary file and a rename, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import threading
import unicodedata
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel

Role = Literal["clerk", "unit", "admin"]
ROLES: tuple[Role, ...] = ("clerk", "unit", "admin")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so that a wrong name costs the same time as a
# wrong password (no telling which names exist by timing).
_DUMMY_HASH = _hasher.hash("not a password")


class User(BaseModel):
    name: str
    role: Role
    unit_id: str | None = None
    password_hash: str

    @property
    def is_unit(self) -> bool:
        return self.role == "unit"


class UserStore:
    """Users kept in ``path`` (JSON)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _load(self) -> dict[str, User]:
        if not self.path.exists():
            return {}
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        return {name: User.model_validate(entry) for name, entry in raw.items()}

    def get(self, name: str) -> User | None:
        return self._load().get(account_name(name))

    def add(self, name: str, password: str, role: Role, unit_id: str | None = None) -> User:
        """Create or replace the user ``name``. A unit user needs its ``unit_id``; others have none."""
        if role == "unit" and not unit_id:
            raise ValueError("a unit user needs the id of its unit (--unit)")
        if role != "unit" and unit_id:
            raise ValueError("only a unit user belongs to a unit")
        if len(password) < 8:
            raise ValueError("a password needs at least 8 characters")
        user = User(name=account_name(name), role=role, unit_id=unit_id, password_hash=_hasher.hash(password))
        with self._lock:
            users = self._load()
            users[user.name] = user
            self._save(users)
        return user

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when ``password`` is theirs, else None."""
        user = self.get(name)
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return user

    def _save(self, users: dict[str, User]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({n: u.model_dump() for n, u in users.items()}, f, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)


def account_name(name: str) -> str:
    """A user name as stored: NFC, trimmed, lower case (sign-in is not case-sensitive)."""
    return unicodedata.normalize("NFC", name).strip().lower()
