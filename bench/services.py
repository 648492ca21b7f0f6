"""The services suite of `make bench`: incident-platform's alert ingestion against PostgreSQL, with pgbench as
the ceiling.

Per run: a fresh PostgreSQL 15 (Tests/python/helpers/postgres.py: initdb as `nobody`, loopback, default server
settings, so fsync and synchronous_commit are on), then the four services of the release binary
(alert-ingestion with INGEST_RATE_LIMIT=0 so that the limiter does not cap the load; the others with their
defaults, LOG_LEVEL=info: one JSON log line per request, written to a file). Idle RSS of each after 1 s.

Load: SERVICES_CLIENTS threads, one keep-alive http.client connection each, POST Alertmanager webhooks of 10
alerts as fast as the answers come, for SERVICES_SECONDS: 5 alerts never sent before (each opens an incident) and
the 5 new ones of the client's previous request (each increments alert_count of its open incident), so half of
the alerts open incidents and half repeat. One more thread plays the dashboard on incident-management (GET
/api/v1/incidents?limit=50 every 50 ms) and a scrape of both services' /metrics every second plays Prometheus.
Measured: alerts/s, request p50/p99 (client side: send to last byte), RSS of both services sampled every 100 ms,
CPU of each process (services, PostgreSQL, this harness) over the window, and the machine's busy time.

Ceiling: pgbench (-M prepared, the same client count and duration) against the same server, with a script of one
single-row INSERT per transaction into `pgbench_incidents`, created `LIKE incidents INCLUDING ALL` (the same
columns, defaults, checks and indexes, the partial unique dedup index among them) and a fresh dedup key per row.
"""
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

import harness as h

sys.path.insert(0, os.path.join(h.ROOT, "Tests", "python"))
from helpers.postgres import PostgresServer, tool as pg_tool  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"
COMPONENTS = ("alert-ingestion", "incident-management", "oncall-service", "web-ui")
ALERTS_PER_REQUEST = 10
SEVERITIES = ("critical", "warning", "info", "high")

PGBENCH_SCRIPT = """\\set n random(1, 1000000000)
INSERT INTO pgbench_incidents (title, description, severity, labels, source, dedup_key)
VALUES ('pgbench alert ' || :n, 'one row per transaction', 'high',
        '{"alertname": "PgBench", "severity": "high", "service": "bench"}', 'pgbench', gen_random_uuid()::text);
"""


def platform_binary():
    """incident-platform: $INCIDENT_PLATFORM_BIN, else next to the operator binary, else a release/debug build."""
    env = os.environ.get("INCIDENT_PLATFORM_BIN")
    if env:
        return os.path.abspath(env)
    candidates = []
    operator = os.environ.get("INCIDENT_OPERATOR_BIN")
    if operator:
        candidates.append(os.path.join(os.path.dirname(os.path.abspath(operator)), "incident-platform"))
    for scratch in (".build", ".build-e2e"):
        for kind in ("release", "debug"):
            candidates.append(os.path.join(h.ROOT, scratch, kind, "incident-platform"))
    for path in candidates:
        if os.path.exists(path):
            return path
    raise SystemExit("no incident-platform binary: run `swift build -c release --product incident-platform` "
                     "or set INCIDENT_PLATFORM_BIN")


class ServiceProcess:
    """`incident-platform serve COMPONENT` on a free loopback port; logs in the work directory."""

    def __init__(self, binary, component, workdir, database, **env):
        self.component = component
        self.port = h.free_port()
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LISTEN_ADDRESS": "127.0.0.1",
                       "PORT": str(self.port), "PLATFORM_API_TOKEN": TOKEN, "LOG_LEVEL": "info", "LOG_FORMAT": "json"}
        if component != "web-ui":
            environment.update(database.env())
        environment.update({k: str(v) for k, v in env.items()})
        self.log_path = os.path.join(workdir, f"{component}.log")
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen([binary, "serve", component], env=environment, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.stats = h.ProcStats(self.process.pid)

    @property
    def pid(self):
        return self.process.pid

    def wait_ready(self, timeout=30):
        path = "/health" if self.component == "web-ui" else "/ready"

        def ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.component} exited with {self.process.returncode}: see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
                return status == 200
            except OSError:
                return False
        h.wait_until(ready, timeout, what=f"{self.component} {path}")
        return self

    def stop(self):
        h.stop_process(self, 15, 20)  # SIGTERM


