"""The desk on an in-memory storage and an in-memory projection, fed with the events the
real stages produce for one example directive (text PDF -> OCR -> parse -> notices)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.render import text_pdf
from services.desk.app import create_app
from services.desk.config import DeskSettings
from services.desk.projection import Projection
from services.desk.users import UserStore
from services.notify.notices import build_notices
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from tests.conftest import MemoryStorage
from vanthu.directory import UnitDirectory
from vanthu.events import (
    AssignmentNotice,
    DirectiveParsed,
    ObjectRef,
    Submission,
    TextArtifact,
    TextExtracted,
)
from vanthu.settings import Settings
from vanthu.storage import text_artifact_ref

SAMPLE = "002_d2642929b84c508e"  # UBND tỉnh Nam Định: ten numbered tasks with lead units
PASSWORD = "mật khẩu đủ dài"


@dataclass
class Run:
    """One document as the pipeline's events describe it."""

    pdf: bytes
    source: ObjectRef
    artifact: TextArtifact
    text: TextExtracted
    directive: DirectiveParsed
    notices: list[AssignmentNotice]

    @property
    def document_id(self) -> str:
        return self.directive.document_id


class UploadingStorage(MemoryStorage):
    """MemoryStorage that also takes uploads, as :meth:`vanthu.storage.Storage.upload` does."""

    def upload(self, path: Path, bucket: str, key: str, metadata: dict[str, str]) -> ObjectRef:
        self.objects[(bucket, key)] = path.read_bytes()
        return ObjectRef(bucket=bucket, key=key)


def pipeline_events(settings: Settings, pdf: bytes, key: str, directory: UnitDirectory, **header) -> Run:
    """What the three stages publish for ``pdf`` put into the intake bucket as ``key``;
    ``header`` overrides parsed fields (a secrecy mark)."""
    document_id = hashlib.sha256(pdf).hexdigest()
    source = ObjectRef(bucket=settings.buckets.incoming, key=key)
    submission = Submission(submitted_by="clerk", desk="Bàn 1", filename=key.rsplit("/", 1)[-1])
    artifact = extract(pdf, settings.ocr)
    text = TextExtracted(document_id=document_id, source=source, submission=submission,
                         artifact=text_artifact_ref(settings, document_id), media_type=artifact.media_type,
                         pages=len(artifact.pages), text_source=artifact.text_source,
                         page_sources=[p.source for p in artifact.pages])
    directive = parse_directive(artifact.text, directory).model_copy(update=header)
    event = DirectiveParsed(**directive.model_dump(), document_id=document_id, text_source=artifact.text_source,
                            source=source, artifact=text.artifact, submission=submission)
    return Run(pdf, source, artifact, text, event, build_notices(event, document_id, directory))


@pytest.fixture(scope="session")
def directory() -> UnitDirectory:
    return UnitDirectory.from_settings(Settings())


@pytest.fixture(scope="session")
def sample_run(examples, directory) -> Run:
    return pipeline_events(Settings(), text_pdf(examples[SAMPLE]), "2026/12/04/abcd1234-thong-bao.pdf", directory)


def feed(projection: Projection, settings: Settings, run: Run) -> None:
    """Apply the run's events to the projection as the feed would, from Kafka."""
    t = settings.topics
    messages = [(t.text, 0, 0, run.text.model_dump_json().encode()),
                (t.directives, 0, 0, run.directive.model_dump_json().encode())]
    messages += [(t.assignments if n.unit_id else t.review, 0, i, n.model_dump_json().encode())
                 for i, n in enumerate(run.notices)]
    projection.apply(messages)


@dataclass
class Desk:
    settings: Settings
    storage: UploadingStorage
    projection: Projection
    users: UserStore
    app: object

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://127.0.0.1")

    def put(self, run: Run) -> None:
        """The run's original and text artifact in storage, its events in the projection."""
        self.storage.objects[(run.source.bucket, run.source.key)] = run.pdf
        self.storage.put_model(run.text.artifact, run.artifact)
        feed(self.projection, self.settings, run)


@pytest.fixture
def desk(tmp_path) -> Desk:
    settings = Settings()
    storage = UploadingStorage(settings)
    projection = Projection(":memory:", settings)
    desk_settings = DeskSettings(data_dir=tmp_path / "desk", desk_name="Bàn 1")
    users = UserStore(desk_settings.path("users.json"))
    app = create_app(settings, desk_settings, storage=storage, projection=projection, follow=False)
    return Desk(settings, storage, projection, users, app)


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def sign_in(client: TestClient, name: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token},
                       follow_redirects=False)
