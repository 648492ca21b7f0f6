"""Shared machinery of `make bench` and `make chaos`: processes, a small API client, watches, metrics, /proc.

Standard library only, so the tools run with any Python 3.9+ on a fresh machine. Everything binds 127.0.0.1,
every wait has a deadline, and every process started here is stopped by the code that started it.
"""
import http.client
import json
import os
import platform as host_platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRD_FILE = os.path.join(ROOT, "crds", "incidentplatforms.incidentops.io.yaml")
GROUP_PATH = "/apis/incidentops.io/v1alpha1"
MANAGED_BY = "app.kubernetes.io/managed-by=incident-operator"
WRITE_VERBS = ("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def binary():
    """The incident-operator binary: $INCIDENT_OPERATOR_BIN, else the release build, else the debug build."""
    env = os.environ.get("INCIDENT_OPERATOR_BIN")
    if env:
        return os.path.abspath(env)
    for kind in ("release", "debug"):
        path = os.path.join(ROOT, ".build", kind, "incident-operator")
        if os.path.exists(path):
            return path
    raise SystemExit("no incident-operator binary: run `swift build -c release --product incident-operator` "
                     "or set INCIDENT_OPERATOR_BIN")


def log(message):
    """A progress line on standard error (stdout stays for results)."""
    sys.stderr.write(time.strftime("%H:%M:%S ") + message + "\n")
    sys.stderr.flush()


def free_port():
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    """Polls `predicate` until it returns a truthy value (returned) or `timeout` seconds pass (TimeoutError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# MARK: statistics

def summary(values):
    """median, min, max (and n) of a list of numbers; None for an empty list."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def percentile(values, p):
    """The p-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def machine():
    """Cores, memory and OS of this machine, for the report."""
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    os_name = host_platform.platform()
    try:
        with open("/etc/os-release") as f:
            fields = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
            os_name = fields.get("PRETTY_NAME", os_name).strip('"') + " (kernel " + host_platform.release() + ")"
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "memory_gib": round(mem_kb / 1048576, 1), "os": os_name,
            "python": host_platform.python_version()}


# MARK: /proc

class ProcStats:
    """Resource use of one process from /proc (Linux)."""

    def __init__(self, pid):
        self.pid = pid

    def _status(self):
        fields = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return fields

    def rss_mb(self):
        """Resident set size now, MiB."""
        return int(self._status()["VmRSS"].split()[0]) / 1024

    def peak_rss_mb(self):
        """The kernel's high-water mark of the resident set, MiB."""
        return int(self._status()["VmHWM"].split()[0]) / 1024

    def threads(self):
        return int(self._status()["Threads"])

    def fds(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def cpu_seconds(self):
        """User + system CPU time so far, seconds."""
        with open(f"/proc/{self.pid}/stat") as f:
            text = f.read()
        fields = text[text.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Sampler:
    """Samples RSS (and threads, fds) of a process every `interval` seconds in a thread until stopped."""

    def __init__(self, pid, interval=0.1):
        self.stats = ProcStats(pid)
        self.interval = interval
        self.samples = []  # (monotonic time, rss MiB, threads, fds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            try:
                self.samples.append((time.monotonic(), self.stats.rss_mb(), self.stats.threads(), self.stats.fds()))
            except (OSError, KeyError, ValueError):
                pass  # the process is gone; the owner notices that itself
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)
        return self.samples

    def peak_rss(self):
        return max((s[1] for s in self.samples), default=None)


# MARK: the API client

class ApiError(Exception):
    """An API answer that is not 2xx: the status code and the Status message."""

    def __init__(self, method, path, status, body):
        self.status = status
        self.body = body
        message = body.get("message") if isinstance(body, dict) else str(body)[:300]
        super().__init__(f"{method} {path}: {status} {message}")


class Api:
    """A small keep-alive JSON client for the sandbox (one connection per thread).

    `retries` > 0 retries 429, 5xx and dropped connections (what the fault scenarios inject) with a short pause.
    """

    def __init__(self, base_url, timeout=60, retries=0):
        parsed = urllib.parse.urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.base_url = base_url
        self.timeout = timeout
        self.retries = retries
        self._local = threading.local()

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def _drop(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def raw(self, method, path, body=None, content_type="application/json"):
        """One request; returns (status, bytes). Reconnects once if a kept-alive connection was closed."""
        data = body if isinstance(body, (bytes, type(None))) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = content_type
        for attempt in (0, 1):
            conn = self._conn()
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self._drop()
                return resp.status, payload
            except (http.client.HTTPException, ConnectionError, OSError):
                self._drop()
                if attempt == 1:
                    raise

    def request(self, method, path, body=None, content_type="application/json", ok=(200, 201, 202)):
        """A JSON request; returns the decoded answer, raises ApiError for a status not in `ok`."""
        attempt = 0
        while True:
            try:
                status, payload = self.raw(method, path, body, content_type)
            except (http.client.HTTPException, ConnectionError, OSError) as error:
                if attempt < self.retries:
                    attempt += 1
                    time.sleep(min(0.05 * 2 ** attempt, 1.0))
                    continue
                raise ApiError(method, path, 0, {"message": f"connection failed: {error}"})
            try:
                decoded = json.loads(payload) if payload else {}
            except ValueError:
                decoded = {"message": payload[:300].decode(errors="replace")}
            if status in ok:
                return decoded
            if attempt < self.retries and (status == 429 or status >= 500):
                attempt += 1
                time.sleep(min(0.05 * 2 ** attempt, 1.0))
                continue
            raise ApiError(method, path, status, decoded)

    def get(self, path):
        return self.request("GET", path)

    def get_or_none(self, path):
        try:
            return self.get(path)
        except ApiError as e:
            if e.status == 404:
                return None
            raise

    def list(self, path, selector=None):
        """Every item of a list path (follows `continue`)."""
        items, token = [], None
        while True:
            query = {"limit": "500"}
            if selector:
                query["labelSelector"] = selector
            if token:
                query["continue"] = token
            page = self.get(path + "?" + urllib.parse.urlencode(query))
            items.extend(page.get("items") or [])
            token = (page.get("metadata") or {}).get("continue")
            if not token:
                return items

    def create(self, path, obj):
        return self.request("POST", path, obj)

    def apply(self, path, obj, manager="bench", force=True):
        query = urllib.parse.urlencode({"fieldManager": manager, "force": "true" if force else "false"})
        return self.request("PATCH", f"{path}?{query}", obj, content_type="application/apply-patch+yaml")

    def merge_patch(self, path, patch):
        return self.request("PATCH", path, patch, content_type="application/merge-patch+json")

    def delete(self, path):
        return self.request("DELETE", path, ok=(200, 202, 404))

    def close(self):
        self._drop()


def object_path(obj):
    """The API path of a (rendered) object, from its apiVersion, kind, namespace and name."""
    api_version, kind = obj["apiVersion"], obj["kind"]
    meta = obj.get("metadata") or {}
    prefix = "/api/" + api_version if "/" not in api_version else "/apis/" + api_version
    plural = PLURALS.get(kind) or kind.lower() + "s"
    ns = meta.get("namespace")
    scope = f"/namespaces/{ns}" if ns and kind not in CLUSTER_KINDS else ""
    return f"{prefix}{scope}/{plural}/{meta['name']}"


PLURALS = {"NetworkPolicy": "networkpolicies", "PodDisruptionBudget": "poddisruptionbudgets",
           "HorizontalPodAutoscaler": "horizontalpodautoscalers", "IncidentPlatform": "incidentplatforms",
           "PersistentVolumeClaim": "persistentvolumeclaims", "Ingress": "ingresses",
           "Endpoints": "endpoints"}
CLUSTER_KINDS = {"ClusterRole", "ClusterRoleBinding", "Namespace", "Node", "CustomResourceDefinition"}

# Kinds the operator creates, with their list paths (namespaced ones take a namespace).
CHILD_KINDS = {
    "NetworkPolicy": "/apis/networking.k8s.io/v1/{ns}networkpolicies",
    "ServiceAccount": "/api/v1/{ns}serviceaccounts",
    "Secret": "/api/v1/{ns}secrets",
    "ConfigMap": "/api/v1/{ns}configmaps",
    "PersistentVolumeClaim": "/api/v1/{ns}persistentvolumeclaims",
    "ClusterRole": "/apis/rbac.authorization.k8s.io/v1/clusterroles",
    "ClusterRoleBinding": "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
    "Role": "/apis/rbac.authorization.k8s.io/v1/{ns}roles",
    "RoleBinding": "/apis/rbac.authorization.k8s.io/v1/{ns}rolebindings",
    "Service": "/api/v1/{ns}services",
    "DaemonSet": "/apis/apps/v1/{ns}daemonsets",
    "Deployment": "/apis/apps/v1/{ns}deployments",
    "HorizontalPodAutoscaler": "/apis/autoscaling/v2/{ns}horizontalpodautoscalers",
    "PodDisruptionBudget": "/apis/policy/v1/{ns}poddisruptionbudgets",
}


def list_path(kind, namespace=None):
    """The list path of a child kind, in one namespace or (None) across all."""
    template = CHILD_KINDS[kind]
    return template.format(ns=f"namespaces/{namespace}/" if namespace else "")


def platforms_path(namespace=None, name=None):
    path = GROUP_PATH + (f"/namespaces/{namespace}" if namespace else "") + "/incidentplatforms"
    return path + (f"/{name}" if name else "")


# MARK: metrics

def parse_metrics(text):
    """Prometheus text format -> list of (name, {label: value}, float)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        labels = {}
        name = head
        if "{" in head:
            name, _, rest = head.partition("{")
            rest = rest.rstrip("}")
            for part in _split_labels(rest):
                k, _, v = part.partition("=")
                labels[k] = v.strip('"')
        try:
            out.append((name, labels, float(value)))
        except ValueError:
            continue
    return out


def _split_labels(text):
    parts, current, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


def fetch_text(url, timeout=10):
    parsed = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        conn.request("GET", parsed.path or "/")
        resp = conn.getresponse()
        return resp.status, resp.read().decode(errors="replace")
    finally:
        conn.close()


class RequestCounts:
    """The sandbox's `apiserver_request_total`, keyed by (verb, resource, code)."""

    def __init__(self, counts):
        self.counts = counts

    @classmethod
    def fetch(cls, sandbox_url):
        status, text = fetch_text(sandbox_url + "/metrics")
        if status != 200:
            raise RuntimeError(f"GET {sandbox_url}/metrics answered {status}")
        counts = {}
        for name, labels, value in parse_metrics(text):
            if name == "apiserver_request_total":
                resource = labels.get("resource", "")
                if labels.get("subresource"):
                    resource += "/" + labels["subresource"]
                key = (labels.get("verb", ""), resource, labels.get("code", ""))
                counts[key] = counts.get(key, 0) + value
        return cls(counts)

    def __sub__(self, other):
        keys = set(self.counts) | set(other.counts)
        return RequestCounts({k: self.counts.get(k, 0) - other.counts.get(k, 0) for k in keys
                              if self.counts.get(k, 0) - other.counts.get(k, 0)})

    def total(self, verbs=None, exclude_resources=(), include_resources=None):
        n = 0
        for (verb, resource, _), v in self.counts.items():
            if verbs and verb not in verbs:
                continue
            base = resource.split("/")[0]
            if base in exclude_resources or resource in exclude_resources:
                continue
            if include_resources is not None and base not in include_resources:
                continue
            n += v
        return int(n)

    def by_verb(self, exclude_resources=()):
        out = {}
        for (verb, resource, _), v in self.counts.items():
            if resource.split("/")[0] in exclude_resources:
                continue
            out[verb] = out.get(verb, 0) + int(v)
        return dict(sorted(out.items()))

    def by_resource(self, verbs=None):
        out = {}
        for (verb, resource, _), v in self.counts.items():
            if verbs and verb not in verbs:
                continue
            out[resource] = out.get(resource, 0) + int(v)
        return dict(sorted(out.items()))

    def writes(self, exclude_resources=("leases", "events")):
        """Write requests (any code), leaving out leader-election renewals and Events unless asked."""
        return self.total(WRITE_VERBS, exclude_resources=exclude_resources)


# MARK: processes

class Sandbox:
    """`incident-operator sandbox` as a child process on a loopback port."""

    def __init__(self, workdir, ready_delay="0s", faults=None, data_dir=None, port=0, nodes=3, label="sandbox",
                 extra=()):
        self.workdir = workdir
        self.kubeconfig = os.path.join(workdir, f"{label}.kubeconfig")
        self.log_path = os.path.join(workdir, f"{label}.log")
        self.args = ["--ready-delay", ready_delay, "--nodes", str(nodes)]
        if faults:
            self.args += ["--faults", faults]
        if data_dir:
            self.args += ["--data-dir", data_dir]
        self.args += list(extra)
        self.port = port
        self.process = None
        self.stats = None

    def start(self, timeout=30):
        port = self.port or free_port()
        self._log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [binary(), "sandbox", "--listen", f"127.0.0.1:{port}", "--kubeconfig-out", self.kubeconfig, *self.args],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.port = port
        self.stats = ProcStats(self.process.pid)

        def healthy():
            if self.process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with {self.process.returncode}; see {self.log_path}")
            try:
                return fetch_text(self.url + "/healthz", timeout=2)[0] == 200 and os.path.exists(self.kubeconfig)
            except OSError:
                return False
        wait_until(healthy, timeout, what="the sandbox's /healthz")
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.process.pid

    def api(self, retries=0, timeout=60):
        return Api(self.url, retries=retries, timeout=timeout)

    def counts(self):
        return RequestCounts.fetch(self.url)

    def set_faults(self, spec):
        status, body = Api(self.url).raw("POST", "/sandbox/faults", spec.encode(), "text/plain")
        if status != 200:
            raise RuntimeError(f"setting faults {spec!r}: {status} {body!r}")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        stop_process(self, sig, timeout)


class Operator:
    """`incident-operator run` as a child process, with its metrics and health ports."""

    def __init__(self, workdir, kubeconfig, workers=None, leader_elect=False, label="operator", extra=(), env=None):
        self.workdir = workdir
        self.kubeconfig = kubeconfig
        self.label = label
        self.log_path = os.path.join(workdir, f"{label}.log")
        self.workers = workers
        self.leader_elect = leader_elect
        self.extra = list(extra)
        self.env = env
        self.process = None
        self.metrics_port = None
        self.health_port = None
        self.starts = 0

    def start(self, wait_ready=True, timeout=60):
        self.metrics_port, self.health_port = free_port(), free_port()
        args = [binary(), "run", "--kubeconfig", self.kubeconfig,
                "--metrics-bind-address", f"127.0.0.1:{self.metrics_port}",
                "--health-probe-bind-address", f"127.0.0.1:{self.health_port}"]
        if self.workers:
            args += ["--workers", str(self.workers)]
        if self.leader_elect:
            args += ["--leader-elect"]
        args += self.extra
        self._log = open(self.log_path, "a")
        env = dict(os.environ, **(self.env or {}))
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env)
        self.starts += 1
        self.stats = ProcStats(self.process.pid)
        if wait_ready:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=60):
        def ready():
            self.check_alive()
            try:
                return fetch_text(f"http://127.0.0.1:{self.health_port}/readyz", timeout=2)[0] == 200
            except OSError:
                return False
        wait_until(ready, timeout, what=f"{self.label}'s /readyz")

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def check_alive(self):
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"{self.label} exited with {self.process.returncode}; last log lines:\n"
                               + self.tail())

    def tail(self, lines=15):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def metrics(self):
        status, text = fetch_text(f"http://127.0.0.1:{self.metrics_port}/metrics")
        return parse_metrics(text) if status == 200 else []

    def kill(self, sig=signal.SIGKILL):
        stop_process(self, sig, timeout=30)

    def stop(self, timeout=20):
        stop_process(self, signal.SIGTERM, timeout)


