"""Secret documents through the four handlers (OCR, parse, notify, channels) on FastStream's
in-memory Kafka, with a webhook receiver and an SMTP sink on loopback: nothing of their
text and no link leaves, on any topic, webhook, e-mail, state record or log line.
"""

from __future__ import annotations

import base64
import email
import json
from dataclasses import dataclass, field
from email.policy import default
from importlib import resources
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from faststream.kafka import TestKafkaBroker

from examples.render import text_pdf
from services.notify import app as notify_app
from services.notify import secrecy
from services.notify.channels import app as channels_app
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from tests.conftest import MemoryStorage
from tests.inmemory import capture, minio_event
from tests.loopback import HttpServer, SinkHandler, free_port
from tests.security.documents import SECRET_DOCUMENTS, SecretDocument
from vanthu.events import AssignmentNotice, DirectiveParsed, TextArtifact
from vanthu.settings import SecrecyOptions, Settings
from vanthu.state import StateStore
from vanthu.storage import text_artifact_ref

HOOK_SECRET_ENV = "VANTHU_TEST_SECURITY_HOOK_SECRET"
KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
LINK_MARKS = ("http://", "https://", "memory://", "X-Amz-", "s3://")


@dataclass
class Outbound:
    """Everything the pipeline let out for one document."""

    topics: dict[str, list[dict]] = field(default_factory=dict)
    webhook_bodies: list[str] = field(default_factory=list)
    mails: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        published = [json.dumps(body, ensure_ascii=False) for bodies in self.topics.values() for body in bodies]
        return published + self.webhook_bodies + self.mails + self.state


def directory_with_channels(tmp_path: Path, url: str) -> Path:
    """The packaged directory, every unit given a signed webhook and a mailbox on loopback."""
    data = yaml.safe_load((resources.files("vanthu") / "data" / "nam_dinh.yaml").read_text(encoding="utf-8"))
    for unit in data["units"]:
        unit["delivery"] = {"kafka": True, "webhook": {"url": url, "secret_env": HOOK_SECRET_ENV},
                            "email": f"van-thu@{unit['id']}.example"}
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
async def receivers(monkeypatch):
    """A webhook receiver and an SMTP sink on loopback."""
    monkeypatch.setenv(HOOK_SECRET_ENV, "a shared secret")
    hook = HttpServer([200])
    await hook.start()
    sink = SinkHandler()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield hook, sink, smtp.port
    smtp.stop()
    await hook.stop()


def settings_for(tmp_path: Path, hook: HttpServer, smtp_port: int, **secrecy_options) -> Settings:
    base = Settings()
    return base.model_copy(update={
        "directory_path": str(directory_with_channels(tmp_path, hook.url)),
        "channels": base.channels.model_copy(update={"smtp_port": smtp_port, "webhook_hosts": ["127.0.0.1"],
                                                     "webhook_allow_private": True}),
        "secrecy": SecrecyOptions(**secrecy_options),
    })


async def run_pipeline(settings: Settings, storage: MemoryStorage, text: str, hook: HttpServer,
                       sink: SinkHandler) -> Outbound:
    """Submit ``text`` as a born-digital PDF and run it through every stage in turn."""
    topics = settings.topics
    key = "2024/01/12/ke-hoach.pdf"
    storage.objects[(settings.buckets.incoming, key)] = text_pdf(text)
    out = Outbound()

    async def stage(app, inputs: list[tuple[dict, str]], *outputs: str) -> dict[str, list[dict]]:
        seen = capture(app.broker, *outputs)
        async with TestKafkaBroker(app.broker) as broker:
            for body, topic in inputs:
                await broker.publish(body, topic)
        for topic in outputs:
            out.topics.setdefault(topic, []).extend(seen[topic])
        return seen

    seen = await stage(ocr_app.create_app(settings, storage), [(minio_event(settings.buckets.incoming, key), topics.objects)],
                       topics.text, topics.failed)
    seen = await stage(parse_app.create_app(settings, storage), [(e, topics.text) for e in seen[topics.text]],
                       topics.directives, topics.review, topics.failed)
    seen = await stage(notify_app.create_app(settings, storage), [(d, topics.directives) for d in seen[topics.directives]],
                       topics.assignments, topics.review, topics.failed)
    await stage(channels_app.create_app(settings, storage), [(n, topics.assignments) for n in seen[topics.assignments]],
                topics.failed)
    out.webhook_bodies = [r.body.decode() for r in hook.requests]
    for envelope in sink.envelopes:
        message = email.message_from_bytes(envelope.content, policy=default)
        out.mails.append(f"{message['Subject']}\n{message.get_content()}")
    out.state = [data.decode(errors="replace") for (bucket, k), data in storage.objects.items() if k.startswith("state/")]
    return out


