"""incident-platform end to end: the real binary's services against a throwaway PostgreSQL 15 (and Prometheus).

The binary is $INCIDENT_PLATFORM_BIN (default .build/debug/incident-platform). Every server binds 127.0.0.1 on a
free port; every process and directory is removed by the fixture that made it; every wait has a deadline.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import http.client
import urllib.parse

import pytest

from helpers.postgres import free_port, postgres, postgres_factory  # noqa: F401 (fixtures)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("INCIDENT_PLATFORM_BIN",
                                     os.path.join(ROOT, ".build", "debug", "incident-platform")))
OPERATOR_BIN = os.path.abspath(os.environ.get("INCIDENT_OPERATOR_BIN",
                                              os.path.join(ROOT, ".build", "debug", "incident-operator")))
TOKEN = "e2e-token-" + "7f3a9c1b5d2e4f60"  # >= 16 characters; must never appear in a log line


@pytest.fixture(scope="module")
def binary():
    assert os.path.exists(BIN), (f"{BIN} is missing: build it with `swift build --product incident-platform` "
                                 "or set INCIDENT_PLATFORM_BIN")
    return BIN


# MARK: processes and HTTP

def base_env(**extra):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LISTEN_ADDRESS": "127.0.0.1",
           "PLATFORM_API_TOKEN": TOKEN, "LOG_LEVEL": "info", "LOG_FORMAT": "json"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Service:
    """One `incident-platform serve COMPONENT` process; stdout and stderr go to files in `workdir`."""

    def __init__(self, binary, component, workdir, database=None, **env):
        self.component = component
        self.port = free_port()
        self.env = base_env(PORT=self.port, **(database.env() if database else {}), **env)
        self.stdout_path = os.path.join(workdir, f"{component}-{self.port}.out")
        self.stderr_path = os.path.join(workdir, f"{component}-{self.port}.err")
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.process = subprocess.Popen([binary, "serve", component], env=self.env, stdout=self._out,
                                        stderr=self._err, stdin=subprocess.DEVNULL)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None, token=TOKEN, timeout=10):
        return http_request(self.port, method, path, body, token, timeout)

    def wait_status(self, path, status, timeout=20):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.component} exited with {self.process.returncode}:\n{self.logs()}"
            try:
                last = self.request("GET", path, timeout=2)[0]
                if last == status:
                    return
            except OSError as e:
                last = repr(e)
            time.sleep(0.05)
        raise AssertionError(f"{self.component}: GET {path} did not answer {status} within {timeout} s "
                             f"(last: {last})\n{self.logs()}")

    def wait_ready(self, timeout=20):
        self.wait_status("/health", 200, timeout)
        self.wait_status("/ready", 200, timeout)
        return self

    def metrics(self):
        status, body, _ = self.request("GET", "/metrics")
        assert status == 200, body
        return parse_metrics(body)

    def terminate(self, timeout=10):
        """SIGTERM; returns (exit status, seconds it took)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            rc = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = None
        return rc, time.monotonic() - started

    def stdout(self):
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def logs(self):
        return f"--- stdout ---\n{self.stdout()[-3000:]}\n--- stderr ---\n{self.stderr()[-3000:]}"

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()
        self._err.close()


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="platform-e2e-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def services(binary, workdir):
    """services(component, database=None, **env) starts a service; every one is stopped afterwards."""
    started = []

    def start(component, database=None, **env):
        service = Service(binary, component, workdir, database, **env)
        started.append(service)
        return service
    yield start
    for service in started:
        service.close()


def http_request(port, method, path, body=None, token=TOKEN, timeout=10):
    """(status, decoded body (JSON when it parses, else text), headers) of one request on a new connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else body
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read().decode("utf-8", "replace")
        try:
            decoded = json.loads(raw)
        except ValueError:
            decoded = raw
        return response.status, decoded, dict(response.getheaders())
    finally:
        conn.close()


def parse_metrics(text):
    """{(name, frozenset of (label, value))): value} of Prometheus text exposition."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)', line)
        assert m, f"not a Prometheus sample line: {line!r}"
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples


def metric_sum(samples, name, **labels):
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= set(ls))


def metric_series(samples, name):
    return {ls: v for (n, ls), v in samples.items() if n == name}


