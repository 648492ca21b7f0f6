"""The sandbox against the real kubectl (default validation): every command of issue 3's acceptance list."""
import json
import os
import subprocess
import time

import pytest

from test_sandbox_support import Sandbox, fixture


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    s = Sandbox(tmp_path_factory.mktemp("sandbox-kubectl")).start()
    yield s
    s.stop()


def test_version_and_discovery(sandbox):
    out = sandbox.kubectl("version", "-o", "json").stdout
    assert json.loads(out)["serverVersion"]["minor"] == "32"
    resources = sandbox.kubectl("api-resources").stdout
    for name in ["deployments", "horizontalpodautoscalers", "customresourcedefinitions", "leases", "networkpolicies"]:
        assert name in resources


def test_default_namespaces_and_nodes(sandbox):
    assert "kube-system" in sandbox.kubectl("get", "ns").stdout
    nodes = sandbox.get_json("nodes")["items"]
    assert [n["metadata"]["name"] for n in nodes] == ["sandbox-node-1", "sandbox-node-2", "sandbox-node-3"]


def test_client_side_apply_twice_with_a_change(sandbox, tmp_path):
    sandbox.kubectl("create", "namespace", "csa")
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: csa\ndata:\n  level: low\n")
    assert "configmap/settings created" in sandbox.kubectl("apply", "-f", str(manifest)).stdout
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: csa\ndata:\n  level: high\n  extra: yes-please\n")
    assert "configmap/settings configured" in sandbox.kubectl("apply", "-f", str(manifest)).stdout
    cm = sandbox.get_json("cm", "settings", "-n", "csa")
    assert cm["data"] == {"level": "high", "extra": "yes-please"}
    assert "kubectl.kubernetes.io/last-applied-configuration" in cm["metadata"]["annotations"]
    assert "configmap/settings unchanged" in sandbox.kubectl("apply", "-f", str(manifest)).stdout


def test_custom_resource_with_printer_columns_and_yaml(sandbox):
    sandbox.kubectl("apply", "-f", fixture("widgets-crd.yaml"))
    sandbox.kubectl("apply", "-f", fixture("widget.yaml"))
    table = sandbox.kubectl("get", "wdg").stdout.splitlines()
    assert table[0].split() == ["NAME", "SIZE", "PHASE", "AGE"]
    assert table[1].split()[:2] == ["blue", "3"]
    out = sandbox.kubectl("get", "widget", "blue", "-o", "yaml").stdout
    assert "kind: Widget" in out and "color: blue" in out and "uid:" in out
    changed = open(fixture("widget.yaml")).read().replace("size: 3", "size: 5")
    assert "widget.sandbox.example.io/blue configured" in sandbox.kubectl("apply", "-f", "-", input=changed).stdout
    widget = sandbox.get_json("widget", "blue")
    assert widget["spec"]["size"] == 5 and widget["metadata"]["generation"] == 2


def test_get_several_kinds_across_namespaces(sandbox, tmp_path):
    manifest = tmp_path / "app.yaml"
    manifest.write_text("""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80}]
""")
    sandbox.kubectl("apply", "-f", str(manifest))
    sandbox.kubectl("wait", "--for=condition=Available", "deployment/web", "--timeout=20s")
    out = sandbox.kubectl("get", "deploy,svc,cm", "-A").stdout
    assert "deployment.apps/web" in out and "2/2" in out
    assert "service/web" in out and "ClusterIP" in out
    assert "configmap/settings" in out


def test_describe_label_patch_delete(sandbox):
    sandbox.kubectl("create", "namespace", "edit")
    sandbox.kubectl("apply", "-f", "-", input="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: target, namespace: edit}\ndata: {a: '1'}\n")
    assert "configmap/target labeled" in sandbox.kubectl("label", "cm", "target", "-n", "edit", "tier=gold").stdout
    assert "configmap/target patched" in sandbox.kubectl("patch", "cm", "target", "-n", "edit", "--type", "merge", "-p", '{"data":{"b":"2"}}').stdout
    described = sandbox.kubectl("describe", "cm", "target", "-n", "edit").stdout
    assert "tier=gold" in described and "Namespace:    edit" in described
    cm = sandbox.get_json("cm", "target", "-n", "edit")
    assert cm["data"] == {"a": "1", "b": "2"}
    assert sandbox.get_json("cm", "-n", "edit", "-l", "tier=gold")["items"][0]["metadata"]["name"] == "target"
    assert 'configmap "target" deleted' in sandbox.kubectl("delete", "cm", "target", "-n", "edit").stdout
    r = sandbox.kubectl("get", "cm", "target", "-n", "edit", check=False)
    assert r.returncode != 0 and "NotFound" in r.stderr


