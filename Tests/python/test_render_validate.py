"""`incident-operator render` end to end: every rendered object validates with kubernetes-validate --strict
against Kubernetes 1.30 and 1.37 (no warnings, no unknown kinds), the YAML output reads back with PyYAML and
equals the JSON output, and the CLI contract (formats, secrets, errors, exit codes) holds."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build/debug/incident-operator"))
EXAMPLES = ["examples/platform.yaml", "examples/platform-minimal.yaml"]
GOLDEN = ROOT / "Tests/IncidentPlatformTests/Fixtures/golden/platform.yaml"
KUBERNETES_VERSIONS = ["1.30", "1.37"]


def render(*args, stdin=None):
    return subprocess.run([BIN, "render", *args], capture_output=True, text=True, timeout=120, cwd=ROOT, input=stdin)


def generated_secret(doc):
    """A Secret the operator generates (created once, never overwritten), as opposed to a configuration Secret."""
    return doc["kind"] == "Secret" and (doc["metadata"].get("annotations") or {}).get("incidentops.io/create-once") == "true"


def validator():
    beside = pathlib.Path(sys.executable).parent / "kubernetes-validate"
    found = str(beside) if beside.exists() else shutil.which("kubernetes-validate")
    assert found, "kubernetes-validate is not installed (run `make venv`)"
    return found


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("secrets", [False, True], ids=["without-secrets", "with-secrets"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_rendered_object_validates_strictly(example, secrets, version, tmp_path):
    r = render("-f", example, *(["--generate-secrets"] if secrets else []))
    assert r.returncode == 0, r.stderr
    docs = [d for d in yaml.safe_load_all(r.stdout) if d is not None]
    assert len(docs) > 40
    out = tmp_path / "rendered.yaml"
    out.write_text(r.stdout)
    v = subprocess.run([validator(), "--strict", "-k", version, str(out)], capture_output=True, text=True, timeout=300)
    lines = [line for line in (v.stdout + v.stderr).splitlines() if line.strip()]
    problems = [line for line in lines if not (line.startswith("INFO ") and " passed for resource " in line)]
    # kubernetes-validate exits 0 on an unknown kind (only a WARN): any line but "passed" is a failure here.
    assert v.returncode == 0 and not problems, "\n".join(problems or lines)
    assert len(lines) == len(docs), f"{len(lines)} results for {len(docs)} objects:\n" + "\n".join(lines)


@pytest.mark.parametrize("example", EXAMPLES)
def test_yaml_output_round_trips_through_pyyaml_and_equals_the_json_list(example):
    as_yaml = render("-f", example, "-o", "yaml")
    as_json = render("-f", example, "-o", "json")
    assert as_yaml.returncode == 0 and as_json.returncode == 0, as_yaml.stderr + as_json.stderr
    docs = list(yaml.safe_load_all(as_yaml.stdout))
    listing = json.loads(as_json.stdout)
    assert listing["apiVersion"] == "v1" and listing["kind"] == "List"
    assert docs == listing["items"]
    # Re-emitting with PyYAML and reading back is lossless too.
    assert list(yaml.safe_load_all(yaml.safe_dump_all(docs))) == docs


def test_configuration_files_in_configmaps_parse():
    docs = list(yaml.safe_load_all(render("-f", "examples/platform.yaml").stdout))
    files = {(d["metadata"]["name"], k): v for d in docs if d["kind"] == "ConfigMap" for k, v in d["data"].items()}
    assert len(files) >= 9
    for (name, key), text in files.items():
        parsed = json.loads(text) if key.endswith(".json") else yaml.safe_load(text)
        assert isinstance(parsed, dict), f"{name}/{key}"
    prometheus = yaml.safe_load(files[("incidents-prometheus", "prometheus.yml")])
    assert prometheus["global"]["scrape_interval"] == "15s"
    for job in prometheus["scrape_configs"][1:]:
        if job["job_name"] == "kubelet":  # role node (cluster-wide), keeps only this namespace's volume stats
            assert job["kubernetes_sd_configs"] == [{"role": "node"}]
            assert job["metric_relabel_configs"] == [{"source_labels": ["__name__", "namespace"], "action": "keep",
                                                      "regex": "kubelet_volume_stats_.+;incident-platform"}]
            continue
        assert job["kubernetes_sd_configs"][0]["namespaces"] == {"names": ["incident-platform"]}
    promtail = yaml.safe_load(files[("incidents-promtail", "promtail.yaml")])
    assert promtail["clients"] == [{"url": "http://incidents-loki.incident-platform.svc:3100/loki/api/v1/push"}]
    dashboards = [json.loads(v) for (n, k), v in files.items() if n == "incidents-grafana-dashboards"]
    assert sorted(d["title"] for d in dashboards) == ["Incident Overview", "Logs", "Nodes", "SLOs", "SRE Metrics", "Service Health"]


VARIANT = """\
apiVersion: incidentops.io/v1alpha1
kind: IncidentPlatform
metadata:
  name: variant
  namespace: team-a
  uid: 4f1c2a9e-0000-4000-8000-000000000001
spec:
  services:
    webUI: {autoscaling: {enabled: false}, replicas: 3, image: registry.example.com/team-a/web:1.0, readinessPath: /health}
    alertIngestion: {autoscaling: {minReplicas: 2, maxReplicas: 8}}
  database:
    credentialsSecretRef: {name: team-a-db}
    storage: {size: 20Gi, storageClassName: fast, deletionPolicy: Delete}
  monitoring:
    prometheus: {scrapeInterval: 30s}
    grafana: {adminSecretRef: {name: team-a-grafana}}
    loki: {enabled: false}
    promtail: {enabled: false}
  disruptionBudget: {maxUnavailable: 25%}
  networkPolicy: {enabled: false}
  apiTokenSecretRef: {name: team-a-api-token}
