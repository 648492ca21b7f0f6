"""Helm (helm_sdkpy) against the sandbox, manifest splitting, and the external checkers the delivery tests run."""
import asyncio
import os
import pathlib
import subprocess
import sys

import helm_sdkpy as helm
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
PYTHON_TESTS = ROOT / "Tests" / "python"
OPERATOR_CHART = ROOT / "charts" / "incident-operator"
PLATFORM_CHART = ROOT / "charts" / "incident-platform"
CRD_PATH = ROOT / "crds" / "incidentplatforms.incidentops.io.yaml"
VENV_BIN = pathlib.Path(sys.executable).parent
BIN = os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build" / "debug" / "incident-operator"))

sys.path.insert(0, str(PYTHON_TESTS))
sys.path.insert(0, str(ROOT / "hack"))


def tool(name):
    """A checker installed in the venv next to this Python (kubernetes-validate, checkov, hadolint)."""
    path = VENV_BIN / name
    if not path.exists():
        raise AssertionError(f"{path} is missing: run `make venv` (the Makefile's PY_PACKAGES installs it)")
    return str(path)


def lint(chart):
    """Helm's Lint of a chart with its default values; returns (errors, messages).

    helm_sdkpy loses the texts of lint errors (they come back as `{}`): on failure, install the chart into the
    sandbox (`install_error`) to see Helm's message.
    """
    result = asyncio.run(helm.Lint(helm.Configuration()).run(str(chart)))
    return result.get("Errors") or [], result.get("Messages") or []


def install(sandbox, release, chart, namespace, values=None):
    """`helm install` (wait=False) into the sandbox; returns helm_sdkpy's release dict (with `manifest`)."""
    config = helm.Configuration(namespace=namespace, kubeconfig=sandbox.kubeconfig)
    return asyncio.run(helm.Install(config).run(release, str(chart), values=values or {}, wait=False, timeout=60,
                                                create_namespace=True))


def install_error(sandbox, release, chart, namespace, values=None):
    """The error text of a failing install, or None when it succeeds (then the release is left installed)."""
    try:
        install(sandbox, release, chart, namespace, values)
    except helm.HelmError as error:  # carries Helm's whole message (template and schema errors)
        return str(error)
    return None


def objects(manifest):
    """The objects of a multi-document YAML text, empty documents left out."""
    return [doc for doc in yaml.safe_load_all(manifest) if doc]


def by_kind(docs, kind):
    return [doc for doc in docs if doc.get("kind") == kind]


def one(docs, kind, name=None):
    found = [d for d in by_kind(docs, kind) if name is None or d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}{' ' + name if name else ''}, found {len(found)}: " + \
        ", ".join(d["metadata"]["name"] for d in by_kind(docs, kind))
    return found[0]


def kubernetes_validate(docs, version, workdir):
    """Runs `kubernetes-validate --strict -k VERSION` on every object; fails on errors and on unknown kinds.

    kubernetes-validate reports an unknown kind as a WARN with exit code 0, and only the first error of each
    object, so each object must report exactly one "passed" line.
    """
    path = pathlib.Path(workdir) / f"objects-{version}.yaml"
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False), encoding="utf-8")
    run = subprocess.run([tool("kubernetes-validate"), "--strict", "-k", version, str(path)],
                         capture_output=True, text=True, timeout=120)
    lines = (run.stdout + run.stderr).splitlines()
    problems = [line for line in lines if not line.startswith("INFO")]
    assert run.returncode == 0 and not problems, f"kubernetes-validate {version}:\n" + "\n".join(lines)
    passed = [line for line in lines if " passed for resource " in line]
    assert len(passed) == len(docs), f"kubernetes-validate {version} passed {len(passed)} of {len(docs)}:\n" + \
        "\n".join(lines)
    return passed


def crd_validator():
    """A jsonschema validator of IncidentPlatform objects (the CRD's schema, as test_crd_schema builds it)."""
    from test_crd_schema import VALIDATOR
    return VALIDATOR
