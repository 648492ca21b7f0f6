#!/usr/bin/env python3
"""`make chaos`: the operator under faults, kills, leader changes, API server restarts, bad input and churn.

Every scenario starts its own sandbox and operator(s) on loopback ports, prints one summary line
(`PASS name: ...` or `FAIL name: ...`), and the suite exits 1 if any scenario failed. Sizes come from the environment:

  CHAOS_ONLY=faults,kill,leader,restart,fuzz,soak   run only these scenarios (in this order)
  CHAOS_PLATFORMS=50        platforms of the faults, kill, leader and restart scenarios
  CHAOS_KILLS=10            SIGKILLs of the kill and leader scenarios
  CHAOS_FUZZ=1000           mutated specs of the fuzz scenario
  CHAOS_SOAK_SECONDS=600    length of the soak; CHAOS_SOAK_POOL=20 platform names it churns
  CHAOS_SOAK_WRAP=          a command the soak's operator runs under, e.g. `heaptrack -o /tmp/soak-ht` (its own
                            process is still the one sampled, and it gets SIGTERM first so the profiler can finish)
  CHAOS_SEED=               the random seed (printed; set it to replay a run)
  CHAOS_TIMEOUT=600         how long a scenario waits for convergence
  CHAOS_RESULTS=FILE        also write the results as JSON
  CHAOS_SMOKE=1             small sizes for `make test` (faults, kill and fuzz, a few platforms each)
  BENCH_KEEP=1              keep the temporary directories with the processes' logs
"""
import concurrent.futures
import copy
import datetime
import json
import os
import random
import shlex
import signal
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "bench"))
sys.path.insert(0, HERE)
import harness as h  # noqa: E402
from proxy import RecordingProxy  # noqa: E402

SMOKE = os.environ.get("CHAOS_SMOKE") == "1"
PLATFORMS = h.env_int("CHAOS_PLATFORMS", 3 if SMOKE else 50)
KILLS = h.env_int("CHAOS_KILLS", 3 if SMOKE else 10)
FUZZ = h.env_int("CHAOS_FUZZ", 30 if SMOKE else 1000)
SOAK_SECONDS = h.env_int("CHAOS_SOAK_SECONDS", 30 if SMOKE else 600)
SOAK_POOL = h.env_int("CHAOS_SOAK_POOL", 5 if SMOKE else 20)
SOAK_WRAP = os.environ.get("CHAOS_SOAK_WRAP", "")
TIMEOUT = h.env_int("CHAOS_TIMEOUT", 180 if SMOKE else 600)
DEFAULT_ONLY = "faults,kill,fuzz" if SMOKE else "faults,kill,leader,restart,fuzz,soak"
ONLY = [s for s in os.environ.get("CHAOS_ONLY", DEFAULT_ONLY).split(",") if s]
SEED, RNG = h.seeded_random("CHAOS_SEED")
NAMESPACES = ["chaos-0", "chaos-1", "chaos-2"] if SMOKE else [f"chaos-{i}" for i in range(5)]
# The sandbox's faults for the faults scenario: 20 % of writes answered 500 or 429, watches cut every 5 s, the
# watch history compacted (old resourceVersions give 410) every 7 s, 200 ms added to every request.
FAULTS = os.environ.get("CHAOS_FAULTS", "write-error-rate=0.1,write-throttle-rate=0.1,watch-close=5s,compact=7s,"
                        + ("latency=50ms" if SMOKE else "latency=200ms"))

RESOURCE_OF_KIND = {kind: h.list_path(kind).rsplit("/", 1)[1] for kind in h.CHILD_KINDS}


class Failed(Exception):
    """A scenario's check failed; the message says which and how."""


class Scenario:
    """One scenario's workdir, sandbox and API client (with retries: the sandbox may be injecting faults)."""

    def __init__(self, workdir, **sandbox_args):
        self.workdir = workdir
        self.sandbox = h.Sandbox(workdir, **sandbox_args).start()
        self.api = self.sandbox.api(retries=20)
        h.install_crd(self.api)
        h.ensure_namespaces(self.api, NAMESPACES)
        self.operators = []
        self.details = {}

    def operator(self, label="operator", leader_elect=False, kubeconfig=None, extra=(), wait=True):
        op = h.Operator(self.workdir, kubeconfig or self.sandbox.kubeconfig, label=label, leader_elect=leader_elect,
                        extra=["--log-level", "info", *extra])
        self.operators.append(op)
        return op.start(wait_ready=wait, timeout=120)

    def close(self):
        for op in self.operators:
            op.stop()
        self.sandbox.stop()


def manifests_for(count, prefix="p", namespaces=None):
    return [h.platform(name, ns) for ns, name in h.spread(count, namespaces or NAMESPACES, prefix)]


