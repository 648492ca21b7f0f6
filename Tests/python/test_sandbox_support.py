"""Starts the `incident-operator sandbox` binary for a test module and runs kubectl against it."""
import json
import os
import subprocess
import time
import urllib.request

BIN = os.environ.get("INCIDENT_OPERATOR_BIN", ".build/debug/incident-operator")
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "sandbox")


class Sandbox:
    """One running sandbox process: its port, kubeconfig and a kubectl wrapper."""

    def __init__(self, workdir, *extra_args):
        self.workdir = str(workdir)
        self.kubeconfig = os.path.join(self.workdir, "kubeconfig")
        self.cache = os.path.join(self.workdir, "kube-cache")
        self.extra_args = list(extra_args)
        self.process = None
        self.port = None

    def start(self):
        self.process = subprocess.Popen(
            [BIN, "sandbox", "--listen", "127.0.0.1:0", "--kubeconfig-out", self.kubeconfig,
             "--ready-delay", "500ms", *self.extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("sandbox exited early: " + self.process.stderr.read())
            if "(port " in line:
                self.port = int(line.rsplit("(port ", 1)[1].split(")")[0])
            if "kubeconfig written" in line:
                return self
        self.stop()
        raise RuntimeError("sandbox did not report its port within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def kubectl(self, *args, check=True, input=None, timeout=60):
        r = subprocess.run(["kubectl", "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache, *args],
                           capture_output=True, text=True, input=input, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        return r

    def get_json(self, *args):
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def http(self, method, path, body=None, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def fixture(name):
    return os.path.join(FIXTURES, name)
