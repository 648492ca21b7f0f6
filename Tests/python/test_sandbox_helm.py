"""Helm's Go library (helm-sdkpy) against the sandbox: install (wait=False), list, upgrade, uninstall."""
import asyncio

import helm_sdkpy as helm
import pytest

from test_sandbox_support import Sandbox, fixture


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    s = Sandbox(tmp_path_factory.mktemp("sandbox-helm")).start()
    yield s
    s.stop()


def test_install_list_upgrade_uninstall(sandbox):
    config = helm.Configuration(namespace="default", kubeconfig=sandbox.kubeconfig)
    chart = fixture("chart")

    installed = asyncio.run(helm.Install(config).run("demo", chart, wait=False, timeout=60))
    assert installed["info"]["status"] == "deployed"
    assert "kind: Deployment" in installed["manifest"]
    assert sandbox.get_json("cm", "demo-config")["data"] == {"message": "hello"}
    assert sandbox.get_json("deploy", "demo-web")["spec"]["replicas"] == 1
    assert sandbox.get_json("svc", "demo-web")["spec"]["ports"][0]["port"] == 80

    releases = asyncio.run(helm.List(config).run(all=True))
    assert [(r["name"], r["version"]) for r in releases] == [("demo", 1)]

    upgraded = asyncio.run(helm.Upgrade(config).run("demo", chart, values={"replicas": 3, "message": "bye"}, wait=False, timeout=60))
    assert upgraded["version"] == 2
    assert sandbox.get_json("deploy", "demo-web")["spec"]["replicas"] == 3
    assert sandbox.get_json("cm", "demo-config")["data"] == {"message": "bye"}

    asyncio.run(helm.Uninstall(config).run("demo", wait=False, timeout=60))
    assert sandbox.kubectl("get", "deploy", "demo-web", check=False).returncode != 0
    assert sandbox.kubectl("get", "cm", "demo-config", check=False).returncode != 0
    assert asyncio.run(helm.List(config).run(all=True)) in ([], None)


def test_server_side_apply_install_and_upgrade_and_wait(sandbox):
    config = helm.Configuration(namespace="default", kubeconfig=sandbox.kubeconfig)
    chart = fixture("chart")
    installed = asyncio.run(helm.Install(config).run("ssa", chart, wait=False, timeout=60, server_side_apply=True))
    assert installed["apply_method"] == "ssa"
    upgraded = asyncio.run(helm.Upgrade(config).run("ssa", chart, values={"replicas": 4}, wait=False, timeout=60, server_side_apply=True))
    assert upgraded["version"] == 2
    deploy = sandbox.kubectl("get", "deploy", "ssa-web", "-o", "json", "--show-managed-fields").stdout
    assert '"replicas": 4' in deploy and '"operation": "Apply"' in deploy
    waited = asyncio.run(helm.Install(config).run("waited", chart, wait=True, timeout=30))
    assert waited["info"]["status"] == "deployed"
    assert sandbox.get_json("deploy", "waited-web")["status"]["readyReplicas"] == 1
