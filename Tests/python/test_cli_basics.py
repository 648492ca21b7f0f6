"""Checks of the built binary's basic command-line contract."""
import os
import subprocess

BIN = os.environ.get("INCIDENT_OPERATOR_BIN", ".build/debug/incident-operator")


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)


def test_version_prints_the_binary_name():
    r = run("version")
    assert r.returncode == 0
    assert r.stdout.startswith("incident-operator ")


def test_unknown_command_is_a_usage_error():
    r = run("no-such-command")
    assert r.returncode == 2
    assert "unknown command" in r.stderr
