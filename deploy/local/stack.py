"""The local stack without Docker: one Kafka (KRaft) and one MinIO on loopback.

    python deploy/local/stack.py up [--services] | down | status | stop NAME | start NAME

``up`` is idempotent: it starts what is not running, waits until Kafka answers metadata
requests and MinIO is live, then creates the topics, the buckets and the bucket
notification that publishes ``s3:ObjectCreated:*`` of the incoming bucket to Kafka.
Data and logs live under ``.local/`` (``VANTHU_STATE_DIR``); binaries come from
``.cache/`` (``VANTHU_CACHE_DIR``), filled by ``deploy/local/bootstrap.sh``.
``up --services`` also starts the three stage services (``vanthu serve``); ``down``
stops everything this stack started; ``stop``/``start`` kafka or minio alone (for the
fault tests). ``up`` prints ``started`` or ``already-running``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from kafka.admin import KafkaAdminClient

from vanthu.provision import NOTIFY_TARGET, TOPIC_PARTITIONS, create_buckets, create_topics
from vanthu.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("VANTHU_STATE_DIR", ROOT / ".local"))
CACHE = Path(os.environ.get("VANTHU_CACHE_DIR", ROOT / ".cache"))

LOG4J2 = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.state.name = state.change.logger
logger.state.level = WARN
"""


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port)


def _port_open(address: str) -> bool:
    try:
        with socket.create_connection(_host_port(address), timeout=0.5):
            return True
    except OSError:
        return False


def _pid(name: str) -> int | None:
    pid_file = STATE / "run" / f"{name}.pid"
    try:
        pid = int(pid_file.read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def _spawn(name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
    (STATE / "run").mkdir(parents=True, exist_ok=True)
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    log = open(STATE / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})}, start_new_session=True,
    )
    (STATE / "run" / f"{name}.pid").write_text(str(proc.pid))


def _wait(what: str, check, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not ready yet, whatever the error
            pass
        time.sleep(1)
    raise SystemExit(f"{what} did not become ready within {timeout:.0f}s; see {STATE / 'logs'}")


# --- Kafka ---------------------------------------------------------------------------


def _kafka_config(settings: Settings) -> Path:
    host, port = _host_port(settings.kafka_bootstrap)
    data = STATE / "kafka"
    data.mkdir(parents=True, exist_ok=True)
    props = data / "server.properties"
    props.write_text(
        "\n".join([
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers={host}:{port + 1}",
            f"listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{port + 1}",
            f"advertised.listeners=PLAINTEXT://{host}:{port}",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            f"log.dirs={data / 'logs'}",
            f"num.partitions={TOPIC_PARTITIONS}",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            "",
        ])
    )
    (data / "log4j2.properties").write_text(LOG4J2)
    return props


def _java(main: str, *args: str) -> list[str]:
    libs = CACHE / "kafka" / "libs"
    if not (libs / ".complete").exists():
        raise SystemExit("Kafka jars missing: run deploy/local/bootstrap.sh")
    return [
        "java", "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={STATE / 'kafka' / 'log4j2.properties'}",
        "-cp", f"{libs}/*", main, *args,
    ]


def _kafka_ready(settings: Settings) -> bool:
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=3000)
    try:
        admin.list_topics()
        return True
    finally:
        admin.close()


def kafka_up(settings: Settings) -> bool:
    """Start Kafka unless it answers already; True when this call started it."""
    if _port_open(settings.kafka_bootstrap):
        return False
    props = _kafka_config(settings)
    if not (STATE / "kafka" / "logs" / "meta.properties").exists():
        # KRaft storage must be formatted once with a cluster id before the first start.
        subprocess.run(
            _java("kafka.tools.StorageTool", "format", "--standalone", "-t", uuid.uuid4().hex[:22],
                  "-c", str(props), "--ignore-formatted"),
            check=True, stdout=subprocess.DEVNULL,
        )
    _spawn("kafka", _java("kafka.Kafka", str(props)))
    return True


# --- MinIO ---------------------------------------------------------------------------


def _minio_live(settings: Settings) -> bool:
    with urllib.request.urlopen(f"http://{settings.minio_endpoint}/minio/health/live", timeout=2) as r:
        return r.status == 200


