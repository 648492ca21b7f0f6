"""The `incident-operator sandbox` command line: flags, usage errors, clean stop."""
import signal
import subprocess

from test_sandbox_support import BIN, Sandbox


def run(*args):
    return subprocess.run([BIN, "sandbox", *args], capture_output=True, text=True, timeout=30)


def test_help_lists_every_flag():
    out = run("--help").stdout
    for flag in ["--listen", "--kubeconfig-out", "--nodes", "--ready-delay", "--data-dir", "--faults", "--token"]:
        assert flag in out


def test_bad_flags_are_usage_errors_naming_the_flag():
    r = run("--faults", "explode=1")
    assert r.returncode == 2 and "unknown fault \"explode\"" in r.stderr
    r = run("--listen", "localhost")
    assert r.returncode == 2 and "--listen" in r.stderr
    r = run("--ready-delay", "soon")
    assert r.returncode == 2 and "--ready-delay" in r.stderr
    r = run("--nodes", "0")
    assert r.returncode == 2 and "--nodes" in r.stderr


def test_prints_the_kubeconfig_hint_and_stops_cleanly_on_sigterm(tmp_path):
    s = Sandbox(tmp_path, "--nodes", "1", "--faults", "latency=1ms").start()
    try:
        assert len(s.get_json("nodes")["items"]) == 1
        kubeconfig = open(s.kubeconfig).read()
        assert f"server: http://127.0.0.1:{s.port}" in kubeconfig
    finally:
        s.process.send_signal(signal.SIGTERM)
        assert s.process.wait(timeout=15) == 0