def keys_of(manifests):
    return [(m["metadata"]["namespace"], m["metadata"]["name"]) for m in manifests]


def create_all(api, manifests, threads=8):
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda m: api.create(h.platforms_path(m["metadata"]["namespace"]), m), manifests))


def check_converged(scenario, manifests, operator=None, timeout=None):
    """Waits until every platform is Ready, then checks the children: exactly the rendered set, no orphans,
    each namespaced child owned (controller=true) by its platform's current uid. Returns the seconds it waited."""
    api = scenario.api
    seconds = h.wait_phases(api, keys_of(manifests), timeout or TIMEOUT, operator=operator)
    expected = h.child_keys(h.render(manifests)[0])
    live = {}
    for ns in sorted({m["metadata"]["namespace"] for m in manifests}):
        live.update(h.live_children(api, ns))
    names = {(m["metadata"]["namespace"], m["metadata"]["name"]) for m in manifests}
    problems = []
    missing = expected - set(live)
    # A PVC is never deleted by a spec change (a disabled component's volume is kept by design).
    extra = {k for k in set(live) - expected if (_instance_key(live[k]) in names or k[0] in h.CLUSTER_KINDS)
             and k[0] != "PersistentVolumeClaim"}
    if missing:
        problems.append(f"{len(missing)} children missing, e.g. {sorted(missing)[:3]}")
    if extra:
        problems.append(f"{len(extra)} unexpected (orphaned or duplicate) children, e.g. {sorted(extra)[:3]}")
    uids = {(o["metadata"]["namespace"], o["metadata"]["name"]): o["metadata"]["uid"]
            for o in api.list(h.platforms_path())}
    for key, obj in live.items():
        if key[0] in h.CLUSTER_KINDS or key not in expected:
            continue
        owners = [r for r in (obj["metadata"].get("ownerReferences") or []) if r.get("controller")]
        if _retained_data(key, obj) and not owners:
            continue  # deletionPolicy Retain: the database's data is deliberately not owned
        want = uids.get(_instance_key(obj))
        if len(owners) != 1 or owners[0].get("uid") != want:
            problems.append(f"{key} has controller owners {[(o.get('name'), o.get('uid')) for o in owners]}, "
                            f"expected exactly its platform (uid {want})")
            break
    if problems:
        raise Failed("; ".join(problems))
    return seconds


def _instance_key(obj):
    meta = obj.get("metadata") or {}
    return meta.get("namespace"), (meta.get("labels") or {}).get("app.kubernetes.io/instance")


def check_created_once(delta, manifests):
    """Every child was created exactly once: the sandbox answered 201 to one POST or apply per child, and the
    operator deleted nothing (the faults and kills must not make it delete and recreate)."""
    expected = {}
    for kind, _, _ in h.child_keys(h.render(manifests)[0]):
        expected[RESOURCE_OF_KIND[kind]] = expected.get(RESOURCE_OF_KIND[kind], 0) + 1
    created, deleted = {}, {}
    for (verb, resource, code), n in delta.counts.items():
        if resource in expected and code == "201" and verb in ("POST", "APPLY"):
            created[resource] = created.get(resource, 0) + int(n)
        if resource in expected and verb in ("DELETE", "DELETECOLLECTION") and code.startswith("2"):
            deleted[resource] = deleted.get(resource, 0) + int(n)
    wrong = {r: (created.get(r, 0), n) for r, n in expected.items() if created.get(r, 0) != n}
    if wrong:
        raise Failed("children not created exactly once (resource: created, expected): "
                     + ", ".join(f"{r}: {c}, {n}" for r, (c, n) in sorted(wrong.items())))
    if deleted:
        raise Failed(f"the operator deleted children it should have kept: {deleted}")
    return sum(expected.values())


def generated_secrets(api):
    """(namespace, name) -> data of every Secret the operator generated."""
    return {(s["metadata"]["namespace"], s["metadata"]["name"]): s.get("data")
            for s in api.list(h.list_path("Secret"), h.MANAGED_BY)}


def check_secrets_kept(snapshots, final):
    """A generated Secret, once seen, never changes its data (the passwords are created once)."""
    for snapshot in snapshots:
        for key, data in snapshot.items():
            if key in final and final[key] != data:
                raise Failed(f"generated Secret {key[0]}/{key[1]} changed its data (a password was regenerated)")


# MARK: scenarios