def test_watch_receives_a_change_from_another_client(sandbox):
    sandbox.kubectl("create", "namespace", "watched")
    watcher = subprocess.Popen(["kubectl", "--kubeconfig", sandbox.kubeconfig, "--cache-dir", sandbox.cache,
                                "get", "cm", "-n", "watched", "--watch", "--output-watch-events"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        sandbox.kubectl("apply", "-f", "-", input="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: seen, namespace: watched}\n")
        sandbox.kubectl("label", "cm", "seen", "-n", "watched", "x=y")
        deadline = time.time() + 20
        lines = []
        while time.time() < deadline and len(lines) < 3:
            line = watcher.stdout.readline()
            if line:
                lines.append(line.split())
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
    events = [(l[0], l[1]) for l in lines[1:]]
    assert events == [("ADDED", "seen"), ("MODIFIED", "seen")]


def test_errors_are_status_objects(sandbox):
    status, body = sandbox.http("GET", "/api/v1/namespaces/default/configmaps/missing")
    assert status == 404
    s = json.loads(body)
    assert (s["kind"], s["reason"], s["code"]) == ("Status", "NotFound", 404)
    status, body = sandbox.http("PATCH", "/api/v1/namespaces/default/configmaps/missing", "{}", "text/plain")
    assert status == 415 and json.loads(body)["reason"] == "UnsupportedMediaType"


def test_metrics_count_requests_by_verb_resource_and_code(sandbox):
    sandbox.kubectl("get", "cm", "-n", "default")
    status, text = sandbox.http("GET", "/metrics")
    assert status == 200
    assert 'apiserver_request_total{code="200",group="",resource="configmaps",subresource="",verb="LIST"}' in text


def test_injected_faults_at_runtime(sandbox):
    status, _ = sandbox.http("POST", "/sandbox/faults", "read-error-rate=1", "text/plain")
    assert status == 200
    try:
        r = sandbox.kubectl("get", "cm", "-n", "default", check=False)
        assert r.returncode != 0 and "injected fault" in r.stderr
    finally:
        assert sandbox.http("DELETE", "/sandbox/faults")[0] == 200
    sandbox.kubectl("get", "cm", "-n", "default")


def test_server_side_apply_of_the_project_crd_and_example(sandbox):
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    out = sandbox.kubectl("apply", "--server-side", "-f", os.path.join(root, "crds")).stdout
    assert "customresourcedefinition.apiextensions.k8s.io/incidentplatforms.incidentops.io serverside-applied" in out
    sandbox.kubectl("create", "namespace", "incident-platform")
    out = sandbox.kubectl("apply", "--server-side", "-f", os.path.join(root, "examples", "platform.yaml")).stdout
    assert "serverside-applied" in out
    header = sandbox.kubectl("get", "iplat", "-n", "incident-platform").stdout.splitlines()[0].split()
    assert header[0] == "NAME" and header[-1] == "AGE" and len(header) > 2
    platform = sandbox.get_json("iplat", "-n", "incident-platform", "--show-managed-fields")["items"][0]
    assert platform["metadata"]["managedFields"][0]["manager"] == "kubectl"
    assert platform["metadata"]["generation"] == 1


def test_server_side_apply_removes_dropped_fields_and_reports_conflicts(sandbox, tmp_path):
    sandbox.kubectl("apply", "--server-side", "-f", fixture("widgets-crd.yaml"))
    manifest = tmp_path / "w.yaml"
    manifest.write_text("apiVersion: sandbox.example.io/v1\nkind: Widget\nmetadata: {name: ssa, namespace: default}\nspec: {size: 2, color: red}\n")
    sandbox.kubectl("apply", "--server-side", "-f", str(manifest))
    manifest.write_text("apiVersion: sandbox.example.io/v1\nkind: Widget\nmetadata: {name: ssa, namespace: default}\nspec: {size: 2}\n")
    sandbox.kubectl("apply", "--server-side", "-f", str(manifest))
    assert sandbox.get_json("widget", "ssa")["spec"] == {"size": 2}
    sandbox.kubectl("patch", "widget", "ssa", "--type", "merge", "-p", '{"spec":{"size":7}}')
    manifest.write_text("apiVersion: sandbox.example.io/v1\nkind: Widget\nmetadata: {name: ssa, namespace: default}\nspec: {size: 4}\n")
    r = sandbox.kubectl("apply", "--server-side", "-f", str(manifest), check=False)
    assert r.returncode != 0 and "conflict" in r.stderr and ".spec.size" in r.stderr
    sandbox.kubectl("apply", "--server-side", "--force-conflicts", "-f", str(manifest))
    widget = sandbox.get_json("widget", "ssa")
    assert widget["spec"] == {"size": 4}
    assert widget["metadata"]["generation"] == 4