def assert_nothing_leaked(out: Outbound, document: SecretDocument, logs: str) -> None:
    for text in [*out.texts(), logs]:
        for phrase in document.leaks:
            assert phrase not in text
        for mark in LINK_MARKS:
            assert mark not in text.replace("http://127.0.0.1", "")  # the receiver's own URL in logs


@pytest.mark.parametrize("document", SECRET_DOCUMENTS, ids=lambda d: d.name)
async def test_a_secret_document_is_announced_by_identity_only(document, receivers, tmp_path, capsys):
    # GIVEN a secret document submitted to a pipeline whose units all have a webhook and a mailbox
    hook, sink, smtp_port = receivers
    settings = settings_for(tmp_path, hook, smtp_port)
    storage = MemoryStorage(settings)
    # WHEN it goes through every stage
    out = await run_pipeline(settings, storage, document.text, hook, sink)
    topics = settings.topics
    # THEN the public directive says who issued what and how secret it is, and nothing of its content
    [directive] = [DirectiveParsed.model_validate(d) for d in out.topics[topics.directives]]
    assert directive.withheld and directive.secrecy == document.level
    assert directive.number and directive.issuer
    assert directive.subject is None and not directive.sections and directive.source is None
    assert directive.artifact is None and all(a.task == "" for a in directive.assignments)
    # AND each unit gets one notice (a unit the directory does not know: a clerk, on vanthu.review),
    # without links or task, telling it to collect the document in person
    notices = [AssignmentNotice.model_validate(n) for n in out.topics[topics.assignments]]
    for_review = [AssignmentNotice.model_validate(n) for n in out.topics[topics.review]
                  if n["unit"] != secrecy.RECORDS_OFFICE]
    units = {a.unit_id for a in directive.assignments if a.unit_id}
    assert {n.unit_id for n in notices} == units and len(notices) == len(units)
    assert len(notices) + len(for_review) >= 2
    for notice in notices + for_review:
        assert notice.withheld and notice.secrecy == document.level
        assert notice.original_url is None and notice.text_url is None and notice.document.subject is None
        assert "văn thư" in notice.task and directive.number == notice.document.number
    # AND the webhooks and mailboxes got exactly those notices
    assert len(out.webhook_bodies) == len(units) and len(out.mails) == len(units)
    assert all(document.level.upper() in mail for mail in out.mails)
    # AND the document was flagged from the first stage on
    steps = {step.step: step.details for step in StateStore(storage).steps(directive.document_id)}
    assert steps["text"]["secret"] and steps["parsed"]["secrecy"] == document.level
    # AND no phrase of its text and no link left on any topic, webhook, mail, state record or log line
    assert_nothing_leaked(out, document, capsys.readouterr().out)
    # AND its text is not kept (the default), and a damaged stamp went to a clerk for review
    assert (settings.buckets.artifacts, text_artifact_ref(settings, directive.document_id).key) not in storage.objects
    review = [r for r in out.topics[topics.review] if r["unit"] == secrecy.RECORDS_OFFICE]
    assert len(review) == (1 if document.doubt else 0)


