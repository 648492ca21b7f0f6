"""The metric names the PostgreSQL and Alertmanager alerts read, checked against the real programs: Debian's
postgres_exporter (`prometheus-postgres-exporter`, 0.11; the pod runs 0.15) against a throwaway PostgreSQL, configured
with the same environment variables as the rendered sidecar, and Debian's Alertmanager 0.25 (`/metrics`)."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest
import yaml

from helpers.postgres import free_port, postgres  # noqa: F401 (fixture)
from helpers.processes import stop_process

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build/debug/incident-operator"))


@pytest.fixture(scope="module")
def items():
    r = subprocess.run([BIN, "render", "-f", "examples/platform.yaml", "-o", "json"], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["items"]


def rule_metrics(items, alerts):
    """The metric names (a word followed by `{` or a space and `[`/`)`) in the expressions of `alerts`."""
    data = next(o["data"] for o in items if o["kind"] == "ConfigMap" and "alerting-rules.yml" in o.get("data", {}))
    rules = [r for g in yaml.safe_load(data["alerting-rules.yml"])["groups"] for r in g["rules"] if r.get("alert") in alerts]
    assert {r["alert"] for r in rules} == set(alerts)
    return {name for r in rules for name in re.findall(r"\b([a-z_]+)\{", r["expr"])}


def scrape(port, timeout=20, wanted=""):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
            if wanted in body:
                return body
        except OSError as e:
            last = e
        time.sleep(0.25)
    raise AssertionError(f"no metrics on 127.0.0.1:{port} ({last})")


def names(body):
    return {m.group(1) for m in re.finditer(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )", body, re.M)}


def values(body, name):
    return [float(line.rsplit(" ", 1)[1]) for line in body.splitlines() if re.match(rf"{name}(\{{| )", line)]


def start(args, env=None):
    log = tempfile.TemporaryFile()
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL), log


def stop(process, log):
    stop_process(process)
    log.seek(0)
    text = log.read().decode(errors="replace")
    log.close()
    return text


def test_postgres_exporter_exposes_the_metrics_of_the_postgres_alerts(items, postgres):  # noqa: F811
    exporter = shutil.which("prometheus-postgres-exporter") or shutil.which("postgres_exporter")
    assert exporter, "postgres_exporter is missing: `apt-get install prometheus-postgres-exporter`"
    deployment = next(o for o in items if o["kind"] == "Deployment" and o["metadata"]["name"] == "incidents-postgres")
    sidecar = next(c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "postgres-exporter")
    env = {e["name"]: e for e in sidecar["env"]}
    assert set(env) == {"DATA_SOURCE_URI", "DATA_SOURCE_USER", "DATA_SOURCE_PASS"}
    # the rendered URI with the test server's port and database in place of 5432 and the spec's database
    uri = env["DATA_SOURCE_URI"]["value"]
    assert re.fullmatch(r"127\.0\.0\.1:5432/[\w-]+\?sslmode=disable", uri), uri
    uri = re.sub(r":5432/[\w-]+\?", f":{postgres.port}/{postgres.database}?", uri)
    port = free_port()
    process, log = start([exporter, f"--web.listen-address=127.0.0.1:{port}"],
                         env=dict(os.environ, DATA_SOURCE_URI=uri, DATA_SOURCE_USER="postgres",
                                  DATA_SOURCE_PASS=postgres.password))
    try:
        body = scrape(port, wanted="pg_stat_activity_count")
    finally:
        output = stop(process, log)
    wanted = rule_metrics(items, ["PostgresDown", "PostgresTooManyConnections"])
    assert wanted == {"pg_up", "pg_stat_activity_count", "pg_settings_max_connections"}
    assert wanted <= names(body), output[-2000:]
    assert values(body, "pg_up") == [1.0], output[-2000:]
    assert values(body, "pg_settings_max_connections") == [100.0]
    assert sum(values(body, "pg_stat_activity_count")) >= 1  # the exporter's own connection


def test_postgres_exporter_reports_pg_up_0_without_a_server(items):
    exporter = shutil.which("prometheus-postgres-exporter") or shutil.which("postgres_exporter")
    assert exporter, "postgres_exporter is missing: `apt-get install prometheus-postgres-exporter`"
    port, dead = free_port(), free_port()
    process, log = start([exporter, f"--web.listen-address=127.0.0.1:{port}"],
                         env=dict(os.environ, DATA_SOURCE_URI=f"127.0.0.1:{dead}/incidents?sslmode=disable",
                                  DATA_SOURCE_USER="postgres", DATA_SOURCE_PASS="x"))
    try:
        body = scrape(port, wanted="pg_up")
    finally:
        stop(process, log)
    assert values(body, "pg_up") == [0.0]


def test_alertmanager_exposes_notifications_failed_total(items, tmp_path):
    alertmanager = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    assert alertmanager, "Alertmanager is missing: `apt-get install prometheus-alertmanager`"
    config = tmp_path / "alertmanager.yml"
    config.write_text("route:\n  receiver: none\nreceivers:\n- name: none\n", encoding="utf-8")
    port = free_port()
    process, log = start([alertmanager, f"--config.file={config}", f"--storage.path={tmp_path / 'data'}",
                          f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="])
    try:
        body = scrape(port, wanted="alertmanager_notifications_failed_total")
    finally:
        output = stop(process, log)
    wanted = rule_metrics(items, ["AlertmanagerFailedToSendNotifications"])
    assert wanted == {"alertmanager_notifications_failed_total"}
    assert wanted <= names(body), output[-2000:]
    assert re.search(r'^alertmanager_notifications_failed_total\{integration="webhook"\} 0$', body, re.M)
