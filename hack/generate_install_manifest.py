#!/usr/bin/env python3
"""Renders manifests/install.yaml from charts/incident-operator with its default values.

Helm's Go library (helm_sdkpy) cannot render offline, so this starts a throwaway `incident-operator sandbox`,
installs the chart into it (wait=False) and takes the rendered manifest. In front of it go a Namespace (with the
Pod Security "restricted" labels) and the CRD, so that one `kubectl apply --server-side -f` installs everything.
Objects keep the chart's labels, except `app.kubernetes.io/managed-by`, which says kubectl instead of Helm.

    .venv/bin/python hack/generate_install_manifest.py [--bin PATH] [--out FILE]   # write (default stdout)
    .venv/bin/python hack/generate_install_manifest.py [--bin PATH] --check FILE   # exit 1 when FILE differs
"""
import argparse
import asyncio
import difflib
import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHART = ROOT / "charts" / "incident-operator"
CRD = ROOT / "crds" / "incidentplatforms.incidentops.io.yaml"
RELEASE = "incident-operator"
NAMESPACE = "incident-operator"

HEADER = """\
# The incident-operator: Namespace, CRD, ServiceAccount, RBAC, Deployment,
# PodDisruptionBudget and metrics Service, rendered from
# charts/incident-operator with its default values by `make manifests`.
# Do not edit: change the chart and run `make manifests` (CI runs
# `make check-manifests`).
#
#   kubectl apply --server-side -f manifests/install.yaml
"""

NAMESPACE_OBJECT = f"""\
apiVersion: v1
kind: Namespace
metadata:
  name: {NAMESPACE}
  labels:
    app.kubernetes.io/name: incident-operator
    app.kubernetes.io/part-of: incident-platform
    app.kubernetes.io/managed-by: kubectl
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/warn: restricted
"""


def render_chart(binary, workdir):
    """The chart's rendered manifest (default values), installed into a throwaway sandbox."""
    os.environ["INCIDENT_OPERATOR_BIN"] = str(binary)
    sys.path.insert(0, str(ROOT / "Tests" / "python"))
    import helm_sdkpy as helm
    from test_sandbox_support import Sandbox  # one way to start the sandbox, shared with the tests

    sandbox = Sandbox(workdir).start()
    try:
        config = helm.Configuration(namespace=NAMESPACE, kubeconfig=sandbox.kubeconfig)
        result = asyncio.run(helm.Install(config).run(RELEASE, str(CHART), wait=False, timeout=60,
                                                      create_namespace=True))
        return result["manifest"]
    finally:
        sandbox.stop()


def install_manifest(binary):
    """The whole text of manifests/install.yaml."""
    with tempfile.TemporaryDirectory(prefix="install-manifest-") as workdir:
        manifest = render_chart(binary, workdir)
    manifest = manifest.replace("app.kubernetes.io/managed-by: Helm", "app.kubernetes.io/managed-by: kubectl")
    manifest = manifest.strip("\n").removeprefix("---\n")
    crd = CRD.read_text(encoding="utf-8").strip("\n").removeprefix("---\n")
    parts = [HEADER + "---\n" + NAMESPACE_OBJECT.rstrip("\n"), "# Source: crds/" + CRD.name + "\n" + crd, manifest]
    return "\n---\n".join(parts) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("INCIDENT_OPERATOR_BIN", str(ROOT / ".build/debug/incident-operator")),
                        help="the incident-operator binary (for its sandbox)")
    parser.add_argument("--out", help="write here instead of stdout")
    parser.add_argument("--check", metavar="FILE", help="compare with FILE; exit 1 with a diff when it differs")
    args = parser.parse_args(argv)
    if not pathlib.Path(args.bin).is_file():
        parser.error(f"{args.bin} does not exist: build it first (make build) or pass --bin")
    text = install_manifest(args.bin)
    if args.check:
        current = pathlib.Path(args.check).read_text(encoding="utf-8") if pathlib.Path(args.check).exists() else ""
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                                       args.check, "generated"))
            print(f"{args.check} is out of date: run `make manifests` and commit it", file=sys.stderr)
            return 1
        return 0
    if args.out:
        pathlib.Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
