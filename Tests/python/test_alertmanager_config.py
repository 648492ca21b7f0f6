"""The rendered `alertmanager.yml` with the real Alertmanager tools from Debian (0.25): `amtool check-config`
accepts it (with every receiver kind and its `*_file` secrets), and `amtool config routes test` shows where alerts
go: critical and warning alerts to the platform's own receiver (and to an extra receiver whose matchers match),
Watchdog to the null receiver only. The credential files are replaced by temp files in the test's copy only.
Last, a real Alertmanager runs the rendered configuration (URLs and file paths substituted) and posts to a local
receiver with the bearer token."""
import http.server
import json
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time
import urllib.request

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


# --- A real Alertmanager (Debian's 0.25) running the rendered configuration ---------------------------------------

class Recorder:
    """A local HTTP receiver that records every POST: path, Authorization header and JSON body."""

    def __init__(self):
        self.posts = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.posts.append((self.path, self.headers.get("Authorization"), json.loads(body or b"null")))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_alertmanager_posts_alerts_to_the_platform_with_the_bearer_token(tmp_path):
    """The rendered config with only URLs and file paths substituted: Alertmanager posts a critical alert to the
    platform receiver (with the token from credentials_file) and to the Slack receiver whose matcher matches (its
    URL read from api_url_file), and a warning only to the platform; Watchdog goes nowhere. Bounded by group_wait."""
    path = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    assert path, "Alertmanager is missing: `apt-get install prometheus-alertmanager` (the Makefile's APT_PACKAGES list it)"
    recorder = Recorder()
    base = f"http://127.0.0.1:{recorder.port}"
    manifest = yaml.safe_load(EXAMPLE.read_text())
    manifest["spec"]["alerting"]["receivers"] = [
        {"name": "oncall-slack", "matchers": ['severity="critical"'],
         "slack": {"channel": "#incidents", "apiURLSecretRef": {"name": "alerting-secrets", "key": "slack-webhook-url"}}},
    ]
    source = tmp_path / "platform.yaml"
    source.write_text(yaml.safe_dump(manifest))
    config = yaml.safe_load(rendered_config(source))
    token = "t0ken-" + "x" * 42
    (tmp_path / "token").write_text(token)
    (tmp_path / "slack-url").write_text(f"{base}/slack")
    platform = next(r for r in config["receivers"] if r["name"] == "incident-platform")["webhook_configs"][0]
    assert platform["url"].endswith("/api/v1/alerts/alertmanager")
    platform["url"] = f"{base}/api/v1/alerts/alertmanager"
    platform["http_config"]["authorization"]["credentials_file"] = str(tmp_path / "token")
    slack = next(r for r in config["receivers"] if r["name"] == "oncall-slack")["slack_configs"][0]
    slack["api_url_file"] = str(tmp_path / "slack-url")
    config_path = tmp_path / "alertmanager.yml"
    config_path.write_text(yaml.safe_dump(config))

    port = free_port()
    log_path = tmp_path / "alertmanager.log"
    with open(log_path, "wb") as log:
        am = subprocess.Popen([path, f"--config.file={config_path}", f"--storage.path={tmp_path / 'data'}",
                               f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        api = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{api}/-/ready", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline and am.poll() is None, log_path.read_text(errors="replace")
                time.sleep(0.2)
        labels = {"namespace": "incident-platform", "platform": "incidents"}
        alerts = [
            {"labels": {**labels, "alertname": "LiveCritical", "severity": "critical"}, "annotations": {"summary": "c"}},
            {"labels": {**labels, "alertname": "LiveWarning", "severity": "warning"}, "annotations": {"summary": "w"}},
            {"labels": {**labels, "alertname": "Watchdog", "severity": "none"}},
        ]
        request = urllib.request.Request(f"{api}/api/v2/alerts", data=json.dumps(alerts).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        assert urllib.request.urlopen(request, timeout=5).status == 200

        def names(path_):
            return sorted(a["labels"]["alertname"] for p, _, body in recorder.posts if p == path_ for a in body.get("alerts", []))

        # group_wait is 30 s; allow some slack for the notification itself.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (len(names("/api/v1/alerts/alertmanager")) == 2
                                                   and any(p == "/slack" for p, _, _ in recorder.posts)):
            time.sleep(0.5)
        time.sleep(1)
        assert names("/api/v1/alerts/alertmanager") == ["LiveCritical", "LiveWarning"], \
            (recorder.posts, log_path.read_text(errors="replace")[-2000:])
        platform_posts = [(p, auth) for p, auth, _ in recorder.posts if p == "/api/v1/alerts/alertmanager"]
        assert all(auth == f"Bearer {token}" for _, auth in platform_posts)
        slack_posts = [body for p, _, body in recorder.posts if p == "/slack"]
        assert len(slack_posts) == 1 and slack_posts[0]["channel"] == "#incidents"
        assert "LiveCritical" in json.dumps(slack_posts[0]) and "LiveWarning" not in json.dumps(slack_posts[0])
        assert all(p in ("/api/v1/alerts/alertmanager", "/slack") for p, _, _ in recorder.posts)
        assert not any(a["labels"]["alertname"] == "Watchdog" for _, _, body in recorder.posts for a in body.get("alerts", []))
    finally:
        am.terminate()
        try:
            am.wait(timeout=10)
        except subprocess.TimeoutExpired:
            am.kill()
            am.wait()
        recorder.close()