class LoadClient(threading.Thread):
    """One keep-alive connection posting webhooks until `deadline`; records latencies and outcomes."""

    def __init__(self, port, name, start_event, deadline_box):
        super().__init__(daemon=True)
        self.port, self.name_prefix = port, name
        self.start_event, self.deadline_box = start_event, deadline_box
        self.latencies = []  # seconds, of requests completed inside the window
        self.alerts = self.opened = self.repeated = 0
        self.errors = []
        self.previous = [f"{name}-w{j}" for j in range(ALERTS_PER_REQUEST // 2)]
        self.sequence = 0
        self.conn = None

    def _alert(self, key):
        return {"status": "firing",
                "labels": {"alertname": "BenchAlert", "severity": SEVERITIES[hash(key) % len(SEVERITIES)],
                           "instance": key, "job": "bench", "service": "checkout"},
                "annotations": {"summary": f"bench alert {key}", "description": "generated by bench/services.py"},
                "startsAt": "2026-11-22T20:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus.bench/graph", "fingerprint": key}

    def payload(self, keys):
        return json.dumps({"version": "4", "groupKey": "{}:{alertname=\"BenchAlert\"}", "truncatedAlerts": 0,
                           "status": "firing", "receiver": "incident-platform", "groupLabels": {},
                           "commonLabels": {"alertname": "BenchAlert"}, "commonAnnotations": {},
                           "externalURL": "http://alertmanager.bench",
                           "alerts": [self._alert(k) for k in keys]}).encode()

    def post(self, body):
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request("POST", "/api/v1/alerts/alertmanager", body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise

    def warm_up(self):
        """Sends the 5 alerts the first timed request repeats (and 5 more), outside the window."""
        keys = self.previous + [f"{self.name_prefix}-w{j}" for j in range(ALERTS_PER_REQUEST // 2, ALERTS_PER_REQUEST)]
        status, data = self.post(self.payload(keys))
        if status != 200:
            raise RuntimeError(f"warm-up webhook: {status} {data[:300]!r}")

    def run(self):
        self.start_event.wait()
        deadline = self.deadline_box[0]
        try:
            while True:
                self.sequence += 1
                fresh = [f"{self.name_prefix}-{self.sequence}-{j}" for j in range(ALERTS_PER_REQUEST // 2)]
                body = self.payload(fresh + self.previous)
                started = time.perf_counter()
                status, data = self.post(body)
                elapsed = time.perf_counter() - started
                if time.monotonic() > deadline:
                    break  # finished after the window closed: not counted
                if status != 200:
                    self.errors.append(f"{status} {data[:200]!r}")
                    if len(self.errors) > 20:
                        break
                    continue
                answer = json.loads(data)
                self.latencies.append(elapsed)
                self.alerts += answer["alerts"]
                self.opened += answer["opened"]
                self.repeated += answer["repeated"]
                self.previous = fresh
        except Exception as e:  # noqa: BLE001 (reported by the suite)
            self.errors.append(repr(e))
        finally:
            if self.conn is not None:
                self.conn.close()


class Dashboard(threading.Thread):
    """The web UI and Prometheus on incident-management: a list every 50 ms, /metrics of both every second."""

    def __init__(self, management_port, ingestion_port, stop_event):
        super().__init__(daemon=True)
        self.ports = (management_port, ingestion_port)
        self.stop_event = stop_event
        self.latencies, self.errors = [], []

    def run(self):
        conns = {p: http.client.HTTPConnection("127.0.0.1", p, timeout=30) for p in self.ports}
        last_scrape = 0.0
        try:
            while not self.stop_event.is_set():
                started = time.perf_counter()
                conns[self.ports[0]].request("GET", "/api/v1/incidents?limit=50",
                                             headers={"Authorization": f"Bearer {TOKEN}"})
                response = conns[self.ports[0]].getresponse()
                response.read()
                self.latencies.append(time.perf_counter() - started)
                if response.status != 200:
                    self.errors.append(response.status)
                if time.monotonic() - last_scrape >= 1.0:
                    last_scrape = time.monotonic()
                    for p in self.ports:
                        conns[p].request("GET", "/metrics")
                        r = conns[p].getresponse()
                        r.read()
                        if r.status != 200:
                            self.errors.append(r.status)
                self.stop_event.wait(0.05)
        except Exception as e:  # noqa: BLE001
            self.errors.append(repr(e))
        finally:
            for c in conns.values():
                c.close()


def _rss_split(stats):
    """Anonymous (heap, stacks) and file-backed (the binary's and libraries' pages) parts of the RSS, MiB."""
    fields = stats._status()
    split = {"anon": int(fields["RssAnon"].split()[0]) / 1024, "file": int(fields["RssFile"].split()[0]) / 1024}
    try:  # the proportional set size: shared pages divided among the processes mapping them
        with open(f"/proc/{stats.pid}/smaps_rollup") as f:
            split["pss"] = next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration):
        split["pss"] = None
    return split


def _postgres_cpu_seconds(server):
    """User + system CPU of the postmaster and its children (backends, walwriter, ...), seconds."""
    try:
        with open(os.path.join(server.data, "postmaster.pid")) as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        return 0.0
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(entry) == postmaster or int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / h.CLK_TCK
    return total


def _machine_busy():
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _pgbench(server, workdir, clients, seconds):
    """pgbench's tps (and average latency, ms) for one single-row INSERT per transaction."""
    server.psql("DROP TABLE IF EXISTS pgbench_incidents; "
                "CREATE TABLE pgbench_incidents (LIKE incidents INCLUDING ALL)")
    script = os.path.join(workdir, "insert.sql")
    with open(script, "w") as f:
        f.write(PGBENCH_SCRIPT)
    threads = min(clients, os.cpu_count() or 1)
    run = subprocess.run([pg_tool("pgbench"), "-n", "-M", "prepared", "-c", str(clients), "-j", str(threads),
                          "-T", str(seconds), "-f", script], env=server.client_env(), capture_output=True, text=True,
                         timeout=seconds + 120)
    if run.returncode != 0:
        raise RuntimeError(f"pgbench failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", run.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", run.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", run.stdout)
    if not tps:
        raise RuntimeError(f"cannot read pgbench's tps:\n{run.stdout}")
    return {"tps": float(tps.group(1)), "latency_ms": float(latency.group(1)) if latency else None,
            "failed": int(failed.group(1)) if failed else 0, "threads": threads}


def one_run(binary, run_index, clients, seconds, workdir):
    server = PostgresServer(prefix="bench-pg-")
    processes = {}
    try:
        server.start()
        for component in COMPONENTS:
            extra = {"INGEST_RATE_LIMIT": "0"} if component == "alert-ingestion" else {}
            processes[component] = ServiceProcess(binary, component, workdir, server, **extra)
        for p in processes.values():
            p.wait_ready()
        time.sleep(1.0)
        idle = {c: p.stats.rss_mb() for c, p in processes.items()}
        idle_split = {c: _rss_split(p.stats) for c, p in processes.items()}
        ingestion, management = processes["alert-ingestion"], processes["incident-management"]

        start_event, deadline_box = threading.Event(), [0.0]
        workers = [LoadClient(ingestion.port, f"r{run_index}c{n}", start_event, deadline_box) for n in range(clients)]
        for w in workers:
            w.warm_up()
        samplers = {c: h.Sampler(processes[c].pid).start() for c in ("alert-ingestion", "incident-management")}
        stop_dashboard = threading.Event()
        dashboard = Dashboard(management.port, ingestion.port, stop_dashboard)
        for w in workers:
            w.start()
        cpu_before = {c: processes[c].stats.cpu_seconds() for c in ("alert-ingestion", "incident-management")}
        pg_before, harness_before, busy_before = _postgres_cpu_seconds(server), time.process_time(), _machine_busy()
        started = time.monotonic()
        deadline_box[0] = started + seconds
        start_event.set()
        dashboard.start()
        for w in workers:
            w.join(timeout=seconds + 60)
        stop_dashboard.set()
        dashboard.join(timeout=30)
        cpu = {c: (processes[c].stats.cpu_seconds() - cpu_before[c]) / seconds * 100 for c in cpu_before}
        cpu["postgres"] = (_postgres_cpu_seconds(server) - pg_before) / seconds * 100
        cpu["harness"] = (time.process_time() - harness_before) / seconds * 100
        busy_after = _machine_busy()
        machine_busy = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]) * 100
        load_rss = {c: s.stop() for c, s in samplers.items()}
        errors = [e for w in workers for e in w.errors] + [str(e) for e in dashboard.errors]
        if errors:
            raise RuntimeError(f"services: {len(errors)} failed requests, e.g. {errors[:3]}; logs in {workdir}")
        latencies = [l for w in workers for l in w.latencies]
        alerts = sum(w.alerts for w in workers)
        opened, repeated = sum(w.opened for w in workers), sum(w.repeated for w in workers)
        if opened + repeated != alerts or not latencies:
            raise RuntimeError(f"services: {alerts} alerts but {opened} opened and {repeated} repeated")
        for p in processes.values():
            p.stop()
            if p.process.returncode != 0:
                raise RuntimeError(f"{p.component} exited with {p.process.returncode} on SIGTERM; see {p.log_path}")
        pgbench = _pgbench(server, workdir, clients, seconds)
        record = {
            "alerts_per_second": alerts / seconds, "requests_per_second": len(latencies) / seconds,
            "alerts": alerts, "opened": opened, "repeated": repeated, "requests": len(latencies),
            "p50_ms": h.percentile(latencies, 50) * 1000, "p99_ms": h.percentile(latencies, 99) * 1000,
            "max_ms": max(latencies) * 1000,
            "dashboard_requests": len(dashboard.latencies),
            "dashboard_p99_ms": h.percentile(dashboard.latencies, 99) * 1000 if dashboard.latencies else None,
            "idle_rss_mb": idle, "idle_rss_anon_file_mb": idle_split,
            "load_rss_mb": {c: {"mean": statistics.mean(s[1] for s in samples), "peak": max(s[1] for s in samples)}
                            for c, samples in load_rss.items() if samples},
            "cpu_percent": cpu, "machine_busy_percent": machine_busy,
            "pgbench_tps": pgbench["tps"], "pgbench_latency_ms": pgbench["latency_ms"],
            "pgbench_failed": pgbench["failed"], "pgbench_threads": pgbench["threads"],
            "fraction_of_pgbench": alerts / seconds / pgbench["tps"],
        }
        return record
    finally:
        for p in processes.values():
            p.stop()
        server.cleanup()


def suite_services(runs, clients, seconds):
    binary = platform_binary()
    records = []
    for run in range(runs):
        with h.Workdir("bench-services-") as workdir:
            record = one_run(binary, run, clients, seconds, workdir)
        records.append(record)
        h.log(f"services: run {run + 1}/{runs}: {record['alerts_per_second']:.0f} alerts/s, p50 "
              f"{record['p50_ms']:.1f} ms, p99 {record['p99_ms']:.1f} ms; pgbench {record['pgbench_tps']:.0f} tps "
              f"(alerts/s = {record['fraction_of_pgbench']:.2f} of it); idle RSS "
              + ", ".join(f"{c} {v:.1f}" for c, v in record["idle_rss_mb"].items()) + " MiB; CPU % "
              + ", ".join(f"{c} {v:.0f}" for c, v in record["cpu_percent"].items())
              + f"; machine busy {record['machine_busy_percent']:.0f} %")

    def over_runs(key, sub=None, leaf=None):
        values = []
        for r in records:
            v = r[key]
            if sub is not None:
                v = v.get(sub)
                if v is not None and leaf is not None:
                    v = v[leaf]
            values.append(v)
        return h.summary(values)
    return {
        "binary": binary, "runs": runs, "clients": clients, "seconds": seconds,
        "alerts_per_request": ALERTS_PER_REQUEST, "rate_limit": "off (INGEST_RATE_LIMIT=0)",
        "alerts_per_second": over_runs("alerts_per_second"),
        "requests_per_second": over_runs("requests_per_second"),
        "p50_ms": over_runs("p50_ms"), "p99_ms": over_runs("p99_ms"), "max_ms": over_runs("max_ms"),
        "dashboard_p99_ms": over_runs("dashboard_p99_ms"),
        "idle_rss_mb": {c: over_runs("idle_rss_mb", c) for c in COMPONENTS},
        "idle_rss_anon_mb": {c: over_runs("idle_rss_anon_file_mb", c, "anon") for c in COMPONENTS},
        "idle_rss_file_mb": {c: over_runs("idle_rss_anon_file_mb", c, "file") for c in COMPONENTS},
        "idle_pss_mb": {c: over_runs("idle_rss_anon_file_mb", c, "pss") for c in COMPONENTS},
        "load_rss_mean_mb": {c: over_runs("load_rss_mb", c, "mean") for c in ("alert-ingestion", "incident-management")},
        "load_rss_peak_mb": {c: over_runs("load_rss_mb", c, "peak") for c in ("alert-ingestion", "incident-management")},
        "cpu_percent": {c: over_runs("cpu_percent", c) for c in records[0]["cpu_percent"]},
        "machine_busy_percent": over_runs("machine_busy_percent"),
        "pgbench_tps": over_runs("pgbench_tps"), "pgbench_latency_ms": over_runs("pgbench_latency_ms"),
        "fraction_of_pgbench": over_runs("fraction_of_pgbench"),
        "per_run": records,
    }
