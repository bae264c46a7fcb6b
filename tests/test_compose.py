"""docker-compose.yml cannot run here (no Docker engine); these checks keep it consistent
with the code. CI also runs `docker compose config -q` where Docker Compose exists."""

from __future__ import annotations

from pathlib import Path

import yaml

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


def test_services_use_only_known_settings_and_each_stage_runs():
    fields = {f"VANTHU_{name.upper()}" for name in Settings.model_fields}
    commands = set()
    for name in ("init", "ocr", "parse", "notify"):
        service = SERVICES[name]
        assert set(service["environment"]) <= fields, name
        commands.add(tuple(service["command"]))
    assert {("serve", "ocr"), ("serve", "parse"), ("serve", "notify"), ("init",)} <= commands


def test_ports_are_published_on_loopback_only():
    for name, service in SERVICES.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
