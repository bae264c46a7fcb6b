"""Kafka authentication settings and the ACL table, without a broker (the broker's
enforcement is tests/security/test_kafka_acl.py)."""

from __future__ import annotations

import datetime
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from kafka.admin import ACLOperation, ResourceType
from pydantic import SecretStr, ValidationError

from vanthu.kafka_acl import acls
from vanthu.kafka_auth import broker_security, client_options
from vanthu.provision import private_copy
from vanthu.settings import KafkaAuth, Settings


def _self_signed_ca() -> bytes:
    """A throwaway CA certificate in PEM (what VANTHU_KAFKA__CAFILE names)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def test_a_service_asked_to_authenticate_without_credentials_does_not_start(monkeypatch):
    # GIVEN SASL asked for in the environment, but no password WHEN settings load THEN they are refused
    monkeypatch.setenv("VANTHU_KAFKA__SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("VANTHU_KAFKA__USERNAME", "parse")
    with pytest.raises(ValidationError, match="VANTHU_KAFKA__PASSWORD"):
        Settings()


def test_the_password_reaches_the_clients_but_never_a_printout(monkeypatch, tmp_path):
    # GIVEN a service's credentials from the environment, and the CA it trusts
    ca = tmp_path / "ca.pem"
    ca.write_bytes(_self_signed_ca())
    monkeypatch.setenv("VANTHU_KAFKA__SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("VANTHU_KAFKA__USERNAME", "notify")
    monkeypatch.setenv("VANTHU_KAFKA__PASSWORD", "s3cret-notify-pw")
    monkeypatch.setenv("VANTHU_KAFKA__CAFILE", str(ca))
    settings = Settings()
    # WHEN the clients' options are built and the settings printed
    options, security = client_options(settings), broker_security(settings)
    # THEN aiokafka/kafka-python and FastStream authenticate with SCRAM-SHA-512 over
    # checked TLS, and the password shows in no repr
    assert options["security_protocol"] == "SASL_SSL" and options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("notify", "s3cret-notify-pw")
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED and options["ssl_context"].check_hostname
    assert (security.username, security.password, security.use_ssl) == ("notify", "s3cret-notify-pw", True)
    assert "s3cret-notify-pw" not in repr(settings) and "s3cret-notify-pw" not in str(settings.model_dump())


def test_plaintext_clients_get_no_security_options():
    assert client_options(Settings()) == {} and broker_security(Settings()) is None


def _principals(settings: Settings, operation: ACLOperation, kind: ResourceType, name: str) -> set[str]:
    return {acl.principal.removeprefix("User:") for acl in acls(settings)
            if acl.operation == operation and acl.resource_pattern.resource_type == kind
            and acl.resource_pattern.resource_name == name}


@pytest.mark.parametrize("settings", [Settings(), private_copy(Settings(), "run1")], ids=["default", "private"])
def test_each_topic_is_written_and_read_only_by_its_stages(settings: Settings):
    t, write, read, topic = settings.topics, ACLOperation.WRITE, ACLOperation.READ, ResourceType.TOPIC
    # Notices come only from notify; intake events from MinIO and the desk announcing its
    # uploads (vanthu/announce.py), read only by OCR
    assert _principals(settings, write, topic, t.assignments) == {"notify"}
    assert _principals(settings, write, topic, t.objects) == {"minio", "desk"}
    assert _principals(settings, read, topic, t.objects) == {"ocr"}
    # Each stage's output has one writer but for the desk's corrections; each retry topic is its stage's own
    assert _principals(settings, write, topic, t.text) == {"ocr"}
    assert _principals(settings, write, topic, t.directives) == {"parse", "desk"}
    for stage in ("ocr", "parse", "notify"):
        assert _principals(settings, write, topic, t.retry_for(stage)) == {stage}
        assert _principals(settings, read, ResourceType.GROUP, settings.group(stage)) == {stage}
    # No principal may alter the cluster or create topics (that is the administrator's)
    assert not {acl for acl in acls(settings) if acl.resource_pattern.resource_type == ResourceType.CLUSTER}


def test_kafka_auth_is_part_of_the_settings_a_child_process_gets():
    # GIVEN settings with a Kafka principal WHEN turned into a child's environment THEN it authenticates the same
    settings = Settings(kafka=KafkaAuth(security_protocol="SASL_PLAINTEXT", username="ocr",
                                        password=SecretStr("pw-ocr-123")))
    env = settings.as_env()
    assert (env["VANTHU_KAFKA__SECURITY_PROTOCOL"], env["VANTHU_KAFKA__USERNAME"],
            env["VANTHU_KAFKA__PASSWORD"]) == ("SASL_PLAINTEXT", "ocr", "pw-ocr-123")
