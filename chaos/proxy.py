"""A recording HTTP/1.1 proxy: one per operator replica, so that every write is attributed to the replica that sent it.

The proxy forwards bytes unchanged in both directions (keep-alive and streamed watch answers included) and parses
only the requests: for each one it records the wall-clock time, the method and the path, and for writes to Leases
the `holderIdentity` in the body. The chaos suite uses the log to check that no two replicas reconcile at once.
"""
import asyncio
import json
import threading
import time


class RecordingProxy:
    """Listens on 127.0.0.1 (a free port) and forwards every connection to 127.0.0.1:`upstream_port`."""

    def __init__(self, upstream_port, label):
        self.upstream_port = upstream_port
        self.label = label
        self.port = None
        self.entries = []  # dicts: t (time.time()), method, path, holder (lease writes only)
        self._lock = threading.Lock()
        self._loop = None
        self._server = None
        self._thread = None
        self._ready = threading.Event()

    def start(self):
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"proxy-{self.label}")
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError(f"proxy {self.label} did not start")
        return self

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    def stop(self):
        if self._loop is None:
            return

        async def shutdown():
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def log(self):
        with self._lock:
            return list(self.entries)

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        back = asyncio.ensure_future(self._pipe(up_reader, writer))
        try:
            await self._requests(reader, up_writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, asyncio.CancelledError):
            pass  # the connection ends; the replica reconnects (or the proxy is stopping)
        finally:
            up_writer.close()
            back.cancel()
            writer.close()

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _requests(self, reader, up):
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            t = time.time()
            lines = head.decode("latin-1").split("\r\n")
            method, path = lines[0].split(" ")[:2]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, _, v = line.partition(":")
                    headers[k.strip().lower()] = v.strip()
            up.write(head)
            body = bytearray()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size_line = await reader.readuntil(b"\r\n")
                    up.write(size_line)
                    size = int(size_line.split(b";")[0].strip(), 16)
                    chunk = await reader.readexactly(size + 2)
                    up.write(chunk)
                    if len(body) < 65536:
                        body += chunk[:-2]
                    if size == 0:
                        # trailers end with an empty line (already consumed for the common no-trailer case)
                        break
            else:
                length = int(headers.get("content-length", "0") or 0)
                if length:
                    data = await reader.readexactly(length)
                    up.write(data)
                    body += data[:65536]
            await up.drain()
            entry = {"t": t, "method": method, "path": path.split("?")[0]}
            if method in ("POST", "PUT", "PATCH") and "/leases" in path:
                entry["holder"] = _holder(bytes(body))
            with self._lock:
                self.entries.append(entry)


def _holder(body):
    try:
        return ((json.loads(body) or {}).get("spec") or {}).get("holderIdentity")
    except ValueError:
        return None
