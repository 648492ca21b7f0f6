"""The chart's RBAC, enforced by the sandbox (`--rbac`, with RBAC escalation prevention): as the chart's
ServiceAccount, what the operator's code does is allowed and anything else is 403 Forbidden; the operator itself
(`incident-operator run` with that ServiceAccount's token) reconciles the example platform to Ready without a single
denied request (reads included, from the audit log), with the default ClusterRole and in namespace-scoped mode,
started with the args the chart gives its container; and with a copy of the chart's ClusterRole lacking `pods`
reads, the operator cannot create Prometheus' Role (which grants them): the escalation check is real."""
import json
import pathlib
import subprocess
import time

import pytest
import yaml

from helpers.delivery import BIN, OPERATOR_CHART, ROOT, install, objects, one
from helpers.rbac import AuditLog
from test_sandbox_support import Sandbox

OPERATOR = "system:serviceaccount:incident-operator:incident-operator"
SCOPED = "system:serviceaccount:ops-scoped:scoped-incident-operator"
NO_PODS = "system:serviceaccount:incident-operator:no-pods"
TOKENS = {OPERATOR: "operator-token", SCOPED: "scoped-token", NO_PODS: "no-pods-token"}
PODS_READ = '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list" "watch"]}'

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
    s.audit = AuditLog(workdir / "audit.jsonl")
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


def test_operator_may_do_what_its_code_does(sandbox):
    mark = sandbox.audit.mark()
    assert allowed(as_user(sandbox, OPERATOR, "get", "incidentplatforms.incidentops.io", "-A"))
    assert allowed(as_user(sandbox, OPERATOR, "-n", "team-b", "get",
                           "deployments,daemonsets,services,configmaps,secrets,pvc,hpa,pdb,networkpolicies"))
    assert allowed(as_user(sandbox, OPERATOR, "apply", "--server-side", "-f", "-",
                           input=CONFIGMAP.format(namespace="team-b")))
    assert allowed(as_user(sandbox, OPERATOR, "-n", "team-b", "delete", "configmap", "probe"))
    assert allowed(as_user(sandbox, OPERATOR, "get", "clusterroles,clusterrolebindings,nodes"))
    assert as_user(sandbox, OPERATOR, "auth", "can-i", "update", "leases", "-n", "incident-operator").stdout.strip() \
        == "yes"
    assert AuditLog.denied(sandbox.audit.since(mark), OPERATOR) == []


def test_operator_may_not_do_anything_else(sandbox):
    mark = sandbox.audit.mark()
    assert forbidden(as_user(sandbox, OPERATOR, "get", "statefulsets", "-A"))
    denied = AuditLog.denied(sandbox.audit.since(mark), OPERATOR)
    assert [(line["verb"], line["resource"], line["code"]) for line in denied] == [("LIST", "statefulsets", 403)], \
        "the audit log records denied reads"
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


