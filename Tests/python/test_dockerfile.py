"""The Dockerfiles: hadolint finds nothing, the stages are what docs/delivery.md says (Swift 6 build with a static
Swift stdlib, slim non-root runtime started without a shell), .dockerignore sends only what the builds need, and
each binary, by `ldd`, needs only libraries that its runtime stage's packages provide.

`Dockerfile` is the operator's image (checked with the operator binary the other tests use); `Dockerfile.platform`
is the incident-platform image (the four services), checked with a release build of the `incident-platform`
product made with the Dockerfile's own `swift build` command (or `INCIDENT_PLATFORM_RELEASE_BIN`, a binary built that way)."""
import os
import pathlib
import re
import shlex
import subprocess

import pytest

from helpers.delivery import BIN, ROOT, tool

DOCKERFILE = ROOT / "Dockerfile"
PLATFORM_DOCKERFILE = ROOT / "Dockerfile.platform"
SWIFT_STATIC = "swift_static"
# The image budget of incident-platform, and the uncompressed size of debian:bookworm-slim it starts from.
PLATFORM_IMAGE_BUDGET_MB = 100
BOOKWORM_SLIM_MB = 75


def instructions(dockerfile=DOCKERFILE):
    """(instruction, argument) pairs, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages(dockerfile=DOCKERFILE):
    """Stage name -> its instructions (ARG values substituted into FROM)."""
    args = {}
    found = {}
    current = None
    for word, rest in instructions(dockerfile):
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


def runtime_packages(dockerfile=DOCKERFILE):
    runs = [rest for word, rest in stages(dockerfile)["runtime"] if word == "RUN"]
    packages = []
    for run in runs:
        for command in run.split("&&"):
            words = shlex.split(command)
            if words[:3] == ["apt-get", "install", "-y"]:
                packages += [w for w in words[3:] if not w.startswith("-")]
    return packages


@pytest.mark.parametrize("dockerfile", [DOCKERFILE, PLATFORM_DOCKERFILE], ids=lambda p: p.name)
def test_hadolint_finds_nothing(dockerfile):
    run = subprocess.run([tool("hadolint"), str(dockerfile)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def check_common_stages(dockerfile, product):
    """What both images share: the Swift build of `product` with a static stdlib, a slim runtime, a numeric
    non-root user after the last RUN, exec-form ENTRYPOINT and CMD; returns (build, runtime) instructions."""
    found = stages(dockerfile)
    assert list(found) == ["build", "runtime"]
    build, runtime = found["build"], found["runtime"]
    assert re.fullmatch(r"swift:6\.\d+(\.\d+)?-bookworm", build[0][1])
    assert any(w == "RUN" and "--static-swift-stdlib" in r and "-c release" in r and f"--product {product}" in r
               for w, r in build)
    assert runtime[0][1] == "debian:bookworm-slim"
    users = [r for w, r in runtime if w == "USER"]
    assert users and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1]), users
    entrypoint = [r for w, r in runtime if w == "ENTRYPOINT"]
    assert entrypoint and entrypoint[-1].startswith("[\""), "ENTRYPOINT must be in exec form (no shell)"
    assert entrypoint[-1] == f'["/usr/local/bin/{product}"]'
    assert all(r.startswith("[") for w, r in runtime if w == "CMD"), "CMD must be in exec form"
    assert [w for w, _ in runtime].index("USER") > max(i for i, (w, _) in enumerate(runtime) if w == "RUN")
    return build, runtime


def test_stages():
    check_common_stages(DOCKERFILE, "incident-operator")
    assert set(runtime_packages()) == {"libcurl4", "libstdc++6", "ca-certificates"}


def test_platform_stages():
    _, runtime = check_common_stages(PLATFORM_DOCKERFILE, "incident-platform")
    # The uid the operator runs the services as (ServiceGenerator.runAsUser), so files and probes behave alike.
    generator = (ROOT / "Sources/IncidentPlatform/Generators/Services/ServiceGenerator.swift").read_text(encoding="utf-8")
    uid = re.search(r"static let runAsUser = (\d+)", generator).group(1)
    assert [r for w, r in runtime if w == "USER"][-1] == f"{uid}:{uid}"
    # No arguments from the operator: the image's CMD is `serve`, which reads SERVICE_NAME.
    assert [r for w, r in runtime if w == "CMD"] == ['["serve"]']
    healthchecks = [r for w, r in runtime if w == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    assert healthchecks[0].split("CMD", 1)[1].strip() == '["/usr/local/bin/incident-platform", "healthcheck"]'
    defaults = (ROOT / "Sources/IncidentPlatform/Model/PlatformDefaults.swift").read_text(encoding="utf-8")
    ports = {re.search(rf"static let {name} = (\d+)", defaults).group(1) for name in ("backendPort", "webUIPort")}
    assert set(" ".join(r for w, r in runtime if w == "EXPOSE").split()) == ports
    packages = set(runtime_packages(PLATFORM_DOCKERFILE))
    assert {"libssl3", "libstdc++6", "ca-certificates"} <= packages <= {"libssl3", "libstdc++6", "ca-certificates", "libcurl4"}


@pytest.mark.parametrize("dockerfile", [DOCKERFILE, PLATFORM_DOCKERFILE], ids=lambda p: p.name)
def test_dockerignore_sends_only_the_build_inputs(dockerfile):
    lines = [l for l in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    assert lines == ["*", "!Package.swift", "!Sources/"]
    copied = [r.split()[0] for w, r in stages(dockerfile)["build"] if w == "COPY"]
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


def ldd(binary):
    """soname -> path of every library `binary` links (directly or not)."""
    run = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    libraries = {}
    for line in run.stdout.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line)
        if m:
            assert m.group(2) != "not", f"{binary} cannot find {m.group(1)}"
            libraries[m.group(1)] = m.group(2)
    return libraries


def packages_outside(libraries, dockerfile):
    """soname -> owning package of each linked library that the runtime stage of `dockerfile` does not provide."""
    allowed = dependency_closure(runtime_packages(dockerfile) + ["libc6"])
    outside = {}
    for soname, path in libraries.items():
        if "/usr/lib/swift/" in path:
            # A Swift runtime library: --static-swift-stdlib links its static archive instead.
            archive = pathlib.Path(path.replace("/usr/lib/swift/", f"/usr/lib/{SWIFT_STATIC}/")).with_suffix(".a")
            assert archive.is_file(), f"{soname}: no static archive {archive}, --static-swift-stdlib cannot cover it"
            continue
        owner = dpkg_owner(path)
        if owner not in allowed:
            outside[soname] = owner
    return outside


@pytest.fixture(scope="module")
def linked_libraries():
    libraries = ldd(BIN)
    assert "libcurl.so.4" in libraries
    return libraries


def test_binary_needs_only_what_the_runtime_stage_installs(linked_libraries):
    outside = packages_outside(linked_libraries, DOCKERFILE)
    assert outside == {}, "libraries from packages the runtime stage does not install"


def platform_build_command():
    """The `swift build` of Dockerfile.platform's build stage, as arguments."""
    for word, rest in stages(PLATFORM_DOCKERFILE)["build"]:
        if word == "RUN" and rest.startswith("swift build"):
            return shlex.split(rest.split("&&")[0])
    raise AssertionError("Dockerfile.platform: no RUN swift build in the build stage")


