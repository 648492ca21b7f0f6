"""The chart's RBAC, enforced by the sandbox (`--rbac`): as the chart's ServiceAccount, what the operator's code
does is allowed and anything else is 403 Forbidden; and the operator itself (`incident-operator run` with that
ServiceAccount's token) reconciles the example platform to Ready without a single denied call, with the default
ClusterRole and in namespace-scoped mode, started with the args the chart gives its container."""
import json
import pathlib
import subprocess
import time

import pytest

from helpers.delivery import BIN, OPERATOR_CHART, ROOT, install, objects, one
from test_sandbox_support import Sandbox

OPERATOR = "system:serviceaccount:incident-operator:incident-operator"
SCOPED = "system:serviceaccount:ops-scoped:scoped-incident-operator"
TOKENS = {OPERATOR: "operator-token", SCOPED: "scoped-token"}

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata: {{name: probe, namespace: {namespace}}}
data: {{a: b}}
"""


def chart_args(release):
    """The operator container's args from a release's rendered Deployment."""
    return one(objects(release["manifest"]), "Deployment")["spec"]["template"]["spec"]["containers"][0]["args"]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sandbox-rbac-chart")
    tokens = [arg for user, token in TOKENS.items() for arg in ("--token", f"{token}={user}")]
    s = Sandbox(workdir, "--rbac", "--audit-log", str(workdir / "audit.jsonl"), *tokens).start()
    s.audit_log = workdir / "audit.jsonl"
    s.container_args = {}
    s.container_args[OPERATOR] = chart_args(install(s, "incident-operator", OPERATOR_CHART, "incident-operator"))
    s.kubectl("create", "namespace", "team-a")
    s.container_args[SCOPED] = chart_args(install(s, "scoped", OPERATOR_CHART, "ops-scoped",
                                                  {"watchNamespace": "team-a"}))
    s.kubectl("create", "namespace", "team-b")
    yield s
    s.stop()


def as_user(sandbox, user, *args, input=None):
    return sandbox.kubectl("--as", user, *args, check=False, input=input)


def allowed(run):
    assert run.returncode == 0, run.stderr
    return True


def forbidden(run):
    return run.returncode != 0 and "forbidden" in run.stderr.lower()


def denials(sandbox, user):
    """Audit-log lines of the user's writes that were answered 403."""
    if not sandbox.audit_log.exists():
        return []
    lines = [json.loads(line) for line in sandbox.audit_log.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if line.get("user") == user and line.get("code") == 403]


def test_operator_may_do_what_its_code_does(sandbox):
    assert allowed(as_user(sandbox, OPERATOR, "get", "incidentplatforms.incidentops.io", "-A"))
    assert allowed(as_user(sandbox, OPERATOR, "-n", "team-b", "get",
                           "deployments,daemonsets,services,configmaps,secrets,pvc,hpa,pdb,networkpolicies"))
    assert allowed(as_user(sandbox, OPERATOR, "apply", "--server-side", "-f", "-",
                           input=CONFIGMAP.format(namespace="team-b")))
    assert allowed(as_user(sandbox, OPERATOR, "-n", "team-b", "delete", "configmap", "probe"))
    assert allowed(as_user(sandbox, OPERATOR, "get", "clusterroles,clusterrolebindings,nodes"))
    assert as_user(sandbox, OPERATOR, "auth", "can-i", "update", "leases", "-n", "incident-operator").stdout.strip() \
        == "yes"
    assert denials(sandbox, OPERATOR) == []


def test_operator_may_not_do_anything_else(sandbox):
    assert forbidden(as_user(sandbox, OPERATOR, "get", "statefulsets", "-A"))
    assert forbidden(as_user(sandbox, OPERATOR, "-n", "team-b", "get", "leases"))
    assert forbidden(as_user(sandbox, OPERATOR, "delete", "namespace", "team-b"))
    assert forbidden(as_user(sandbox, OPERATOR, "-n", "team-b", "patch", "deployment", "x", "--type=merge", "-p",
                             "{}", "--subresource=scale"))
    assert as_user(sandbox, OPERATOR, "auth", "can-i", "escalate", "clusterroles").stdout.strip() == "no"
    assert as_user(sandbox, OPERATOR, "auth", "can-i", "get", "secrets", "-n", "kube-system").stdout.strip() == "yes"
    assert as_user(sandbox, OPERATOR, "auth", "can-i", "list", "leases", "-A").stdout.strip() == "no"


