#!/usr/bin/env python3
"""A TLS terminator for tests: accepts TLS on 127.0.0.1 (free port, printed on stdout), requires a client
certificate signed by --client-ca, and forwards the plain bytes to --backend-port. Exits after --lifetime seconds."""
import argparse, os, sys, socket, ssl, threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(conn, ctx, backend_port):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError):
        conn.close()
        return
    try:
        upstream = socket.create_connection(("127.0.0.1", backend_port))
    except OSError:
        tls.close()
        return
    threading.Thread(target=pump, args=(tls, upstream), daemon=True).start()
    pump(upstream, tls)


def exit_when_stdin_closes():
    """The test holds our stdin open: when it exits or lets go, so do we."""
    def wait():
        sys.stdin.buffer.read()
        os._exit(0)
    threading.Thread(target=wait, daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--client-ca", required=True)
    p.add_argument("--backend-port", type=int, required=True)
    p.add_argument("--lifetime", type=float, default=300)
    a = p.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ctx.load_verify_locations(a.client_ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.set_alpn_protocols(["http/1.1"])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    threading.Timer(a.lifetime, lambda: os._exit(0)).start()
    exit_when_stdin_closes()
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, ctx, a.backend_port), daemon=True).start()


if __name__ == "__main__":
    main()
