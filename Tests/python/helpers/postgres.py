"""A throwaway PostgreSQL server for the services' tests and benchmark (Debian's PostgreSQL 15, see TOOLS.md).

The server refuses to run as root, so when the tests run as root the data directory belongs to `nobody` and
initdb, pg_ctl and postgres run under `runuser -u nobody --`. It listens on 127.0.0.1 only, on a free port, with
its Unix socket in its own directory (`-k DIR`), scram-sha-256 authentication and a random password. `stop()` and
`start()` may be called repeatedly (the readiness test starts a service before its database); `cleanup()` stops
it and removes the directory. Standard library only (bench/bench.py imports it with any python3); the pytest
fixtures at the bottom are defined only when pytest is importable.

    server = PostgresServer().init().start()
    env = server.env()               # DATABASE_HOST/PORT/NAME/USER/PASSWORD/SSLMODE for incident-platform
    server.psql("SELECT 1")          # psql over TCP with the password
    server.cleanup()
"""
import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

INSTALL_HINT = ("PostgreSQL is missing: `make deps` installs it (apt-get install postgresql postgresql-contrib; "
                "the tests start their own server as an unprivileged user on a free port)")
DEFAULT_DATABASE = "incidents"
USER = "postgres"
UNPRIVILEGED = "nobody"


def bin_dir():
    """Debian's PostgreSQL binaries: /usr/lib/postgresql/15/bin, else the newest /usr/lib/postgresql/*/bin."""
    preferred = "/usr/lib/postgresql/15/bin"
    if os.path.exists(os.path.join(preferred, "initdb")):
        return preferred
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.exists(os.path.join(d, "initdb"))]

    def version(path):
        try:
            return int(path.split("/")[-2])
        except ValueError:
            return 0
    if not found:
        raise PostgresMissing(INSTALL_HINT)
    return sorted(found, key=version)[-1]


def tool(name):
    """The path of a PostgreSQL program (initdb, pg_ctl, psql, pgbench); PostgresMissing if it is not installed."""
    path = os.path.join(bin_dir(), name)
    if not os.path.exists(path):
        raise PostgresMissing(f"{path} is missing. {INSTALL_HINT}")
    return path


class PostgresMissing(RuntimeError):
    """PostgreSQL (or one of its programs) is not installed."""


class PostgresError(RuntimeError):
    """A PostgreSQL command failed; the message carries its output and the tail of the server log."""


