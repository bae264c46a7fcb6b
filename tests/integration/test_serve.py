"""`vanthu serve` as an operator runs it: health, readiness and metrics, and a clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.loopback import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_reports_health_and_metrics_and_stops_cleanly(run_settings, tmp_path):
    # GIVEN the parse service started with a health port
    port = free_port()
    env = os.environ | run_settings.as_env() | {"VANTHU_HTTP_PORT": str(port)}
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "vanthu.cli", "serve", "parse"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        # WHEN its endpoints are asked once it is up
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(f"{base}/health/live")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        ready_status, ready = get(f"{base}/health/ready")
        metrics_status, metrics = get(f"{base}/metrics")
        missing_status, _ = get(f"{base}/nothing")
        # THEN it is live and ready (Kafka answers), and exports the stage's metrics
        assert ready_status == 200 and json.loads(ready)["status"] == "ready"
        assert metrics_status == 200 and "vanthu_step_seconds" in metrics and "faststream" in metrics
        assert missing_status == 404
    finally:
        # ... and SIGTERM stops it
        os.killpg(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=60)
        log.close()
    assert code == 0, (tmp_path / "serve.log").read_text()[-3000:]
