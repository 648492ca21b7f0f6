"""`make bench-smoke`: the benchmark harness end to end at tiny sizes (one run), and its report writer.

No timing assertions: these tests check that every suite runs against the sandbox and the operator and that
bench/results.json and the BENCHMARKS.md table come out well-formed.
"""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import report  # noqa: E402

BIN = os.environ.get("INCIDENT_OPERATOR_BIN", os.path.join(ROOT, ".build", "debug", "incident-operator"))
PLATFORM_BIN = os.environ.get("INCIDENT_PLATFORM_BIN", os.path.join(ROOT, ".build", "debug", "incident-platform"))


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """Runs `bench/bench.py` with BENCH_SMOKE=1 into a temporary results file and report."""
    out = tmp_path_factory.mktemp("bench")
    results, markdown = out / "results.json", out / "BENCHMARKS.md"
    markdown.write_text("# Benchmarks\n\nProse before.\n\n" + report.BEGIN + "\nold table\n" + report.END
                        + "\n\nProse after.\n")
    assert os.path.exists(PLATFORM_BIN), (f"{PLATFORM_BIN} is missing (the services suite runs it): "
                                          "`swift build --product incident-platform` or set INCIDENT_PLATFORM_BIN")
    env = dict(os.environ, BENCH_SMOKE="1", BENCH_RESULTS=str(results), BENCH_REPORT=str(markdown),
               INCIDENT_OPERATOR_BIN=os.path.abspath(BIN), INCIDENT_PLATFORM_BIN=os.path.abspath(PLATFORM_BIN),
               TMPDIR=str(out))
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "bench.py")], env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, f"bench.py failed ({run.returncode}):\n{run.stderr[-4000:]}"
    return json.loads(results.read_text()), markdown.read_text(), run.stdout


def _is_summary(s):
    return isinstance(s, dict) and s["n"] >= 1 and s["min"] <= s["median"] <= s["max"]


def test_results_have_machine_and_config(smoke):
    results, _, _ = smoke
    assert results["smoke"] is True
    assert results["machine"]["cores"] >= 1 and results["machine"]["memory_gib"] > 0 and results["machine"]["os"]
    assert results["config"]["suites"] == ["render", "latency", "scale", "steady", "peer", "limit", "services"]


def test_render_suite(smoke):
    r = smoke[0]["render"]
    assert r["platforms"] == results_config(smoke)["render_platforms"]
    assert r["objects"] > r["platforms"]
    for key in ("seconds", "per_platform_us", "objects_per_second", "one_platform_seconds"):
        assert _is_summary(r[key]), key


def test_latency_suite(smoke):
    lat = smoke[0]["latency"]
    assert len(lat["children_applied_ms"]["values"]) == lat["trials"] == results_config(smoke)["latency_trials"]
    assert lat["children_per_platform"] > 0
    for key in ("children_applied_ms", "ready_ms"):
        p = lat[key]
        assert p["min"] <= p["p50"] <= p["p95"] <= p["max"]


def test_scale_suite_counts_requests_memory_and_cpu(smoke):
    (scale,) = smoke[0]["scale"]
    assert scale["platforms"] == results_config(smoke)["scale"][0]
    for key in ("all_ready_seconds", "requests_per_platform", "writes_per_platform", "peak_rss_mb",
                "settled_rss_mb", "idle_rss_mb", "cpu_seconds_per_platform", "children_per_second"):
        assert _is_summary(scale[key]), key
    # the operator must have applied something: at least one write per child
    assert scale["writes_per_platform"]["median"] >= scale["children_per_platform"]
    assert "APPLY" in scale["requests_per_platform_by_verb"] or "POST" in scale["requests_per_platform_by_verb"]
    assert scale["peak_rss_mb"]["median"] >= scale["idle_rss_mb"]["median"] > 0


def test_steady_state_window(smoke):
    steady = smoke[0]["steady"]
    assert steady["platforms"] == results_config(smoke)["scale"][-1]
    assert steady["window_seconds"] == results_config(smoke)["steady_seconds"]
    assert isinstance(steady["writes"], int) and isinstance(steady["restart_sync_writes"], int)
    assert steady["idle_cpu_percent"] >= 0


def test_peer_and_limit(smoke):
    results = smoke[0]
    (peer,) = results["peer"]
    assert peer["objects"] > 0 and _is_summary(peer["kubectl_apply_seconds"])
    assert peer["requests_per_object"]["median"] >= 1  # at least the apply of each object
    assert _is_summary(results["limit"]["applies_per_second"])
    (comparison,) = results["derived"]["peer"]
    assert comparison["ratio_operator_over_kubectl"] > 0


def test_targets_have_a_verdict_for_each_measured_figure(smoke):
    targets = smoke[0]["targets"]
    names = [t["name"] for t in targets]
    assert any(n.startswith("one platform applied") for n in names)
    assert any(n.startswith("writes in steady state") for n in names)
    for t in targets:
        assert (t["measured"] is None) == (t["met"] is None), t


def test_services_suite_ingests_alerts_and_measures_pgbench(smoke):
    s = smoke[0]["services"]
    assert s["runs"] == 1 and s["clients"] == results_config(smoke)["services_clients"]
    for key in ("alerts_per_second", "requests_per_second", "p50_ms", "p99_ms", "pgbench_tps", "fraction_of_pgbench"):
        assert _is_summary(s[key]), key
    run = s["per_run"][0]
    assert run["alerts"] == run["opened"] + run["repeated"] > 0
    assert run["opened"] == run["repeated"]  # half of each webhook repeats alerts already sent
    assert run["p50_ms"] <= run["p99_ms"] <= run["max_ms"]
    assert run["pgbench_failed"] == 0 and run["pgbench_tps"] > 0
    for component in ("alert-ingestion", "incident-management", "oncall-service", "web-ui"):
        assert _is_summary(s["idle_rss_mb"][component]) and s["idle_rss_mb"][component]["median"] > 0, component
    for component in ("alert-ingestion", "incident-management"):
        assert s["load_rss_peak_mb"][component]["median"] > 0, component
    names = [t["name"] for t in smoke[0]["targets"] if t.get("section") == "services"]
    assert "alert ingestion throughput" in names and "idle RSS, web-ui" in names
    _, markdown, _ = smoke
    assert "### Services: alert ingestion" in markdown and "| alerts ingested per second |" in markdown


def test_report_replaces_only_the_generated_block(smoke):
    _, markdown, stdout = smoke
    assert markdown.startswith("# Benchmarks\n\nProse before.\n")
    assert markdown.rstrip().endswith("Prose after.")
    assert "old table" not in markdown
    assert markdown.count(report.BEGIN) == 1 and markdown.count(report.END) == 1
    assert "| Target | Goal | Measured | Met |" in markdown
    assert "Smoke run" in markdown
    assert "| render:" in stdout


def results_config(smoke):
    return smoke[0]["config"]