def scenario_faults(workdir):
    """Faults from the sandbox (FAULTS): the platforms converge, every child exactly once, no crash."""
    s = Scenario(workdir, ready_delay="200ms", faults=FAULTS)
    try:
        op = s.operator(wait=True)
        before = s.sandbox.counts()
        manifests = manifests_for(PLATFORMS)
        started = time.monotonic()
        create_all(s.api, manifests)
        check_converged(s, manifests, operator=op)
        seconds = time.monotonic() - started
        delta = s.sandbox.counts() - before
        children = check_created_once(delta, manifests)
        faulted = sum(int(n) for (verb, _, code), n in delta.counts.items() if code in ("500", "429"))
        op.check_alive()
        return (f"{PLATFORMS} platforms ({children} children) converged in {seconds:.1f} s under {FAULTS}; "
                f"{faulted} requests answered 500/429; every child created once; operator alive "
                f"(restarts 0)"), {"seconds": seconds, "faulted_requests": faulted, "faults": FAULTS}
    finally:
        s.close()


def scenario_kill(workdir):
    """SIGKILL of the operator at random moments while the platforms converge."""
    s = Scenario(workdir, ready_delay="1s")
    try:
        op = s.operator(wait=True)
        before = s.sandbox.counts()
        manifests = manifests_for(PLATFORMS)
        started = time.monotonic()
        create_all(s.api, manifests)
        snapshots, pauses = [], []
        for _ in range(KILLS):
            pause = RNG.uniform(0.2, 2.0)
            pauses.append(round(pause, 2))
            time.sleep(pause)
            op.check_alive()
            op.kill(signal.SIGKILL)
            snapshots.append(generated_secrets(s.api))
            op.start(wait_ready=False)
        op.wait_ready(120)
        check_converged(s, manifests, operator=op)
        seconds = time.monotonic() - started
        final = generated_secrets(s.api)
        check_secrets_kept(snapshots, final)
        delta = s.sandbox.counts() - before
        children = check_created_once(delta, manifests)
        return (f"{KILLS} SIGKILLs (after {', '.join(str(p) for p in pauses)} s); {PLATFORMS} platforms "
                f"({children} children) converged in {seconds:.1f} s; no duplicates or orphans; "
                f"{len(final)} generated Secrets unchanged"), {"seconds": seconds, "pauses": pauses}
    finally:
        s.close()


def scenario_leader(workdir):
    """Two replicas with leader election under SIGKILLs of the leader: never two leaders writing at once."""
    audit = os.path.join(workdir, "audit.jsonl")
    labels = ("replica-a", "replica-b")
    tokens = [arg for label in labels for arg in ("--token", f"token-{label}={label}")]
    s = Scenario(workdir, ready_delay="500ms", extra=["--audit-log", audit, *tokens])
    proxies, leases, mutator = [], [], None
    try:
        replicas = []
        for label in labels:
            proxy = RecordingProxy(s.sandbox.port, label).start()
            proxies.append(proxy)
            kubeconfig = h.write_kubeconfig(os.path.join(workdir, f"{label}.kubeconfig"),
                                            f"http://127.0.0.1:{proxy.port}", token=f"token-{label}")
            replicas.append(s.operator(label=label, leader_elect=True, kubeconfig=kubeconfig, wait=False,
                                       extra=["--leader-election-namespace", "default"]))
        for r in replicas:
            r.wait_ready(120)
        lease_path = "/apis/coordination.k8s.io/v1/namespaces/default/leases"

        def on_lease(kind, obj, t, initial):
            spec = obj.get("spec") or {}
            leases.append((time.time(), spec.get("holderIdentity"), spec.get("acquireTime")))
        watch = h.Watch(s.sandbox.url, lease_path, on_lease).start()

        def holder():
            return leases[-1][1] if leases else None
        h.wait_until(holder, 60, what="a leader")
        manifests = manifests_for(PLATFORMS)
        create_all(s.api, manifests)
        mutator = Mutator(s.api, manifests).start()
        takeovers = []
        for i in range(KILLS):
            time.sleep(RNG.uniform(1.0, 4.0))
            leader_identity = holder()
            slot = _slot_of(proxies, leader_identity)
            if slot is None:
                raise Failed(f"the lease holder {leader_identity!r} wrote through neither replica's proxy")
            killed_at = time.time()
            replicas[slot].kill(signal.SIGKILL)
            replicas[slot].start(wait_ready=False)
            h.wait_until(lambda: holder() not in (None, leader_identity), 60, interval=0.02,
                         what="another replica to take the lease over")
            acquired = _parse_time(leases[-1][2]) or leases[-1][0]
            takeovers.append(acquired - killed_at)
            h.log(f"leader: kill {i + 1}/{KILLS}: {replicas[slot].label} ({leader_identity}) killed, "
                  f"{holder()} took over after {takeovers[-1]:.2f} s")
        mutator.stop()
        for r in replicas:
            r.wait_ready(120)
        check_converged(s, manifests)
        time.sleep(1.0)  # the new leader's last status writes land in the logs too
        end = time.time()
        watch.stop()
        violations, writes = _overlaps(proxies, leases, end)
        if violations:
            raise Failed(f"{len(violations)} writes by a replica that did not hold the lease, e.g. {violations[:3]}")
        if writes == 0:
            raise Failed("the replicas made no writes to check")
        audited, audit_violations = _audit_overlaps(audit, proxies, leases, end)
        if audit_violations:
            raise Failed(f"the sandbox's audit log shows {len(audit_violations)} writes by a replica that did not "
                         f"hold the lease, e.g. {audit_violations[:3]}")
        if audited == 0:
            raise Failed(f"the sandbox's audit log {audit} has no writes by the replicas' users")
        return (f"{KILLS} leader kills; {writes} writes (proxies) and {audited} (sandbox audit log) checked against "
                f"{len(_transitions(leases))} lease holders: "
                f"never two leaders; takeover {min(takeovers):.1f}–{max(takeovers):.1f} s "
                f"(median {sorted(takeovers)[len(takeovers) // 2]:.1f} s; lease 15 s); {mutator.count} spec "
                f"updates during the kills converged"), {"takeover_seconds": takeovers, "writes_checked": writes}
    finally:
        if mutator:
            mutator.stop()
        s.close()
        for p in proxies:
            p.stop()


