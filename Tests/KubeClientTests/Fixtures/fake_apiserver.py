#!/usr/bin/env python3
"""A tiny stand-in for the Kubernetes API server, for KubeClient's transport tests.

Binds 127.0.0.1 on a free port, prints the port on the first line of stdout, exits by itself after --lifetime
seconds. Endpoints:
  /echo/...                 any method: answers the request as JSON (method, path, query, headers, body, clientPort)
  /status/<code>            answers a Status with that code (429 also sends Retry-After: 7)
  /text/<code>              answers plain text with that code (no Status)
  any path with ?watch=1    a watch, chosen by the namespace in the path (/api/v1/namespaces/<mode>/...):
  /watch/split              a watch stream whose lines are cut across chunks and packed several per chunk
  /watch/forever            ADDED then a BOOKMARK every 100 ms until the client disconnects
  /watch/gone               410 Status as an answer
  /debug/stats              {"watchClosed": n, "requests": {token: count}, "rejected": n}
With --token-file, every request but /debug/stats needs "Authorization: Bearer <token>" with a token listed in the
file (one per line, re-read on every request); otherwise 401 with a Status.
"""
import argparse, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qsl

STATS = {"watchClosed": 0, "requests": {}, "rejected": 0}
LOCK = threading.Lock()
ARGS = None


def status(code, reason, message, details=None):
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
         "code": code, "reason": reason, "message": message}
    if details is not None:
        s["details"] = details
    return s


REASONS = {400: "BadRequest", 401: "Unauthorized", 404: "NotFound", 409: "AlreadyExists", 410: "Expired",
           422: "Invalid", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, obj, extra=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def authorized(self):
        if not ARGS.token_file:
            return True
        with open(ARGS.token_file) as f:
            tokens = {line.strip() for line in f if line.strip()}
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        with LOCK:
            if token in tokens:
                STATS["requests"][token] = STATS["requests"].get(token, 0) + 1
                return True
            STATS["rejected"] += 1
        self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        return False

    def handle_any(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/debug/stats":
            with LOCK:
                return self.send_json(200, STATS)
        if not self.authorized():
            return
        if url.path.startswith("/echo"):
            return self.send_json(200, {
                "method": self.command, "path": url.path, "rawQuery": url.query,
                "query": dict(parse_qsl(url.query)), "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode(), "clientPort": self.client_address[1]})
        if url.path.startswith("/status/"):
            code = int(url.path.split("/")[2])
            reason = REASONS.get(code, "")
            details = {"retryAfterSeconds": 3} if code == 503 else {"name": "x", "kind": "configmaps"}
            extra = {"Retry-After": "7"} if code == 429 else {}
            if code == 409 and "conflict" in url.query:
                reason = "Conflict"
            return self.send_json(code, status(code, reason, "test status %d" % code, details), extra)
        if url.path.startswith("/text/"):
            code = int(url.path.split("/")[2])
            data = b"upstream proxy says no"
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        query = dict(parse_qsl(url.query))
        if query.get("watch") == "1" and "/namespaces/" in url.path:
            mode = url.path.split("/namespaces/")[1].split("/")[0]
            url = urlsplit("/watch/" + mode)
        if url.path == "/watch/gone":
            return self.send_json(410, status(410, "Expired", "too old resource version: 1 (5)"))
        if url.path.startswith("/watch/"):
            return self.watch(url.path.split("/")[2])
        self.send_json(404, status(404, "NotFound", "no route %s" % url.path))

    def watch(self, mode):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        def event(t, name, rv):
            return (json.dumps({"type": t, "object": {"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": name, "namespace": "default", "resourceVersion": str(rv)}}}) + "\n").encode()
        try:
            if mode == "split":
                data = event("ADDED", "a", 1) + event("MODIFIED", "a", 2) + event("DELETED", "a", 3)
                data += (json.dumps({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "metadata": {"resourceVersion": "9"}}}) + "\n").encode()
                data += (json.dumps({"type": "ERROR", "object": status(410, "Expired", "too old resource version: 1 (9)")}) + "\n").encode()
                # Cut mid-line, then several lines at once, then byte by byte.
                cuts = [7, 30, len(data) // 2, len(data) - 20, len(data) - 5]
                start = 0
                for cut in cuts + [len(data)]:
                    self.chunk(data[start:cut])
                    start = cut
                    time.sleep(0.02)
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            elif mode == "forever":
                self.chunk(event("ADDED", "a", 1))
                deadline = time.time() + 30
                rv = 2
                while time.time() < deadline:
                    time.sleep(0.1)
                    self.chunk((json.dumps({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "metadata": {"resourceVersion": str(rv)}}}) + "\n").encode())
                    rv += 1
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, OSError):
            with LOCK:
                STATS["watchClosed"] += 1
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def exit_when_stdin_closes():
    """The test holds our stdin open: when it exits or lets go, so do we."""
    def wait():
        sys.stdin.buffer.read()
        os._exit(0)
    threading.Thread(target=wait, daemon=True).start()


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--token-file")
    p.add_argument("--lifetime", type=float, default=300)
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Timer(ARGS.lifetime, lambda: os._exit(0)).start()
    exit_when_stdin_closes()
    server.serve_forever()


if __name__ == "__main__":
    main()
