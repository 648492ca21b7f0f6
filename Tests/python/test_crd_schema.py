"""The CRD's openAPIV3Schema, as JSON Schema, accepts both examples and rejects bad ones for the right reason.

The CRD is read from crds/ (which a Swift test keeps identical to `incident-operator crd`). Its schema is turned
into JSON Schema: x-kubernetes-* keys are dropped (int-or-string is already an anyOf of integer and string) and
objects with properties reject unknown fields, as the API server does with strict field validation.
"""
import copy
import json
import os
import pathlib
import subprocess
import sys

import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CRD_PATH = ROOT / "crds" / "incidentplatforms.incidentops.io.yaml"
EXAMPLES = [ROOT / "examples" / "platform-minimal.yaml", ROOT / "examples" / "platform.yaml"]


def load_crd():
    with open(CRD_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def openapi_schema():
    return load_crd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"]


def to_json_schema(node, path="root"):
    """An openAPIV3Schema node as a JSON Schema node."""
    out = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(child, f"{path}.{name}") for name, child in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = to_json_schema(value, f"{path}[]")
        else:
            out[key] = copy.deepcopy(value)
    if node.get("x-kubernetes-int-or-string"):
        assert out.get("anyOf") == [{"type": "integer"}, {"type": "string"}], path
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


VALIDATOR = jsonschema.Draft7Validator(to_json_schema(openapi_schema()))


def errors_of(document):
    return sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path))


def example(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_schema_is_valid_json_schema():
    jsonschema.Draft7Validator.check_schema(to_json_schema(openapi_schema()))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_validate(path):
    assert [e.message for e in errors_of(example(path))] == []


def test_full_example_mentions_every_spec_field():
    text = (ROOT / "examples" / "platform.yaml").read_text(encoding="utf-8")
    missing = []

    def walk(node, path):
        for name, child in node.get("properties", {}).items():
            if f"{name}:" not in text:
                missing.append(f"{path}.{name}")
            walk(child, f"{path}.{name}")
        if "items" in node:
            walk(node["items"], path + "[]")

    walk(openapi_schema()["properties"]["spec"], "spec")
    assert missing == []


def test_every_property_has_a_description():
    missing = []

    def walk(node, path):
        if not node.get("description", "").strip():
            missing.append(path)
        for name, child in node.get("properties", {}).items():
            walk(child, f"{path}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{path}.{key}")

    walk(openapi_schema(), "openAPIV3Schema")
    assert missing == []


def minimal():
    return example(EXAMPLES[0])


def with_spec(spec):
    doc = minimal()
    doc["spec"] = spec
    return doc


# (name, document, expected path, expected JSON Schema keyword)
BAD = [
    ("size as integer", with_spec({"database": {"storage": {"size": 10}}}),
     ["spec", "database", "storage", "size"], "type"),
    ("typo in monitoring", with_spec({"monitoring": {"grafanna": {"enabled": False}}}),
     ["spec", "monitoring"], "additionalProperties"),
    ("port out of range", with_spec({"services": {"webUI": {"port": 70000}}}),
     ["spec", "services", "webUI", "port"], "maximum"),
    ("maxReplicas over the cap", with_spec({"services": {"alertIngestion": {"autoscaling": {"maxReplicas": 500}}}}),
     ["spec", "services", "alertIngestion", "autoscaling", "maxReplicas"], "maximum"),
    ("percentage zero", with_spec({"services": {"oncallService": {"autoscaling": {"targetCPUUtilizationPercentage": 0}}}}),
     ["spec", "services", "oncallService", "autoscaling", "targetCPUUtilizationPercentage"], "minimum"),
    ("unknown deletion policy", with_spec({"database": {"storage": {"deletionPolicy": "Keep"}}}),
     ["spec", "database", "storage", "deletionPolicy"], "enum"),
    ("bad quantity", with_spec({"services": {"webUI": {"resources": {"requests": {"cpu": "lots"}}}}}),
     ["spec", "services", "webUI", "resources", "requests", "cpu"], "pattern"),
    ("cpu as a float", with_spec({"services": {"webUI": {"resources": {"requests": {"cpu": 0.5}}}}}),
     ["spec", "services", "webUI", "resources", "requests", "cpu"], "anyOf"),
    ("bad duration", with_spec({"monitoring": {"prometheus": {"scrapeInterval": "15 seconds"}}}),
     ["spec", "monitoring", "prometheus", "scrapeInterval"], "pattern"),
    ("image with spaces", with_spec({"monitoring": {"loki": {"image": "grafana/loki latest"}}}),
     ["spec", "monitoring", "loki", "image"], "pattern"),
    ("maxUnavailable zero", with_spec({"disruptionBudget": {"maxUnavailable": 0}}),
     ["spec", "disruptionBudget", "maxUnavailable"], "minimum"),
    ("maxUnavailable over 100%", with_spec({"disruptionBudget": {"maxUnavailable": "150%"}}),
     ["spec", "disruptionBudget", "maxUnavailable"], "pattern"),
    ("env without a name", with_spec({"services": {"webUI": {"env": [{"value": "x"}]}}}),
     ["spec", "services", "webUI", "env", 0], "required"),
    ("secret ref without a name", with_spec({"database": {"credentialsSecretRef": {}}}),
     ["spec", "database", "credentialsSecretRef"], "required"),
    ("enabled as a string", with_spec({"networkPolicy": {"enabled": "yes"}}),
     ["spec", "networkPolicy", "enabled"], "type"),
]


@pytest.mark.parametrize("name,document,path,keyword", BAD, ids=[b[0] for b in BAD])
def test_bad_examples_fail_for_the_expected_reason(name, document, path, keyword):
    errors = errors_of(document)
    assert [(list(e.absolute_path), e.validator) for e in errors] == [(path, keyword)], name


def test_crd_header():
    crd = load_crd()
    assert crd["apiVersion"] == "apiextensions.k8s.io/v1"
    assert crd["spec"]["names"]["shortNames"] == ["iplat"]
    version = crd["spec"]["versions"][0]
    assert version["subresources"] == {"status": {}}
    assert [c["jsonPath"] for c in version["additionalPrinterColumns"]] == [
        ".status.phase", ".status.ready", ".metadata.creationTimestamp"]


BIN = os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build" / "debug" / "incident-operator"))


def test_crd_command_prints_the_committed_file():
    r = subprocess.run([BIN, "crd"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == CRD_PATH.read_text(encoding="utf-8")
    j = subprocess.run([BIN, "crd", "-o", "json"], capture_output=True, text=True, timeout=60)
    assert j.returncode == 0, j.stderr
    assert json.loads(j.stdout) == load_crd()


def test_crd_command_rejects_an_unknown_format():
    r = subprocess.run([BIN, "crd", "-o", "xml"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "expected yaml or json" in r.stderr


@pytest.mark.parametrize("version", ["1.30", "1.37"])
def test_crd_is_a_valid_customresourcedefinition(version):
    checker = pathlib.Path(sys.executable).parent / "kubernetes-validate"
    r = subprocess.run([str(checker), "--strict", "-k", version, str(CRD_PATH)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "passed for resource customresourcedefinition/incidentplatforms.incidentops.io" in r.stdout + r.stderr
