#!/usr/bin/env python3
"""`make bench`: the operator's speed, cost and scale against the sandbox, side by side with kubectl.

Writes bench/results.json and the generated table of BENCHMARKS.md (bench/report.py). Each suite starts its own
sandbox (and operator) on loopback ports and stops them. Sizes and repetitions come from environment variables:

  BENCH_RUNS=5              repetitions of every timed figure (median, min, max are reported)
  BENCH_RENDER_N=1000       platforms rendered by the render suite
  BENCH_LATENCY_TRIALS=20   single-platform convergence trials
  BENCH_SCALE=100,1000      platform counts of the scale suite (and of the kubectl peer)
  BENCH_SCALE_RUNS=5        repetitions of the scale suite, per count of BENCH_SCALE (one value: the same for all;
                            e.g. 5,1). One run with 1000 platforms takes about 1.5 minutes here
  BENCH_PEER_RUNS=5         repetitions of the kubectl peer, per count: kubectl needs about 2 ms of CPU per object,
                            so one run with 1000 platforms (53 000 objects) takes about 2.5 minutes
  BENCH_NAMESPACES=10       namespaces the platforms are spread over
  BENCH_STEADY_SECONDS=60   the steady-state window; BENCH_RESYNC=30s the operator's resync period in it
  BENCH_LIMIT_PROCS=4       client processes of the capacity (limit) suite; BENCH_LIMIT_PLATFORMS=200
  BENCH_WORKERS=            --workers of the operator (default: the operator's own default)
  BENCH_SERVICES_CLIENTS=8  concurrent keep-alive clients of the services suite (and pgbench's -c)
  BENCH_SERVICES_SECONDS=10 the services suite's load window (and pgbench's -T), per run
  BENCH_ONLY=render,latency,scale,steady,peer,limit,services   run only these suites
  BENCH_MERGE=1             keep the other suites' figures from the existing results file (e.g. with
                            BENCH_ONLY=services: re-measure the services without the 20-minute operator suites)
  BENCH_RESULTS=bench/results.json   BENCH_REPORT=BENCHMARKS.md   where to write (BENCH_REPORT=- skips it)
  BENCH_SMOKE=1             tiny sizes, one run: checks the harness, not the speed
  BENCH_KEEP=1              keep the temporary directories with the processes' logs
  INCIDENT_PLATFORM_BIN=    the incident-platform binary of the services suite (default: next to the operator's)
"""
import concurrent.futures
import datetime
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
import report  # noqa: E402
import services  # noqa: E402

SMOKE = os.environ.get("BENCH_SMOKE") == "1"
RUNS = h.env_int("BENCH_RUNS", 1 if SMOKE else 5)
SCALE_RUNS = h.env_ints("BENCH_SCALE_RUNS", [RUNS])
PEER_RUNS = h.env_ints("BENCH_PEER_RUNS", [RUNS])


def runs_for(runs, count):
    """The repetitions for the platform count `count`: the matching entry of `runs` (the last one past the end)."""
    index = SCALE.index(count) if count in SCALE else len(SCALE) - 1
    return runs[min(index, len(runs) - 1)]
RENDER_N = h.env_int("BENCH_RENDER_N", 5 if SMOKE else 1000)
LATENCY_TRIALS = h.env_int("BENCH_LATENCY_TRIALS", 2 if SMOKE else 20)
SCALE = h.env_ints("BENCH_SCALE", [3] if SMOKE else [100, 1000])
NAMESPACES = h.env_int("BENCH_NAMESPACES", 2 if SMOKE else 10)
STEADY_SECONDS = h.env_int("BENCH_STEADY_SECONDS", 3 if SMOKE else 60)
RESYNC = os.environ.get("BENCH_RESYNC", "2s" if SMOKE else "30s")
LIMIT_PROCS = h.env_int("BENCH_LIMIT_PROCS", 2 if SMOKE else 4)
LIMIT_PLATFORMS = h.env_int("BENCH_LIMIT_PLATFORMS", 2 if SMOKE else 200)
WORKERS = h.env_int("BENCH_WORKERS", 0) or None
SERVICES_CLIENTS = h.env_int("BENCH_SERVICES_CLIENTS", 2 if SMOKE else 8)
SERVICES_SECONDS = h.env_int("BENCH_SERVICES_SECONDS", 2 if SMOKE else 10)
SUITES = ("render", "latency", "scale", "steady", "peer", "limit", "services")
ONLY = [s for s in os.environ.get("BENCH_ONLY", ",".join(SUITES)).split(",") if s]
MERGE = os.environ.get("BENCH_MERGE") == "1"
RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(h.ROOT, "bench", "results.json"))
REPORT = os.environ.get("BENCH_REPORT", os.path.join(h.ROOT, "BENCHMARKS.md"))
CONVERGE_TIMEOUT = h.env_int("BENCH_TIMEOUT", 120 if SMOKE else 900)
CREATE_THREADS = 8