# MARK: Alertmanager payloads

def am_alert(name, status="firing", severity="critical", fingerprint=None):
    return {"status": status, "labels": {"alertname": name, "severity": severity, "service": "checkout"},
            "annotations": {"summary": f"{name} is on fire", "description": f"{name} description"},
            "startsAt": "2026-11-22T20:00:00Z",
            "endsAt": "2026-11-22T20:10:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example/graph", "fingerprint": fingerprint or f"fp-{name}"}


def am_webhook(alerts, status=None):
    status = status or ("firing" if any(a["status"] == "firing" for a in alerts) else "resolved")
    return {"version": "4", "groupKey": '{}:{alertname="e2e"}', "truncatedAlerts": 0, "status": status,
            "receiver": "incident-platform", "groupLabels": {"alertname": "e2e"}, "commonLabels": {},
            "commonAnnotations": {}, "externalURL": "http://alertmanager.example", "alerts": alerts}


def list_incidents(service, **query):
    path = "/api/v1/incidents"
    if query:
        path += "?" + urllib.parse.urlencode(query)
    status, body, _ = service.request("GET", path)
    assert status == 200, body
    return body


# MARK: 1. the acceptance scenario

def test_alertmanager_webhook_opens_deduplicates_and_resolves_incidents(services, postgres):
    management = services("incident-management", postgres)
    ingestion = services("alert-ingestion", postgres)
    management.wait_ready()
    ingestion.wait_ready()

    first = am_webhook([am_alert("HighLatency"), am_alert("DiskFull", severity="warning")])
    status, body, _ = ingestion.request("POST", "/api/v1/alerts/alertmanager", first)
    assert status == 200, body
    assert body == {"status": "success", "alerts": 2, "opened": 2, "repeated": 0, "resolved": 0}
    status, body, _ = ingestion.request("POST", "/api/v1/alerts/alertmanager", am_webhook([am_alert("HighLatency")]))
    assert status == 200, body
    assert (body["alerts"], body["opened"], body["repeated"]) == (1, 0, 1)

    incidents = list_incidents(management)["incidents"]
    assert len(incidents) == 2, incidents
    by_key = {i["dedup_key"]: i for i in incidents}
    assert set(by_key) == {"fp-HighLatency", "fp-DiskFull"}
    assert by_key["fp-HighLatency"]["alert_count"] == 2
    assert by_key["fp-DiskFull"]["alert_count"] == 1
    assert all(i["status"] == "triggered" and i["source"] == "alertmanager" for i in incidents)
    assert by_key["fp-HighLatency"]["severity"] == "critical"
    status, detail, _ = management.request("GET", f"/api/v1/incidents/{by_key['fp-HighLatency']['id']}")
    assert status == 200 and len(detail["timeline"]) >= 2, detail

    resolved = am_webhook([am_alert("HighLatency", "resolved"), am_alert("DiskFull", "resolved", severity="warning")])
    status, body, _ = ingestion.request("POST", "/api/v1/alerts/alertmanager", resolved)
    assert status == 200, body
    assert (body["alerts"], body["resolved"]) == (2, 2), body
    incidents = list_incidents(management)["incidents"]
    assert sorted(i["status"] for i in incidents) == ["resolved", "resolved"], incidents
    assert list_incidents(management, status="triggered")["incidents"] == []

    m = management.metrics()
    assert metric_sum(m, "incidents_created_total") == 2, metric_series(m, "incidents_created_total")
    assert metric_sum(m, "incidents_resolved_total") == 2, metric_series(m, "incidents_resolved_total")
    assert metric_sum(m, "incidents_open") == 0, metric_series(m, "incidents_open")
    a = ingestion.metrics()
    assert metric_sum(a, "alerts_received_total", source="alertmanager") == 5, metric_series(a, "alerts_received_total")
    assert metric_sum(a, "process_resident_memory_bytes") > 0
    assert metric_sum(a, "http_requests_total", service="alert-ingestion", method="POST", code="200") == 3, \
        metric_series(a, "http_requests_total")


