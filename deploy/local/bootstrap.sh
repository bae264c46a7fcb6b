#!/usr/bin/env bash
# Installs everything the local stack, the services and the tests need, idempotently.
# Downloads and builds are cached under .cache/ (ignored); the tools' own caches
# (~/.m2, Go's module and build caches, pip's cache) make a fresh clone's rerun fast.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VANTHU_CACHE_DIR:-$ROOT/.cache}"
# Kafka 4.1.1 and the final commit of MinIO's archived community repository; see deploy/local/README.md.
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 fonts-dejavu-core
              chromium chromium-driver)  # the desk's browser test (tests/desk)

log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing_apt+=("$pkg")
done
if ((${#missing_apt[@]})); then
  log "installing Debian packages: ${missing_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
fi

for tool in java mvn go python3; do
  command -v "$tool" >/dev/null || { log "missing $tool: install it first (Java 17, Maven, Go, Python 3.11)"; exit 1; }
done

stamp="$ROOT/.venv/.vanthu-installed"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  log "creating the virtual environment .venv"
  python3 -m venv "$ROOT/.venv"
fi
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
  log "installing Python dependencies"
  "$ROOT/.venv/bin/pip" install -q --upgrade pip
  "$ROOT/.venv/bin/pip" install -q -e "$ROOT[dev]"
  touch "$stamp"
fi

mkdir -p "$CACHE"
if [ ! -f "$CACHE/kafka/libs/.complete" ]; then
  log "fetching Apache Kafka jars from Maven Central"
  rm -rf "$CACHE/kafka/libs"
  mvn -q -B -f "$ROOT/deploy/local/kafka-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$CACHE/kafka/libs" -DincludeScope=runtime
  touch "$CACHE/kafka/libs/.complete"
fi

if [ ! -x "$CACHE/bin/minio-$MINIO_VERSION" ]; then
  log "building MinIO $MINIO_VERSION with go install (a few minutes the first time)"
  mkdir -p "$CACHE/bin"
  GOBIN="$CACHE/gobin" GOFLAGS=-buildvcs=false go install "github.com/minio/minio@$MINIO_VERSION"
  mv "$CACHE/gobin/minio" "$CACHE/bin/minio-$MINIO_VERSION"
fi
ln -sf "minio-$MINIO_VERSION" "$CACHE/bin/minio"
