"""yamllint on the hand-written YAML of the delivery (chart metadata and values, Argo CD manifests, fixtures)."""
import subprocess

from helpers.delivery import ROOT, tool

CONFIG = "{extends: default, rules: {document-start: disable, indentation: {indent-sequences: whatever}}}"
PATHS = ["charts/incident-operator/Chart.yaml", "charts/incident-operator/values.yaml",
         "charts/incident-operator/.checkov.yaml", "charts/incident-platform/Chart.yaml",
         "charts/incident-platform/values.yaml", "manifests/argocd", "Tests/python/helpers/fixtures"]


def test_yamllint_passes():
    run = subprocess.run([tool("yamllint"), "-s", "-d", CONFIG, *PATHS], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