def test_writes_need_the_token(services, postgres):
    ingestion = services("alert-ingestion", postgres).wait_ready()
    payload = am_webhook([am_alert("NoToken")])
    for token in (None, "wrong-token-0123456789"):
        status, body, _ = ingestion.request("POST", "/api/v1/alerts/alertmanager", payload, token=token)
        assert status == 401, (token, status, body)
    assert metric_sum(ingestion.metrics(), "alerts_received_total") == 0


# MARK: 2. configuration errors

GOOD_DB = {"DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": "5", "DATABASE_NAME": "incidents",
           "DATABASE_USER": "postgres", "DATABASE_PASSWORD": "secret"}


@pytest.mark.parametrize("args, env, variable", [
    (["incident-management"], {**GOOD_DB, "PLATFORM_API_TOKEN": None}, "PLATFORM_API_TOKEN"),
    (["alert-ingestion"], {**GOOD_DB, "PLATFORM_API_TOKEN": "short"}, "PLATFORM_API_TOKEN"),
    (["incident-management"], {**GOOD_DB, "DATABASE_HOST": None}, "DATABASE_HOST"),
    (["web-ui"], {"PORT": "eighty"}, "PORT"),
    (["oncall-service"], {**GOOD_DB, "PORT": "70000"}, "PORT"),
    (["incident-management"], {**GOOD_DB, "DATABASE_PORT": "x"}, "DATABASE_PORT"),
    (["no-such-service"], {}, "no-such-service"),
    ([], {"SERVICE_NAME": "no-such-service"}, "SERVICE_NAME"),
    ([], {}, "SERVICE_NAME"),
], ids=["token-missing", "token-short", "db-host-missing", "port-malformed", "port-out-of-range",
        "db-port-malformed", "unknown-component", "unknown-service-name", "no-component"])
def test_configuration_errors_exit_2_and_name_the_variable(binary, args, env, variable):
    environment = base_env(PORT=free_port())
    for key, value in env.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    started = time.monotonic()
    run = subprocess.run([binary, "serve", *args], env=environment, capture_output=True, text=True, timeout=10)
    elapsed = time.monotonic() - started
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert elapsed < 2, f"took {elapsed:.1f} s to reject the configuration"
    assert run.stderr.startswith("incident-platform: "), run.stderr
    assert variable in run.stderr, run.stderr
    if variable.isupper():
        assert f"configuration error: {variable}:" in run.stderr, run.stderr
    assert TOKEN not in run.stderr + run.stdout


# MARK: 3. graceful shutdown and logs

