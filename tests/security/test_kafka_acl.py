"""On a real Kafka in secure mode (SASL/SCRAM-SHA-512 over TLS, the StandardAuthorizer, one
principal per service; ``deploy/local/stack.py`` with ``VANTHU_KAFKA__SECURITY_PROTOCOL``)
and its own MinIO with per-service users: the pipeline runs with each service's own
credentials, and a client without credentials, with a wrong password or with another
service's principal is refused.

The secure stack is started for this module in a private state directory on free ports
and stopped afterwards; the suite's own (plaintext) stack is not touched.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from aiokafka.errors import KafkaError as AIOKafkaError
from kafka.errors import KafkaError, TopicAuthorizationFailedError
from pydantic import SecretStr

from examples.render import text_pdf
from vanthu.cli.common import SERVICES
from vanthu.events import ObjectRef
from vanthu.identities import access_key
from vanthu.kafka_auth import as_principal, client_options
from vanthu.settings import Identities, KafkaAuth, Settings
from vanthu.storage import Storage

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
ROOT = Path(__file__).resolve().parents[2]
STACK = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py")]
SAMPLE = "002_d2642929b84c508e"  # UBND tỉnh Nam Định: ten numbered tasks with lead units
PRINCIPALS = ("ocr", "parse", "notify", "desk", "minio")


def _free_pair() -> int:
    """A loopback port p with p + 1 free too (Kafka's controller, MinIO's console)."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two adjacent free ports")


