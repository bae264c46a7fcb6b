"""docker-compose.yml cannot run here (no Docker engine); these checks keep it consistent
with the code. CI also runs `docker compose config -q` where Docker Compose exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from vanthu.identities import access_key
from vanthu.provision import NOTIFY_TARGET
from vanthu.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_every_service_has_a_pinned_image_or_a_build_that_exists():
    # GIVEN the compose file WHEN each service is inspected THEN it builds from a file in the repo or pins a tag
    for name, service in SERVICES.items():
        if "build" in service:
            build = service["build"]
            assert (ROOT / build["context"] / build["dockerfile"]).is_file(), name
        else:
            image = service["image"]
            assert ":" in image and not image.endswith(":latest"), f"{name} must pin its image: {image}"


def test_dependencies_name_real_services():
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"


def test_minio_notifies_the_topic_the_ocr_service_reads():
    # GIVEN MinIO's notification target in compose WHEN compared with the settings THEN they agree
    env = SERVICES["minio"]["environment"]
    assert env[f"MINIO_NOTIFY_KAFKA_TOPIC_{NOTIFY_TARGET}"] == Settings().topics.objects
    assert env[f"MINIO_NOTIFY_KAFKA_QUEUE_DIR_{NOTIFY_TARGET}"], "events must survive a Kafka outage"
    assert int(env[f"MINIO_NOTIFY_KAFKA_VERSION_{NOTIFY_TARGET}"].split(".")[0]) >= 3


def _known(variable: str) -> bool:
    """Whether ``variable`` sets a field of Settings (``VANTHU_X``, or ``VANTHU_X__Y`` of a nested one)."""
    name, _, nested = variable.removeprefix("VANTHU_").lower().partition("__")
    field = Settings.model_fields.get(name)
    if field is None or not nested:
        return field is not None
    return nested in getattr(field.annotation, "model_fields", {})


def test_services_use_only_known_settings_and_each_stage_runs():
    commands = set()
    for name in ("init", "ocr", "parse", "notify"):
        service = SERVICES[name]
        assert all(_known(variable) for variable in service["environment"]), name
        commands.add(tuple(service["command"]))
    assert {("serve", "ocr"), ("serve", "parse"), ("serve", "notify"), ("init",)} <= commands


def test_ports_are_published_on_loopback_only():
    for name, service in SERVICES.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_each_service_runs_as_its_own_kafka_principal_and_minio_user():
    # GIVEN the secure compose file WHEN each service's credentials are read THEN a stage
    # is its own Kafka principal and MinIO user, and only init holds the administrators'
    for name in ("ocr", "parse", "notify", "desk"):
        env = SERVICES[name]["environment"]
        assert env["VANTHU_KAFKA__SECURITY_PROTOCOL"] != "PLAINTEXT", name
        assert env["VANTHU_KAFKA__USERNAME"] == name
        assert env["VANTHU_MINIO_ACCESS_KEY"] == access_key(name)
        assert "KAFKA_ADMIN_PASSWORD" not in str(env) and "MINIO_ROOT_PASSWORD" not in str(env), name
    init = SERVICES["init"]["environment"]
    assert init["VANTHU_KAFKA__USERNAME"] == SERVICES["kafka"]["environment"]["KAFKA_SUPER_USERS"].removeprefix("User:")
    assert {f"VANTHU_IDENTITIES__{name.upper()}" for name in ("ocr", "parse", "notify", "desk")} <= set(init)
    # ... and no password has a default written in the file
    assert ":-" not in "".join(str(v) for s in SERVICES.values() for v in s.get("environment", {}).values()
                               if "PASSWORD" in str(v))


def test_every_password_the_compose_file_requires_is_in_the_example_env_file():
    # GIVEN the variables docker-compose.yml requires (no default) and the example .env that
    # CI validates it with (.ci/run)
    required = set(re.findall(r"\$\{(\w+):\?", (ROOT / "docker-compose.yml").read_text()))
    example = (ROOT / "deploy" / "compose.env.example").read_text().splitlines()
    given = {line.split("=", 1)[0] for line in example if "=" in line and not line.startswith("#")}
    # THEN each has a value there, so `docker compose config` can check the file
    assert required and required <= given, required - given