def minio_up(settings: Settings) -> bool:
    """Start MinIO unless it answers already; True when this call started it."""
    if _port_open(settings.minio_endpoint):
        return False
    binary = CACHE / "bin" / "minio"
    if not binary.exists():
        raise SystemExit("MinIO binary missing: run deploy/local/bootstrap.sh")
    host, port = _host_port(settings.minio_endpoint)
    data = STATE / "minio"
    (data / "queue").mkdir(parents=True, exist_ok=True)
    t = NOTIFY_TARGET
    env = {
        "MINIO_ROOT_USER": settings.minio_access_key,
        "MINIO_ROOT_PASSWORD": settings.minio_secret_key.get_secret_value(),
        "MINIO_BROWSER": "off",
        "MINIO_UPDATE": "off",
        f"MINIO_NOTIFY_KAFKA_ENABLE_{t}": "on",
        f"MINIO_NOTIFY_KAFKA_BROKERS_{t}": settings.kafka_bootstrap,
        f"MINIO_NOTIFY_KAFKA_TOPIC_{t}": settings.topics.objects,
        # Events wait on disk while Kafka is down, and are sent when it is back.
        f"MINIO_NOTIFY_KAFKA_QUEUE_DIR_{t}": str(data / "queue"),
        # Kafka 4 refuses the very old protocol MinIO's client speaks by default.
        f"MINIO_NOTIFY_KAFKA_VERSION_{t}": "3.6.0",
    }
    _spawn("minio", [str(binary), "server", str(data / "data"), "--address", f"{host}:{port}",
                     "--console-address", f"{host}:{port + 1}", "--quiet"], env)
    return True


# --- commands ------------------------------------------------------------------------


def up(settings: Settings) -> str:
    started = kafka_up(settings)
    _wait("Kafka", lambda: _kafka_ready(settings), 120)
    create_topics(settings)
    started = minio_up(settings) or started
    _wait("MinIO", lambda: _minio_live(settings), 60)
    _wait("MinIO buckets", lambda: create_buckets(settings) is None, 60)
    return "started" if started else "already-running"


def services_up() -> bool:
    """Start the three stage services in one background process (``vanthu serve``)."""
    if _pid("services"):
        return False
    _spawn("services", [str(ROOT / ".venv" / "bin" / "vanthu"), "serve"], {"PYTHONUNBUFFERED": "1"})
    return True


def stop(name: str) -> bool:
    """Stop one process this stack started (SIGTERM, then SIGKILL after 30 s)."""
    pid = _pid(name)
    if pid is None:
        return False
    os.killpg(pid, signal.SIGTERM)
    for _ in range(60):
        if _pid(name) is None:
            break
        time.sleep(0.5)
    else:
        os.killpg(pid, signal.SIGKILL)
    (STATE / "run" / f"{name}.pid").unlink(missing_ok=True)
    return True


def start(name: str, settings: Settings) -> None:
    """Start Kafka or MinIO again (after ``stop``), and wait until it answers."""
    if name == "kafka":
        kafka_up(settings)
        _wait("Kafka", lambda: _kafka_ready(settings), 120)
    elif name == "minio":
        minio_up(settings)
        _wait("MinIO", lambda: _minio_live(settings), 60)
    else:
        raise SystemExit(f"cannot start {name!r}: kafka or minio")


def down() -> None:
    for name in ("services", "minio", "kafka"):
        if stop(name):
            print(f"stopped {name}")


def status(settings: Settings) -> bool:
    ok = True
    for name, address in (("kafka", settings.kafka_bootstrap), ("minio", settings.minio_endpoint)):
        pid, listening = _pid(name), _port_open(address)
        ok &= listening
        owner = f"pid {pid}" if pid else "not started by this stack"
        print(f"{name:8} {address:18} {'up' if listening else 'down':5} ({owner})")
    pid = _pid("services")
    print(f"{'services':8} {'ocr, parse, notify':18} {'up' if pid else 'down':5} ({f'pid {pid}' if pid else 'vanthu serve'})")
    return ok


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    settings = get_settings()
    if command == "up":
        print(up(settings))
        if "--services" in argv and services_up():
            print("services started")
        return 0
    if command == "down":
        down()
        return 0
    if command == "status":
        return 0 if status(settings) else 1
    if command in ("start", "stop") and len(argv) == 3:
        if command == "start":
            start(argv[2], settings)
        elif not stop(argv[2]):
            print(f"{argv[2]} was not started by this stack")
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