def namespaces(count=None):
    return [f"bench-{i}" for i in range(count or NAMESPACES)]


def fresh_sandbox(workdir, label="sandbox", **kwargs):
    sandbox = h.Sandbox(workdir, label=label, **kwargs).start()
    api = sandbox.api()
    h.install_crd(api)
    h.ensure_namespaces(api, namespaces())
    return sandbox, api


def start_operator(workdir, sandbox, label="operator", extra=()):
    return h.Operator(workdir, sandbox.kubeconfig, workers=WORKERS, label=label,
                      extra=["--log-level", "warn", *extra]).start()


def create_all(api, manifests):
    """Creates the platforms from CREATE_THREADS threads at once; returns the seconds it took."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(CREATE_THREADS) as pool:
        list(pool.map(lambda m: api.create(h.platforms_path(m["metadata"]["namespace"]), m), manifests))
    return time.monotonic() - started


class PhaseTracker:
    """Watches every IncidentPlatform and records when each one first reached phase Ready."""

    def __init__(self, sandbox):
        self.ready_at = {}
        self.phases = {}
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.watch = h.Watch(sandbox.url, h.platforms_path(), self._event)

    def _event(self, kind, obj, t, initial):
        meta = obj.get("metadata") or {}
        key = (meta.get("namespace"), meta.get("name"))
        with self.lock:
            if kind == "DELETED":
                self.phases.pop(key, None)
            else:
                self.phases[key] = h.phase(obj)
                if self.phases[key] == "Ready" and key not in self.ready_at:
                    self.ready_at[key] = t
            self.changed.notify_all()

    def start(self):
        self.watch.start()
        return self

    def wait_all_ready(self, keys, timeout, operator=None):
        deadline = time.monotonic() + timeout
        keys = set(keys)
        with self.lock:
            while not keys <= set(self.ready_at):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    missing = sorted(keys - set(self.ready_at))
                    raise TimeoutError(f"{len(missing)} of {len(keys)} platforms not Ready after {timeout} s "
                                       f"(e.g. {[(k, self.phases.get(k)) for k in missing[:3]]})")
                if operator is not None and not operator.alive():
                    operator.check_alive()
                self.changed.wait(min(remaining, 1.0))
            return max(self.ready_at[k] for k in keys)

    def stop(self):
        self.watch.stop()


def wait_quiet(sandbox, quiet=2.0, timeout=60):
    """Waits until the sandbox has counted no new request (other than lease renewals) for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last = sandbox.counts().total(exclude_resources=("leases",))
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = sandbox.counts().total(exclude_resources=("leases",))
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return True
    return False


# MARK: suites

def suite_render():
    """Time of `render -o json` of RENDER_N platforms (to /dev/null), and of one platform (process start)."""
    manifests = [h.platform(name, ns) for ns, name in h.spread(RENDER_N, namespaces())]
    objects, _ = h.render(manifests)
    runs, single = [], []
    for run in range(RUNS):
        runs.append(_render_seconds(manifests))
        single.append(_render_seconds(manifests[:1]))
        h.log(f"render: run {run + 1}/{RUNS}: {RENDER_N} platforms in {runs[-1]:.3f} s")
    n_objects = len(objects)
    return {
        "platforms": RENDER_N, "objects": n_objects, "objects_per_platform": n_objects / RENDER_N,
        "format": "json", "seconds": h.summary(runs), "one_platform_seconds": h.summary(single),
        "per_platform_us": h.summary([s / RENDER_N * 1e6 for s in runs]),
        "objects_per_second": h.summary([n_objects / s for s in runs]),
        "runs": runs,
    }


