"""The chart's RBAC, enforced: API calls made as the operator's ServiceAccount go through a proxy that authorizes
them against the Roles and bindings the chart installed into the sandbox (helpers/rbac_proxy.py), so whatever the
chart does not grant fails with 403 Forbidden and is recorded. The operator itself (`incident-operator run`)
reconciles the example platform to Ready through it without a single denied call."""
import os
import pathlib
import subprocess
import time

import pytest

from helpers.delivery import BIN, OPERATOR_CHART, ROOT, install
from helpers.rbac_proxy import RBACProxy
from test_sandbox_support import Sandbox

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata: {{name: probe, namespace: {namespace}}}
data: {{a: b}}
"""

LEASE = """apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: incident-operator-leader, namespace: incident-operator}
spec: {holderIdentity: someone}
"""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    s = Sandbox(tmp_path_factory.mktemp("sandbox-rbac")).start()
    install(s, "incident-operator", OPERATOR_CHART, "incident-operator")
    s.kubectl("create", "namespace", "team-a")
    install(s, "scoped", OPERATOR_CHART, "ops-scoped", {"watchNamespace": "team-a"})
    s.kubectl("create", "namespace", "team-b")
    s.kubectl("apply", "--server-side", "-f", "-", input=LEASE)
    yield s
    s.stop()


class AsUser:
    """kubectl through an RBACProxy acting as one ServiceAccount."""

    def __init__(self, sandbox, namespace, name, workdir):
        self.proxy = RBACProxy.for_service_account(sandbox.url, namespace, name).start()
        self.kubeconfig = self.proxy.write_kubeconfig(pathlib.Path(workdir) / "kubeconfig-rbac")
        self.cache = str(pathlib.Path(workdir) / "kube-cache-rbac")

    def kubectl(self, *args, input=None):
        return subprocess.run(["kubectl", "--kubeconfig", str(self.kubeconfig), "--cache-dir", self.cache, *args],
                              capture_output=True, text=True, input=input, timeout=60)


@pytest.fixture
def operator(sandbox, tmp_path):
    user = AsUser(sandbox, "incident-operator", "incident-operator", tmp_path)
    yield user
    user.proxy.stop()


@pytest.fixture
def scoped_operator(sandbox, tmp_path):
    user = AsUser(sandbox, "ops-scoped", "scoped-incident-operator", tmp_path)
    yield user
    user.proxy.stop()


def allowed(run):
    assert run.returncode == 0, run.stderr
    return True


def forbidden(run):
    return run.returncode != 0 and "forbidden" in run.stderr.lower()


def test_operator_may_do_what_its_code_does(sandbox, operator):
    assert allowed(operator.kubectl("get", "incidentplatforms.incidentops.io", "-A"))
    assert allowed(operator.kubectl("-n", "team-b", "get", "deployments,daemonsets,services,configmaps,secrets,pvc"))
    applied = operator.kubectl("apply", "--server-side", "-f", "-", input=CONFIGMAP.format(namespace="team-b"))
    assert applied.returncode == 0, applied.stderr
    assert allowed(operator.kubectl("-n", "team-b", "delete", "configmap", "probe"))
    assert sandbox.kubectl("-n", "team-b", "get", "configmap", "probe", check=False).returncode != 0
    assert allowed(operator.kubectl("-n", "incident-operator", "get", "lease", "incident-operator-leader"))
    assert allowed(operator.kubectl("get", "nodes"))
    assert operator.proxy.denials == []


def test_operator_may_not_do_anything_else(operator):
    assert forbidden(operator.kubectl("get", "statefulsets", "-A"))
    assert forbidden(operator.kubectl("-n", "team-b", "get", "leases"))
    assert forbidden(operator.kubectl("delete", "namespace", "team-b"))
    assert forbidden(operator.kubectl("-n", "team-b", "create", "token", "default"))
    assert forbidden(operator.kubectl("-n", "team-b", "patch", "deployment", "x", "--type=merge", "-p", "{}",
                                      "--subresource=scale"))
    assert len(operator.proxy.denials) >= 5, operator.proxy.denials
    assert any('cannot list statefulsets' in d for d in operator.proxy.denials), operator.proxy.denials


def test_namespace_scoped_operator_stays_in_its_namespace(scoped_operator):
    assert allowed(scoped_operator.kubectl("-n", "team-a", "get", "incidentplatforms.incidentops.io,deployments"))
    applied = scoped_operator.kubectl("apply", "--server-side", "-f", "-", input=CONFIGMAP.format(namespace="team-a"))
    assert applied.returncode == 0, applied.stderr
    assert scoped_operator.proxy.denials == []
    assert forbidden(scoped_operator.kubectl("-n", "team-b", "get", "deployments"))
    assert forbidden(scoped_operator.kubectl("get", "incidentplatforms.incidentops.io", "-A"))
    assert allowed(scoped_operator.kubectl("get", "clusterroles"))  # promtail's ClusterRole is cluster-scoped


def reconcile_to_ready(sandbox, user, platform_yaml, namespace, lease_namespace, log_path, *extra):
    """Runs the operator as `user` until the platform in `namespace` is Ready (at most 90 s); returns its phase."""
    sandbox.kubectl("apply", "--server-side", "-f", "-", input=platform_yaml)
    with open(log_path, "w") as log:
        process = subprocess.Popen([BIN, "run", "--kubeconfig", str(user.kubeconfig), "--leader-elect",
                                    "--leader-election-namespace", lease_namespace,
                                    "--metrics-bind-address", "127.0.0.1:0",
                                    "--health-probe-bind-address", "127.0.0.1:0", *extra],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 90
            phase = None
            while time.time() < deadline and phase != "Ready" and process.poll() is None:
                time.sleep(0.5)
                platform = sandbox.get_json("-n", namespace, "incidentplatforms.incidentops.io", "incidents")
                phase = platform.get("status", {}).get("phase")
            return phase
        finally:
            process.terminate()
            process.wait(timeout=30)


def example_in(namespace):
    text = (ROOT / "examples" / "platform.yaml").read_text(encoding="utf-8")
    return text.replace("namespace: incident-platform", f"namespace: {namespace}")


def test_operator_reconciles_the_example_to_ready_within_the_chart_rbac(sandbox, operator, tmp_path):
    sandbox.kubectl("create", "namespace", "incident-platform")
    log = tmp_path / "operator.log"
    phase = reconcile_to_ready(sandbox, operator, example_in("incident-platform"), "incident-platform",
                               "incident-operator", log)
    assert operator.proxy.denials == [], "calls the chart's RBAC does not allow"
    assert phase == "Ready", log.read_text()
    writes = {d.split(" ")[0] + " " + d.split(" ")[1] for d in operator.proxy.allowed}
    assert {"patch deployments", "update leases", "patch incidentplatforms/status", "watch deployments"} <= writes, \
        sorted(writes)


def test_namespace_scoped_operator_reconciles_within_its_roles(sandbox, scoped_operator, tmp_path):
    log = tmp_path / "operator.log"
    phase = reconcile_to_ready(sandbox, scoped_operator, example_in("team-a"), "team-a", "ops-scoped", log,
                               "--namespace", "team-a", "--leader-election-id", "scoped-leader")
    assert scoped_operator.proxy.denials == [], "calls the namespace-scoped RBAC does not allow"
    assert phase == "Ready", log.read_text()
    namespaces = {d.rsplit('namespace "', 1)[1].rstrip('"') for d in scoped_operator.proxy.allowed
                  if 'in the namespace "' in d}
    assert namespaces <= {"team-a", "ops-scoped"}, namespaces


def test_watch_streams_through_the_proxy(sandbox, operator):
    watcher = subprocess.Popen(["kubectl", "--kubeconfig", str(operator.kubeconfig), "--cache-dir", operator.cache,
                                "-n", "team-b", "get", "configmaps", "--watch", "--output-watch-events",
                                "--request-timeout=5s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)
        sandbox.kubectl("-n", "team-b", "create", "configmap", "watched-through-proxy")
        out, err = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    assert "ADDED" in out and "watched-through-proxy" in out, out + err
    assert any(d.startswith("watch configmaps") for d in operator.proxy.allowed), operator.proxy.allowed