async def test_a_secret_documents_text_can_be_kept_sealed(receivers, tmp_path, capsys):
    # GIVEN the configuration that keeps secret text encrypted at rest
    document = SECRET_DOCUMENTS[0]
    hook, sink, smtp_port = receivers
    settings = settings_for(tmp_path, hook, smtp_port, text="encrypt", key=KEY)
    storage = MemoryStorage(settings)
    # WHEN the document goes through
    out = await run_pipeline(settings, storage, document.text, hook, sink)
    # THEN its artifact is stored, but sealed: its words are not in the stored bytes
    [directive] = out.topics[settings.topics.directives]
    stored = storage.objects[(settings.buckets.artifacts, text_artifact_ref(settings, directive["document_id"]).key)]
    assert all(phrase.encode() not in stored for phrase in document.leaks)
    # AND it opens with the key, and only with it
    artifact = TextArtifact.model_validate_json(secrecy.unseal(stored, settings.secrecy.key_bytes()))
    assert document.leaks[0] in " ".join(artifact.text.split())
    with pytest.raises(Exception, match="does not open"):
        secrecy.unseal(stored, bytes(32))
    assert_nothing_leaked(out, document, capsys.readouterr().out)


async def test_secret_documents_can_be_held_for_the_records_office(receivers, tmp_path):
    # GIVEN the switch that holds secret documents after OCR
    document = SECRET_DOCUMENTS[2]
    hook, sink, smtp_port = receivers
    settings = settings_for(tmp_path, hook, smtp_port, hold=True)
    # WHEN a secret document goes through
    out = await run_pipeline(settings, MemoryStorage(settings), document.text, hook, sink)
    # THEN nothing is published for downstream systems or units; one item asks the records office to handle it
    assert not out.topics[settings.topics.directives] and not out.topics[settings.topics.assignments]
    assert not hook.requests and not sink.envelopes
    [item] = out.topics[settings.topics.review]
    assert item["withheld"] and item["secrecy"] == document.level and item["document"]["number"]


async def test_an_open_document_still_gets_its_links_and_tasks(receivers, tmp_path):
    # GIVEN an open document (the control: the secrecy handling must not strip everything)
    from tests.security.documents import OPEN_DOCUMENT

    hook, sink, smtp_port = receivers
    settings = settings_for(tmp_path, hook, smtp_port)
    out = await run_pipeline(settings, MemoryStorage(settings), OPEN_DOCUMENT, hook, sink)
    # THEN its notices carry the task and the links
    notices = out.topics[settings.topics.assignments]
    assert notices and all(n["original_url"] and n["text_url"] and not n["withheld"] for n in notices)
    assert any("an toàn thực phẩm" in n["task"] for n in notices)


async def test_a_notice_on_the_bus_that_says_secret_is_sent_identity_only(receivers, tmp_path):
    # GIVEN a notice for a secret document that still carries links and its task (forged,
    # or from an older notify service)
    hook, sink, smtp_port = receivers
    settings = settings_for(tmp_path, hook, smtp_port)
    notice = AssignmentNotice(
        idempotency_key="a" * 64 + ":0:so-y-te", document_id="a" * 64, unit_id="so-y-te", unit="Sở Y tế",
        unit_text="Sở Y tế", role="lead", task="bố trí kíp trực cấp cứu tại khu vực cầu Tân Đệ",
        document={"number": "45/KH-UBND", "subject": "Bảo đảm an ninh dịp Tết"}, secrecy="Mật",
        original_url="http://minio.example/incoming/a.pdf?X-Amz-Signature=1",
        text_url="http://minio.example/artifacts/text/a.json?X-Amz-Signature=2",
    )
    app = channels_app.create_app(settings, MemoryStorage(settings))
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the channel consumer takes it
        await broker.publish(notice.model_dump(mode="json"), settings.topics.assignments)
    # THEN the unit's webhook and mailbox get the identity only
    [body] = [r.body.decode() for r in hook.requests]
    [envelope] = sink.envelopes
    mail = email.message_from_bytes(envelope.content, policy=default).get_content()
    for sent in (body, mail):
        assert "cầu Tân Đệ" not in sent and "X-Amz" not in sent and "an ninh dịp Tết" not in sent
        assert "45/KH-UBND" in sent
