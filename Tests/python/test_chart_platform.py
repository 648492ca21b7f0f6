"""The incident-platform chart: its values schema is the CRD's spec schema (generated, never drifting), it
installs one IncidentPlatform into the sandbox, and that object passes the CRD's schema."""
import json

import pytest

from helpers.delivery import CRD_PATH, PLATFORM_CHART, crd_validator, install, install_error, objects, one
from test_sandbox_support import Sandbox

import generate_platform_values_schema  # hack/: the generator of the chart's values.schema.json


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    s = Sandbox(tmp_path_factory.mktemp("sandbox-platform")).start()
    s.kubectl("apply", "--server-side", "-f", str(CRD_PATH))
    yield s
    s.stop()


def test_values_schema_is_generated_from_the_crd():
    committed = (PLATFORM_CHART / "values.schema.json").read_text(encoding="utf-8")
    assert committed == generate_platform_values_schema.rendered(), \
        "charts/incident-platform/values.schema.json is out of date: run .venv/bin/python hack/generate_platform_values_schema.py"
    schema = json.loads(committed)
    crd_spec = crd_validator().schema["properties"]["spec"]
    assert schema["properties"]["spec"] == crd_spec
    assert schema["additionalProperties"] is False


def test_install_creates_one_platform_that_passes_the_crd_schema(sandbox):
    values = {"name": "team-a", "labels": {"team": "a"},
              "spec": {"services": {"webUI": {"replicas": 3}},
                       "monitoring": {"prometheus": {"retention": "30d"}}}}
    release = install(sandbox, "platform-a", PLATFORM_CHART, "incident-platform", values)
    rendered = one(objects(release["manifest"]), "IncidentPlatform")
    assert rendered["metadata"]["name"] == "team-a"
    stored = sandbox.get_json("-n", "incident-platform", "incidentplatforms.incidentops.io", "team-a")
    assert stored["metadata"]["labels"]["team"] == "a"
    assert stored["spec"]["services"]["webUI"]["replicas"] == 3
    assert stored["spec"]["monitoring"]["prometheus"]["retention"] == "30d"
    stored.pop("status", None)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in crd_validator().iter_errors(stored)]
    assert errors == []


def test_default_values_install_a_platform_named_after_the_release(sandbox):
    release = install(sandbox, "incidents", PLATFORM_CHART, "platform-defaults")
    rendered = one(objects(release["manifest"]), "IncidentPlatform")
    assert rendered["metadata"] == {
        "name": "incidents", "namespace": "platform-defaults", "labels": rendered["metadata"]["labels"]}
    assert rendered["spec"] == {}
    stored = sandbox.get_json("-n", "platform-defaults", "incidentplatforms.incidentops.io", "incidents")
    stored.pop("status", None)
    assert list(crd_validator().iter_errors(stored)) == []


@pytest.mark.parametrize("values, field", [
    ({"spec": {"services": {"webUI": {"replicas": "three"}}}}, "replicas"),
    ({"spec": {"servcies": {}}}, "servcies"),
    ({"name": "x" * 40}, "name"),
], ids=["wrong-type", "unknown-field", "name-too-long"])
def test_schema_rejects_what_the_crd_rejects(sandbox, values, field):
    error = install_error(sandbox, "bad-platform", PLATFORM_CHART, "platform-bad", values)
    assert error is not None, f"{values} was accepted"
    assert field in error, error