def _render_seconds(manifests):
    text = "\n---\n".join(json.dumps(m) for m in manifests) + "\n"
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bench-render-{os.getpid()}.yaml")
    with open(path, "w") as f:
        f.write(text)
    try:
        started = time.perf_counter()
        subprocess.run([h.binary(), "render", "-f", path, "-o", "json"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True, timeout=600)
        return time.perf_counter() - started
    finally:
        os.unlink(path)


def suite_latency():
    """One platform at a time, ready-delay 0: creation -> every child seen, and -> phase Ready."""
    trials = LATENCY_TRIALS
    ns = "latency"
    manifests = [h.platform(f"lat{i}", ns) for i in range(trials)]
    expected = {}
    for o in h.render(manifests)[0]:
        instance = ((o.get("metadata") or {}).get("labels") or {}).get("app.kubernetes.io/instance")
        expected.setdefault(instance, set()).add((o["kind"], o["metadata"]["name"]))
    with h.Workdir("bench-latency-") as workdir:
        sandbox, api = fresh_sandbox(workdir, ready_delay="0s")
        h.ensure_namespaces(api, [ns])
        operator = start_operator(workdir, sandbox)
        seen, ready = {}, {}
        lock = threading.Lock()

        def child_event(kind_name):
            def on_event(kind, obj, t, initial):
                meta = obj.get("metadata") or {}
                instance = (meta.get("labels") or {}).get("app.kubernetes.io/instance")
                if kind == "ADDED" and instance:
                    with lock:
                        seen.setdefault(instance, {}).setdefault((kind_name, meta.get("name")), t)
            return on_event

        def platform_event(kind, obj, t, initial):
            if h.phase(obj) == "Ready":
                with lock:
                    ready.setdefault(obj["metadata"]["name"], t)

        watches = [h.Watch(sandbox.url, h.list_path(k, None if k in h.CLUSTER_KINDS else ns), child_event(k),
                           selector=h.MANAGED_BY) for k in h.CHILD_KINDS]
        watches.append(h.Watch(sandbox.url, h.platforms_path(ns), platform_event))
        children_ms, ready_ms = [], []
        try:
            for w in watches:
                w.start()
            for i, manifest in enumerate(manifests):
                name = manifest["metadata"]["name"]
                started = time.monotonic()
                api.create(h.platforms_path(ns), manifest)

                def done():
                    operator.check_alive()
                    with lock:
                        return name in ready and set(seen.get(name, {})) >= expected[name]
                h.wait_until(done, 60, interval=0.002, what=f"platform {name} to converge")
                with lock:
                    children_ms.append((max(seen[name][k] for k in expected[name]) - started) * 1000)
                    ready_ms.append((ready[name] - started) * 1000)
                h.log(f"latency: trial {i + 1}/{trials}: children {children_ms[-1]:.1f} ms, Ready {ready_ms[-1]:.1f} ms")
                time.sleep(0.2)
        finally:
            for w in watches:
                w.stop()
            operator.stop()
            sandbox.stop()
    return {"trials": trials, "ready_delay": "0s", "children_per_platform": len(next(iter(expected.values()))),
            "children_applied_ms": _percentiles(children_ms), "ready_ms": _percentiles(ready_ms)}


def _percentiles(values):
    return {"p50": h.percentile(values, 50), "p95": h.percentile(values, 95), "min": min(values),
            "max": max(values), "values": [round(v, 3) for v in values]}


def suite_scale(count, state):
    """COUNT platforms created at once across the namespaces: time to all Ready, requests, memory, CPU."""
    manifests = [h.platform(name, ns) for ns, name in h.spread(count, namespaces())]
    children = len(h.render(manifests[:1])[0])
    runs = []
    repetitions = runs_for(SCALE_RUNS, count)
    for run in range(repetitions):
        last = run == repetitions - 1 and count == max(SCALE) and "steady" in ONLY
        with h.Workdir(f"bench-scale{count}-") as workdir:
            sandbox, api = fresh_sandbox(workdir, ready_delay="0s")
            operator = start_operator(workdir, sandbox)
            try:
                time.sleep(1.0)
                idle_rss = operator.stats.rss_mb()
                tracker = PhaseTracker(sandbox).start()
                sampler = h.Sampler(operator.pid).start()
                before = sandbox.counts()
                cpu_before = operator.stats.cpu_seconds()
                started = time.monotonic()
                create_seconds = create_all(api, manifests)
                finished = tracker.wait_all_ready([(m["metadata"]["namespace"], m["metadata"]["name"])
                                                   for m in manifests], CONVERGE_TIMEOUT, operator)
                all_ready = finished - started
                cpu_ready = operator.stats.cpu_seconds()
                wait_quiet(sandbox, quiet=3.0, timeout=120)
                tracker.stop()
                time.sleep(1.0)
                settled_rss = operator.stats.rss_mb()
                sampler.stop()
                delta = sandbox.counts() - before
                operator_requests = _without_harness(delta, count, tracker.watch)
                per_verb = {v: n / count for v, n in operator_requests.by_verb().items()}
                record = {
                    "all_ready_seconds": all_ready, "create_seconds": create_seconds,
                    "requests_per_platform_by_verb": per_verb,
                    "writes_per_platform": operator_requests.writes() / count,
                    "event_writes_per_platform": operator_requests.total(h.WRITE_VERBS, include_resources=("events",)) / count,
                    "lease_requests": operator_requests.total(include_resources=("leases",)),
                    "requests_per_platform": operator_requests.total() / count,
                    "writes_by_resource": operator_requests.by_resource(h.WRITE_VERBS),
                    "idle_rss_mb": idle_rss, "peak_rss_mb": operator.stats.peak_rss_mb(), "settled_rss_mb": settled_rss,
                    "sandbox_rss_mb": sandbox.stats.rss_mb(),
                    "cpu_seconds_per_platform": (cpu_ready - cpu_before) / count,
                    "cpu_seconds_total": cpu_ready - cpu_before,
                    "children_per_second": count * children / all_ready,
                }
                runs.append(record)
                h.log(f"scale {count}: run {run + 1}/{repetitions}: all Ready in {all_ready:.2f} s, "
                      f"{record['writes_per_platform']:.1f} writes/platform, peak RSS {record['peak_rss_mb']:.1f} MiB")
                if last:
                    state["steady"] = suite_steady(workdir, sandbox, operator, count)
            finally:
                operator.stop()
                sandbox.stop()
    verbs = sorted({v for r in runs for v in r["requests_per_platform_by_verb"]})
    return {
        "platforms": count, "namespaces": NAMESPACES, "runs": len(runs), "children_per_platform": children,
        "ready_delay": "0s",
        "all_ready_seconds": h.summary([r["all_ready_seconds"] for r in runs]),
        "create_seconds": h.summary([r["create_seconds"] for r in runs]),
        "requests_per_platform": h.summary([r["requests_per_platform"] for r in runs]),
        "requests_per_platform_by_verb": {v: h.summary([r["requests_per_platform_by_verb"].get(v, 0) for r in runs])
                                          for v in verbs},
        "writes_per_platform": h.summary([r["writes_per_platform"] for r in runs]),
        "event_writes_per_platform": h.summary([r["event_writes_per_platform"] for r in runs]),
        "writes_by_resource_last_run": runs[-1]["writes_by_resource"],
        "idle_rss_mb": h.summary([r["idle_rss_mb"] for r in runs]),
        "peak_rss_mb": h.summary([r["peak_rss_mb"] for r in runs]),
        "settled_rss_mb": h.summary([r["settled_rss_mb"] for r in runs]),
        "sandbox_rss_mb": h.summary([r["sandbox_rss_mb"] for r in runs]),
        "cpu_seconds_per_platform": h.summary([r["cpu_seconds_per_platform"] for r in runs]),
        "children_per_second": h.summary([r["children_per_second"] for r in runs]),
    }


def _without_harness(delta, created, watch):
    """The sandbox's request counts minus what this harness itself sent (its creates, list and watches)."""
    counts = dict(delta.counts)

    def subtract(verb, n):
        for key in sorted(counts):
            if key[0] == verb and key[1] == "incidentplatforms" and key[2].startswith("2") and n > 0:
                take = min(n, counts[key])
                counts[key] -= take
                n -= take
    subtract("POST", created)
    subtract("LIST", watch.lists)
    subtract("WATCH", watch.watches)
    return h.RequestCounts({k: v for k, v in counts.items() if v})


def suite_steady(workdir, sandbox, operator, count):
    """A restarted operator over COUNT converged platforms: writes of its first sync, then of a resync window."""
    operator.stop()
    before_restart = sandbox.counts()
    restarted = start_operator(workdir, sandbox, label="operator-steady", extra=["--resync-period", RESYNC])
    try:
        wait_quiet(sandbox, quiet=3.0, timeout=300)
        after_sync = sandbox.counts()
        initial = after_sync - before_restart
        cpu_before = restarted.stats.cpu_seconds()
        h.log(f"steady: restarted operator synced {count} platforms with {initial.writes()} writes; "
              f"watching {STEADY_SECONDS} s (resync {RESYNC})")
        time.sleep(STEADY_SECONDS)
        window = sandbox.counts() - after_sync
        cpu = restarted.stats.cpu_seconds() - cpu_before
        reconciles = _reconcile_total(restarted)
        return {
            "platforms": count, "window_seconds": STEADY_SECONDS, "resync_period": RESYNC,
            "writes": window.writes(), "writes_including_leases_and_events": window.total(h.WRITE_VERBS),
            "requests_by_verb": window.by_verb(), "writes_by_resource": window.by_resource(h.WRITE_VERBS),
            "restart_sync_writes": initial.writes(), "restart_sync_requests_by_verb": initial.by_verb(),
            "idle_cpu_percent": cpu / STEADY_SECONDS * 100, "rss_mb": restarted.stats.rss_mb(),
            "reconciles_total": reconciles,
        }
    finally:
        restarted.stop()


def _reconcile_total(operator):
    try:
        return int(sum(v for name, _, v in operator.metrics() if name == "controller_runtime_reconcile_total"))
    except OSError:
        return None


def suite_peer(count):
    """The same COUNT platforms rendered offline and applied with `kubectl apply --server-side`."""
    manifests = [h.platform(name, ns) for ns, name in h.spread(count, namespaces())]
    runs = []
    repetitions = runs_for(PEER_RUNS, count)
    for run in range(repetitions):
        with h.Workdir(f"bench-peer{count}-") as workdir:
            sandbox, api = fresh_sandbox(workdir)
            try:
                text, render_seconds = h.render(manifests, output="yaml")
                path = os.path.join(workdir, "rendered.yaml")
                with open(path, "w") as f:
                    f.write(text)
                objects = text.count("\nkind: ") + (1 if text.startswith("kind: ") else 0)
                before = sandbox.counts()
                started = time.monotonic()
                h.kubectl(sandbox.kubeconfig, os.path.join(workdir, "cache"), "apply", "--server-side",
                          "--field-manager", "kubectl-bench", "-f", path)
                apply_seconds = time.monotonic() - started
                delta = sandbox.counts() - before
                runs.append({"apply_seconds": apply_seconds, "render_seconds": render_seconds, "objects": objects,
                             "requests": delta.total(), "requests_by_verb": delta.by_verb()})
                h.log(f"peer {count}: run {run + 1}/{repetitions}: kubectl applied {objects} objects in "
                      f"{apply_seconds:.2f} s ({delta.total()} requests)")
            finally:
                sandbox.stop()
    objects = runs[-1]["objects"]
    return {
        "platforms": count, "objects": objects, "runs": len(runs),
        "kubectl_apply_seconds": h.summary([r["apply_seconds"] for r in runs]),
        "render_seconds": h.summary([r["render_seconds"] for r in runs]),
        "render_plus_apply_seconds": h.summary([r["apply_seconds"] + r["render_seconds"] for r in runs]),
        "requests_per_object": h.summary([r["requests"] / r["objects"] for r in runs]),
        "requests_by_verb_last_run": runs[-1]["requests_by_verb"],
        "objects_per_second": h.summary([r["objects"] / r["apply_seconds"] for r in runs]),
    }


def _limit_worker(args):
    """One client process: applies its share of objects over one keep-alive connection; returns (count, errors)."""
    url, objects, start_at = args
    api = h.Api(url)
    while time.time() < start_at:
        time.sleep(0.001)
    errors = 0
    for obj in objects:
        try:
            api.apply(h.object_path(obj), obj, manager="limit")
        except h.ApiError:
            errors += 1
    api.close()
    return len(objects), errors, time.time()


def suite_limit():
    """The sandbox's own capacity for server-side applies: LIMIT_PROCS processes, one keep-alive connection each."""
    manifests = [h.platform(name, ns) for ns, name in h.spread(LIMIT_PLATFORMS, namespaces())]
    objects = h.render(manifests)[0]
    shares = [objects[i::LIMIT_PROCS] for i in range(LIMIT_PROCS)]
    runs = []
    # "spawn", not "fork": by now the harness has threads (watches, samplers), and a process forked while one
    # of them holds a lock can block forever (it did, once in a run of 5).
    context = multiprocessing.get_context("spawn")
    for run in range(RUNS):
        with h.Workdir("bench-limit-") as workdir:
            sandbox, _ = fresh_sandbox(workdir)
            try:
                with context.Pool(LIMIT_PROCS) as pool:
                    start_at = time.time() + 2.0  # after every spawned worker has started
                    results = pool.map(_limit_worker, [(sandbox.url, share, start_at) for share in shares])
                seconds = max(r[2] for r in results) - start_at
                errors = sum(r[1] for r in results)
                if errors:
                    raise RuntimeError(f"limit: {errors} applies failed; see {sandbox.log_path}")
                runs.append(len(objects) / seconds)
                h.log(f"limit: run {run + 1}/{RUNS}: {len(objects)} applies in {seconds:.2f} s = {runs[-1]:.0f}/s")
            finally:
                sandbox.stop()
    return {"processes": LIMIT_PROCS, "objects": len(objects), "platforms": LIMIT_PLATFORMS,
            "applies_per_second": h.summary(runs)}


def _merged(fresh):
    """The existing results file with this run's header; the suites of BENCH_ONLY are replaced as they run."""
    with open(RESULTS) as f:
        old = json.load(f)
    kept = [s for s in old.get("config", {}).get("suites", []) if s not in ONLY]
    merged = {k: v for k, v in old.items() if k not in ("derived", "targets", "elapsed_seconds")}
    for key in ONLY:
        merged.pop(key, None)
    merged["merged"] = {"kept_from": old.get("generated"), "kept_suites": kept, "measured_now": ONLY,
                        "measured_at": fresh["generated"]}
    merged["config"] = dict(old.get("config", {}), suites=kept + [s for s in ONLY if s not in kept],
                            services_clients=SERVICES_CLIENTS, services_seconds=SERVICES_SECONDS)
    return merged


# MARK: main

def main():
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: stop every process
    results = {
        "schema": 1,
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "smoke": SMOKE,
        "machine": h.machine(),
        "binary": h.binary(),
        "config": {"runs": RUNS, "scale_runs": SCALE_RUNS, "peer_runs": PEER_RUNS, "render_platforms": RENDER_N,
                   "latency_trials": LATENCY_TRIALS, "scale": SCALE, "namespaces": NAMESPACES,
                   "steady_seconds": STEADY_SECONDS, "resync_period": RESYNC, "limit_processes": LIMIT_PROCS,
                   "limit_platforms": LIMIT_PLATFORMS, "workers": WORKERS, "suites": ONLY,
                   "services_clients": SERVICES_CLIENTS, "services_seconds": SERVICES_SECONDS},
    }
    if MERGE and os.path.exists(RESULTS):
        results = _merged(results)
    h.log(f"bench: suites {','.join(ONLY)} with {h.binary()}")
    if "render" in ONLY:
        results["render"] = suite_render()
    if "latency" in ONLY:
        results["latency"] = suite_latency()
    if "scale" in ONLY:
        state = {}
        results["scale"] = [suite_scale(n, state) for n in SCALE]
        if "steady" in state:
            results["steady"] = state["steady"]
    if "peer" in ONLY:
        results["peer"] = [suite_peer(n) for n in SCALE]
    if "limit" in ONLY:
        results["limit"] = suite_limit()
    if "services" in ONLY:
        results["services"] = services.suite_services(RUNS, SERVICES_CLIENTS, SERVICES_SECONDS)
        results["services"]["generated"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        results["services"]["machine"] = h.machine()
        results["services"]["load_average"] = os.getloadavg()
    results["derived"] = report.derive(results)
    results["targets"] = report.targets(results)
    results["elapsed_seconds"] = time.monotonic() - started
    os.makedirs(os.path.dirname(os.path.abspath(RESULTS)), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")
    h.log(f"bench: wrote {RESULTS} in {results['elapsed_seconds']:.0f} s")
    if REPORT != "-":
        report.write(results, REPORT)
        h.log(f"bench: wrote the table of {REPORT}")
    print(report.table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