def test_sigterm_finishes_the_request_in_flight_and_logs_json(services, postgres):
    management = services("incident-management", postgres).wait_ready()
    for i in range(5):
        status, body, _ = management.request("POST", "/api/v1/incidents", {"title": f"warm-up {i}", "severity": "low"})
        assert status == 201, body

    # Hold an exclusive lock on the incidents table so that the next create waits inside the database.
    locker = subprocess.Popen([_psql(), "-X", "-v", "ON_ERROR_STOP=1", "-c",
                               "BEGIN; LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2); COMMIT;"],
                              env=postgres.client_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_sql(postgres, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                            "WHERE c.relname = 'incidents' AND l.mode = 'AccessExclusiveLock' AND l.granted", "1")
        result = {}

        def slow_create():
            try:
                result["response"] = management.request("POST", "/api/v1/incidents",
                                                         {"title": "in flight", "severity": "high"}, timeout=15)
            except Exception as e:  # noqa: BLE001 (reported below)
                result["error"] = e
        client = threading.Thread(target=slow_create)
        client.start()
        # the request has reached the database and waits for the lock
        _wait_sql(postgres, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                            "WHERE c.relname = 'incidents' AND NOT l.granted", "1")
        rc, seconds = management.terminate(timeout=10)
        client.join(timeout=15)
    finally:
        locker.wait(timeout=15)
    assert rc == 0, f"exit status {rc} after {seconds:.1f} s\n{management.logs()}"
    assert seconds < 10
    assert "error" not in result, f"the in-flight request failed: {result.get('error')!r}\n{management.logs()}"
    status, body, _ = result["response"]
    assert status == 201 and body["title"] == "in flight", body
    # it was committed: the database has it
    assert postgres.psql("SELECT count(*) FROM incidents WHERE title = 'in flight'").strip() == "1"

    out = management.stdout()
    assert TOKEN not in out and TOKEN not in management.stderr()
    lines = [line for line in out.splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"log line is not JSON: {line!r}")
    requests = [r for r in records if "request_id" in r or "path" in r]
    creates = [r for r in requests if r.get("method") == "POST" and r.get("path") == "/api/v1/incidents"]
    assert len(creates) == 6, requests
    for r in requests:
        for key in ("method", "path", "status", "duration_ms", "request_id"):
            assert key in r, (key, r)
        assert r["request_id"]
    assert len({r["request_id"] for r in requests}) == len(requests), "request ids repeat"
    assert any(r.get("status") == 201 and r.get("path") == "/api/v1/incidents" and r["duration_ms"] >= 500
               for r in creates), creates


def test_sigterm_after_a_burst_answers_every_request(services, postgres):
    """Eight clients hammer the service; SIGTERM in the middle: each request gets a full answer or is refused."""
    ingestion = services("alert-ingestion", postgres, INGEST_RATE_LIMIT=0).wait_ready()
    stop = threading.Event()
    outcomes = {"ok": 0, "refused": 0, "broken": []}
    lock = threading.Lock()

    def client(n):
        i = 0
        while not stop.is_set():
            i += 1
            payload = am_webhook([am_alert(f"burst-{n}-{i % 7}")])
            try:
                status, body, _ = ingestion.request("POST", "/api/v1/alerts/alertmanager", payload, timeout=10)
            except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError) as e:
                # refused: after the listener closed; reset or broken pipe while the request was being sent (an
                # idle keep-alive connection closed by the shutdown): nothing was read, not accepted (retryable).
                # The checks below still prove that every answered request, and only those, were committed.
                with lock:
                    outcomes["refused"] += 1
                if isinstance(e, ConnectionRefusedError):
                    return
                continue
            except Exception as e:  # noqa: BLE001
                with lock:
                    outcomes["broken"].append(repr(e))
                return
            with lock:
                if status == 200 and body.get("status") == "success":
                    outcomes["ok"] += 1
                else:
                    outcomes["broken"].append((status, body))
    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    rc, seconds = ingestion.terminate(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=15)
    assert rc == 0 and seconds < 10, (rc, seconds, ingestion.logs())
    assert outcomes["ok"] > 10, outcomes
    assert not outcomes["broken"], outcomes["broken"][:5]
    # every answered request is in the log, and the alerts it carried are in the database
    logged = [json.loads(line) for line in ingestion.stdout().splitlines() if line.strip()]
    assert sum(1 for r in logged if r.get("path") == "/api/v1/alerts/alertmanager" and r.get("status") == 200) \
        == outcomes["ok"]
    committed = postgres.psql("SELECT coalesce(sum(alert_count), 0) FROM incidents").strip()
    assert int(committed) == outcomes["ok"], (committed, outcomes)


def _psql():
    from helpers.postgres import tool
    return tool("psql")


def _wait_sql(server, sql, expected, timeout=10):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = server.psql(sql).strip()
        if value == expected:
            return
        time.sleep(0.05)
    raise AssertionError(f"{sql} gave {value!r}, not {expected!r}, within {timeout} s")


# MARK: 4. healthcheck, version, help

def test_healthcheck_against_web_ui_and_nothing(binary, services):
    web = services("web-ui")
    web.wait_status("/health", 200)
    run = subprocess.run([binary, "healthcheck"], env=base_env(PORT=web.port), capture_output=True, timeout=10)
    assert run.returncode == 0, run
    status, body, headers = web.request("GET", "/")
    assert status == 200, body
    idle = free_port()
    started = time.monotonic()
    run = subprocess.run([binary, "healthcheck"], env=base_env(PORT=idle), capture_output=True, timeout=10)
    assert run.returncode == 1, run
    assert time.monotonic() - started < 5


