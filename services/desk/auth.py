"""Sign-in sessions, CSRF tokens and who may see what.

The session is a cookie signed with the desk's key (itsdangerous) holding the user's
name, a random CSRF token and when it was issued; it expires after
``session_max_age_s`` (the signature's timestamp is checked on every request, the
cookie's own lifetime only tells the browser). Every request re-reads the user, so a
changed role or a removed account takes effect at once. Every form carries the
session's CSRF token, checked on every POST (also the sign-in form: the visitor gets an
anonymous session first).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from services.desk.config import DeskSettings
from services.desk.users import User, UserStore

COOKIE = "vanthu_desk"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass
class Session:
    csrf: str
    user: User | None = None


class SignInRequired(Exception):
    """Raised by a page that needs a signed-in user; the app sends the visitor to sign in."""


def session_key(settings: DeskSettings) -> str:
    """The configured key, or the desk's own random one (made once, readable by its owner only)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.path("session.key")
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class Sessions:
    def __init__(self, settings: DeskSettings, users: UserStore) -> None:
        self.settings = settings
        self.users = users
        self._serializer = URLSafeTimedSerializer(session_key(settings), salt="vanthu-desk-session")

    def read(self, request: Request) -> Session | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._serializer.loads(raw, max_age=self.settings.session_max_age_s)
        except BadSignature:  # also SignatureExpired
            return None
        user = self.users.get(data["u"]) if data.get("u") else None
        return Session(csrf=data["c"], user=user)

    def cookie(self, session: Session) -> str:
        return self._serializer.dumps({"u": session.user.name if session.user else None, "c": session.csrf})

    def set_cookie(self, response, session: Session) -> None:
        response.set_cookie(COOKIE, self.cookie(session), max_age=self.settings.session_max_age_s, httponly=True,
                            samesite="strict", secure=self.settings.secure_cookies)

    @staticmethod
    def new(user: User | None = None) -> Session:
        return Session(csrf=secrets.token_urlsafe(32), user=user)


def check_csrf(session: Session | None, token: str | None) -> None:
    """HTTP 403 unless ``token`` is the session's CSRF token."""
    if session is None or not token or not secrets.compare_digest(session.csrf, token):
        raise HTTPException(403, "Phiên làm việc không hợp lệ hoặc đã hết hạn; hãy tải lại trang.")


def may_see_document(user: User, document_id: str, projection) -> bool:
    """A clerk or an administrator sees every document; a unit user only those it was sent."""
    return not user.is_unit or (user.unit_id is not None and projection.sent_to(document_id, user.unit_id))
