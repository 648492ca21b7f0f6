"""The generated alerting rules with the real promtool (Debian's prometheus 2.42): `promtool check rules` on the rule
file that `incident-operator render` puts in the Prometheus ConfigMap, and `promtool test rules` unit tests for every
alert: it fires at the right time with the right labels on bad series and stays silent on healthy ones. Each SLO
burn-rate window pair is tested alone (only the long window burning pages nobody; only the short one neither).

The unit tests run on a copy of the rendered file without the `description` annotations (they print `$value`, whose
formatting promtool would compare character by character); `summary` and `runbook_url` are compared exactly."""
import copy
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build/debug/incident-operator"))
NAMESPACE, PLATFORM = "incident-platform", "incidents"  # examples/platform.yaml


def promtool():
    found = shutil.which("promtool")
    assert found, "promtool is not installed (Debian package prometheus; `make` installs it)"
    return found


@pytest.fixture(scope="module")
def rendered():
    r = subprocess.run([BIN, "render", "-f", "examples/platform.yaml", "-o", "json"], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    maps = [o for o in json.loads(r.stdout)["items"]
            if o["kind"] == "ConfigMap" and "alerting-rules.yml" in o.get("data", {})]
    assert len(maps) == 1
    data = maps[0]["data"]
    assert yaml.safe_load(data["prometheus.yml"])["rule_files"] == ["/etc/prometheus/alerting-rules.yml"]
    return data["alerting-rules.yml"]


@pytest.fixture(scope="module")
def rules(rendered):
    return yaml.safe_load(rendered)


@pytest.fixture(scope="module")
def test_copy(rules, tmp_path_factory):
    stripped = copy.deepcopy(rules)
    for group in stripped["groups"]:
        for rule in group["rules"]:
            rule.get("annotations", {}).pop("description", None)
    path = tmp_path_factory.mktemp("rules") / "rules.yml"
    path.write_text(yaml.safe_dump(stripped), encoding="utf-8")
    return path


def test_promtool_check_rules(rendered, tmp_path):
    path = tmp_path / "alerting-rules.yml"
    path.write_text(rendered, encoding="utf-8")
    r = subprocess.run([promtool(), "check", "rules", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "SUCCESS" in r.stdout


def alert_rule(rules, name, sloth_id=None):
    found = [r for g in rules["groups"] for r in g["rules"] if r.get("alert") == name
             and (sloth_id is None or r["labels"].get("sloth_id") == sloth_id)]
    assert len(found) == 1, f"{name} {sloth_id}"
    return found[0]


def expected(rules, name, series_labels, sloth_id=None):
    """One expected alert: the expression's labels plus the rule's, and the summary and runbook_url rendered."""
    rule = alert_rule(rules, name, sloth_id)
    labels = {**series_labels, **rule["labels"]}
    assert labels["namespace"] == NAMESPACE and labels["platform"] == PLATFORM
    assert labels["severity"] in ("critical", "warning", "info")
    summary = re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels.get(m.group(1), ""), rule["annotations"]["summary"])
    assert "{{" not in summary, summary
    return {"exp_labels": labels,
            "exp_annotations": {"summary": summary, "runbook_url": rule["annotations"]["runbook_url"]}}


def run_promtool_tests(test_copy, tmp_path, tests, evaluation_interval="1m"):
    # promtool evaluates the groups in no fixed order unless told. Prometheus runs each group on its own every 15 s, so
    # an alert reads recordings at most one interval old; at this test's coarse intervals (up to 30 m, beyond the 5 m
    # lookback) an alert evaluated before its recordings would read nothing: evaluate them in file order.
    order = [g["name"] for g in yaml.safe_load(test_copy.read_text(encoding="utf-8"))["groups"]]
    spec = {"rule_files": [str(test_copy)], "evaluation_interval": evaluation_interval, "group_eval_order": order,
            "tests": tests}
    path = tmp_path / "tests.yml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    r = subprocess.run([promtool(), "test", "rules", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def case(series, checks, interval="1m"):
    return {"interval": interval, "input_series": [{"series": s, "values": v} for s, v in series], "alert_rule_test": checks}


def check(name, at, alerts):
    return {"eval_time": at, "alertname": name, "exp_alerts": alerts}


# MARK: the platform, node, Loki, backup and Watchdog alerts (evaluated every minute)

def test_platform_alerts(rules, test_copy, tmp_path):
    e = lambda name, labels: expected(rules, name, labels)  # noqa: E731
    web = {"job": "web-ui", "instance": "10.0.0.4:8080", "pod": "incidents-web-ui-1"}
    fs = 'job="node-exporter",instance="node-1",device="/dev/sda1",fstype="ext4"'
    full = {"job": "node-exporter", "instance": "node-1", "device": "/dev/sda1", "fstype": "ext4", "mountpoint": "/"}
    filling = {**full, "mountpoint": "/var"}
    tests = [
        # down from 2m; `for: 2m` -> pending at 3m, firing from 4m; the healthy alert-ingestion target never fires.
        case([('up{job="web-ui",instance="10.0.0.4:8080",pod="incidents-web-ui-1"}', "1 1 0x10"),
              ('up{job="alert-ingestion",instance="10.0.0.1:8000",pod="incidents-alert-ingestion-1"}', "1x12")],
             [check("IncidentPlatformServiceDown", "3m", []),
              check("IncidentPlatformServiceDown", "5m", [e("IncidentPlatformServiceDown", web)])]),
        # 10 % 5xx on incident-management (bad), 1 % on web-ui (healthy); `for: 5m`.
        case([('http_requests_total{job="incident-management",service="incident-management",method="POST",code="500"}', "0+10x20"),
              ('http_requests_total{job="incident-management",service="incident-management",method="POST",code="201"}', "0+90x20"),
              ('http_requests_total{job="web-ui",service="web-ui",method="GET",code="503"}', "0+1x20"),
              ('http_requests_total{job="web-ui",service="web-ui",method="GET",code="200"}', "0+99x20")],
             [check("IncidentPlatformHighErrorRate", "4m", []),
              check("IncidentPlatformHighErrorRate", "10m", [e("IncidentPlatformHighErrorRate", {"job": "incident-management"})])]),
        # oncall-service: half the requests take 1-2.5 s, p99 ~2.5 s (bad); web-ui: all under 0.5 s. `for: 10m`.
        case([('http_request_duration_seconds_bucket{job="oncall-service",le="0.5"}', "0x30"),
              ('http_request_duration_seconds_bucket{job="oncall-service",le="1"}', "0+50x30"),
              ('http_request_duration_seconds_bucket{job="oncall-service",le="2.5"}', "0+100x30"),
              ('http_request_duration_seconds_bucket{job="oncall-service",le="+Inf"}', "0+100x30"),
              ('http_request_duration_seconds_bucket{job="web-ui",le="0.5"}', "0+100x30"),
              ('http_request_duration_seconds_bucket{job="web-ui",le="1"}', "0+100x30"),
              ('http_request_duration_seconds_bucket{job="web-ui",le="+Inf"}', "0+100x30")],
             [check("IncidentPlatformHighLatency", "8m", []),
              check("IncidentPlatformHighLatency", "15m", [e("IncidentPlatformHighLatency", {"job": "oncall-service"})])]),
        # every job has a target except loki; `for: 10m`.
        case([(f'up{{job="{job}",instance="i"}}', "1x20")
              for job in ["alert-ingestion", "incident-management", "oncall-service", "web-ui", "node-exporter",
                          "postgres", "alertmanager"]],
             [check("IncidentPlatformTargetMissing", "5m", []),
              check("IncidentPlatformTargetMissing", "15m", [e("IncidentPlatformTargetMissing", {"job": "loki"})])]),
        # / has 5 % free (bad), /data 50 % (healthy), a full tmpfs is ignored; `for: 15m`.
        case([(f'node_filesystem_avail_bytes{{{fs},mountpoint="/"}}', "5x30"),
              (f'node_filesystem_size_bytes{{{fs},mountpoint="/"}}', "100x30"),
              (f'node_filesystem_avail_bytes{{{fs},mountpoint="/data"}}', "50x30"),
              (f'node_filesystem_size_bytes{{{fs},mountpoint="/data"}}', "100x30"),
              ('node_filesystem_avail_bytes{job="node-exporter",instance="node-1",device="tmpfs",fstype="tmpfs",mountpoint="/dev/shm"}', "0x30"),
              ('node_filesystem_size_bytes{job="node-exporter",instance="node-1",device="tmpfs",fstype="tmpfs",mountpoint="/dev/shm"}', "100x30")],
             [check("NodeFilesystemAlmostFull", "10m", []),
              check("NodeFilesystemAlmostFull", "20m", [e("NodeFilesystemAlmostFull", full)])]),
        # /var: 30 % free, losing 30 units a minute (full in ~17 h): bad. /: 30 % free and stable; /data: filling as
        # fast but 80 % free: both healthy. `for: 1h`.
        case([(f'node_filesystem_avail_bytes{{{fs},mountpoint="/var"}}', "30000-30x120"),
              (f'node_filesystem_size_bytes{{{fs},mountpoint="/var"}}', "100000x120"),
              (f'node_filesystem_avail_bytes{{{fs},mountpoint="/"}}', "30000x120"),
              (f'node_filesystem_size_bytes{{{fs},mountpoint="/"}}', "100000x120"),
              (f'node_filesystem_avail_bytes{{{fs},mountpoint="/data"}}', "80000-60x120"),
              (f'node_filesystem_size_bytes{{{fs},mountpoint="/data"}}', "100000x120")],
             [check("NodeFilesystemFillingUp", "30m", []),
              check("NodeFilesystemFillingUp", "90m", [e("NodeFilesystemFillingUp", filling)])]),
        # node-1 has 5 % memory available (bad), node-2 50 %; `for: 15m`.
        case([('node_memory_MemAvailable_bytes{job="node-exporter",instance="node-1"}', "5x30"),
              ('node_memory_MemTotal_bytes{job="node-exporter",instance="node-1"}', "100x30"),
              ('node_memory_MemAvailable_bytes{job="node-exporter",instance="node-2"}', "50x30"),
              ('node_memory_MemTotal_bytes{job="node-exporter",instance="node-2"}', "100x30")],
             [check("NodeMemoryLow", "10m", []),
              check("NodeMemoryLow", "20m", [e("NodeMemoryLow", {"job": "node-exporter", "instance": "node-1"})])]),
        # pushes fail 20 % (bad), queries 1 % (healthy); `for: 15m`.
        case([('loki_request_duration_seconds_count{job="loki",route="loki_api_v1_push",method="POST",status_code="500",ws="false"}', "0+20x30"),
              ('loki_request_duration_seconds_count{job="loki",route="loki_api_v1_push",method="POST",status_code="204",ws="false"}', "0+80x30"),
              ('loki_request_duration_seconds_count{job="loki",route="loki_api_v1_query_range",method="GET",status_code="500",ws="false"}', "0+1x30"),
              ('loki_request_duration_seconds_count{job="loki",route="loki_api_v1_query_range",method="GET",status_code="200",ws="false"}', "0+99x30")],
             [check("LokiRequestErrors", "10m", []),
              check("LokiRequestErrors", "20m", [e("LokiRequestErrors", {"job": "loki", "route": "loki_api_v1_push"})])]),
        # promtool's clock starts at 0: a backup at -200000 s is older than 2 days; one updated every minute is fresh.
        case([('incidentops_backup_last_success_timestamp_seconds{job="backup",instance="old"}', "-200000x30"),
              ('incidentops_backup_last_success_timestamp_seconds{job="backup",instance="fresh"}', "0+60x30")],
             [check("IncidentPlatformDatabaseBackupTooOld", "10m", []),
              check("IncidentPlatformDatabaseBackupTooOld", "20m",
                    [e("IncidentPlatformDatabaseBackupTooOld", {"job": "backup", "instance": "old"})])]),
        # Watchdog fires from the first evaluation, with no series at all.
        case([], [check("Watchdog", "0m", [e("Watchdog", {})]), check("Watchdog", "10m", [e("Watchdog", {})])]),
    ]
    run_promtool_tests(test_copy, tmp_path, tests)


def test_healthy_series_raise_nothing_but_the_watchdog(rules, test_copy, tmp_path):
    jobs = ["alert-ingestion", "incident-management", "oncall-service", "web-ui", "node-exporter", "loki", "postgres",
            "alertmanager"]
    series = [(f'up{{job="{j}",instance="i"}}', "1x40") for j in jobs]
    for j in jobs[:4]:
        series += [(f'http_requests_total{{job="{j}",code="200"}}', "0+1000x40"),
                   (f'http_requests_total{{job="{j}",code="500"}}', "0x40"),
                   (f'http_request_duration_seconds_bucket{{job="{j}",le="0.5"}}', "0+1000x40"),
                   (f'http_request_duration_seconds_bucket{{job="{j}",le="+Inf"}}', "0+1000x40"),
                   (f'http_request_duration_seconds_count{{job="{j}"}}', "0+1000x40")]
    series += [('node_filesystem_avail_bytes{job="node-exporter",instance="n",device="d",fstype="ext4",mountpoint="/"}', "60x40"),
               ('node_filesystem_size_bytes{job="node-exporter",instance="n",device="d",fstype="ext4",mountpoint="/"}', "100x40"),
               ('node_memory_MemAvailable_bytes{job="node-exporter",instance="n"}', "60x40"),
               ('node_memory_MemTotal_bytes{job="node-exporter",instance="n"}', "100x40"),
               ('loki_request_duration_seconds_count{job="loki",route="r",status_code="200"}', "0+100x40"),
               ('incidentops_backup_last_success_timestamp_seconds{job="backup"}', "0+60x40"),
               ('pg_up{job="postgres",instance="i"}', "1x40"),
               ('pg_stat_activity_count{job="postgres",instance="i",datname="incidents",state="idle"}', "10x40"),
               ('pg_settings_max_connections{job="postgres",instance="i"}', "100x40"),
               ('alertmanager_notifications_failed_total{job="alertmanager",instance="i",integration="webhook"}', "3x40")]
    series += volume("incidents-prometheus", available="60000x40", capacity="100000x40", used="40000x40")
    names = sorted({r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r} - {"Watchdog"})
    run_promtool_tests(test_copy, tmp_path, [case(series, [check(n, "35m", []) for n in names])])


# MARK: PostgreSQL (postgres_exporter, job postgres) and Alertmanager (its own metrics, job alertmanager)

def test_postgres_and_alertmanager_alerts(rules, test_copy, tmp_path):
    e = lambda name, labels: expected(rules, name, labels)  # noqa: E731
    db = {"job": "postgres", "instance": "10.0.0.9:9187", "pod": "incidents-postgres-1"}
    sel = 'job="postgres",instance="10.0.0.9:9187",pod="incidents-postgres-1"'
    other = 'job="postgres",instance="10.0.0.8:9187",pod="incidents-postgres-2"'
    tests = [
        # the exporter loses the server at 2m (bad); another instance stays up; `for: 1m` -> firing from 3m on.
        case([(f"pg_up{{{sel}}}", "1 1 0x10"), (f"pg_up{{{other}}}", "1x12")],
             [check("PostgresDown", "2m", []),
              check("PostgresDown", "4m", [e("PostgresDown", db)])]),
        # 85 of 100 connections over two databases and states (bad) vs 50 of 100 (healthy); `for: 5m`.
        case([(f'pg_stat_activity_count{{{sel},datname="incidents",state="active"}}', "40x20"),
              (f'pg_stat_activity_count{{{sel},datname="incidents",state="idle"}}', "40x20"),
              (f'pg_stat_activity_count{{{sel},datname="postgres",state="idle"}}', "5x20"),
              (f"pg_settings_max_connections{{{sel}}}", "100x20"),
              (f'pg_stat_activity_count{{{other},datname="incidents",state="idle"}}', "50x20"),
              (f"pg_settings_max_connections{{{other}}}", "100x20")],
             [check("PostgresTooManyConnections", "3m", []),
              check("PostgresTooManyConnections", "10m",
                    [e("PostgresTooManyConnections", {"instance": "10.0.0.9:9187"})])]),
        # webhook notifications keep failing (bad); email failed once long ago and no more (healthy); `for: 5m`.
        case([('alertmanager_notifications_failed_total{job="alertmanager",instance="10.0.0.5:9093",integration="webhook"}', "0+2x30"),
              ('alertmanager_notifications_failed_total{job="alertmanager",instance="10.0.0.5:9093",integration="email"}', "1x30")],
             [check("AlertmanagerFailedToSendNotifications", "3m", []),
              check("AlertmanagerFailedToSendNotifications", "15m",
                    [e("AlertmanagerFailedToSendNotifications",
                       {"job": "alertmanager", "instance": "10.0.0.5:9093", "integration": "webhook"})])]),
    ]
    run_promtool_tests(test_copy, tmp_path, tests)


# MARK: persistent volume alerts (kubelet volume stats of the platform's namespace)

def volume(claim, available, capacity, used, namespace=NAMESPACE):
    labels = f'job="kubelet",instance="node-1",namespace="{namespace}",persistentvolumeclaim="{claim}"'
    return [(f"kubelet_volume_stats_available_bytes{{{labels}}}", available),
            (f"kubelet_volume_stats_capacity_bytes{{{labels}}}", capacity),
            (f"kubelet_volume_stats_used_bytes{{{labels}}}", used)]


def volume_labels(claim):
    return {"job": "kubelet", "instance": "node-1", "namespace": NAMESPACE, "persistentvolumeclaim": claim}


def by_severity(rules, name, severity, series_labels):
    """`expected` for one of the rules sharing a name (KubePersistentVolumeAlmostFull is critical and warning)."""
    found = [r for g in rules["groups"] for r in g["rules"] if r.get("alert") == name]
    assert sorted(r["labels"]["severity"] for r in found) == ["critical", "warning"]
    rule = next(r for r in found if r["labels"]["severity"] == severity)
    labels = {**series_labels, **rule["labels"]}
    summary = re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels.get(m.group(1), ""), rule["annotations"]["summary"])
    return {"exp_labels": labels,
            "exp_annotations": {"summary": summary, "runbook_url": rule["annotations"]["runbook_url"]}}


def test_volume_alerts(rules, test_copy, tmp_path):
    full = "KubePersistentVolumeAlmostFull"
    filling = "KubePersistentVolumeFillingUp"
    for name in (full, filling):
        assert all(f'namespace="{NAMESPACE}"' in r["expr"] for g in rules["groups"] for r in g["rules"]
                   if r.get("alert") == name)
    tests = [
        # postgres 2 % free -> critical only; loki 5 % -> warning only; grafana 50 % healthy; a claim of another
        # namespace 1 % free and an unused volume (used 0) are ignored. `for: 5m`.
        case(volume("incidents-postgres", "2x20", "100x20", "98x20")
             + volume("incidents-loki", "5x20", "100x20", "95x20")
             + volume("incidents-grafana", "50x20", "100x20", "50x20")
             + volume("other", "1x20", "100x20", "99x20", namespace="someone-else")
             + volume("incidents-unused", "1x20", "100x20", "0x20"),
             [check(full, "3m", []),
              check(full, "10m", [by_severity(rules, full, "critical", volume_labels("incidents-postgres")),
                                  by_severity(rules, full, "warning", volume_labels("incidents-loki"))])]),
        # postgres: 14 % free, losing 10 units a minute (full in ~23 h): bad. loki: 14 % free and stable; grafana:
        # filling as fast but 50 % free; another namespace's claim filling: all silent. `for: 1h`.
        case(volume("incidents-postgres", "14000-10x120", "100000x120", "86000+10x120")
             + volume("incidents-loki", "14000x120", "100000x120", "86000x120")
             + volume("incidents-grafana", "50000-10x120", "100000x120", "50000+10x120")
             + volume("other", "14000-10x120", "100000x120", "86000+10x120", namespace="someone-else"),
             [check(filling, "30m", []),
              check(filling, "90m", [expected(rules, filling, volume_labels("incidents-postgres"))])]),
    ]
    run_promtool_tests(test_copy, tmp_path, tests)


# MARK: SLO burn-rate alerts (web-ui: availability 99.9 % -> budget 0.001; latency 99 % under 0.5 s -> budget 0.01).
# Samples every minute, evaluations every 5 minutes for the page tests; samples every 10 minutes and evaluations
# every 30 minutes for the multi-day ticket tests (their windows are 2 h and longer): the file runs in about 30 s.

PAGE, TICKET = "IncidentPlatformSLOBurnRatePage", "IncidentPlatformSLOBurnRateTicket"
AVAILABILITY = {"sloth_id": "web-ui-availability", "sloth_service": "web-ui", "sloth_slo": "availability"}
LATENCY = {"sloth_id": "web-ui-latency", "sloth_service": "web-ui", "sloth_slo": "latency"}


def traffic(ok, errors):
    return [('http_requests_total{job="web-ui",code="200"}', ok), ('http_requests_total{job="web-ui",code="500"}', errors)]


def slo_alert(rules, name, labels):
    return expected(rules, name, labels, sloth_id=labels["sloth_id"])


def test_page_fast_pair_1h_and_5m(rules, test_copy, tmp_path):
    # 6 h without errors, then 2 % errors (14.4 x 0.001 = 1.44 %): the 1h ratio crosses 1.44 % after ~43 min;
    # the 6h ratio stays ~0.3 % (< 6 x 0.001), so only the 1h/5m pair can page.
    page = slo_alert(rules, PAGE, AVAILABILITY)
    run_promtool_tests(test_copy, tmp_path, [case(
        traffic("0+1000x480", "0x360 0+20x120"),
        [check(PAGE, "6h", []), check(PAGE, "6h30m", []), check(PAGE, "7h", [page])])], evaluation_interval="5m")


def test_page_fast_pair_needs_the_short_window_too(rules, test_copy, tmp_path):
    # 3 % errors for 50 minutes, then none for 20: during the burst both windows burn and it pages; 10 minutes after
    # it the 1h ratio (~2 %) still burns but the 5m one does not: no page (the alert resolves).
    page = slo_alert(rules, PAGE, AVAILABILITY)
    run_promtool_tests(test_copy, tmp_path, [case(
        traffic("0+1000x480", "0x360 0+30x50 1500x70"),
        [check(PAGE, "6h50m", [page]), check(PAGE, "7h10m", [])])], evaluation_interval="5m")


def test_page_needs_the_long_window_too(rules, test_copy, tmp_path):
    # 10 % errors during the last 5 minutes only: the 5m and 30m ratios burn, the 1h (0.8 %) and 6h do not.
    run_promtool_tests(test_copy, tmp_path, [case(
        traffic("0+1000x420", "0x414 0+100x6"),
        [check(PAGE, "7h", [])])], evaluation_interval="5m")


def test_page_slow_pair_6h_and_30m(rules, test_copy, tmp_path):
    # a steady 1 %: below 14.4 x budget over 1h, above 6 x budget (0.6 %) over 6h and 30m -> page from that pair alone;
    # a steady 0.5 % pages nobody.
    page = slo_alert(rules, PAGE, AVAILABILITY)
    run_promtool_tests(test_copy, tmp_path, [
        case(traffic("0+990x480", "0+10x480"), [check(PAGE, "7h", [page])]),
        case(traffic("0+995x480", "0+5x480"), [check(PAGE, "7h", [])]),
    ], evaluation_interval="5m")


def test_ticket_pair_1d_and_2h(rules, test_copy, tmp_path):
    # 2 days of heavy clean traffic, then a day of 0.5 % errors on a tenth of it: over 1d and 2h 0.5 % > 3 x 0.001,
    # over 3d only 0.024 % (< 1 x 0.001): the ticket comes from the 1d/2h pair alone; 6h and 1h stay under the page
    # thresholds.
    ticket = slo_alert(rules, TICKET, AVAILABILITY)
    run_promtool_tests(test_copy, tmp_path, [case(
        traffic("0+100000x288 28800000+9950x150", "0x288 0+50x150"),
        [check(TICKET, "2d", []), check(TICKET, "3d", [ticket]), check(PAGE, "3d", [])], interval="10m")],
        evaluation_interval="30m")


def test_ticket_pair_3d_and_6h(rules, test_copy, tmp_path):
    # a steady 0.15 %: under 3 x 0.001 over 2h, over 1 x 0.001 over 6h and 3d -> the ticket from that pair alone;
    # a steady 0.05 % raises nothing.
    ticket = slo_alert(rules, TICKET, AVAILABILITY)
    run_promtool_tests(test_copy, tmp_path, [
        case(traffic("0+9985x440", "0+15x440"), [check(TICKET, "3d", [ticket]), check(PAGE, "3d", [])], interval="10m"),
        case(traffic("0+9995x440", "0+5x440"), [check(TICKET, "3d", []), check(PAGE, "3d", [])], interval="10m"),
    ], evaluation_interval="30m")


def test_latency_slo_counts_the_threshold_bucket(rules, test_copy, tmp_path):
    # 20 % of the requests slower than 0.5 s for the last hour (latency budget 0.01, 14.4 x = 14.4 %): page.
    page = slo_alert(rules, PAGE, LATENCY)
    run_promtool_tests(test_copy, tmp_path, [case(
        [('http_request_duration_seconds_count{job="web-ui"}', "0+1000x420"),
         ('http_request_duration_seconds_bucket{job="web-ui",le="0.5"}', "0+1000x360 360000+800x60"),
         ('http_request_duration_seconds_bucket{job="web-ui",le="1"}', "0+1000x420")],
        [check(PAGE, "6h", []), check(PAGE, "7h", [page])])], evaluation_interval="5m")
