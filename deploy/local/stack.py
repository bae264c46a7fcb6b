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

Secure mode (``VANTHU_KAFKA__SECURITY_PROTOCOL=SASL_SSL`` or ``SASL_PLAINTEXT``, with
the administrator's ``VANTHU_KAFKA__USERNAME``/``_PASSWORD`` and the services'
``VANTHU_IDENTITIES__*``): the client listener takes SCRAM-SHA-512 only (over TLS with a
CA made under ``STATE/tls``, which clients trust through ``VANTHU_KAFKA__CAFILE``), the
controller listener PLAIN with the administrator's password, the StandardAuthorizer
denies what no ACL allows, the SCRAM users are created when the storage is formatted (so
a secure stack needs a fresh ``VANTHU_STATE_DIR``), and MinIO's notifier publishes as
the ``minio`` principal.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from kafka.admin import KafkaAdminClient

from vanthu.identities import access_key
from vanthu.kafka_auth import MECHANISM, client_options
from vanthu.provision import NOTIFY_TARGET, TOPIC_PARTITIONS, create_access, create_buckets, create_topics
from vanthu.settings import Identities, Settings, get_settings

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


def _spawn(name: str, argv: list[str], env: dict[str, str | None] | None = None) -> None:
    """Start ``argv`` in the background with ``env`` over this environment (None: unset)."""
    (STATE / "run").mkdir(parents=True, exist_ok=True)
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    log = open(STATE / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    child_env = {key: value for key, value in {**os.environ, **(env or {})}.items() if value is not None}
    proc = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=child_env, start_new_session=True,
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


def _secure(settings: Settings) -> bool:
    return settings.kafka.security_protocol != "PLAINTEXT"


def _tls(settings: Settings) -> tuple[Path, Path]:
    """The local CA (what clients trust: ``VANTHU_KAFKA__CAFILE``) and the broker's key and
    certificate for its host, in one PEM file; made once under ``STATE/tls``."""
    tls = STATE / "tls"
    ca_file, broker_file = tls / "ca.pem", tls / "broker.pem"
    if settings.kafka.cafile is None or Path(settings.kafka.cafile).resolve() != ca_file.resolve():
        raise SystemExit(f"SASL_SSL: set VANTHU_KAFKA__CAFILE={ca_file} (the stack's CA, made on first start)")
    if broker_file.exists():
        return ca_file, broker_file
    tls.mkdir(parents=True, exist_ok=True)
    tls.chmod(0o700)
    host, _ = _host_port(settings.kafka_bootstrap)
    try:
        alt_name = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt_name = x509.DNSName(host)
    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=825))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName([alt_name]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, broker_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    ca = certificate("vanthu local CA", ca_key, "vanthu local CA", ca_key, ca=True)
    broker = certificate(host, broker_key, "vanthu local CA", ca_key, ca=False)
    pem = serialization.Encoding.PEM
    ca_file.write_bytes(ca.public_bytes(pem))
    # Kafka's PEM key store: an unencrypted PKCS#8 key followed by the certificate chain.
    broker_file.touch(mode=0o600)
    broker_file.write_bytes(broker_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
                            + broker.public_bytes(pem) + ca.public_bytes(pem))
    return ca_file, broker_file


def _jaas(module: str, **options: str) -> str:
    pairs = " ".join(f'{key}="{value}"' for key, value in options.items())
    return f"org.apache.kafka.common.security.{module} required {pairs};"


def _security_config(settings: Settings) -> list[str]:
    """Broker properties of secure mode: SCRAM on the client listener, over TLS with
    SASL_SSL (the broker talks to itself there as the administrator), PLAIN on the
    controller listener (KRaft cannot use SCRAM there), the StandardAuthorizer with the
    administrator as its super user."""
    admin, password = settings.kafka.username, settings.kafka.password.get_secret_value()
    tls = []
    if settings.kafka.security_protocol == "SASL_SSL":
        ca_file, broker_file = _tls(settings)
        tls = ["ssl.keystore.type=PEM", f"ssl.keystore.location={broker_file}",
               "ssl.truststore.type=PEM", f"ssl.truststore.location={ca_file}"]
    return [
        f"listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:{settings.kafka.security_protocol}",
        *tls,
        f"sasl.enabled.mechanisms={MECHANISM}",
        f"sasl.mechanism.inter.broker.protocol={MECHANISM}",
        f"listener.name.client.{MECHANISM.lower()}.sasl.jaas.config="
        + _jaas("scram.ScramLoginModule", username=admin, password=password),
        "sasl.mechanism.controller.protocol=PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
        "listener.name.controller.plain.sasl.jaas.config="
        + _jaas("plain.PlainLoginModule", username=admin, password=password, **{f"user_{admin}": password}),
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        f"super.users=User:{admin}",
        "allow.everyone.if.no.acl.found=false",
    ]


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
            f"listeners=CLIENT://{host}:{port},CONTROLLER://{host}:{port + 1}",
            f"advertised.listeners=CLIENT://{host}:{port}",
            "controller.listener.names=CONTROLLER",
            *(_security_config(settings) if _secure(settings) else
              ["listener.security.protocol.map=CONTROLLER:PLAINTEXT,CLIENT:PLAINTEXT"]),
            "inter.broker.listener.name=CLIENT",
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
    props.chmod(0o600)  # secure mode writes the administrator's password into it
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
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=3000,
                             **client_options(settings))
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
        # KRaft storage must be formatted once with a cluster id before the first start; in
        # secure mode the SCRAM users (administrator and services) are written into it.
        scram = []
        if _secure(settings):
            users = {settings.kafka.username: settings.kafka.password.get_secret_value(),
                     **settings.identities.passwords()}
            for name, password in users.items():
                scram += ["--add-scram", f'{MECHANISM}=[name={name},password="{password}"]']
        subprocess.run(
            _java("kafka.tools.StorageTool", "format", "--standalone", "-t", uuid.uuid4().hex[:22],
                  "-c", str(props), "--ignore-formatted", *scram),
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
    if _secure(settings):
        minio_password = settings.identities.minio
        if minio_password is None:
            raise SystemExit("secure mode: MinIO's notifier needs VANTHU_IDENTITIES__MINIO")
        env |= {f"MINIO_NOTIFY_KAFKA_SASL_{t}": "on", f"MINIO_NOTIFY_KAFKA_SASL_MECHANISM_{t}": "sha512",
                f"MINIO_NOTIFY_KAFKA_SASL_USERNAME_{t}": "minio",
                f"MINIO_NOTIFY_KAFKA_SASL_PASSWORD_{t}": minio_password.get_secret_value()}
    certs = []
    if settings.kafka.security_protocol == "SASL_SSL":
        # MinIO trusts the CAs in its certificate directory's CAs/ (and serves plain HTTP
        # while that directory holds no certificate of its own).
        (data / "certs" / "CAs").mkdir(parents=True, exist_ok=True)
        (data / "certs" / "CAs" / "vanthu-local-ca.pem").write_bytes(_tls(settings)[0].read_bytes())
        env[f"MINIO_NOTIFY_KAFKA_TLS_{t}"] = "on"
        certs = ["--certs-dir", str(data / "certs")]
    _spawn("minio", [str(binary), "server", str(data / "data"), "--address", f"{host}:{port}",
                     "--console-address", f"{host}:{port + 1}", "--quiet", *certs], env)
    return True


# --- commands ------------------------------------------------------------------------


def up(settings: Settings) -> str:
    started = kafka_up(settings)
    _wait("Kafka", lambda: _kafka_ready(settings), 120)
    create_topics(settings)
    started = minio_up(settings) or started
    _wait("MinIO", lambda: _minio_live(settings), 60)
    _wait("MinIO buckets", lambda: create_buckets(settings) is None, 60)
    create_access(settings)  # secure mode: the ACLs; the services' MinIO users when they have passwords
    return "started" if started else "already-running"


STAGES = ("ocr", "parse", "notify")


def services_up(settings: Settings) -> bool:
    """Start the three stage services in one background process (``vanthu serve``); in
    secure mode one process per stage, each with its own Kafka principal and MinIO key
    and without the other identities' passwords."""
    vanthu = str(ROOT / ".venv" / "bin" / "vanthu")
    if not _secure(settings):
        if _pid("services"):
            return False
        _spawn("services", [vanthu, "serve"], {"PYTHONUNBUFFERED": "1"})
        return True
    passwords = settings.identities.passwords()
    started = False
    for stage in STAGES:
        if _pid(f"services-{stage}"):
            continue
        if stage not in passwords:
            raise SystemExit(f"secure mode: the {stage} service needs VANTHU_IDENTITIES__{stage.upper()}")
        _spawn(f"services-{stage}", [vanthu, "serve", stage], {
            "PYTHONUNBUFFERED": "1",
            **{f"VANTHU_IDENTITIES__{name.upper()}": None for name in Identities.model_fields},
            "VANTHU_KAFKA__USERNAME": stage, "VANTHU_KAFKA__PASSWORD": passwords[stage],
            "VANTHU_MINIO_ACCESS_KEY": access_key(stage), "VANTHU_MINIO_SECRET_KEY": passwords[stage],
        })
        started = True
    return started


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
    # "desk": the web desk deploy/local/demo starts beside the stack (pid in STATE/run/desk.pid).
    for name in ("desk", "services", *(f"services-{stage}" for stage in STAGES), "minio", "kafka"):
        if stop(name):
            print(f"stopped {name}")


def status(settings: Settings) -> bool:
    ok = True
    for name, address in (("kafka", settings.kafka_bootstrap), ("minio", settings.minio_endpoint)):
        pid, listening = _pid(name), _port_open(address)
        ok &= listening
        owner = f"pid {pid}" if pid else "not started by this stack"
        print(f"{name:8} {address:18} {'up' if listening else 'down':5} ({owner})")
    pids = [pid for name in ("services", *(f"services-{stage}" for stage in STAGES)) if (pid := _pid(name))]
    owner = f"pid {', '.join(map(str, pids))}" if pids else "vanthu serve"
    print(f"{'services':8} {'ocr, parse, notify':18} {'up' if pids else 'down':5} ({owner})")
    return ok


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    settings = get_settings()
    if command == "up":
        print(up(settings))
        if "--services" in argv and services_up(settings):
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