@pytest.fixture(scope="module")
def platform_binary():
    """incident-platform built as the image builds it: INCIDENT_PLATFORM_RELEASE_BIN, or a release build made here
    with the Dockerfile's flags (scratch path INCIDENT_PLATFORM_SCRATCH, default .build; several minutes the first
    time). Not INCIDENT_PLATFORM_BIN: that is the debug binary the service tests run."""
    given = os.environ.get("INCIDENT_PLATFORM_RELEASE_BIN")
    if given:
        assert pathlib.Path(given).is_file(), f"INCIDENT_PLATFORM_RELEASE_BIN={given} does not exist"
        return pathlib.Path(given)
    scratch = os.environ.get("INCIDENT_PLATFORM_SCRATCH", str(ROOT / ".build"))
    command = platform_build_command() + ["--scratch-path", scratch]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert run.returncode == 0, f"{shlex.join(command)} failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--show-bin-path"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300, check=True).stdout.strip()
    return pathlib.Path(bin_dir) / "incident-platform"


def test_platform_binary_needs_exactly_what_the_runtime_stage_installs(platform_binary):
    libraries = ldd(platform_binary)
    outside = packages_outside(libraries, PLATFORM_DOCKERFILE)
    assert outside == {}, "libraries from packages Dockerfile.platform's runtime stage does not install (add them)"
    # And nothing installed for nothing: each library package of the runtime stage provides a linked library.
    owners = {dpkg_owner(path) for path in libraries.values()}
    unused = [p for p in runtime_packages(PLATFORM_DOCKERFILE) if p.startswith("lib") and p not in owners]
    assert unused == [], f"Dockerfile.platform installs {unused}, which {platform_binary.name} does not link"