@pytest.fixture(scope="module")
def secure(tmp_path_factory) -> Settings:
    """The administrator's settings of a secure stack started for this module."""
    passwords = {name: secrets.token_urlsafe(12) for name in PRINCIPALS}
    state = tmp_path_factory.mktemp("secure-stack")
    settings = Settings(
        kafka_bootstrap=f"127.0.0.1:{_free_pair()}", minio_endpoint=f"127.0.0.1:{_free_pair()}",
        # TLS with the CA the stack makes on its first start
        kafka=KafkaAuth(security_protocol="SASL_SSL", username="admin", cafile=str(state / "tls" / "ca.pem"),
                        password=SecretStr(secrets.token_urlsafe(12))),
        identities=Identities(**{name: SecretStr(p) for name, p in passwords.items()}),
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env |= settings.as_env() | {"VANTHU_STATE_DIR": str(state)}
    try:
        result = subprocess.run([*STACK, "up"], capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 0, f"the secure stack did not start:\n{result.stdout}\n{result.stderr}"
        yield settings
    finally:
        subprocess.run([*STACK, "down"], timeout=120, env=env, capture_output=True)


def service(settings: Settings, name: str) -> Settings:
    """What the environment of service ``name`` sets: its Kafka principal and MinIO key."""
    password = settings.identities.passwords()[name]
    return as_principal(settings, name, password).model_copy(update={
        "minio_access_key": access_key(name), "minio_secret_key": SecretStr(password)})


def _send(settings: Settings, topic: str, value: bytes) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", max_block_ms=8000,
                             **client_options(settings))
    try:
        producer.send(topic, value).get(timeout=15)
    finally:
        producer.close()


def _read_all(settings: Settings, topic: str) -> list[bytes]:
    """Every message on ``topic`` (as ``settings``' principal, no consumer group)."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False,
                             **client_options(settings))
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        values = []
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for records in consumer.poll(timeout_ms=1000).values():
                values += [r.value for r in records]
        return values
    finally:
        consumer.close()


def test_only_notify_may_publish_assignment_notices(secure: Settings):
    # GIVEN a forged notice (a real-looking one, naming a unit and a link)
    forged = json.dumps({"document_id": "f" * 64, "unit_id": "vn:36:so-tai-chinh",
                         "url": "https://attacker.example/doc.pdf"}).encode()
    # WHEN the parse service, the OCR service and the desk try to publish it
    # THEN each is refused by the broker
    for name in ("parse", "ocr", "desk"):
        with pytest.raises(TopicAuthorizationFailedError):
            _send(service(secure, name), secure.topics.assignments, forged)
    # ... and nothing of it is on the topic, while the notify principal may publish there
    _send(service(secure, "notify"), secure.topics.assignments, b'{"from": "notify"}')
    published = _read_all(secure, secure.topics.assignments)
    assert b'{"from": "notify"}' in published and forged not in published


def test_clients_without_valid_credentials_are_refused(secure: Settings):
    # GIVEN the secured listener WHEN a client connects without TLS and SASL, with SASL but
    # no TLS, with a wrong password, or with one service's name and another's password
    # THEN it never gets to publish
    plaintext = secure.model_copy(update={"kafka": KafkaAuth()})
    no_tls = secure.model_copy(update={"kafka": secure.kafka.model_copy(update={"security_protocol": "SASL_PLAINTEXT"})})
    ocr_password = secure.identities.passwords()["ocr"]
    for settings in (plaintext, no_tls, as_principal(secure, "notify", "not-the-password"),
                     as_principal(secure, "notify", ocr_password)):
        with pytest.raises(KafkaError):
            _send(settings, secure.topics.directives, b"{}")


async def test_only_the_ocr_service_reads_the_intake_events(secure: Settings):
    # GIVEN the intake topic WHEN the parse service or the desk consumes it as the OCR
    # service does (aiokafka, in a consumer group) THEN it is refused
    for name in ("parse", "desk"):
        settings = service(secure, name)
        consumer = AIOKafkaConsumer(secure.topics.objects, bootstrap_servers=secure.kafka_bootstrap,
                                    group_id=secure.group("ocr"), auto_offset_reset="earliest",
                                    **client_options(settings))
        try:
            with pytest.raises(AIOKafkaError):
                await consumer.start()
                for _ in range(10):
                    await consumer.getmany(timeout_ms=1000)
        finally:
            await consumer.stop()
    # ... and nobody but MinIO's notifier and the desk (announcing its uploads) may publish it
    with pytest.raises(TopicAuthorizationFailedError):
        _send(service(secure, "parse"), secure.topics.objects, b"{}")


async def test_the_pipeline_runs_with_each_services_own_identity(secure: Settings, examples):
    # GIVEN the OCR, parse and notify services (notify with its channels, as `vanthu serve
    # notify` runs them), each with its own Kafka principal and MinIO key
    apps = [importlib.import_module(module).create_app(service(secure, stage))
            for stage, modules in SERVICES.items() for module in modules]
    for app in apps:
        await app.start()
    try:
        # WHEN the desk (its own MinIO key) submits a directive to the intake bucket
        Storage(service(secure, "desk")).put_bytes(
            ObjectRef(bucket=secure.buckets.incoming, key="2021/09/ke-hoach.pdf"), text_pdf(examples[SAMPLE]),
            "application/pdf")
        # THEN MinIO's notifier (the minio principal) publishes the event, and the units'
        # notices arrive on vanthu.assignments, read here by the desk's principal
        notices = await _wait_for_notices(service(secure, "desk"), timeout=240)
    finally:
        for app in apps:
            await app.stop()
    assert notices, "no assignment notice came through the secured pipeline"
    assert {n["document_id"] for n in notices} == {notices[0]["document_id"]}
    assert all(n["unit_id"] for n in notices)


async def _wait_for_notices(settings: Settings, timeout: float) -> list[dict]:
    """The notices on vanthu.assignments once a document's have come: from the first one
    until five seconds pass without another."""
    consumer = AIOKafkaConsumer(settings.topics.assignments, bootstrap_servers=settings.kafka_bootstrap,
                                auto_offset_reset="earliest", group_id=None, enable_auto_commit=False,
                                **client_options(settings))
    await consumer.start()
    notices: list[dict] = []
    quiet = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and quiet < 5:
            batch = await consumer.getmany(timeout_ms=1000)
            new = [n for records in batch.values() for r in records if "unit_id" in (n := json.loads(r.value))]
            notices += new
            quiet = quiet + 1 if notices and not new else 0
    finally:
        await consumer.stop()
    return notices
