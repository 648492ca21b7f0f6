"""manifests/install.yaml: what `make manifests` generates, valid for Kubernetes 1.30 and 1.37, and applied to the
sandbox with `kubectl apply --server-side` it creates everything the chart's defaults do."""
import pytest

from helpers.delivery import BIN, CRD_PATH, ROOT, kubernetes_validate, objects, one
from test_sandbox_support import Sandbox

import generate_install_manifest  # hack/: the generator behind `make manifests`

INSTALL = ROOT / "manifests" / "install.yaml"


@pytest.fixture(scope="module")
def committed():
    return INSTALL.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    s = Sandbox(tmp_path_factory.mktemp("sandbox-install")).start()
    yield s
    s.stop()


def test_install_yaml_is_up_to_date(committed):
    assert committed == generate_install_manifest.install_manifest(BIN), \
        "manifests/install.yaml is out of date: run `make manifests` and commit it"


def test_install_yaml_holds_namespace_crd_rbac_and_deployment(committed):
    docs = objects(committed)
    assert [d["kind"] for d in docs[:2]] == ["Namespace", "CustomResourceDefinition"]
    assert docs[1] == objects(CRD_PATH.read_text(encoding="utf-8"))[0]
    assert {d["kind"] for d in docs} >= {"ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                                         "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy"}
    for doc in docs[2:]:
        assert doc["metadata"].get("namespace", "incident-operator") == "incident-operator", doc["metadata"]
        assert doc["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "kubectl"
    assert one(docs, "Namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("version", ["1.30", "1.37"])
def test_install_yaml_validates_strictly(committed, version, tmp_path):
    kubernetes_validate(objects(committed), version, tmp_path)


def test_kubectl_apply_server_side(sandbox, committed):
    applied = sandbox.kubectl("apply", "--server-side", "-f", str(INSTALL)).stdout
    docs = objects(committed)
    assert applied.count("serverside-applied") == len(docs), applied
    deployment = sandbox.get_json("--show-managed-fields", "-n", "incident-operator", "deployment", "incident-operator")
    assert deployment["spec"]["replicas"] == 2
    assert deployment["metadata"]["managedFields"][0]["manager"] == "kubectl"
    assert sandbox.get_json("crd", "incidentplatforms.incidentops.io")["spec"]["names"]["kind"] == "IncidentPlatform"
    assert sandbox.get_json("clusterrole", "incident-operator")["rules"] == one(docs, "ClusterRole")["rules"]
    # Applying again changes nothing and conflicts with nothing.
    again = sandbox.kubectl("apply", "--server-side", "-f", str(INSTALL)).stdout
    assert again.count("serverside-applied") == len(docs), again
