"""The desk's web application (FastAPI, server-rendered Jinja2 pages, a little plain JavaScript).

Pages: sign-in (failures throttled); the documents list with upload, filters and live
updates (server-sent events); a document (page images beside the parsed fields, the
assignments and the evidence of both); a unit's inbox, live too; the review queue;
batches (files submitted together, vanthu.batches) with each file's outcome, live too.
Clerks and administrators see every document and batch; a unit user sees its unit's tasks
and the documents it was sent, and nothing else, whatever URL it tries. Secret documents show their identity only, to everyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import math
import re
import threading
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from services.desk import labels
from services.desk.auth import CSRF_FIELD, CSRF_HEADER, Session, Sessions, SignInRequired, check_csrf, may_see_document
from services.desk.config import DeskSettings
from services.desk.corrections import FORM_HEADER, ROLES, FormError, form_edits
from services.desk.feed import follow_topics, sweep_forever
from services.desk.pages import DocumentTexts, PageCache, WordIndex, render_page
from services.desk.projection import STAGES, Filters, Projection
from services.desk.throttle import SignInThrottle
from services.desk.users import User, UserStore, account_name
from vanthu import batches
from vanthu.announce import Announcer
from vanthu.cli.pipeline import submit_file
from vanthu.directory import DirectoryError, UnitDirectory
from vanthu.events import AssignmentNotice, DirectiveParsed, ObjectRef, ReviewItem, Span, Submission
from vanthu.logs import get_logger
from vanthu.settings import Settings
from vanthu.state import StateStore
from vanthu.storage import Storage, scratch_dir

HERE = Path(__file__).parent
log = get_logger("desk")
_DOCUMENT_ID = re.compile(r"[0-9a-f]{64}")
_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
_KEEPALIVE_S = 15.0
_SUGGESTED = 20  # units suggested for a typed name
_PAGE = Annotated[int, Query(alias="page", ge=1)]  # a page of a long list, from 1
_LISTED = 500  # rows of the documents list (the newest; the filters find the others), and of a page of a batch


def create_app(settings: Settings, desk: DeskSettings, *, storage: Storage | None = None,
               projection: Projection | None = None, follow: bool = True, publish=None) -> FastAPI:
    """The desk on ``settings``' Kafka and MinIO. ``follow=False`` (tests) leaves the
    projection to the caller instead of feeding it from Kafka and the state store;
    ``publish`` is how corrections and marks are published (default: Kafka, see
    :mod:`vanthu.revisions`)."""
    storage = storage or Storage(settings)
    state = StateStore(storage)
    # Uploads start at once rather than at MinIO's next notification (vanthu/announce.py).
    announcer = Announcer(storage) if follow else None
    projection = projection or Projection(desk.path("desk.sqlite"), settings)
    users = UserStore(desk.path("users.json"))
    sessions = Sessions(desk, users)
    throttle = SignInThrottle(desk.sign_in_failures_per_account, desk.sign_in_failures_per_address,
                              desk.sign_in_window_s)
    pages = PageCache(desk.path("pages"))
    texts = DocumentTexts(storage, settings)
    directories = _Lazy(lambda: UnitDirectory.from_settings(settings))  # loaded on the first look-up (~0.5 s)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(stage_label=labels.STAGE, role_label=labels.ROLE, failure_text=labels.failure,
                                 outcome_label=labels.OUTCOME, waiting_text=labels.waiting,
                                 csrf_field=CSRF_FIELD, form_header=FORM_HEADER, roles=ROLES,
                                 field_label=labels.FIELD)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        tasks = []
        if follow:
            tasks = [asyncio.create_task(_supervised(lambda: follow_topics(settings, projection), "topics")),
                     asyncio.create_task(sweep_forever(state, projection))]
        yield
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    app = FastAPI(title="vanthu desk", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.projection = projection

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, _exc: SignInRequired):
        return RedirectResponse("/login", status_code=303)

    def signed_in(request: Request, *roles: str) -> tuple[Session, User]:
        session = sessions.read(request)
        if session is None or session.user is None:
            raise SignInRequired()
        if roles and session.user.role not in roles:
            raise HTTPException(403, "Tài khoản của bạn không được xem trang này.")
        return session, session.user

    def page(request: Request, name: str, session: Session | None, status: int = 200, **context) -> HTMLResponse:
        user = session.user if session else None
        return templates.TemplateResponse(request, name, {"user": user, "csrf": session.csrf if session else "",
                                                          **context}, status_code=status)

    def visible_document(user: User, document_id: str) -> None:
        """404 for what is not a document id or not this user's to see (a unit user cannot
        tell a document it was not sent from one that does not exist)."""
        if not _DOCUMENT_ID.fullmatch(document_id) or not may_see_document(user, document_id, projection):
            raise HTTPException(404, "Không có văn bản này.")

    # --- sign-in ----------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request):
        session = sessions.read(request) or sessions.new()
        response = page(request, "login.html", session, error=None)
        sessions.set_cookie(response, session)
        return response

    @app.post("/login")
    async def login(request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()],
                    csrf_token: Annotated[str, Form()] = ""):
        check_csrf(sessions.read(request), csrf_token)
        account, address = account_name(name), request.client.host if request.client else ""
        if wait_s := throttle.wait_s(account, address):  # refused before the password is even checked
            log.warning("desk sign-in throttled", account=account, address=address, wait_s=wait_s)
            session = sessions.new()
            response = page(request, "login.html", session, status=429,
                            error=f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {math.ceil(wait_s / 60)} phút.")
            response.headers["Retry-After"] = str(wait_s)
            sessions.set_cookie(response, session)
            return response
        user = await asyncio.to_thread(users.authenticate, name, password)
        if user is None:
            throttle.failed(account, address)
            log.info("desk sign-in refused", address=address)
            session = sessions.new()
            response = page(request, "login.html", session, status=401, error="Sai tên đăng nhập hoặc mật khẩu.")
        else:
            throttle.succeeded(account)
            log.info("desk sign-in", user=user.name, role=user.role)
            session = sessions.new(user)  # a new CSRF token with every sign-in
            response = RedirectResponse("/inbox" if user.is_unit else "/documents", status_code=303)
        sessions.set_cookie(response, session)
        return response

    @app.post("/logout")
    async def logout(request: Request, csrf_token: Annotated[str, Form()] = ""):
        check_csrf(sessions.read(request), csrf_token)
        response = RedirectResponse("/login", status_code=303)
        sessions.set_cookie(response, sessions.new())
        return response

    @app.get("/")
    async def home(request: Request):
        _, user = signed_in(request)
        return RedirectResponse("/inbox" if user.is_unit else "/documents", status_code=303)

    # --- documents list, upload, live updates -------------------------------------------

    def filters(day: str, desk_name: str, stage: str, issuer: str) -> Filters:
        try:
            chosen = dt.date.fromisoformat(day) if day else dt.date.today()
        except ValueError:
            raise HTTPException(400, "Ngày không hợp lệ.") from None
        return Filters(day=chosen, desk=desk_name, stage=stage if stage in STAGES else "", issuer=issuer)

    @app.get("/documents", response_class=HTMLResponse)
    async def documents(request: Request, day: str = "", desk_name: Annotated[str, Query(alias="desk")] = "",
                        stage: str = "", issuer: str = ""):
        session, _ = signed_in(request, "clerk", "admin")
        chosen = filters(day, desk_name, stage, issuer)
        rows = await asyncio.to_thread(projection.submissions, chosen, _LISTED)
        total = await asyncio.to_thread(projection.count, chosen)
        return page(request, "documents.html", session, rows=rows, total=total, filters=chosen, stages=STAGES,
                    desks=projection.desks(), desk_name=desk.desk_name, query=request.url.query)

    @app.get("/documents/rows", response_class=HTMLResponse)
    async def document_rows(request: Request, day: str = "", desk_name: Annotated[str, Query(alias="desk")] = "",
                            stage: str = "", issuer: str = ""):
        session, _ = signed_in(request, "clerk", "admin")
        rows = await asyncio.to_thread(projection.submissions, filters(day, desk_name, stage, issuer), _LISTED)
        return page(request, "rows.html", session, rows=rows)

    @app.get("/events")
    async def events(request: Request):
        signed_in(request)

        async def stream():
            seen, quiet = projection.version, 0.0
            yield "retry: 3000\n\n"
            while not await request.is_disconnected():
                if projection.version != seen:
                    seen, quiet = projection.version, 0.0
                    yield f"event: change\ndata: {seen}\n\n"
                elif quiet >= _KEEPALIVE_S:
                    quiet = 0.0
                    yield ": keep-alive\n\n"
                await asyncio.sleep(0.5)
                quiet += 0.5

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.post("/upload")
    async def upload(request: Request, files: Annotated[list[UploadFile], File()],
                     csrf_token: Annotated[str, Form()] = "", desk_name: Annotated[str, Form(alias="desk")] = "",
                     batch: Annotated[str, Form()] = "", archive: Annotated[bool, Form()] = False):
        """Submit ``files`` as `vanthu submit` does. Several files, a batch name or ``archive``
        make a batch (named, else a new name) whose page follows them; ``archive`` ("lưu
        trữ") sends them through the bulk lane, as `vanthu submit --bulk --batch NAME`."""
        session, user = signed_in(request, "clerk", "admin")
        check_csrf(session, csrf_token or request.headers.get(CSRF_HEADER))
        try:
            batch_name = (batches.check_name(batch.strip()) if batch.strip()
                          else batches.new_name() if len(files) > 1 or archive else None)
        except ValueError:
            raise HTTPException(400, "Tên lô không hợp lệ: chỉ dùng chữ không dấu, chữ số, '.', '_' hoặc '-', "
                                     "tối đa 64 ký tự.") from None
        results = []
        for upload in files:
            results.append(await _submit(upload, user, desk_name.strip() or desk.desk_name, batch_name, archive))
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse(results)
        return RedirectResponse(f"/batches/{batch_name}" if batch_name else "/documents", status_code=303)

    async def _submit(upload: UploadFile, user: User, desk_name: str, batch: str | None, bulk: bool) -> dict:
        name = Path(upload.filename or "document").name
        path = scratch_dir() / f"upload-{uuid.uuid4().hex}"
        try:
            size = 0
            with path.open("wb") as f:
                while chunk := await upload.read(1 << 20):
                    size += len(chunk)
                    if size > desk.max_upload_bytes:
                        return {"name": name, "status": "too-large", "message": labels.failure("too-large")}
                    f.write(chunk)
            result = await asyncio.to_thread(submit_file, storage, state, path, name=name, by=user.name,
                                             desk=desk_name, batch=batch, bulk=bulk, announcer=announcer)
        finally:
            path.unlink(missing_ok=True)
        url = f"/documents/{result.document_id}"
        if result.key is None:
            return {"name": result.name, "status": "duplicate", "document_id": result.document_id, "url": url,
                    "message": labels.failure("duplicate")}
        projection.submitted(ObjectRef(bucket=settings.buckets.incoming, key=result.key), result.document_id,
                             Submission(submitted_by=user.name, desk=desk_name, filename=result.name, batch=batch))
        log.info("desk upload", document_id=result.document_id, user=user.name, desk=desk_name, batch=batch,
                 bulk=bulk)
        return {"name": result.name, "status": "submitted", "document_id": result.document_id, "url": url,
                "batch": batch}

    # --- batches (vanthu.batches) ---------------------------------------------------------

    @app.post("/batches")
    async def new_batch(request: Request):
        """A new batch name, for the page's script to upload several files (one request each) into."""
        session, _ = signed_in(request, "clerk", "admin")
        check_csrf(session, request.headers.get(CSRF_HEADER))
        name = batches.new_name()
        return JSONResponse({"batch": name, "url": f"/batches/{name}"})

    @app.get("/batches", response_class=HTMLResponse)
    async def batch_list(request: Request, rows: bool = False):
        """The recent batches; ``rows``: the list's rows alone, what its page fetches again when
        the pipeline moves (not a path of its own: any such segment is a valid batch name)."""
        session, _ = signed_in(request, "clerk", "admin")
        return page(request, "batches_rows.html" if rows else "batches.html", session,
                    batches=await asyncio.to_thread(projection.batches))

    @app.get("/batches/{name}", response_class=HTMLResponse)
    async def batch_page(request: Request, name: str, outcome: str = "", page_number: _PAGE = 1):
        session, _ = signed_in(request, "clerk", "admin")
        return page(request, "batch.html", session, **await batch_files(name, outcome, page_number),
                    query=request.url.query)

    @app.get("/batches/{name}/files", response_class=HTMLResponse)
    async def batch_part(request: Request, name: str, outcome: str = "", page_number: _PAGE = 1):
        """The batch's counts and files alone: what its page fetches again when the pipeline moves."""
        session, _ = signed_in(request, "clerk", "admin")
        return page(request, "batch_files.html", session, **await batch_files(name, outcome, page_number))

    async def batch_files(name: str, outcome: str, page_number: int) -> dict:
        """The batch's counts and one page of its files (of one outcome, if asked: done,
        failed, remaining); 404 for no such batch."""
        try:
            summary = await asyncio.to_thread(projection.batch_summary, batches.check_name(name))
        except ValueError:
            summary = None
        if summary is None:
            raise HTTPException(404, "Không có lô này.")
        outcome = outcome if outcome in labels.OUTCOME else ""
        files = await asyncio.to_thread(projection.batch, name, outcome, _LISTED, (page_number - 1) * _LISTED)
        shown = summary[outcome] if outcome else summary["files"]
        return {"batch": name, "summary": summary, "files": files, "outcome": outcome, "page_number": page_number,
                "pages": max(1, math.ceil(shown / _LISTED))}

    # --- one document ---------------------------------------------------------------------

    @app.get("/documents/{document_id}", response_class=HTMLResponse)
    async def document(request: Request, document_id: str):
        session, user = signed_in(request)
        visible_document(user, document_id)
        submissions = await asyncio.to_thread(projection.document_submissions, document_id)
        directive = projection.document(document_id)
        if not submissions and directive is None:
            raise HTTPException(404, "Không có văn bản này.")
        secret = directive is not None and _secret(directive)
        evidence, page_numbers = {}, []
        if directive is not None and not secret:
            words = await asyncio.to_thread(texts.get, document_id)
            if words is not None:
                index, turns = words
                page_numbers = sorted(turns)
                evidence = {str(i): _evidence(index, a) for i, a in enumerate(directive.assignments)}
                evidence |= {field: _marks(index, "field", reading.span) for field, reading in directive.evidence.items()}
        steps = [] if user.is_unit else await asyncio.to_thread(state.steps, document_id)
        correctable = not secret and directive is not None and not user.is_unit and _revisions() is not None
        return page(request, "document.html", session, document_id=document_id, directive=directive,
                    submissions=submissions, secret=secret, page_numbers=page_numbers, evidence=evidence,
                    steps=steps, correctable=correctable)

    @app.get("/documents/{document_id}/pages/{number}.png")
    async def page_image(request: Request, document_id: str, number: int):
        _, user = signed_in(request)
        visible_document(user, document_id)
        directive = projection.document(document_id)
        if directive is None or _secret(directive):  # not parsed yet: whether it is secret is not known
            raise HTTPException(404, "Không có trang này.")
        png = pages.get(document_id, number, desk.page_dpi)
        if png is None:
            png = await asyncio.to_thread(_render, document_id, number)
            pages.put(document_id, number, desk.page_dpi, png)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    def _render(document_id: str, number: int) -> bytes:
        originals = [s for s in projection.document_submissions(document_id) if s["stage"] != "duplicate"]
        if not originals:
            raise HTTPException(404, "Không có trang này.")
        bucket, key = originals[0]["key"].split("/", 1)
        data = storage.read(ObjectRef(bucket=bucket, key=key), max_bytes=settings.ocr.max_bytes)
        words = texts.get(document_id)
        try:
            return render_page(data, number, desk.page_dpi, words[1].get(number, 0) if words else 0)
        except IndexError:
            raise HTTPException(404, "Không có trang này.") from None

    # --- corrections (vanthu.revisions) --------------------------------------------------

    def revisions_or_404():
        module = _revisions()
        if module is None:
            raise HTTPException(404, "Chức năng sửa chưa được cài đặt.")
        return module

    def correctable_directive(user: User, document_id: str) -> DirectiveParsed:
        visible_document(user, document_id)
        directive = projection.document(document_id)
        if directive is None or _secret(directive):
            raise HTTPException(404, "Văn bản này không sửa được ở đây.")
        return directive

    @app.get("/documents/{document_id}/correct", response_class=HTMLResponse)
    async def correction_form(request: Request, document_id: str):
        session, user = signed_in(request, "clerk", "admin")
        revisions_or_404()
        directive = correctable_directive(user, document_id)
        return page(request, "correct.html", session, document_id=document_id, directive=directive, error=None)

    @app.post("/documents/{document_id}/correct")
    async def correction(request: Request, document_id: str):
        session, user = signed_in(request, "clerk", "admin")
        revisions = revisions_or_404()
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        check_csrf(session, form.get(CSRF_FIELD))
        directive = correctable_directive(user, document_id)
        try:
            edits = form_edits(directive, form)
            revision = await asyncio.to_thread(revisions.correct, settings, storage, document_id, edits, user.name,
                                               publish=publish)
        except (FormError, revisions.CorrectionError) as exc:
            return page(request, "correct.html", session, status=422, document_id=document_id,
                        directive=directive, error=str(exc))
        log.info("desk correction", document_id=document_id, user=user.name, revision=revision.revision,
                 changes=len(revision.changes))
        return RedirectResponse(f"/documents/{document_id}?revision={revision.revision}", status_code=303)

    @app.get("/units")
    async def units(request: Request, q: str = "", document: str = ""):
        """Units a typed name may mean, in the document's jurisdiction: the forms' suggestions."""
        _, user = signed_in(request, "clerk", "admin")
        if len(q.strip()) < 2:
            return JSONResponse([])
        directive = projection.document(document) if _DOCUMENT_ID.fullmatch(document) else None
        return JSONResponse(await asyncio.to_thread(_units, q, directive))

    def _units(text: str, directive: DirectiveParsed | None) -> list[dict[str, str]]:
        directory = directories.get()
        where = (directory.jurisdiction_of(directive.issuer, directive.parent_issuer, directive.place)
                 if directive is not None else directory.home)
        try:
            found = directory.lookup(text, where)
        except DirectoryError:
            return []
        units = [found.unit] if found.unit else found.candidates[:_SUGGESTED]
        return [{"id": unit.id, "name": unit.name} for unit in units]

    @app.post("/review/resolve")
    async def resolve(request: Request, notice_key: Annotated[str, Form()], unit_id: Annotated[str, Form()],
                      csrf_token: Annotated[str, Form()] = ""):
        session, user = signed_in(request, "clerk", "admin")
        check_csrf(session, csrf_token)
        revisions = revisions_or_404()
        item = next((n for n in projection.notices(for_review=True) if n.idempotency_key == notice_key), None)
        if item is None:
            raise HTTPException(404, "Không có việc cần xem xét này.")
        try:
            await asyncio.to_thread(revisions.resolve_review, settings, storage, ReviewItem(**item.model_dump()),
                                    unit_id.strip(), user.name, publish=publish)
        except revisions.CorrectionError as exc:
            return await review_page(request, session, error=str(exc), status=422)
        log.info("desk review resolved", document_id=item.document_id, user=user.name, unit_id=unit_id)
        return RedirectResponse("/review", status_code=303)

    @app.post("/inbox/mark")
    async def mark(request: Request, notice_key: Annotated[str, Form()], mark: Annotated[str, Form()],
                   csrf_token: Annotated[str, Form()] = ""):
        session, user = signed_in(request, "unit")
        check_csrf(session, csrf_token)
        revisions = revisions_or_404()
        if mark not in ("received", "done"):
            raise HTTPException(400, "Đánh dấu không hợp lệ.")
        try:
            await asyncio.to_thread(revisions.mark_task, settings, storage, notice_key, user.unit_id, mark,
                                    user.name, publish=publish)
        except revisions.CorrectionError:
            raise HTTPException(404, "Không có việc này trong các việc của đơn vị.") from None
        return RedirectResponse("/inbox", status_code=303)

    # --- a unit's inbox, the review queue ------------------------------------------------

    @app.get("/inbox", response_class=HTMLResponse)
    async def inbox(request: Request, unit: str = ""):
        session, user = signed_in(request)
        return page(request, "inbox.html", session, **await inbox_tasks(user, unit))

    @app.get("/inbox/tasks", response_class=HTMLResponse)
    async def inbox_part(request: Request, unit: str = ""):
        """The inbox's counts and tasks alone: what its page fetches again when the pipeline moves."""
        session, user = signed_in(request)
        return page(request, "inbox_tasks.html", session, **await inbox_tasks(user, unit))

    async def inbox_tasks(user: User, unit: str) -> dict:
        """The tasks in force of ``unit`` (a unit user's own, whatever it asks) with their marks and urgency."""
        if user.is_unit:
            if unit and unit != user.unit_id:
                raise HTTPException(403, "Bạn chỉ xem được việc của đơn vị mình.")
            unit = user.unit_id or ""
        notices = await asyncio.to_thread(projection.notices, unit_id=unit) if unit else []
        today = dt.date.today()
        marks = projection.marks([n.idempotency_key for n in notices])
        tasks = [_task(n, projection, today, desk.due_soon_days) | {"marks": marks.get(n.idempotency_key, {})}
                 for n in notices]
        return {"unit": unit, "tasks": tasks, "markable": _revisions() is not None,
                "overdue": [t for t in tasks if t["status"] == "overdue"],
                "due_soon": [t for t in tasks if t["status"] == "due-soon"]}

    @app.get("/review", response_class=HTMLResponse)
    async def review(request: Request):
        session, _ = signed_in(request, "clerk", "admin")
        return await review_page(request, session)

    async def review_page(request: Request, session: Session, error: str | None = None, status: int = 200):
        items = await asyncio.to_thread(projection.notices, for_review=True)
        candidates = {unit_id for item in items for unit_id in item.candidates}
        names = await asyncio.to_thread(_unit_names, candidates) if candidates else {}
        return page(request, "review.html", session, status=status, items=items, error=error, unit_names=names,
                    resolvable=_revisions() is not None)

    def _unit_names(unit_ids: set[str]) -> dict[str, str]:
        """The directory's name of each unit id (an id it no longer has keeps its id)."""
        directory = directories.get()
        return {unit_id: unit.name for unit_id in unit_ids if (unit := directory.get(unit_id)) is not None}

    return app


class _Lazy:
    """A value made on first use, once, whichever thread asks first."""

    def __init__(self, make) -> None:
        self._make, self._value, self._lock = make, None, threading.Lock()

    def get(self):
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value


def _secret(directive: DirectiveParsed) -> bool:
    return bool(directive.secrecy or directive.secrecy_doubt or directive.withheld)


def _evidence(index: WordIndex, assignment) -> list[dict]:
    """Each reading's boxes on its pages: the unit's and the task's, as the page script draws them."""
    marks = []
    for reading in assignment.evidence:
        for kind, span in (("unit", reading.unit_span), ("task", reading.task_span)):
            if span is not None:
                marks += _marks(index, kind, span)
    return marks


def _marks(index: WordIndex, kind: str, span: Span) -> list[dict]:
    """The boxes of the words of ``span``, page by page, as marks of ``kind`` for the page script."""
    return [{"kind": kind, "page": pb.page, "boxes": pb.boxes} for pb in index.boxes(span)]


def _task(notice: AssignmentNotice, projection: Projection, today: dt.date, due_soon_days: int) -> dict:
    """A notice as the inbox lists it: with the page its task stands on and how urgent it is."""
    directive = projection.document(notice.document_id)
    assignment = _assignment_of(notice, directive) if directive is not None else None
    page_number = assignment.evidence[0].page if assignment is not None and assignment.evidence else None
    status = ""
    if notice.deadline is not None:
        if notice.deadline < today:
            status = "overdue"
        elif notice.deadline <= today + dt.timedelta(days=due_soon_days):
            status = "due-soon"
    return {"notice": notice, "page": page_number, "status": status}


def _assignment_of(notice: AssignmentNotice, directive: DirectiveParsed):
    """The directive's assignment a notice was sent for: by the assignment index in its key
    ("document:index:unit"), else (a corrected revision's "document:r<N>:..." key) the one
    of its section and role that names the unit as the notice does."""
    index = notice.idempotency_key.split(":")[1] if notice.idempotency_key.count(":") >= 2 else ""
    if index.isdigit() and int(index) < len(directive.assignments):
        return directive.assignments[int(index)]
    same = [a for a in directive.assignments if a.section == notice.section and a.role == notice.role]
    return next((a for a in same if notice.unit_id == a.unit_id or a.unit_text == notice.unit_text),
                same[0] if same else None)


def _revisions():
    """Part B's corrections module, when it is installed (the correction form depends on it)."""
    try:
        module = importlib.import_module("vanthu.revisions")
    except ImportError:
        return None
    return module if hasattr(module, "correct") else None


async def _supervised(run, what: str) -> None:
    """Run ``run()`` again when it returns or fails (Kafka away), pausing after a failure."""
    while True:
        try:
            await run()
            continue
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("desk feed stopped; retrying", what=what, error=str(exc)[:200])
            await asyncio.sleep(5)
