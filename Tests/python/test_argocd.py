"""Argo CD: the AppProject and Applications validate against Argo CD's CRDs (../shared/reference/argocd/), the sync
policy is what docs/delivery.md promises, and the IncidentPlatform health check (Lua) gives the right health for
each test object under Debian's lua5.4."""
import copy
import pathlib

import jsonschema
import pytest
import yaml

from helpers.delivery import ROOT, kubernetes_validate, objects
from helpers.lua import run_health_check
from test_crd_schema import to_json_schema

import generate_argocd_cm  # hack/: writes argocd-cm.yaml with the health check

ARGOCD = ROOT / "manifests" / "argocd"
APPS = ARGOCD / "apps"
HEALTH = ARGOCD / "resource_customizations" / "incidentops.io" / "IncidentPlatform"


def argocd_reference():
    """../shared/reference/argocd beside the repository (the nearest one up the tree, for worktrees)."""
    for base in ROOT.parents:
        candidate = base / "shared" / "reference" / "argocd"
        if candidate.is_dir():
            return candidate
    pytest.fail(f"Argo CD CRDs not found: expected {ROOT.parent / 'shared' / 'reference' / 'argocd'} "
                "(CI clones the repository with shared/ beside it)")


@pytest.fixture(scope="module")
def validators():
    """kind -> jsonschema validator of Argo CD's CRD (x-kubernetes-* dropped, unknown fields rejected)."""
    out = {}
    for path in sorted(argocd_reference().glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        version = next(v for v in crd["spec"]["versions"] if v.get("storage"))
        schema = to_json_schema(version["schema"]["openAPIV3Schema"])
        out[crd["spec"]["names"]["kind"]] = (f"{crd['spec']['group']}/{version['name']}",
                                             jsonschema.Draft7Validator(schema))
    assert {"Application", "AppProject"} <= set(out), f"incomplete Argo CD CRDs in {argocd_reference()}"
    return out


def app_documents():
    return {path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(APPS.glob("*.yaml")) if path.name != "kustomization.yaml"}


def errors(validators, doc):
    api_version, validator = validators[doc["kind"]]
    assert doc["apiVersion"] == api_version
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("name", sorted(app_documents()))
def test_argocd_objects_validate_against_the_crds(validators, name):
    assert errors(validators, app_documents()[name]) == []


def test_validation_rejects_a_bad_application(validators):
    bad = copy.deepcopy(app_documents()["incident-operator.yaml"])
    bad["spec"]["syncPolicy"]["automated"]["prune"] = "yes"
    bad["spec"]["syncPolicy"]["retry"]["backof"] = {}
    found = errors(validators, bad)
    assert any("prune" in e for e in found) and any("backof" in e for e in found), found


def test_kustomization_lists_every_app_manifest():
    kustomization = yaml.safe_load((APPS / "kustomization.yaml").read_text(encoding="utf-8"))
    assert sorted(kustomization["resources"]) == sorted(app_documents())


def test_project_and_two_applications_in_sync_waves():
    docs = {d["metadata"]["name"]: d for d in app_documents().values()}
    project = [d for d in docs.values() if d["kind"] == "AppProject"]
    apps = {n: d for n, d in docs.items() if d["kind"] == "Application"}
    assert len(project) == 1 and set(apps) == {"incident-operator", "incident-platform-example"}
    wave = {n: d["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] for n, d in apps.items()}
    assert wave == {"incident-operator": "-1", "incident-platform-example": "0"}
    assert apps["incident-operator"]["spec"]["source"]["path"] == "charts/incident-operator"
    assert (ROOT / apps["incident-operator"]["spec"]["source"]["path"] / "Chart.yaml").is_file()
    example = apps["incident-platform-example"]["spec"]["source"]
    assert (ROOT / example["path"] / example["directory"]["include"]).is_file()
    for app in apps.values():
        policy = app["spec"]["syncPolicy"]
        assert policy["automated"] == {"prune": True, "selfHeal": True}
        assert {"CreateNamespace=true", "ServerSideApply=true"} <= set(policy["syncOptions"])
        assert policy["retry"]["limit"] > 0 and policy["retry"]["backoff"]["factor"] >= 2
        assert app["spec"]["project"] == project[0]["metadata"]["name"]
        destination = app["spec"]["destination"]
        assert {"server": destination["server"], "namespace": destination["namespace"]} in \
            project[0]["spec"]["destinations"]


def test_application_names_differ_from_the_platform_names():
    # With label tracking, an Application named like the platform would claim the platform's children
    # (they carry app.kubernetes.io/instance=<platform>). docs/delivery.md explains the choice.
    platforms = {d["metadata"]["name"] for p in (ROOT / "examples").glob("*.yaml")
                 for d in objects(p.read_text(encoding="utf-8")) if d.get("kind") == "IncidentPlatform"}
    apps = {d["metadata"]["name"] for d in app_documents().values() if d["kind"] == "Application"}
    assert platforms and not platforms & apps


def test_argocd_cm_embeds_the_health_check_and_annotation_tracking(tmp_path):
    text = (ARGOCD / "argocd-cm.yaml").read_text(encoding="utf-8")
    assert text == generate_argocd_cm.rendered(), "argocd-cm.yaml is stale: run python3 hack/generate_argocd_cm.py"
    cm = yaml.safe_load(text)
    data = cm["data"]
    assert data["resource.customizations.health.incidentops.io_IncidentPlatform"] == \
        (HEALTH / "health.lua").read_text(encoding="utf-8")
    assert data["application.resourceTrackingMethod"] == "annotation"
    kubernetes_validate([cm], "1.37", tmp_path)


def health_cases():
    cases = yaml.safe_load((HEALTH / "health_test.yaml").read_text(encoding="utf-8"))["tests"]
    return [pytest.param(c, id=pathlib.Path(c["inputPath"]).stem) for c in cases]


@pytest.mark.parametrize("case", health_cases())
def test_health_check(case):
    obj = yaml.safe_load((HEALTH / case["inputPath"]).read_text(encoding="utf-8"))
    status, message = run_health_check((HEALTH / "health.lua").read_text(encoding="utf-8"), obj)
    assert (status, message) == (case["healthStatus"]["status"], case["healthStatus"]["message"])


def test_health_cases_cover_every_state():
    states = {c.values[0]["healthStatus"]["status"] for c in health_cases()}
    assert states == {"Healthy", "Progressing", "Degraded"}


def test_application_health_check_reads_the_application_status():
    script = yaml.safe_load((ARGOCD / "argocd-cm.yaml").read_text(encoding="utf-8"))["data"][
        "resource.customizations.health.argoproj.io_Application"]
    healthy = {"status": {"health": {"status": "Healthy", "message": "ok"}}}
    assert run_health_check(script, healthy) == ("Healthy", "ok")
    assert run_health_check(script, {"metadata": {"name": "x"}}) == ("Progressing", "")