"""


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_a_non_default_platform_validates_strictly_too(version, tmp_path):
    r = render("-f", "-", "--generate-secrets", stdin=VARIANT)
    assert r.returncode == 0, r.stderr
    docs = list(yaml.safe_load_all(r.stdout))
    kinds = {d["kind"] for d in docs}
    assert not [d for d in docs if generated_secret(d)], "the three Secrets are referenced, none is generated"
    assert "NetworkPolicy" not in kinds
    assert not any(d["metadata"]["name"].endswith(("-loki", "-promtail")) for d in docs)
    web = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "variant-web-ui")
    assert web["spec"]["replicas"] == 3
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "registry.example.com/team-a/web:1.0" and "command" not in container
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    token = next(e for e in container["env"] if e["name"] == "PLATFORM_API_TOKEN")
    assert token["valueFrom"]["secretKeyRef"] == {"name": "team-a-api-token", "key": "token"}
    assert "team-a/team-a-api-token" in r.stderr
    assert all(d["metadata"].get("ownerReferences") for d in docs if "namespace" in d["metadata"]), \
        "with deletionPolicy Delete every namespaced child, the database volume included, is owned"
    assert "team-a/team-a-db" in r.stderr and "referenced by the spec" in r.stderr
    out = tmp_path / "variant.yaml"
    out.write_text(r.stdout)
    v = subprocess.run([validator(), "--strict", "-k", version, str(out)], capture_output=True, text=True, timeout=300)
    lines = [line for line in (v.stdout + v.stderr).splitlines() if line.strip()]
    assert v.returncode == 0 and all(" passed for resource " in line for line in lines), "\n".join(lines)
    assert len(lines) == len(docs)


def test_cli_output_equals_the_golden_file():
    r = render("-f", "examples/platform.yaml")
    assert r.returncode == 0, r.stderr
    assert r.stdout == GOLDEN.read_text(), (
        "render output differs from the golden file; regenerate with "
        "UPDATE_GOLDEN=1 swift test --filter GoldenRenderTests")


def test_generated_secrets_are_left_out_and_named_on_stderr():
    r = render("-f", "examples/platform.yaml")
    docs = list(yaml.safe_load_all(r.stdout))
    assert not [d for d in docs if generated_secret(d)]
    # The one Secret rendered is Alertmanager's configuration: nothing random in it.
    assert [d["metadata"]["name"] for d in docs if d["kind"] == "Secret"] == ["incidents-alertmanager"]
    assert "--generate-secrets" in r.stderr
    assert "Secret incident-platform/incidents-postgres-credentials (keys username, password)" in r.stderr
    assert "Secret incident-platform/incidents-grafana-admin (keys admin-user, admin-password)" in r.stderr


def test_generate_secrets_includes_fresh_long_passwords():
    first = [d for d in yaml.safe_load_all(render("-f", "examples/platform.yaml", "--generate-secrets").stdout) if generated_secret(d)]
    second = [d for d in yaml.safe_load_all(render("-f", "examples/platform.yaml", "--generate-secrets").stdout) if generated_secret(d)]
    assert [s["metadata"]["name"] for s in first] == ["incidents-api-token", "incidents-grafana-admin",
                                                      "incidents-postgres-credentials"]
    for s in first:
        passwords = [v for k, v in s["stringData"].items() if "password" in k or k == "token"]
        assert passwords and all(len(p) >= 32 for p in passwords)
    assert list(first[0]["stringData"]) == ["token"] and len(first[0]["stringData"]["token"]) >= 40
    assert first != second, "passwords come from a CSPRNG, not a constant"


def test_table_output_lists_kind_name_namespace_and_a_count():
    r = render("-f", "examples/platform.yaml", "-o", "table")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["KIND", "NAME", "NAMESPACE"]
    count = len(list(yaml.safe_load_all(render("-f", "examples/platform.yaml").stdout)))
    assert lines[-1] == f"{count} objects"
    assert any(line.split() == ["ClusterRole", "incident-platform-incidents-promtail", "-"] for line in lines)


def test_standard_input_is_read_with_dash():
    text = (ROOT / "examples/platform-minimal.yaml").read_text()
    r = render("-f", "-", "-o", "table", stdin=text)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].endswith(" objects")


def test_invalid_platform_prints_every_problem_and_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: incidentops.io/v1alpha1\nkind: IncidentPlatform\nmetadata: {name: demo}\n"
        "spec:\n  services:\n    webUI: {autoscaling: {minReplicas: 6, maxReplicas: 5}}\n"
        "  database: {storage: {size: lots}}\n")
    r = render("-f", str(bad))
    assert r.returncode == 2
    assert r.stdout == ""
    problems = [line.strip() for line in r.stderr.splitlines() if line.startswith("  ")]
    assert len(problems) >= 2, r.stderr
    assert all(p.startswith(f"{bad}: spec.") for p in problems), r.stderr
    assert any("minReplicas" in p for p in problems) and any("storage.size" in p for p in problems)


def test_yaml_syntax_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("kind: [unclosed\n")
    r = render("-f", str(bad))
    assert r.returncode == 2
    assert f"{bad}: yaml: line " in r.stderr


def test_missing_file_is_a_runtime_error_naming_the_file():
    r = render("-f", "no/such/file.yaml")
    assert r.returncode == 1
    assert "no/such/file.yaml" in r.stderr


@pytest.mark.parametrize("args", [[], ["-f", "examples/platform.yaml", "-o", "xml"]])
def test_usage_errors_exit_2(args):
    r = render(*args)
    assert r.returncode == 2
    assert "--help" in r.stderr
