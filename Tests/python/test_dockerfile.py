"""The Dockerfile: hadolint finds nothing, the stages are what docs/delivery.md says (Swift 6 build with a static
Swift stdlib, slim non-root runtime started without a shell), .dockerignore sends only what the build needs, and
the operator binary, by `ldd`, needs only libraries that the runtime stage's packages provide."""
import pathlib
import re
import shlex
import subprocess

import pytest

from helpers.delivery import BIN, ROOT, tool

DOCKERFILE = ROOT / "Dockerfile"
SWIFT_STATIC = "swift_static"


def instructions():
    """(instruction, argument) pairs, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages():
    """Stage name -> its instructions (ARG values substituted into FROM)."""
    args = {}
    found = {}
    current = None
    for word, rest in instructions():
        if word == "ARG" and current is None:
            name, _, value = rest.partition("=")
            args[name] = value
        elif word == "FROM":
            image, _, name = rest.partition(" AS ")
            image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image)
            current = name.strip()
            found[current] = [("FROM", image)]
        else:
            found[current].append((word, rest))
    return found


def runtime_packages():
    runs = [rest for word, rest in stages()["runtime"] if word == "RUN"]
    packages = []
    for run in runs:
        for command in run.split("&&"):
            words = shlex.split(command)
            if words[:3] == ["apt-get", "install", "-y"]:
                packages += [w for w in words[3:] if not w.startswith("-")]
    return packages


def test_hadolint_finds_nothing():
    run = subprocess.run([tool("hadolint"), str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_stages():
    found = stages()
    assert list(found) == ["build", "runtime"]
    build, runtime = found["build"], found["runtime"]
    assert re.fullmatch(r"swift:6\.\d+(\.\d+)?-bookworm", build[0][1])
    assert any(w == "RUN" and "--static-swift-stdlib" in r and "-c release" in r for w, r in build)
    assert runtime[0][1] == "debian:bookworm-slim"
    users = [r for w, r in runtime if w == "USER"]
    assert users and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1]), users
    entrypoint = [r for w, r in runtime if w == "ENTRYPOINT"]
    assert entrypoint and entrypoint[-1].startswith("[\""), "ENTRYPOINT must be in exec form (no shell)"
    assert all(r.startswith("[") for w, r in runtime if w == "CMD"), "CMD must be in exec form"
    assert [w for w, _ in runtime].index("USER") > max(i for i, (w, _) in enumerate(runtime) if w == "RUN")
    assert set(runtime_packages()) == {"libcurl4", "libstdc++6", "ca-certificates"}


def test_dockerignore_sends_only_the_build_inputs():
    lines = [l for l in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    assert lines == ["*", "!Package.swift", "!Sources/"]
    copied = [r.split()[0] for w, r in stages()["build"] if w == "COPY"]
    assert copied == ["Package.swift", "Sources"]


def dpkg_owner(path):
    """The Debian package that ships a library file (through its real path, for usrmerge)."""
    for candidate in {path, str(pathlib.Path(path).resolve())}:
        for variant in {candidate, candidate.replace("/usr/lib/", "/lib/", 1), candidate.replace("/lib/", "/usr/lib/", 1)}:
            run = subprocess.run(["dpkg-query", "-S", variant], capture_output=True, text=True)
            if run.returncode == 0:
                return run.stdout.split(":", 1)[0].strip()
    return None


def dependency_closure(packages):
    """Packages plus everything they Depend/Pre-Depend on, recursively, from the local dpkg database."""
    seen, todo = set(), list(packages)
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        run = subprocess.run(["dpkg-query", "-W", "-f", "${Depends}, ${Pre-Depends}", package],
                             capture_output=True, text=True)
        assert run.returncode == 0, f"{package} is not installed here: {run.stderr}"
        for alternative in run.stdout.split(","):
            names = [a.strip().split(" ")[0].split(":")[0] for a in alternative.split("|") if a.strip()]
            installed = [n for n in names if subprocess.run(["dpkg-query", "-W", n], capture_output=True).returncode == 0]
            todo += installed[:1]
    return seen


@pytest.fixture(scope="module")
def linked_libraries():
    run = subprocess.run(["ldd", BIN], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    libraries = {}
    for line in run.stdout.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line)
        if m:
            assert m.group(2) != "not", f"{BIN} cannot find {m.group(1)}"
            libraries[m.group(1)] = m.group(2)
    assert "libcurl.so.4" in libraries
    return libraries


def test_binary_needs_only_what_the_runtime_stage_installs(linked_libraries):
    allowed = dependency_closure(runtime_packages() + ["libc6"])
    outside = {}
    for soname, path in linked_libraries.items():
        if "/usr/lib/swift/" in path:
            # A Swift runtime library: --static-swift-stdlib links its static archive instead.
            archive = pathlib.Path(path.replace("/usr/lib/swift/", f"/usr/lib/{SWIFT_STATIC}/")).with_suffix(".a")
            assert archive.is_file(), f"{soname}: no static archive {archive}, --static-swift-stdlib cannot cover it"
            continue
        owner = dpkg_owner(path)
        if owner not in allowed:
            outside[soname] = owner
    assert outside == {}, "libraries from packages the runtime stage does not install"