def package_field(package, field):
    run = subprocess.run(["dpkg-query", "-W", "-f", f"${{{field}}}", package], capture_output=True, text=True)
    assert run.returncode == 0, f"{package} is not installed here: {run.stderr}"
    return run.stdout.strip()


def in_base_image(package, apt_closure):
    """debian:bookworm-slim is a minbase system: every `Priority: required` package, and apt with what it needs."""
    return package in apt_closure or package_field(package, "Priority") == "required"


def test_platform_image_estimate_is_under_budget(platform_binary):
    """No container engine runs here: debian:bookworm-slim (about 75 MB) + the Installed-Size of the packages the
    runtime stage adds + the binary must stay under 100 MB (the arithmetic is in Dockerfile.platform and README)."""
    apt_closure = dependency_closure(["apt"])
    added = {p for p in dependency_closure(runtime_packages(PLATFORM_DOCKERFILE)) if not in_base_image(p, apt_closure)}
    packages_mb = sum(int(package_field(p, "Installed-Size")) * 1024 / 1e6 for p in added)  # Installed-Size is in KiB
    binary_mb = platform_binary.stat().st_size / 1e6
    total = BOOKWORM_SLIM_MB + packages_mb + binary_mb
    assert total < PLATFORM_IMAGE_BUDGET_MB, (
        f"estimated image {total:.1f} MB = {BOOKWORM_SLIM_MB} (base) + {packages_mb:.1f} (packages {sorted(added)}) "
        f"+ {binary_mb:.1f} (binary): over {PLATFORM_IMAGE_BUDGET_MB} MB. `import Foundation` links ICU (code "
        "and data) statically (about 43 MB); the services' modules should import FoundationEssentials instead")


def platform_modules():
    """Every Swift module the incident-platform executable links, from Package.swift's target dependencies."""
    text = (ROOT / "Package.swift").read_text()
    deps = {}
    for match in re.finditer(r'\.(?:executableTarget|target)\(\s*name: "(\w+)"(?:,\s*dependencies: \[([^\]]*)\])?', text):
        deps[match.group(1)] = re.findall(r'"(\w+)"', match.group(2) or "")
    seen, todo = set(), ["IncidentPlatformCLI"]
    while todo:
        name = todo.pop()
        if name not in seen and name in deps:
            seen.add(name)
            todo += deps[name]
    return seen


def test_platform_modules_import_foundation_essentials_only():
    """Full Foundation brings ICU's data (the binary grew from 14 to 57 MB, the image over 100 MB, idle RSS over
    16 MiB): the modules the services link import FoundationEssentials, never Foundation or a Kube* module."""
    modules = platform_modules()
    assert {"PlatformServices", "PostgresClient", "IncidentCore", "HTTPServer", "Locking"} <= modules
    assert not any(m.startswith("Kube") for m in modules), f"incident-platform links Kubernetes modules: {sorted(modules)}"
    offenders = []
    for module in sorted(modules):
        for source in (ROOT / "Sources" / module).rglob("*.swift"):
            for line in source.read_text().splitlines():
                if re.match(r"\s*(@\w+\s+)*import\s+(Foundation|FoundationNetworking|FoundationXML)\s*$", line):
                    offenders.append(f"{source.relative_to(ROOT)}: {line.strip()}")
    assert offenders == [], "use `import FoundationEssentials` in the modules incident-platform links:\n" + "\n".join(offenders)