def _base_dir():
    """$TMPDIR when `nobody` can reach it (every ancestor searchable by others), else /tmp: a pytest tmp_path or a
    root-owned 0700 TMPDIR would make initdb fail with "could not change directory ... Permission denied"."""
    base = tempfile.gettempdir()
    path = os.path.abspath(base)
    while True:
        try:
            if not os.stat(path).st_mode & 0o001:
                return "/tmp"
        except OSError:
            return "/tmp"
        parent = os.path.dirname(path)
        if parent == path:
            return base
        path = parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One throwaway cluster in a temporary directory (data/, log, pw, the socket)."""

    def __init__(self, port=None, password=None, database=DEFAULT_DATABASE, settings=None, prefix="pg-test-"):
        self.port = port or free_port()
        self.password = password or secrets.token_hex(12)
        self.database = database
        # server settings (-c name=value): e.g. {"fsync": "off"} for tests that do not measure anything
        self.settings = dict(settings or {})
        self.dir = tempfile.mkdtemp(prefix=prefix, dir=_base_dir() if os.geteuid() == 0 else None)
        self.data = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "log")
        self.as_root = os.geteuid() == 0
        self.initialised = False
        self.running = False
        if self.as_root:
            shutil.chown(self.dir, user=UNPRIVILEGED)
        os.chmod(self.dir, 0o700)

    # MARK: life cycle

    def _run_as_owner(self, args, timeout=60):
        command = (["runuser", "-u", UNPRIVILEGED, "--"] if self.as_root else []) + args
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        if run.returncode != 0:
            raise PostgresError(f"{' '.join(command)} failed ({run.returncode}):\n{run.stdout}{run.stderr}"
                                f"{self.log_tail()}")
        return run

    def init(self):
        """initdb with scram-sha-256 and the password from a pwfile; then the database `self.database` exists
        once the server first starts."""
        if self.initialised:
            return self
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        if self.as_root:
            shutil.chown(pwfile, user=UNPRIVILEGED)
        os.chmod(pwfile, 0o600)
        self._run_as_owner([tool("initdb"), "-D", self.data, "-U", USER, "--auth=scram-sha-256",
                            f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], timeout=120)
        os.unlink(pwfile)
        self.initialised = True
        return self

    def start(self, timeout=30):
        """pg_ctl start on 127.0.0.1:self.port (socket in self.dir); waits until it accepts connections."""
        self.init()
        if self.running:
            return self
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        for name, value in self.settings.items():
            options += f" -c {name}={value}"
        self._run_as_owner([tool("pg_ctl"), "-D", self.data, "-l", self.log_path, "-w", "-t", str(timeout),
                            "-o", options, "start"], timeout=timeout + 10)
        self.running = True
        if not getattr(self, "_database_created", False):
            exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'", database="postgres")
            if not exists.strip():
                self.psql(f'CREATE DATABASE "{self.database}"', database="postgres")
            self._database_created = True
        return self

    def stop(self, mode="fast", timeout=30):
        """pg_ctl stop (-m fast: disconnect clients, shut down cleanly)."""
        if self.running:
            self._run_as_owner([tool("pg_ctl"), "-D", self.data, "-m", mode, "-w", "-t", str(timeout), "stop"],
                               timeout=timeout + 10)
            self.running = False
        return self

    def cleanup(self):
        """Stops the server (immediate mode if a fast stop fails) and removes its directory."""
        try:
            self.stop()
        except (PostgresError, subprocess.TimeoutExpired):
            try:
                self.stop(mode="immediate")
            except (PostgresError, subprocess.TimeoutExpired):
                self._kill_postmaster()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _kill_postmaster(self):
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                pid = int(f.readline())
            os.kill(pid, 9)
        except (OSError, ValueError):
            pass
        self.running = False

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # MARK: clients

    def env(self, sslmode="disable"):
        """The DATABASE_* variables incident-platform reads."""
        return {"DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": str(self.port), "DATABASE_NAME": self.database,
                "DATABASE_USER": USER, "DATABASE_PASSWORD": self.password, "DATABASE_SSLMODE": sslmode}

    def client_env(self):
        """Environment for libpq programs (psql, pgbench) that connect over TCP with the password."""
        return dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(self.port), PGUSER=USER, PGPASSWORD=self.password,
                    PGDATABASE=self.database, PGSSLMODE="disable", PGCONNECT_TIMEOUT="5")

    def psql(self, sql, database=None, timeout=60):
        """Runs SQL with psql (-At: unaligned, tuples only); returns its standard output."""
        run = subprocess.run([tool("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-At", "-d", database or self.database,
                              "-c", sql], capture_output=True, text=True, timeout=timeout, env=self.client_env())
        if run.returncode != 0:
            raise PostgresError(f"psql -c {sql!r} failed ({run.returncode}): {run.stderr}{self.log_tail()}")
        return run.stdout

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as f:
                tail = f.readlines()[-lines:]
        except OSError:
            return ""
        return "\n--- postgres log (tail) ---\n" + "".join(tail) if tail else ""


def wait_accepting(port, timeout=10):
    """Waits until something accepts TCP connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


try:
    import pytest
except ImportError:  # bench/bench.py runs with a bare python3
    pytest = None

if pytest is not None:
    def _require_postgres():
        try:
            tool("initdb")
            tool("pg_ctl")
            tool("psql")
        except PostgresMissing as e:
            pytest.fail(str(e), pytrace=False)  # never skip: a missing peer is a broken set-up

    @pytest.fixture
    def postgres():
        """A started throwaway server (fsync off: tests do not measure); stopped and removed afterwards."""
        _require_postgres()
        server = PostgresServer(settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"})
        try:
            server.start()
            yield server
        finally:
            server.cleanup()

    @pytest.fixture
    def postgres_factory():
        """Makes servers that are initialised but not started (`.start()` them); all removed afterwards."""
        _require_postgres()
        servers = []

        def make(**kwargs):
            kwargs.setdefault("settings", {"fsync": "off", "synchronous_commit": "off"})
            server = PostgresServer(**kwargs)
            servers.append(server)
            return server.init()
        try:
            yield make
        finally:
            for server in servers:
                server.cleanup()