def stop_process(owner, sig, timeout):
    """Sends `sig` to `owner.process` if it runs and waits `timeout` s for it (then SIGKILL); closes `owner._log`."""
    process = owner.process
    if process is not None and process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if getattr(owner, "_log", None):
        owner._log.close()
        owner._log = None


def write_kubeconfig(path, url, token=None):
    """A kubeconfig for `url` (cluster, user and context `sandbox`), with a bearer token if given."""
    user = f"\n    token: {token}" if token else " {}"
    with open(path, "w") as f:
        f.write(f"""apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster:
    server: {url}
users:
- name: sandbox
  user:{user}
contexts:
- name: sandbox
  context:
    cluster: sandbox
    user: sandbox
    namespace: default
current-context: sandbox
""")
    return path


def kubectl(kubeconfig, cache_dir, *args, input_text=None, timeout=1800):
    """Runs kubectl against a kubeconfig with its own discovery cache; raises with its output on failure."""
    result = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", cache_dir, *args],
                            capture_output=True, text=True, input=input_text, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"kubectl {' '.join(args[:3])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


# MARK: platforms

def install_crd(api):
    """Applies the project's CRD (YAML body, server-side apply) and waits until its resource is served."""
    with open(CRD_FILE, "rb") as f:
        body = f.read()
    api.request("PATCH", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/incidentplatforms.incidentops.io"
                "?fieldManager=bench&force=true", body, content_type="application/apply-patch+yaml")
    wait_until(lambda: _served(api), 10, what="the IncidentPlatform resource to be served")


