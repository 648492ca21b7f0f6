"""The alert chain with the real tools: Prometheus 2.42 scrapes a local target and evaluates the rules the operator
renders for examples/platform.yaml, Alertmanager 0.25, configured as the operator renders it, routes the alert to the real alert-ingestion (bearer token from
a credentials_file, as the operator mounts it), which opens an incident in a real PostgreSQL; when the target
recovers, the resolved notification resolves the incident. Only the test copy is changed: static targets instead of
Kubernetes discovery (Debian's Prometheus has none), `for: 0s` on the alert under test, local URLs and files in the
Alertmanager configuration and 1 s grouping delays. Every wait has a
deadline; every process and file is removed by the fixtures."""
import base64
import http.server
import json
import os
import shutil
import subprocess
import threading
import time

import pytest
import yaml

from helpers.postgres import free_port, postgres  # noqa: F401 (fixture)
from helpers.processes import stop_process
from test_platform_services import (_prometheus, binary, list_incidents, services, workdir,  # noqa: F401
                                    OPERATOR_BIN, TOKEN)


def rendered_file(kind, key):
    """A file the operator renders for examples/platform.yaml: `key` of the ConfigMap or Secret that holds it."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    run = subprocess.run([OPERATOR_BIN, "render", "-f", os.path.join(root, "examples", "platform.yaml"), "-o", "json"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    for item in json.loads(run.stdout)["items"]:
        if item["kind"] != kind:
            continue
        if key in item.get("stringData", {}):
            return item["stringData"][key]
        if key in item.get("data", {}):
            value = item["data"][key]
            return base64.b64decode(value).decode() if kind == "Secret" else value
    raise AssertionError(f"no {kind} with {key} in the rendered example")


class Target:
    """A scrape target on a fixed port that can go away and come back."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"# TYPE chain_requests_total counter\nchain_requests_total 1\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    def __init__(self):
        self.port = free_port()
        self.server = None

    def start(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self.Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def _alertmanager():
    path = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    assert path, "Alertmanager is missing: `apt-get install prometheus-alertmanager` (the Makefile's APT_PACKAGES list it)"
    return path


def _start(args, log_path):
    log = open(log_path, "wb")
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL), log


def _stop(process, log):
    stop_process(process)
    log.close()


def _wait(what, predicate, timeout, logs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.25)
    tails = "\n".join(f"--- {name} ---\n{open(path, errors='replace').read()[-2000:]}" for name, path in logs)
    raise AssertionError(f"{what} did not happen within {timeout} s\n{tails}")


def test_a_failing_target_becomes_an_incident_and_its_recovery_resolves_it(services, postgres, workdir):
    prometheus, alertmanager = _prometheus(), _alertmanager()
    ingestion = services("alert-ingestion", postgres).wait_ready()
    management = services("incident-management", postgres).wait_ready()
    target = Target()
    target.start()

    token_file = os.path.join(workdir, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN)
    am_port, prom_port = free_port(), free_port()
    # The operator's Alertmanager configuration, with the platform receiver's URL and token file pointing here and
    # the grouping delays shortened in this copy.
    config = yaml.safe_load(rendered_file("Secret", "alertmanager.yml"))
    platform = next(r for r in config["receivers"] if r["name"] == "incident-platform")["webhook_configs"][0]
    assert platform["url"].endswith("/api/v1/alerts/alertmanager") and platform["send_resolved"] is True
    platform["url"] = f"http://127.0.0.1:{ingestion.port}/api/v1/alerts/alertmanager"
    platform["http_config"]["authorization"]["credentials_file"] = token_file

    def shorten(route):
        route["group_wait"], route["group_interval"] = "1s", "1s"
        for child in route.get("routes", []):
            shorten(child)
    shorten(config["route"])
    am_config = os.path.join(workdir, "alertmanager.yml")
    with open(am_config, "w") as f:
        yaml.safe_dump(config, f)
    check = subprocess.run(["amtool", "check-config", am_config], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr

    # The operator's rules, with the service-down alert firing at once in this copy.
    text = rendered_file("ConfigMap", "alerting-rules.yml")
    alert = text.index("- alert: IncidentPlatformServiceDown")
    end = text.index("- alert:", alert + 1)
    assert "for: '2m'" in text[alert:end], text[alert:end]
    text = text[:alert] + text[alert:end].replace("for: '2m'", "for: '0s'") + text[end:]
    rules = os.path.join(workdir, "rules.yml")
    with open(rules, "w") as f:
        f.write(text)
    prom_config = os.path.join(workdir, "prometheus.yml")
    with open(prom_config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [{rules}]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:{am_port}"]
scrape_configs:
  - job_name: web-ui
    static_configs:
      - targets: ["127.0.0.1:{target.port}"]
""")
    check = subprocess.run([shutil.which("promtool"), "check", "config", prom_config], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr

    am_log, prom_log = os.path.join(workdir, "alertmanager.log"), os.path.join(workdir, "prometheus.log")
    logs = [("alertmanager", am_log), ("prometheus", prom_log)]
    am, am_out = _start([alertmanager, f"--config.file={am_config}", f"--storage.path={os.path.join(workdir, 'am')}",
                         f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="], am_log)
    prom, prom_out = _start([prometheus, f"--config.file={prom_config}", f"--storage.tsdb.path={os.path.join(workdir, 'tsdb')}",
                             f"--web.listen-address=127.0.0.1:{prom_port}"], prom_log)
    try:
        # Healthy first: a few evaluations, no incident.
        time.sleep(3)
        assert list_incidents(management)["incidents"] == []

        target.stop()

        def opened():
            incidents = list_incidents(management)["incidents"]
            return incidents[0] if incidents else None
        incident = _wait("an incident for the failing target", opened, 60, logs)
        assert incident["title"] == f"web-ui target 127.0.0.1:{target.port} is down"
        assert incident["severity"] == "critical"
        assert incident["status"] == "triggered"
        assert incident["source"] == "alertmanager"
        assert incident["labels"]["alertname"] == "IncidentPlatformServiceDown"
        assert incident["labels"]["job"] == "web-ui"
        assert incident["labels"]["platform"] == "incidents"
        assert incident["labels"]["namespace"] == "incident-platform"
        # The always-firing Watchdog went to the null receiver, not to the incidents.
        assert all(i["labels"].get("alertname") != "Watchdog" for i in list_incidents(management)["incidents"])

        target.start()

        def resolved():
            incidents = list_incidents(management, status="resolved")["incidents"]
            return incidents[0] if incidents else None
        done = _wait("the incident resolved after the target recovered", resolved, 60, logs)
        assert done["id"] == incident["id"]
        assert done["resolved_by"] == "alertmanager"
        # One alert, one incident: Alertmanager's repeats were deduplicated.
        assert len(list_incidents(management)["incidents"]) == 1
    finally:
        _stop(prom, prom_out)
        _stop(am, am_out)
        target.stop()