def run_operator(sandbox, user, namespace, workdir, args, done, seconds=90):
    """Runs `incident-operator <args>` as `user` (a kubeconfig with its token), listening on free loopback ports
    instead of the chart's, on the example platform applied into `namespace`, until `done(platform, log)` holds
    (at most `seconds`).

    Returns (platform, operator log, the audit-log lines written meanwhile)."""
    text = (ROOT / "examples" / "platform.yaml").read_text(encoding="utf-8")
    sandbox.kubectl("apply", "--server-side", "-f", "-", input=text.replace("namespace: incident-platform",
                                                                             f"namespace: {namespace}"))
    kubeconfig = token_kubeconfig(sandbox, user, workdir / "kubeconfig-sa")
    log_path = workdir / "operator.log"
    mark = sandbox.audit.mark()
    with open(log_path, "w") as log:
        args = [a for a in args if not a.startswith(("--metrics-bind-address", "--health-probe-bind-address"))]
        assert args[0] == "run"
        process = subprocess.Popen([BIN, *args, "--kubeconfig", str(kubeconfig),
                                    "--metrics-bind-address=127.0.0.1:0", "--health-probe-bind-address=127.0.0.1:0"],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + seconds
            platform = {}
            while time.time() < deadline and process.poll() is None:
                time.sleep(0.5)
                platform = sandbox.get_json("-n", namespace, "incidentplatforms.incidentops.io", "incidents")
                if done(platform, log_path.read_text(encoding="utf-8")):
                    break
        finally:
            process.terminate()
            process.wait(timeout=30)
    return platform, log_path.read_text(encoding="utf-8"), sandbox.audit.since(mark)


def phase(platform):
    return platform.get("status", {}).get("phase")


def reconcile_to_ready(sandbox, user, namespace, workdir):
    """Runs the operator as `user` with the args the chart gives its container until the example platform in
    `namespace` is Ready; returns (phase, operator log, audit-log lines of the run)."""
    platform, log, audit = run_operator(sandbox, user, namespace, workdir, sandbox.container_args[user],
                                        lambda platform, _: phase(platform) == "Ready")
    return phase(platform), log, audit


def test_operator_reconciles_the_example_to_ready_within_the_chart_rbac(sandbox, tmp_path):
    sandbox.kubectl("create", "namespace", "incident-platform")
    ready, log, audit = reconcile_to_ready(sandbox, OPERATOR, "incident-platform", tmp_path)
    assert AuditLog.denied(audit, OPERATOR) == [], "requests (reads included) the chart's RBAC does not allow"
    assert "forbidden" not in log.lower(), log
    assert ready == "Ready", log
    writes = {(line["verb"], "/".join(filter(None, [line["resource"], line.get("subresource")]))) for line in audit
              if line.get("user") == OPERATOR and line.get("code", 500) < 300}
    assert {("APPLY", "deployments"), ("POST", "leases"), ("PATCH", "incidentplatforms/status")} <= writes, \
        sorted(writes)
    assert {("APPLY", "roles"), ("APPLY", "rolebindings"), ("APPLY", "clusterroles")} <= writes, \
        "the RBAC objects pass the escalation check"


def test_namespace_scoped_operator_reconciles_within_its_roles(sandbox, tmp_path):
    ready, log, audit = reconcile_to_ready(sandbox, SCOPED, "team-a", tmp_path)
    assert AuditLog.denied(audit, SCOPED) == [], "requests (reads included) the namespace-scoped RBAC does not allow"
    assert "forbidden" not in log.lower(), log
    assert ready == "Ready", log
    namespaces = {line.get("namespace") for line in audit if line.get("user") == SCOPED}
    assert namespaces <= {"team-a", "ops-scoped", None, ""}, namespaces


def without_pods_reads(rules):
    """The rules with `pods` taken out of every rule that grants reading it (other resources kept)."""
    out = []
    for rule in rules:
        if "" in rule.get("apiGroups", []) and "pods" in rule.get("resources", []) and \
                {"get", "list", "watch"} & set(rule.get("verbs", [])):
            rule = dict(rule, resources=[r for r in rule["resources"] if r != "pods"])
            if not rule["resources"]:
                continue
        out.append(rule)
    return out


def test_escalation_check_stops_an_operator_that_lacks_what_its_roles_grant(sandbox, tmp_path):
    chart_role = sandbox.get_json("clusterrole", "incident-operator")
    rules = without_pods_reads(chart_role["rules"])
    assert rules != chart_role["rules"], "the chart's ClusterRole grants pods get/list/watch (for Prometheus' Role)"
    sa = NO_PODS.split(":")
    sandbox.kubectl("create", "namespace", "no-pods")
    sandbox.kubectl("apply", "--server-side", "-f", "-", input=yaml.safe_dump_all([
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "no-pods"},
         "rules": rules},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "no-pods"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "no-pods"},
         "subjects": [{"kind": "ServiceAccount", "namespace": sa[2], "name": sa[3]}]},
    ]))
    args = [a for a in sandbox.container_args[OPERATOR] if not a.startswith("--leader")] + ["--namespace=no-pods"]
    platform, log, audit = run_operator(sandbox, NO_PODS, "no-pods", tmp_path, args,
                                        lambda _, log: "not currently held" in log, seconds=60)
    errors = [entry.get("error", "") for entry in map(json.loads, log.splitlines())]
    groups = f'"system:serviceaccounts" "system:serviceaccounts:{sa[2]}" "system:authenticated"'
    expected = (f'roles.rbac.authorization.k8s.io "incidents-prometheus" is forbidden: user "{NO_PODS}" '
                f'(groups=[{groups}]) is attempting to grant RBAC permissions not currently held:\n{PODS_READ}')
    assert any(expected in error for error in errors), log
    denied = {(line["verb"], line["resource"]) for line in AuditLog.denied(audit, NO_PODS)}
    assert ("APPLY", "roles") in denied, denied
    assert {line["resource"] for line in AuditLog.denied(audit, NO_PODS)} <= {"roles", "clusterroles"}, \
        "only the RBAC objects granting pods reads are denied"
    assert phase(platform) != "Ready"
    assert sandbox.kubectl("-n", "no-pods", "get", "role", "incidents-prometheus", check=False).returncode != 0
