"""The rendered `alertmanager.yml` with the real Alertmanager tools from Debian (0.25): `amtool check-config`
accepts it (with every receiver kind and its `*_file` secrets), and `amtool config routes test` shows where alerts
go: critical and warning alerts to the platform's own receiver (and to an extra receiver whose matchers match),
Watchdog to the null receiver only. The credential files are replaced by temp files in the test's copy only."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build/debug/incident-operator"))
EXAMPLE = ROOT / "examples/platform.yaml"

RECEIVERS = [
    {"name": "oncall-slack", "matchers": ['severity="critical"'],
     "slack": {"channel": "#incidents", "apiURLSecretRef": {"name": "alerting-secrets", "key": "slack-webhook-url"}}},
    {"name": "team-mail", "matchers": ['severity=~"warning|critical"', 'namespace="incident-platform"'],
     "email": {"to": "sre@example.com", "from": "alertmanager@example.com", "smarthost": "smtp.example.com:587",
               "authUsername": "alertmanager", "authPasswordSecretRef": {"name": "alerting-secrets", "key": "smtp-password"}}},
    {"name": "audit-hook", "webhook": {"url": "https://audit.example.com/alerts"}},
    {"name": "pager", "matchers": ['severity="critical"', 'alertname!="Watchdog"'],
     "pagerduty": {"routingKeySecretRef": {"name": "pagerduty", "key": "routing-key"}}},
]


def amtool():
    path = shutil.which("amtool")
    assert path, "amtool is missing: `apt-get install prometheus-alertmanager` (the Makefile's APT_PACKAGES list it)"
    return path


def rendered_config(manifest_path):
    r = subprocess.run([BIN, "render", "-f", str(manifest_path), "-o", "json", "--generate-secrets"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    secrets = [o for o in json.loads(r.stdout)["items"]
               if o["kind"] == "Secret" and o["metadata"]["name"].endswith("-alertmanager")]
    assert len(secrets) == 1
    return secrets[0]["stringData"]["alertmanager.yml"]


def with_local_files(text, tmp_path):
    """The test copy: every `/etc/alertmanager/secrets/...` path becomes a temp file holding a value."""
    config = yaml.safe_load(text)
    files = {}

    def local(path):
        if path not in files:
            f = tmp_path / f"secret-{len(files)}"
            f.write_text("https://hooks.example.com/x" if "slack" in path else "s3cr3t")
            files[path] = str(f)
        return files[path]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("_file") and isinstance(value, str) and value.startswith("/etc/alertmanager/secrets/"):
                    node[key] = local(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(config)
    out = tmp_path / "alertmanager.yml"
    out.write_text(yaml.safe_dump(config))
    return out, config


@pytest.fixture(scope="module")
def configs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("am")
    manifest = yaml.safe_load(EXAMPLE.read_text())
    manifest["spec"]["alerting"]["receivers"] = RECEIVERS
    with_receivers = tmp / "platform-receivers.yaml"
    with_receivers.write_text(yaml.safe_dump(manifest))
    out = {}
    for name, source in (("example", EXAMPLE), ("receivers", with_receivers)):
        (tmp / name).mkdir()
        out[name] = with_local_files(rendered_config(source), tmp / name)
    return out


@pytest.mark.parametrize("which", ["example", "receivers"])
def test_amtool_check_config_accepts_the_rendered_config(configs, which):
    path, config = configs[which]
    r = subprocess.run([amtool(), "check-config", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "SUCCESS" in r.stdout + r.stderr


def test_the_rendered_config_references_secrets_only_as_files(configs):
    path, config = configs["receivers"]
    receivers = {r["name"]: r for r in config["receivers"]}
    assert receivers["oncall-slack"]["slack_configs"][0]["api_url_file"]
    assert "api_url" not in receivers["oncall-slack"]["slack_configs"][0]
    assert receivers["team-mail"]["email_configs"][0]["auth_password_file"]
    assert receivers["pager"]["pagerduty_configs"][0]["routing_key_file"]
    platform = receivers["incident-platform"]["webhook_configs"][0]
    assert platform["url"].endswith("/api/v1/alerts/alertmanager") and platform["send_resolved"] is True
    assert platform["http_config"]["authorization"]["credentials_file"]
    assert config["inhibit_rules"] == [{"source_matchers": ['severity="critical"'], "target_matchers": ['severity="warning"'],
                                        "equal": ["alertname", "namespace"]}]


def routes(path, *labels):
    r = subprocess.run([amtool(), "config", "routes", "test", f"--config.file={path}", *labels],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return sorted(r.stdout.strip().split(","))


@pytest.mark.parametrize("severity", ["critical", "warning"])
def test_every_alert_reaches_the_platform(configs, severity):
    path, _ = configs["example"]
    assert routes(path, f"severity={severity}", "alertname=X", "namespace=N", "platform=P") == ["incident-platform"]


def test_watchdog_goes_to_the_null_receiver_only(configs):
    for which in ("example", "receivers"):
        path, _ = configs[which]
        assert routes(path, "severity=none", "alertname=Watchdog", "namespace=incident-platform", "platform=incidents") == ["null"]


def test_extra_receivers_get_what_their_matchers_match_and_the_platform_still_gets_everything(configs):
    path, _ = configs["receivers"]
    ns = "namespace=incident-platform"
    assert routes(path, "severity=critical", "alertname=X", ns, "platform=P") == sorted(
        ["oncall-slack", "team-mail", "audit-hook", "pager", "incident-platform"])
    assert routes(path, "severity=warning", "alertname=X", ns, "platform=P") == sorted(
        ["team-mail", "audit-hook", "incident-platform"])
    assert routes(path, "severity=warning", "alertname=X", "namespace=other", "platform=P") == sorted(
        ["audit-hook", "incident-platform"])