def test_version_matches_the_operator_and_help(binary):
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    assert version.returncode == 0, version
    m = re.fullmatch(r"incident-platform (\d+\.\d+\.\d+\S*)\n", version.stdout)
    assert m, version.stdout
    assert os.path.exists(OPERATOR_BIN), f"{OPERATOR_BIN} is missing: `make build` (or set INCIDENT_OPERATOR_BIN)"
    operator = subprocess.run([OPERATOR_BIN, "version"], capture_output=True, text=True, timeout=10)
    assert operator.returncode == 0, operator
    assert re.search(rf"(^|\s){re.escape(m.group(1))}(\s|$)", operator.stdout), (m.group(1), operator.stdout)
    helped = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=10)
    assert helped.returncode == 0, helped
    for word in ("serve", "healthcheck", "alert-ingestion", "incident-management", "oncall-service", "web-ui",
                 "PLATFORM_API_TOKEN", "DATABASE_HOST"):
        assert word in helped.stdout, word


# MARK: 5. readiness follows the database

def test_ready_waits_for_the_database_and_its_schema(services, postgres_factory):
    database = postgres_factory()  # initialised, not started: nothing listens on its port yet
    management = services("incident-management", database)
    management.wait_status("/health", 200)
    for _ in range(3):
        status, body, _ = management.request("GET", "/ready")
        assert status == 503, (status, body)
        time.sleep(0.2)
    status, body, _ = management.request("GET", "/api/v1/incidents")
    assert status == 503, (status, body)
    database.start()
    management.wait_status("/ready", 200, timeout=15)
    status, body, _ = management.request("POST", "/api/v1/incidents", {"title": "after the database", "severity": "medium"})
    assert status == 201, body
    assert database.psql("SELECT count(*) FROM incidents").strip() == "1"
    # the database goes away: ready turns 503 again, health stays 200
    database.stop()
    management.wait_status("/ready", 503, timeout=15)
    assert management.request("GET", "/health")[0] == 200
    database.start()
    management.wait_status("/ready", 200, timeout=20)
    assert management.process.poll() is None


# MARK: 6. two replicas under a real Prometheus

def _prometheus():
    path = shutil.which("prometheus")
    assert path, ("prometheus is missing: `apt-get install prometheus` (Debian's 2.42; the Makefile's APT_PACKAGES "
                  "should list it)")
    return path


def _promql(port, query):
    status, body, _ = http_request(port, "GET", "/api/v1/query?" + urllib.parse.urlencode({"query": query}), token=None)
    assert status == 200 and body["status"] == "success", body
    result = body["data"]["result"]
    return None if not result else float(result[0]["value"][1])


def test_two_replicas_scraped_by_prometheus_use_max_across_replicas(services, postgres, workdir):
    prometheus = _prometheus()
    replicas = [services("incident-management", postgres).wait_ready(),
                services("incident-management", postgres).wait_ready()]
    ids = []
    for i, severity in enumerate(("critical", "high", "high")):
        status, body, _ = replicas[i % 2].request("POST", "/api/v1/incidents", {"title": f"prom {i}", "severity": severity})
        assert status == 201, body
        ids.append(body["id"])
    status, body, _ = replicas[1].request("POST", f"/api/v1/incidents/{ids[0]}/resolve", {"by": "e2e"})
    assert status == 200, body

    port = free_port()
    config = os.path.join(workdir, "prometheus.yml")
    targets = ", ".join(f'"127.0.0.1:{r.port}"' for r in replicas)
    with open(config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: incident-management
    scrape_interval: 1s
    static_configs:
      - targets: [{targets}]
""")
    log = open(os.path.join(workdir, "prometheus.log"), "wb")
    process = subprocess.Popen([prometheus, f"--config.file={config}",
                                f"--storage.tsdb.path={os.path.join(workdir, 'tsdb')}",
                                f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    try:
        queries = {"sum(max by (severity) (incidents_open))": 2,
                   "sum(max by (severity) (incidents_created_total))": 3,
                   "sum(incidents_open)": 4,
                   'count(up{job="incident-management"} == 1)': 2}
        deadline = time.monotonic() + 30
        values = {}
        while time.monotonic() < deadline:
            assert process.poll() is None, open(log.name, errors="replace").read()[-3000:]
            try:
                values = {q: _promql(port, q) for q in queries}
            except OSError:
                values = {}
            if all(values.get(q) == v for q, v in queries.items()):
                break
            time.sleep(0.5)
        assert values == {q: float(v) for q, v in queries.items()}, values
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