def test_namespace_scoped_operator_stays_in_its_namespace(sandbox):
    assert allowed(as_user(sandbox, SCOPED, "-n", "team-a", "get", "incidentplatforms.incidentops.io,deployments"))
    assert allowed(as_user(sandbox, SCOPED, "apply", "--server-side", "-f", "-",
                           input=CONFIGMAP.format(namespace="team-a")))
    assert forbidden(as_user(sandbox, SCOPED, "-n", "team-b", "get", "deployments"))
    assert forbidden(as_user(sandbox, SCOPED, "get", "incidentplatforms.incidentops.io", "-A"))
    assert allowed(as_user(sandbox, SCOPED, "get", "clusterroles"))  # promtail's ClusterRole is cluster-scoped


def token_kubeconfig(sandbox, user, path):
    """A kubeconfig for the sandbox that authenticates with the user's bearer token (what a pod's token does)."""
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "sa",
        "clusters": [{"name": "sandbox", "cluster": {"server": sandbox.url}}],
        "users": [{"name": "sa", "user": {"token": TOKENS[user]}}],
        "contexts": [{"name": "sa", "context": {"cluster": "sandbox", "user": "sa"}}],
    }), encoding="utf-8")
    return path


def reconcile_to_ready(sandbox, user, namespace, workdir):
    """Runs the operator as `user`, with the args the chart gives its container (listening on free loopback
    ports instead), until the example platform in `namespace` is Ready (at most 90 s).

    Returns (phase, operator log)."""
    text = (ROOT / "examples" / "platform.yaml").read_text(encoding="utf-8")
    sandbox.kubectl("apply", "--server-side", "-f", "-", input=text.replace("namespace: incident-platform",
                                                                             f"namespace: {namespace}"))
    kubeconfig = token_kubeconfig(sandbox, user, workdir / "kubeconfig-sa")
    log_path = workdir / "operator.log"
    with open(log_path, "w") as log:
        args = [a for a in sandbox.container_args[user] if not a.startswith(("--metrics-bind-address",
                                                                             "--health-probe-bind-address"))]
        assert args[0] == "run"
        process = subprocess.Popen([BIN, *args, "--kubeconfig", str(kubeconfig),
                                    "--metrics-bind-address=127.0.0.1:0", "--health-probe-bind-address=127.0.0.1:0"],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 90
            phase = None
            while time.time() < deadline and phase != "Ready" and process.poll() is None:
                time.sleep(0.5)
                platform = sandbox.get_json("-n", namespace, "incidentplatforms.incidentops.io", "incidents")
                phase = platform.get("status", {}).get("phase")
        finally:
            process.terminate()
            process.wait(timeout=30)
    return phase, log_path.read_text(encoding="utf-8")


def test_operator_reconciles_the_example_to_ready_within_the_chart_rbac(sandbox, tmp_path):
    sandbox.kubectl("create", "namespace", "incident-platform")
    phase, log = reconcile_to_ready(sandbox, OPERATOR, "incident-platform", tmp_path)
    assert denials(sandbox, OPERATOR) == [], "writes the chart's RBAC does not allow"
    assert "forbidden" not in log.lower(), log
    assert phase == "Ready", log
    writes = {(line["verb"], "/".join(filter(None, [line["resource"], line.get("subresource")]))) for line in
              map(json.loads, sandbox.audit_log.read_text(encoding="utf-8").splitlines())
              if line.get("user") == OPERATOR and line.get("code", 500) < 300}
    assert {("APPLY", "deployments"), ("POST", "leases"), ("PATCH", "incidentplatforms/status")} <= writes, \
        sorted(writes)


def test_namespace_scoped_operator_reconciles_within_its_roles(sandbox, tmp_path):
    phase, log = reconcile_to_ready(sandbox, SCOPED, "team-a", tmp_path)
    assert denials(sandbox, SCOPED) == [], "writes the namespace-scoped RBAC does not allow"
    assert "forbidden" not in log.lower(), log
    assert phase == "Ready", log
    namespaces = {line.get("namespace") for line in
                  map(json.loads, sandbox.audit_log.read_text(encoding="utf-8").splitlines())
                  if line.get("user") == SCOPED}
    assert namespaces <= {"team-a", "ops-scoped", None, ""}, namespaces