class Mutator:
    """Changes a random platform's spec every 0.3 s (web-ui replicas and an env value), so the leader keeps writing."""

    def __init__(self, api, manifests):
        self.api, self.manifests = api, manifests
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.rng = random.Random(SEED + 1)

    def start(self):
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.3):
            m = self.rng.choice(self.manifests)
            patch = {"spec": {"services": {"webUI": {"env": [{"name": "CHAOS", "value": str(self.count)}]}}}}
            try:
                self.api.merge_patch(h.platforms_path(m["metadata"]["namespace"], m["metadata"]["name"]), patch)
                self.count += 1
            except h.ApiError as e:
                h.log(f"mutator: {e}")

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=10)


def _slot_of(proxies, identity):
    for i, proxy in enumerate(proxies):
        if any(e.get("holder") == identity for e in proxy.log()):
            return i
    return None


def _parse_time(text):
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    except ValueError:
        try:
            return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z").timestamp()
        except ValueError:
            return None


def _transitions(leases, proxies=()):
    """[(start time, holder)] for every change of holder. The start is the new holder's `acquireTime`; without
    one, the moment its replica sent the lease write that took the lease (from the proxy's log)."""
    out = []
    for observed, holder, acquire in leases:
        if out and out[-1][1] == holder:
            continue
        start = _parse_time(acquire)
        if start is None:
            sent = [e["t"] for p in proxies for e in p.log() if e.get("holder") == holder and e["t"] <= observed]
            start = max(sent) if sent else observed
        out.append((start, holder))
    return out


def _overlaps(proxies, leases, end):
    """Writes (other than to Leases) sent by a replica at a moment when another identity held the lease."""
    transitions = _transitions(leases, proxies)
    identities = [{e["holder"] for e in p.log() if e.get("holder")} for p in proxies]
    violations, checked = [], 0
    for slot, proxy in enumerate(proxies):
        for e in proxy.log():
            if e["method"] not in ("POST", "PUT", "PATCH", "DELETE") or "/leases" in e["path"] or e["t"] > end:
                continue
            checked += 1
            current = None
            for start, holder in transitions:
                if start <= e["t"]:
                    current = holder
            if current not in identities[slot]:
                violations.append((proxy.label, e["method"], e["path"], round(e["t"], 3), current))
    return violations, checked


def _audit_overlaps(path, proxies, leases, end):
    """The same check on the sandbox's audit log, whose users tell the replicas apart (one token each) and whose
    times have whole-second resolution: a write answered in second T by a replica is wrong only if its replica's
    identities held the lease at no moment of [T, T+1)."""
    transitions = _transitions(leases, proxies)
    identities = {p.label: {e["holder"] for e in p.log() if e.get("holder")} for p in proxies}
    checked, violations = 0, []
    with open(path) as f:
        for line in f:
            entry = json.loads(line)
            user, t = entry.get("user"), _parse_time(entry.get("time"))
            if user not in identities or entry.get("resource") == "leases" or t is None or t > end:
                continue
            checked += 1
            holders = {holder for i, (start, holder) in enumerate(transitions)
                       if start < t + 1 and (i + 1 == len(transitions) or transitions[i + 1][0] > t)}
            if not holders & identities[user]:
                violations.append((user, entry.get("verb"), entry.get("resource"), entry.get("name"),
                                   entry.get("time"), sorted(h_ for h_ in holders if h_)))
    return checked, violations


