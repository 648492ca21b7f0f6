"""`incident-operator dev --exit-when-ready`: sandbox, CRD, example and operator in one process."""
import os
import re
import subprocess

BIN = os.environ.get("INCIDENT_OPERATOR_BIN", ".build/debug/incident-operator")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMPONENTS = ["alert-ingestion", "grafana", "incident-management", "loki", "node-exporter", "oncall-service",
              "postgres", "prometheus", "promtail", "web-ui"]


def run_dev(*args):
    return subprocess.run([os.path.abspath(BIN) if os.path.exists(BIN) else BIN, "dev", "--exit-when-ready", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_dev_converges_the_example_and_prints_the_table():
    r = run_dev("--timeout", "60s")
    assert r.returncode == 0, f"dev failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    out = r.stdout
    assert "installed CRD incidentplatforms.incidentops.io" in out
    assert "IncidentPlatform incident-platform/incidents" in out
    assert re.search(r"phase Ready, ready 11/11", out), out
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in COMPONENTS:
            rows[parts[0]] = (int(parts[1]), int(parts[2]))
    assert sorted(rows) == COMPONENTS, out
    assert all(ready == desired and desired >= 1 for ready, desired in rows.values()), rows
    kubeconfig = re.search(r"^kubeconfig: (\S+)$", out, re.M)
    assert kubeconfig, out
    assert os.path.isfile(kubeconfig.group(1))
    assert f"export KUBECONFIG={kubeconfig.group(1)}" in out
    assert "kubectl get incidentplatforms -n incident-platform" in out


def test_dev_rejects_a_missing_file():
    r = run_dev("--file", "does-not-exist.yaml")
    assert r.returncode == 1
    assert "does-not-exist.yaml" in r.stderr
