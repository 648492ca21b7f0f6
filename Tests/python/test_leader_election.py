"""Two `incident-operator run --leader-elect` processes against the sandbox: only the leader reconciles,
SIGKILL lets the standby take over within the lease duration, SIGTERM releases the lease (takeover < 3 s)."""
import json
import os
import signal
import subprocess
import time

import pytest

from test_sandbox_support import BIN, Sandbox

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LEASE = "incident-operator-leader"


@pytest.fixture()
def sandbox(tmp_path):
    s = Sandbox(tmp_path).start()
    crd = subprocess.run([BIN, "crd"], capture_output=True, text=True, check=True).stdout
    s.kubectl("apply", "-f", "-", input=crd)
    s.kubectl("create", "namespace", "incident-platform")
    yield s
    s.stop()


class Operator:
    def __init__(self, sandbox, tmp_path, name):
        self.log_path = os.path.join(str(tmp_path), f"{name}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [BIN, "run", "--kubeconfig", sandbox.kubeconfig, "--leader-elect", "--leader-election-namespace", "default",
             "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", "--log-format", "json"],
            stdout=self.log, stderr=self.log)

    def lines(self):
        with open(self.log_path) as f:
            out = []
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
            return out

    def identity(self):
        for line in self.lines():
            if line.get("msg") == "Waiting to lead":
                return line["identity"]
        return None

    def reconciled(self):
        return [l for l in self.lines() if l.get("msg") in ("Status updated", "Converged children")]

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def holder(sandbox):
    r = sandbox.kubectl("get", "lease", LEASE, "-n", "default", "-o", "json", check=False)
    if r.returncode != 0:
        return ""
    return json.loads(r.stdout)["spec"].get("holderIdentity", "")


def wait_for(what, predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def phase(sandbox):
    r = sandbox.kubectl("get", "incidentplatform", "incidents", "-n", "incident-platform", "-o", "json", check=False)
    return json.loads(r.stdout).get("status", {}).get("phase") if r.returncode == 0 else None


def test_leader_election_failover(sandbox, tmp_path):
    ops = [Operator(sandbox, tmp_path, "a"), Operator(sandbox, tmp_path, "b")]
    try:
        for op in ops:
            wait_for("an identity in the log", op.identity, 30)
        leader_id = wait_for("a leader", lambda: holder(sandbox), 30)
        leader = next(op for op in ops if op.identity() == leader_id)
        standby = next(op for op in ops if op is not leader)

        sandbox.kubectl("apply", "-f", os.path.join(ROOT, "examples", "platform.yaml"))
        wait_for("the platform to be Ready", lambda: phase(sandbox) == "Ready", 60)
        assert leader.reconciled(), "the leader never reconciled"
        assert not standby.reconciled(), "the standby reconciled"

        # SIGKILL: no release; the standby takes over once the lease (15 s) expires.
        killed = time.time()
        leader.process.send_signal(signal.SIGKILL)
        leader.process.wait()
        wait_for("the standby to lead", lambda: holder(sandbox) == standby.identity(), 25)
        assert time.time() - killed < 15 + 5

        # SIGTERM: the lease is released, a fresh standby takes over in under 3 s, the leader exits 0.
        third = Operator(sandbox, tmp_path, "c")
        ops.append(third)
        wait_for("the third operator to wait", third.identity, 30)
        time.sleep(1)
        terminated = time.time()
        standby.process.send_signal(signal.SIGTERM)
        wait_for("the third operator to lead", lambda: holder(sandbox) == third.identity(), 3)
        assert time.time() - terminated < 3
        assert standby.process.wait(timeout=10) == 0
    finally:
        for op in ops:
            op.stop()