def _served(api):
    try:
        api.get(platforms_path())
        return True
    except ApiError:
        return False


def ensure_namespaces(api, names):
    for name in names:
        try:
            api.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        except ApiError as e:
            if e.status != 409:
                raise


def platform(name, namespace, spec=None):
    """An IncidentPlatform manifest (all defaults unless `spec` is given)."""
    return {"apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec or {}}


def spread(count, namespaces, prefix="p"):
    """`count` platform (namespace, name) pairs spread round-robin over `namespaces`."""
    return [(namespaces[i % len(namespaces)], f"{prefix}{i}") for i in range(count)]


def render(manifests, output="json", generate_secrets=True, timeout=600):
    """Renders IncidentPlatform manifests with `incident-operator render` -> (objects or text, seconds)."""
    text = "\n---\n".join(json.dumps(m) for m in manifests) + "\n"  # JSON is YAML
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        args = [binary(), "render", "-f", path, "-o", output]
        if generate_secrets:
            args.append("--generate-secrets")
        started = time.perf_counter()
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        elapsed = time.perf_counter() - started
    finally:
        os.unlink(path)
    if result.returncode != 0:
        raise RuntimeError(f"render failed ({result.returncode}): {result.stderr[-2000:]}")
    if output == "json":
        return json.loads(result.stdout).get("items", []), elapsed
    return result.stdout, elapsed


def child_keys(objects):
    """(kind, namespace, name) of rendered objects."""
    return {(o["kind"], (o.get("metadata") or {}).get("namespace") if o["kind"] not in CLUSTER_KINDS else None,
             o["metadata"]["name"]) for o in objects}


def live_children(api, namespace=None):
    """(kind, namespace, name) -> object of every object labelled as the operator's, in a namespace or all."""
    out = {}
    for kind in CHILD_KINDS:
        ns = None if kind in CLUSTER_KINDS else namespace
        for o in api.list(list_path(kind, ns), MANAGED_BY):
            meta = o.get("metadata") or {}
            if kind in CLUSTER_KINDS and namespace and not meta.get("name", "").startswith(namespace + "-"):
                continue
            out[(kind, meta.get("namespace"), meta.get("name"))] = o
    return out


def phase(obj):
    return ((obj or {}).get("status") or {}).get("phase")


def condition(obj, kind):
    for c in ((obj or {}).get("status") or {}).get("conditions") or []:
        if c.get("type") == kind:
            return c
    return None


def platform_phases(api, namespace=None):
    """(namespace, name) -> phase of every IncidentPlatform."""
    return {(o["metadata"].get("namespace"), o["metadata"]["name"]): phase(o) for o in api.list(platforms_path(namespace))}


def wait_phases(api, keys, timeout, accept=("Ready",), interval=0.5, operator=None, what="platforms", stall=180):
    """Waits until every (namespace, name) in `keys` has a phase in `accept`; returns the seconds it took.
    Gives up after `timeout` seconds, or earlier when no platform reached the phase for `stall` seconds."""
    started = time.monotonic()
    keys = set(keys)
    progress = {"done": -1, "since": started}

    def done():
        if operator is not None:
            operator.check_alive()
        phases = platform_phases(api)
        count = sum(1 for k in keys if phases.get(k) in accept)
        if count != progress["done"]:
            progress["done"], progress["since"] = count, time.monotonic()
        elif time.monotonic() - progress["since"] > stall:
            raise TimeoutError(f"no progress for {stall} s")
        return count == len(keys)
    try:
        wait_until(done, timeout, interval=interval, what=f"{len(keys)} {what} to be {'/'.join(accept)}")
    except TimeoutError:
        objects = {(o["metadata"].get("namespace"), o["metadata"]["name"]): o for o in api.list(platforms_path())}
        missing = sorted(k for k in keys if phase(objects.get(k)) not in accept)
        sample = {k: phase(objects.get(k)) for k in missing[:5]}
        first = objects.get(missing[0]) if missing else None
        why = ((condition(first, "Ready") or {}).get("message") or "")[:400]
        raise TimeoutError(f"after {time.monotonic() - started:.0f} s, {len(missing)} of {len(keys)} {what} are not "
                           f"{'/'.join(accept)} (e.g. {sample}; {missing[0] if missing else ''} says: {why!r})")
    return time.monotonic() - started


class Watch:
    """Streams watch events of one list path in a thread and calls `on_event(type, object, t)` for each.

    Lists first (the items arrive as ADDED with `initial=True`), then watches from the list's resourceVersion;
    resumes after a closed stream and lists again after a 410 Expired, until stopped.
    """

    def __init__(self, base_url, path, on_event, selector=None, initial=True):
        parsed = urllib.parse.urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.path, self.selector, self.on_event, self.initial = path, selector, on_event, initial
        self._stop = threading.Event()
        self._conn = None
        self.synced = threading.Event()
        self.errors = []
        self.lists = 0  # requests this watch sent, so that benchmarks can leave them out of the counts
        self.watches = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, timeout=30):
        self._thread.start()
        if not self.synced.wait(timeout):
            raise TimeoutError(f"watch of {self.path} did not list within {timeout} s: {self.errors[-1:]}")
        return self

    def _query(self, extra):
        q = dict(extra)
        if self.selector:
            q["labelSelector"] = self.selector
        return self.path + "?" + urllib.parse.urlencode(q)

    def _run(self):
        api = Api(f"http://{self.host}:{self.port}", timeout=30)
        rv = None
        while not self._stop.is_set():
            try:
                if rv is None:
                    self.lists += 1
                    page = api.get(self._query({}))
                    rv = page["metadata"]["resourceVersion"]
                    now = time.monotonic()
                    if self.initial:
                        for item in page.get("items") or []:
                            self.on_event("ADDED", item, now, True)
                    self.synced.set()
                rv = self._stream(rv)
            except Exception as error:  # noqa: BLE001 - a watch outlives every failure until it is stopped
                self.errors.append(str(error))
                if self._stop.wait(0.2):
                    break
        api.close()

    def _stream(self, rv):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=3600)
        self._conn = conn
        try:
            self.watches += 1
            conn.request("GET", self._query({"watch": "1", "resourceVersion": rv, "allowWatchBookmarks": "true",
                                             "timeoutSeconds": "3600"}))
            resp = conn.getresponse()
            if resp.status == 410:
                return None
            if resp.status != 200:
                raise RuntimeError(f"watch {self.path}: {resp.status} {resp.read()[:200]!r}")
            while not self._stop.is_set():
                line = resp.readline()
                if not line:
                    return rv
                line = line.strip()
                if not line:
                    continue
                event = json.loads(line)
                obj = event.get("object") or {}
                kind = event.get("type")
                if kind == "ERROR":
                    return None if obj.get("code") == 410 else rv
                new_rv = (obj.get("metadata") or {}).get("resourceVersion")
                if new_rv:
                    rv = new_rv
                if kind != "BOOKMARK":
                    self.on_event(kind, obj, time.monotonic(), False)
            return rv
        finally:
            conn.close()
            self._conn = None

    def stop(self):
        self._stop.set()
        conn = self._conn
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)


class Workdir:
    """A temporary directory kept when $BENCH_KEEP is set (for reading the processes' logs)."""

    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {self.path}")
        else:
            subprocess.run(["rm", "-rf", self.path], check=False)


def env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not an integer")


def env_ints(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a comma-separated list of integers, e.g. 100,1000")


def seeded_random(seed_env="CHAOS_SEED"):
    seed = env_int(seed_env, int(time.time()))
    return seed, random.Random(seed)
