"""`make chaos-smoke`: a few reliability scenarios at small scale, and the suite's own checks on made-up data."""
import json
import os
import random
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "chaos"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import chaos  # noqa: E402

BIN = os.environ.get("INCIDENT_OPERATOR_BIN", os.path.join(ROOT, ".build", "debug", "incident-operator"))


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """Runs `chaos/chaos.py` with CHAOS_SMOKE=1 (faults, kill and fuzz with a few platforms)."""
    out = tmp_path_factory.mktemp("chaos")
    results = out / "chaos.json"
    env = dict(os.environ, CHAOS_SMOKE="1", CHAOS_RESULTS=str(results), CHAOS_SEED="7",
               INCIDENT_OPERATOR_BIN=os.path.abspath(BIN), TMPDIR=str(out))
    run = subprocess.run([sys.executable, os.path.join(ROOT, "chaos", "chaos.py")], env=env, capture_output=True,
                         text=True, timeout=300)
    return run, json.loads(results.read_text()) if results.exists() else None


def test_smoke_scenarios_pass(smoke):
    run, results = smoke
    assert run.returncode == 0, f"chaos.py failed ({run.returncode}):\n{run.stdout}\n{run.stderr[-4000:]}"
    assert [s["scenario"] for s in results["scenarios"]] == ["faults", "kill", "fuzz"]
    assert all(s["passed"] for s in results["scenarios"])


def test_each_scenario_prints_one_summary_line(smoke):
    run, results = smoke
    lines = [line for line in run.stdout.splitlines() if line.startswith(("PASS ", "FAIL "))]
    assert [line.split()[1] for line in lines] == [s["scenario"] for s in results["scenarios"]]
    assert run.stdout.rstrip().splitlines()[-1].startswith("chaos: 3/3 scenarios passed (seed 7)")


def test_fuzz_outcomes_add_up(smoke):
    _, results = smoke
    fuzz = next(s for s in results["scenarios"] if s["scenario"] == "fuzz")["details"]
    assert fuzz["specs"] == 30  # CHAOS_SMOKE's size
    assert fuzz["accepted"] + sum(fuzz["rejected"].values()) == fuzz["specs"]
    assert sum(fuzz["outcome"].values()) == fuzz["accepted"]


def test_mutations_are_seeded_and_change_the_spec():
    base = {"services": {"webUI": {"replicas": 1, "image": "x:1", "env": [{"name": "A", "value": "b"}]}},
            "database": {"storage": {"size": "10Gi"}}}
    first = [chaos.mutate(base, random.Random(3)) for _ in range(1)]
    again = [chaos.mutate(base, random.Random(3)) for _ in range(1)]
    assert first == again
    rng = random.Random(11)
    specs = [chaos.mutate(base, rng)[0] for _ in range(50)]
    assert sum(spec != base for spec in specs) >= 45  # a removal of an absent key may leave one unchanged
    assert base["services"]["webUI"]["replicas"] == 1  # the base is never modified


def _samples(rss, fds=10, threads=8):
    return [(float(i), r, threads, fds) for i, r in enumerate(rss)]


def test_soak_verdict_flags_rss_growth_and_accepts_a_plateau():
    assert chaos.soak_verdict(_samples([30.0] * 20 + [31.0] * 40))["problems"] == []
    growing = chaos.soak_verdict(_samples([30.0 + i for i in range(60)]))
    assert any("RSS grew" in p for p in growing["problems"])


def test_soak_verdict_flags_fd_and_thread_growth():
    samples = [(float(i), 30.0, 8 if i < 30 else 9, 10 if i < 30 else 12) for i in range(60)]
    problems = chaos.soak_verdict(samples)["problems"]
    assert any("file descriptors grew" in p for p in problems)
    assert any("threads grew" in p for p in problems)


class _Log:
    def __init__(self, label, entries):
        self.label, self.entries = label, entries

    def log(self):
        return self.entries


def test_overlap_check_finds_a_write_by_the_replica_without_the_lease():
    a = _Log("a", [{"t": 1.0, "method": "PUT", "path": "/leases/x", "holder": "a_1"},
                   {"t": 2.0, "method": "PATCH", "path": "/apis/apps/v1/deployments/d"},
                   {"t": 12.0, "method": "PATCH", "path": "/apis/apps/v1/deployments/d"}])
    b = _Log("b", [{"t": 10.0, "method": "PUT", "path": "/leases/x", "holder": "b_1"},
                   {"t": 11.0, "method": "PATCH", "path": "/apis/apps/v1/deployments/e"}])
    leases = [(1.1, "a_1", "1970-01-01T00:00:01.000000Z"), (10.1, "b_1", "1970-01-01T00:00:10.000000Z")]
    violations, checked = chaos._overlaps([a, b], leases, end=100.0)
    assert checked == 3
    assert [(v[0], v[3]) for v in violations] == [("a", 12.0)]


def test_overlap_check_without_acquire_time_uses_the_lease_write_sent():
    a = _Log("a", [{"t": 1.0, "method": "PUT", "path": "/leases/x", "holder": "a_1"},
                   {"t": 1.001, "method": "PATCH", "path": "/api/v1/configmaps/c"}])
    violations, checked = chaos._overlaps([a], [(1.5, "a_1", None)], end=100.0)
    assert (violations, checked) == ([], 1)


def test_audit_log_check_allows_the_second_of_a_takeover_and_flags_a_later_write(tmp_path):
    a = _Log("replica-a", [{"t": 100.2, "method": "PUT", "path": "/leases/x", "holder": "a_1"}])
    b = _Log("replica-b", [{"t": 110.5, "method": "PUT", "path": "/leases/x", "holder": "b_1"}])
    leases = [(100.3, "a_1", None), (110.6, "b_1", None)]
    audit = tmp_path / "audit.jsonl"
    entries = [("replica-a", "1970-01-01T00:01:45Z"),   # 105: a holds the lease
               ("replica-a", "1970-01-01T00:01:50Z"),   # 110: b takes over at 110.5, a still held it before
               ("replica-b", "1970-01-01T00:01:50Z"),   # 110: b's first write in the second it took over
               ("replica-a", "1970-01-01T00:01:52Z"),   # 112: only b holds it
               ("system:admin", "1970-01-01T00:01:52Z")]  # the harness itself is not checked
    audit.write_text("".join(json.dumps({"user": u, "time": t, "verb": "APPLY", "resource": "deployments",
                                         "name": "d"}) + "\n" for u, t in entries))
    checked, violations = chaos._audit_overlaps(str(audit), [a, b], leases, end=1000.0)
    assert checked == 4
    assert [(v[0], v[4]) for v in violations] == [("replica-a", "1970-01-01T00:01:52Z")]
