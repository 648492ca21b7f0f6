"""RBAC enforcement (`sandbox --rbac`) with kubectl impersonation (`--as`)."""
import pytest

from test_sandbox_support import Sandbox

RBAC = """
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-reader, namespace: team}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-reads, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-reader}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
"""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    s = Sandbox(tmp_path_factory.mktemp("sandbox-rbac"), "--rbac").start()
    yield s
    s.stop()


def test_impersonated_user_gets_only_what_rbac_grants(sandbox):
    sandbox.kubectl("apply", "-f", "-", input=RBAC)
    sandbox.kubectl("create", "configmap", "visible", "-n", "team")
    assert "visible" in sandbox.kubectl("--as", "alice", "get", "cm", "-n", "team").stdout
    denied = sandbox.kubectl("--as", "alice", "create", "configmap", "nope", "-n", "team", check=False)
    assert denied.returncode != 0
    assert 'User "alice" cannot create resource "configmaps" in API group "" in the namespace "team"' in denied.stderr
    other = sandbox.kubectl("--as", "alice", "get", "cm", "-n", "default", check=False)
    assert other.returncode != 0 and "forbidden" in other.stderr
    assert sandbox.kubectl("--as", "alice", "auth", "can-i", "list", "configmaps", "-n", "team").stdout.strip() == "yes"
    cannot = sandbox.kubectl("--as", "alice", "auth", "can-i", "delete", "configmaps", "-n", "team", check=False)
    assert cannot.returncode == 1 and cannot.stdout.strip() == "no"
