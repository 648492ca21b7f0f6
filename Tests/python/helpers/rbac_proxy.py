"""An HTTP proxy in front of the sandbox that acts as one user and enforces Kubernetes RBAC for it.

Every request is authorized against the ClusterRoles, ClusterRoleBindings, Roles and RoleBindings stored in the
sandbox at that moment (read with the sandbox's admin access), the way the API server's RBAC authorizer does:
verb from the method and query, `resource/subresource`, namespaces, resourceNames, `*` wildcards; discovery and
OpenAPI paths are open (as `system:discovery` grants them). A server-side apply of an object that does not exist
yet also needs `create`. A denied request gets Kubernetes' 403 Forbidden Status and is recorded in `denials`.

This stands in for RBAC enforcement in the sandbox itself (docs/delivery.md says what the sandbox should offer);
it is test code: one user per proxy, loopback only, no TLS.
"""
import http.client
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPEN_PREFIXES = ("/api", "/apis", "/version", "/openapi", "/healthz", "/readyz", "/livez")
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
               "content-length", "host"}


class Request:
    """What RBAC sees of one API request: verb, group, resource (with subresource), namespace, name."""

    def __init__(self, method, path, query):
        self.method = method
        self.path = path
        self.query = query
        self.is_resource, self.group, self.resource, self.namespace, self.name = self._parse(path)
        self.verb = self._verb(method, query)

    @staticmethod
    def _parse(path):
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["api"] and len(parts) >= 3:
            group, rest = "", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 4:
            group, rest = parts[1], parts[3:]
        else:
            return False, None, None, None, None
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in ("status", "finalize"):
            namespace, rest = rest[1], rest[2:]
        resource = rest[0]
        name = rest[1] if len(rest) >= 2 else None
        if len(rest) >= 3:
            resource += "/" + rest[2]
        return True, group, resource, namespace, name

    def _verb(self, method, query):
        if method == "GET":
            if query.get("watch", ["false"])[0] in ("true", "1"):
                return "watch"
            return "get" if self.name else "list"
        return {"POST": "create", "PUT": "update", "PATCH": "patch",
                "DELETE": "delete" if self.name else "deletecollection"}.get(method, method.lower())

    def describe(self):
        if not self.is_resource:
            return f"{self.method} {self.path}"
        where = f' in the namespace "{self.namespace}"' if self.namespace else ""
        target = f'{self.resource} "{self.name}"' if self.name else self.resource
        return f'{self.verb} {target} (API group "{self.group}"){where}'


def rule_allows(rule, verb, group, resource, name):
    def has(values, wanted):
        return "*" in values or wanted in values
    return (has(rule.get("verbs", []), verb) and has(rule.get("apiGroups", []), group)
            and has(rule.get("resources", []), resource)
            and (not rule.get("resourceNames") or name in rule["resourceNames"]))


class RBACProxy:
    """Forwards to `upstream` (the sandbox's URL) as `user` with `groups`, allowing only what RBAC grants."""

    def __init__(self, upstream, user, groups=()):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.user = user
        self.groups = set(groups) | {"system:authenticated"}
        self.denials = []
        self.allowed = []
        self._lock = threading.Lock()
        self._server = None

    @classmethod
    def for_service_account(cls, upstream, namespace, name):
        return cls(upstream, f"system:serviceaccount:{namespace}:{name}",
                   ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"])

    # --- authorization -------------------------------------------------------------------------------------------

    def _admin_get(self, path):
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read()
            return response.status, (json.loads(body) if body else {})
        finally:
            connection.close()

    def _items(self, path):
        status, body = self._admin_get(path)
        return body.get("items", []) if status == 200 else []

    def _subject_matches(self, subject, binding_namespace):
        kind = subject.get("kind")
        if kind == "User":
            return subject.get("name") == self.user
        if kind == "Group":
            return subject.get("name") in self.groups
        if kind == "ServiceAccount":
            namespace = subject.get("namespace") or binding_namespace
            return self.user == f"system:serviceaccount:{namespace}:{subject.get('name')}"
        return False

    def _rules(self, ref, binding_namespace):
        if ref.get("kind") == "ClusterRole":
            status, role = self._admin_get(f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{ref['name']}")
        else:
            status, role = self._admin_get(
                f"/apis/rbac.authorization.k8s.io/v1/namespaces/{binding_namespace}/roles/{ref['name']}")
        return role.get("rules") or [] if status == 200 else []

    def allows(self, verb, group, resource, namespace, name):
        """Whether RBAC, as stored in the sandbox now, grants this user the request."""
        bindings = [(b, None) for b in self._items("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")]
        if namespace:
            bindings += [(b, namespace) for b in
                         self._items(f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings")]
        for binding, binding_namespace in bindings:
            if not any(self._subject_matches(s, binding_namespace) for s in binding.get("subjects") or []):
                continue
            for rule in self._rules(binding["roleRef"], binding_namespace):
                if rule_allows(rule, verb, group, resource, name):
                    return True
        return False

    def authorize(self, request, content_type):
        """None when allowed, else the denial text."""
        if not request.is_resource:
            return None if request.path.startswith(OPEN_PREFIXES) else f"non-resource URL {request.path}"
        verbs = [request.verb]
        if request.verb == "patch" and content_type.startswith("application/apply-patch"):
            base = request.path.split("?")[0]
            if request.resource.count("/") == 0 and self._admin_get(base)[0] == 404:
                verbs.append("create")
        for verb in verbs:
            if not self.allows(verb, request.group, request.resource, request.namespace, request.name):
                request.verb = verb
                return f'User "{self.user}" cannot {request.describe()}'
        return None

    # --- serving -------------------------------------------------------------------------------------------------

    def start(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                url = urllib.parse.urlsplit(self.path)
                request = Request(self.command, url.path, urllib.parse.parse_qs(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                denial = proxy.authorize(request, self.headers.get("Content-Type", ""))
                with proxy._lock:
                    (proxy.denials if denial else proxy.allowed).append(denial or request.describe())
                if denial:
                    status = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 403,
                                         "reason": "Forbidden", "message": f"forbidden: {denial}"}).encode()
                    self.send_response(403)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(status)))
                    self.end_headers()
                    self.wfile.write(status)
                    return
                self._forward(body)

            def _forward(self, body):
                upstream = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=3600)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_HEADERS:
                        self.send_header(key, value)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    while True:
                        chunk = response.read1(65536)
                        if not chunk:
                            break
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    upstream.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def write_kubeconfig(self, path):
        path.write_text(json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": "rbac",
            "clusters": [{"name": "rbac", "cluster": {"server": self.url}}],
            "users": [{"name": self.user, "user": {}}],
            "contexts": [{"name": "rbac", "context": {"cluster": "rbac", "user": self.user}}],
        }), encoding="utf-8")
        return path