def scenario_restart(workdir):
    """The sandbox killed and restarted (same port, --data-dir) mid-run: the operator reconnects and converges."""
    data_dir = os.path.join(workdir, "data")
    port = h.free_port()
    s = Scenario(workdir, ready_delay="500ms", data_dir=data_dir, port=port)
    try:
        op = s.operator(wait=True)
        manifests = manifests_for(PLATFORMS)
        started = time.monotonic()
        create_all(s.api, manifests)
        pause = RNG.uniform(0.5, 2.0)
        time.sleep(pause)
        ready_before = sum(1 for p in h.platform_phases(s.api).values() if p == "Ready")
        s.sandbox.stop(signal.SIGKILL)
        time.sleep(2.0)
        s.sandbox = h.Sandbox(workdir, ready_delay="500ms", data_dir=data_dir, port=port, label="sandbox-2").start()
        s.api = s.sandbox.api(retries=20)
        later = manifests_for(max(2, PLATFORMS // 5), prefix="late")
        create_all(s.api, later)
        check_converged(s, manifests + later, operator=op)
        seconds = time.monotonic() - started
        op.check_alive()
        return (f"sandbox SIGKILLed {pause:.1f} s into the run ({ready_before}/{PLATFORMS} Ready), restarted from "
                f"its data dir; the operator reconnected; {len(manifests) + len(later)} platforms (incl. "
                f"{len(later)} created after the restart) converged in {seconds:.1f} s"), {"seconds": seconds}
    finally:
        s.close()


def scenario_fuzz(workdir):
    """FUZZ randomly mutated specs through the API: no crash; each accepted one ends Ready or Invalid with a
    message; valid platforms beside them are untouched."""
    s = Scenario(workdir, ready_delay="0s")
    try:
        op = s.operator(wait=True)
        valid = manifests_for(len(NAMESPACES), prefix="valid")
        create_all(s.api, valid)
        check_converged(s, valid, operator=op)
        base = s.api.get(h.platforms_path(valid[0]["metadata"]["namespace"], valid[0]["metadata"]["name"]))["spec"]
        before = _fingerprints(s.api, valid)
        rng = random.Random(SEED)
        accepted, rejected, server_errors = [], {}, []
        mutations = []
        for i in range(FUZZ):
            spec, what = mutate(base, rng)
            ns = NAMESPACES[i % len(NAMESPACES)]
            name = f"fuzz-{i}"
            manifest = {"apiVersion": "incidentops.io/v1alpha1", "kind": "IncidentPlatform",
                        "metadata": {"name": name, "namespace": ns}, "spec": spec}
            mutations.append(what)
            try:
                s.api.create(h.platforms_path(ns), manifest)
                accepted.append((ns, name))
            except h.ApiError as e:
                if e.status >= 500 or e.status == 0:
                    server_errors.append((name, e.status, str(e)[:200]))
                rejected[e.status] = rejected.get(e.status, 0) + 1
            if i % 100 == 99:
                op.check_alive()
        if server_errors:
            raise Failed(f"the sandbox failed on {len(server_errors)} mutated specs, e.g. {server_errors[:2]}")
        h.wait_phases(s.api, accepted, TIMEOUT, accept=("Ready", "Invalid"), operator=op, interval=2.0,
                      what="mutated platforms")
        outcome = {"Ready": 0, "Invalid": 0}
        for obj in s.api.list(h.platforms_path()):
            key = (obj["metadata"]["namespace"], obj["metadata"]["name"])
            if key not in set(accepted):
                continue
            ph = h.phase(obj)
            outcome[ph] = outcome.get(ph, 0) + 1
            if ph == "Invalid":
                cond = h.condition(obj, "SpecValid")
                if not cond or cond.get("status") != "False" or not cond.get("message"):
                    raise Failed(f"{key} is Invalid without a SpecValid=False condition with a message: {cond}")
        after = _fingerprints(s.api, valid)
        changed = [k for k in before if before[k] != after.get(k)]
        if changed:
            raise Failed(f"{len(changed)} children of the valid platforms changed, e.g. {changed[:3]}")
        if any(h.phase(o) != "Ready" for o in (s.api.get(h.platforms_path(*k)) for k in keys_of(valid))):
            raise Failed("a valid platform is no longer Ready")
        op.check_alive()
        if op.starts != 1:
            raise Failed("the operator was restarted")
        kinds = {}
        for what in mutations:
            for w in what:
                kinds[w] = kinds.get(w, 0) + 1
        rejected_text = ", ".join(f"{n} with {code}" for code, n in sorted(rejected.items())) or "none"
        return (f"{FUZZ} mutated specs: {len(accepted)} accepted by the API ({outcome.get('Ready', 0)} Ready, "
                f"{outcome.get('Invalid', 0)} Invalid, each with a message), rejected by the API: {rejected_text}; "
                f"operator never crashed; {len(valid)} valid platforms beside them untouched"), {
            "specs": FUZZ, "accepted": len(accepted), "rejected": rejected, "outcome": outcome,
            "mutation_kinds": kinds}
    finally:
        s.close()


def _fingerprints(api, manifests):
    out = {}
    for ns in {m["metadata"]["namespace"] for m in manifests}:
        for key, obj in h.live_children(api, ns).items():
            if _instance_key(obj)[1] in {m["metadata"]["name"] for m in manifests}:
                out[key] = (obj["metadata"].get("uid"), obj["metadata"].get("resourceVersion"))
    return out


UNICODE = ["ünïcødé", "☃", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "مرحبا", "\u200b", "日本語", "🙂" * 20, "a\u0000b", "\ufeff"]


def mutate(spec, rng):
    """A copy of `spec` with 1 to 3 random mutations; returns (spec, [mutation kinds])."""
    spec = copy.deepcopy(spec)
    kinds = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.35:
            kinds.append(_semantic_mutation(spec, rng))
            continue
        paths = list(_paths(spec))
        if not paths:  # an earlier mutation removed everything
            spec[f"unknown{rng.randint(0, 999)}"] = "x"
            kinds.append("unknown-field")
            continue
        path = rng.choice(paths)
        parent, key = _resolve(spec, path)
        kind = rng.choice(["wrong-type", "huge-number", "empty-string", "unknown-field", "unicode", "deep-nesting",
                           "remove", "negative", "long-string"])
        kinds.append(kind)
        if kind == "wrong-type":
            current = parent[key]
            choices = [v for v in ("text", 7, True, [1, "x"], {"a": 1}, None, 1.5) if type(v) is not type(current)]
            parent[key] = rng.choice(choices)
        elif kind == "huge-number":
            parent[key] = rng.choice([10 ** 18, 2 ** 63, -(2 ** 63), 1e308, 10 ** 30])
        elif kind == "empty-string":
            parent[key] = ""
        elif kind == "unknown-field":
            target = parent[key] if isinstance(parent[key], dict) else parent if isinstance(parent, dict) else spec
            target[f"unknown{rng.randint(0, 999)}"] = rng.choice(["x", 1, {"nested": True}, [1, 2]])
        elif kind == "unicode":
            parent[key] = "".join(rng.choice(UNICODE) for _ in range(rng.randint(1, 4)))
        elif kind == "deep-nesting":
            value = "leaf"
            for _ in range(rng.randint(20, 200)):
                value = {"n": value} if rng.random() < 0.5 else [value]
            parent[key] = value
        elif kind == "remove":
            if isinstance(parent, dict):
                parent.pop(key, None)
            else:
                parent[key] = None
        elif kind == "negative":
            parent[key] = rng.choice([-1, 0, -100])
        elif kind == "long-string":
            parent[key] = "x" * rng.choice([64, 254, 10000])
    return spec, kinds


SERVICES = ("alertIngestion", "incidentManagement", "oncallService", "webUI")


def _semantic_mutation(spec, rng):
    """A well-typed change that the schema accepts but the spec's own rules forbid (the operator must say Invalid)."""
    services = _dict_at(spec, "services")
    service = _dict_at(services, rng.choice(SERVICES))
    monitoring = _dict_at(spec, "monitoring")
    kind = rng.choice(["min-over-max", "requests-over-limits", "retention-below-scrape", "duplicate-env",
                       "promtail-without-loki", "bad-quantity"])
    if kind == "min-over-max":
        _dict_at(service, "autoscaling").update({"enabled": True, "minReplicas": 9, "maxReplicas": 3})
    elif kind == "requests-over-limits":
        service["resources"] = {"requests": {"cpu": "4", "memory": "8Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}
    elif kind == "retention-below-scrape":
        prometheus = _dict_at(monitoring, "prometheus")
        prometheus.update({"scrapeInterval": "1h", "retention": "30m"})
    elif kind == "duplicate-env":
        service["env"] = [{"name": "DUP", "value": "1"}, {"name": "DUP", "value": "2"}]
    elif kind == "promtail-without-loki":
        _dict_at(monitoring, "loki")["enabled"] = False
        _dict_at(monitoring, "promtail")["enabled"] = True
    else:
        _dict_at(_dict_at(spec, "database"), "storage")["size"] = rng.choice(["lots", "10 Gi", "-1Gi", ""])
    return kind


def _dict_at(parent, key):
    """parent[key] as a dict, replacing whatever an earlier mutation put there."""
    if not isinstance(parent.get(key), dict):
        parent[key] = {}
    return parent[key]


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _resolve(spec, path):
    parent = spec
    for step in path[:-1]:
        parent = parent[step]
    return parent, path[-1]


def scenario_soak(workdir):
    """SOAK_SECONDS of churn (create, update, delete): RSS settles, no fd or thread growth, no orphans."""
    s = Scenario(workdir, ready_delay="200ms")
    pid = None
    try:
        op, pid = _soak_operator(s, workdir)
        sampler = h.Sampler(pid, interval=1.0).start()
        rng = random.Random(SEED + 2)
        pool = [(NAMESPACES[i % len(NAMESPACES)], f"soak{i}") for i in range(SOAK_POOL)]
        existing, ops = set(), {"create": 0, "update": 0, "delete": 0}
        started = time.monotonic()
        while time.monotonic() - started < SOAK_SECONDS:
            op.check_alive()
            ns, name = rng.choice(pool)
            if (ns, name) not in existing:
                try:
                    s.api.create(h.platforms_path(ns), h.platform(name, ns))
                    existing.add((ns, name))
                    ops["create"] += 1
                except h.ApiError as e:
                    if e.status != 409:  # still being deleted (finalizer): try another time
                        raise
            elif rng.random() < 0.7:
                s.api.merge_patch(h.platforms_path(ns, name), {"spec": _random_change(rng)})
                ops["update"] += 1
            else:
                s.api.delete(h.platforms_path(ns, name))
                existing.discard((ns, name))
                ops["delete"] += 1
            time.sleep(rng.uniform(0.1, 0.6))
        samples = sampler.stop()
        h.wait_until(lambda: set(h.platform_phases(s.api)) == existing, TIMEOUT, interval=0.5,
                     what="deleted platforms to be gone")
        final = [h.platform(name, ns, s.api.get(h.platforms_path(ns, name)).get("spec"))
                 for ns, name in sorted(existing)]
        check_converged(s, final, operator=op)
        leftovers = _leftovers(s.api, existing)
        if leftovers:
            raise Failed(f"{len(leftovers)} children of deleted platforms remain, e.g. {leftovers[:3]}")
        verdict = soak_verdict(samples)
        if verdict["problems"]:
            raise Failed("; ".join(verdict["problems"]))
        return (f"{SOAK_SECONDS} s churn ({ops['create']} creates, {ops['update']} updates, {ops['delete']} deletes): "
                f"RSS {verdict['rss_mid']:.1f} → {verdict['rss_end']:.1f} MiB over the last half "
                f"({verdict['growth_percent']:+.1f} %), fds {verdict['fds']}, threads {verdict['threads']}; "
                f"no leftovers of deleted platforms"), {"ops": ops, **verdict}
    finally:
        if SOAK_WRAP and pid:
            _terminate(pid)
        s.close()


def _soak_operator(s, workdir):
    """The soak's operator and the pid to sample: its own process, also when it runs under $CHAOS_SOAK_WRAP."""
    if not SOAK_WRAP:
        op = s.operator(wait=True)
        return op, op.pid
    real = h.binary()
    script = os.path.join(workdir, "operator-wrapped.sh")
    with open(script, "w") as f:
        f.write(f'#!/bin/sh\nexec {SOAK_WRAP} {shlex.quote(real)} "$@"\n')
    os.chmod(script, 0o755)
    saved = os.environ.get("INCIDENT_OPERATOR_BIN")
    os.environ["INCIDENT_OPERATOR_BIN"] = script  # only for this operator: the sandbox runs already
    try:
        op = s.operator(wait=True)
    finally:
        if saved is None:
            os.environ.pop("INCIDENT_OPERATOR_BIN", None)
        else:
            os.environ["INCIDENT_OPERATOR_BIN"] = saved
    pid = _descendant_running(op.pid, real)
    if pid is None:
        raise Failed(f"no process of {real} under the operator's wrapper ({SOAK_WRAP})")
    h.log(f"soak: the operator runs under {SOAK_WRAP} as pid {pid}")
    return op, pid


def _descendant_running(pid, executable):
    """The first process under `pid` (or `pid` itself) whose executable is `executable`."""
    todo = [pid]
    while todo:
        p = todo.pop(0)
        try:
            if os.path.realpath(f"/proc/{p}/exe") == os.path.realpath(executable):
                return p
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return None


def _terminate(pid, timeout=120):
    """SIGTERM to `pid`, then wait until it is gone (a profiler around it writes its data meanwhile)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return
        except OSError:
            return
        time.sleep(0.2)


def _random_change(rng):
    choice = rng.randrange(4)
    if choice == 0:
        return {"services": {"webUI": {"replicas": rng.randint(1, 3), "autoscaling": {"enabled": False}}}}
    if choice == 1:
        return {"services": {"alertIngestion": {"image": f"ghcr.io/incidentops/alert-ingestion:0.1.{rng.randint(0, 9)}"}}}
    if choice == 2:
        logs = rng.random() < 0.5  # promtail needs Loki: both on or both off
        return {"monitoring": {"loki": {"enabled": logs}, "promtail": {"enabled": logs}}}
    return {"services": {"oncallService": {"env": [{"name": "SOAK", "value": str(rng.randint(0, 10 ** 6))}]}}}


def _retained_data(key, obj):
    """A PVC, or the database credentials Secret: what `deletionPolicy: Retain` keeps beyond its platform (the
    credentials stay with the volume, so a re-created platform can read its data)."""
    labels = obj["metadata"].get("labels") or {}
    return key[0] == "PersistentVolumeClaim" or (key[0] == "Secret" and labels.get("app.kubernetes.io/name") == "postgres")


def _leftovers(api, existing):
    """Children whose platform no longer exists (retained data, kept by design, is not counted)."""
    out = []
    names = {n for _, n in existing}
    for key, obj in h.live_children(api).items():
        instance = (obj["metadata"].get("labels") or {}).get("app.kubernetes.io/instance")
        if instance and instance.startswith("soak") and instance not in names and not _retained_data(key, obj):
            out.append(key)
    return out


def soak_verdict(samples):
    """RSS growth over the last half under 5 % (median of the middle tenth vs. the last tenth); fds and threads
    in the last half never above their first-half maximum."""
    problems = []
    if len(samples) < 10:
        return {"problems": [f"only {len(samples)} resource samples"], "rss_mid": 0, "rss_end": 0,
                "growth_percent": 0, "fds": "?", "threads": "?"}
    n = len(samples)
    mid = [x[1] for x in samples[int(n * 0.45):int(n * 0.55) + 1]]
    end = [x[1] for x in samples[int(n * 0.9):]]
    rss_mid, rss_end = sorted(mid)[len(mid) // 2], sorted(end)[len(end) // 2]
    growth = (rss_end - rss_mid) / rss_mid * 100
    if growth >= 5:
        problems.append(f"RSS grew {growth:.1f} % over the last half ({rss_mid:.1f} → {rss_end:.1f} MiB)")
    first, last = samples[: n // 2], samples[n // 2:]
    fds = (max(x[3] for x in first), max(x[3] for x in last))
    threads = (max(x[2] for x in first), max(x[2] for x in last))
    if fds[1] > fds[0]:
        problems.append(f"file descriptors grew: first-half max {fds[0]}, last-half max {fds[1]}")
    if threads[1] > threads[0]:
        problems.append(f"threads grew: first-half max {threads[0]}, last-half max {threads[1]}")
    return {"problems": problems, "rss_mid": rss_mid, "rss_end": rss_end, "growth_percent": growth,
            "fds": f"max {fds[0]} then {fds[1]}", "threads": f"max {threads[0]} then {threads[1]}",
            "samples": len(samples)}


SCENARIOS = {"faults": scenario_faults, "kill": scenario_kill, "leader": scenario_leader,
             "restart": scenario_restart, "fuzz": scenario_fuzz, "soak": scenario_soak}


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: stop every process
    unknown = [s for s in ONLY if s not in SCENARIOS]
    if unknown:
        raise SystemExit(f"unknown scenario(s) {unknown}; known: {', '.join(SCENARIOS)}")
    h.log(f"chaos: scenarios {','.join(ONLY)}; seed {SEED} (CHAOS_SEED={SEED} replays it); binary {h.binary()}")
    results, lines = [], []
    for name in ONLY:
        started = time.monotonic()
        with h.Workdir(f"chaos-{name}-") as workdir:
            try:
                summary, details = SCENARIOS[name](workdir)
                passed = True
            except Exception as error:  # noqa: BLE001 - a scenario that breaks fails; the others still run
                summary, details, passed = f"{type(error).__name__}: {error}", {}, False
                if not isinstance(error, Failed):
                    h.log(traceback.format_exc())
                h.log(f"chaos: {name} failed; logs in {workdir}" + ("" if os.environ.get("BENCH_KEEP") else
                                                                   " (set BENCH_KEEP=1 to keep them)"))
        seconds = time.monotonic() - started
        line = f"{'PASS' if passed else 'FAIL'} {name} ({seconds:.0f} s): {summary}"
        lines.append(line)
        print(line, flush=True)
        results.append({"scenario": name, "passed": passed, "seconds": seconds, "summary": summary,
                        "details": details})
    failed = [r["scenario"] for r in results if not r["passed"]]
    print(f"chaos: {len(results) - len(failed)}/{len(results)} scenarios passed (seed {SEED})"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    out = os.environ.get("CHAOS_RESULTS")
    if out:
        with open(out, "w") as f:
            json.dump({"seed": SEED, "smoke": SMOKE, "machine": h.machine(), "scenarios": results}, f, indent=2,
                      default=str)
            f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
