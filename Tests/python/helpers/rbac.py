"""What the operator's code can ask the API server for, and RBAC rule arithmetic.

Two sources, both from the code: `incident-operator rbac` (the table the informers and the reconciler use, plus
what the Roles and ClusterRoles it generates grant: Kubernetes lets a user grant only what it holds itself), and
the generator's sources, for every `ChildMetadata.object(.<descriptor>, ...)` call (each kind the operator
creates), so that a kind missing from the table fails a test.
"""
import json
import re
import subprocess

from helpers.delivery import BIN, ROOT

GENERATORS = ROOT / "Sources" / "IncidentPlatform" / "Generators"
DESCRIPTORS = ROOT / "Sources" / "KubeCore" / "ResourceDescriptor.swift"
CHILD_VERBS = {"get", "list", "watch", "create", "patch", "delete"}
CLUSTER_SCOPED = {"clusterroles", "clusterrolebindings", "nodes", "namespaces"}


def descriptors():
    """`ResourceDescriptor` statics: name -> (group, plural, namespaced)."""
    text = DESCRIPTORS.read_text(encoding="utf-8")
    found = {}
    for m in re.finditer(r'static let (\w+) = ResourceDescriptor\(group: "([^"]*)",[^)]*plural: "([^"]+)"([^)]*)\)', text):
        found[m.group(1)] = (m.group(2), m.group(3), "namespaced: false" not in m.group(4))
    assert len(found) > 10, f"could not read the ResourceDescriptor statics from {DESCRIPTORS}"
    return found


def swift_sources():
    return {path: path.read_text(encoding="utf-8") for path in sorted(GENERATORS.rglob("*.swift"))}


def created_kinds():
    """(group, plural) of every kind the generator creates."""
    table = descriptors()
    kinds = set()
    for path, text in swift_sources().items():
        for m in re.finditer(r"ChildMetadata\.object\(\s*\.(\w+)", text):
            assert m.group(1) in table, f"{path}: unknown ResourceDescriptor .{m.group(1)}"
            group, plural, _ = table[m.group(1)]
            kinds.add((group, plural))
    return kinds


def rbac_command_rules():
    """The rules `incident-operator rbac -o json` prints."""
    run = subprocess.run([BIN, "rbac", "-o", "json"], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, f"incident-operator rbac failed: {run.stderr}"
    return json.loads(run.stdout)["rules"]


LEASES = ("coordination.k8s.io", "leases")


def operator_needs():
    """(cluster-wide needs, lease needs): what `incident-operator rbac` prints, with the leader-election Lease apart
    (the chart grants it only in its own namespace)."""
    printed = expand(rbac_command_rules())
    leases = {need for need in printed if need[:2] == LEASES}
    return printed - leases, leases


def expand(rules):
    """RBAC rules as a set of (group, resource, verb); fails on wildcards and resourceNames."""
    out = set()
    for rule in rules:
        assert "*" not in rule.get("apiGroups", []) + rule.get("resources", []) + rule.get("verbs", []), \
            f"wildcard in RBAC rule {rule}"
        assert not rule.get("resourceNames") and not rule.get("nonResourceURLs"), f"unexpected rule {rule}"
        out |= {(g, r, v) for g in rule["apiGroups"] for r in rule["resources"] for v in rule["verbs"]}
    return out


class AuditLog:
    """The sandbox's `--audit-log` file: one JSON line per write request and per denied request (401, or 403 of
    any verb, reads included). `mark()` before an action and `since(mark)` after it give the lines it caused."""

    DENIED = (401, 403)

    def __init__(self, path):
        self.path = path

    def lines(self):
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]

    def mark(self):
        return len(self.lines())

    def since(self, mark):
        return self.lines()[mark:]

    @classmethod
    def denied(cls, lines, user):
        """The lines of `lines` answered 401 or 403 for `user`, and every 401 (an unknown token has no user)."""
        return [line for line in lines if line.get("code") in cls.DENIED and line.get("user") in (user, "")]
