"""A sandbox restarted on the same --data-dir keeps everything it acknowledged."""
import json

from test_sandbox_support import Sandbox, fixture


def test_restart_with_data_dir_loses_nothing(tmp_path):
    data = tmp_path / "data"
    first = Sandbox(tmp_path / "one", "--data-dir", str(data)).start()
    try:
        first.kubectl("apply", "--server-side", "-f", fixture("widgets-crd.yaml"))
        first.kubectl("apply", "--server-side", "-f", fixture("widget.yaml"))
        first.kubectl("create", "namespace", "kept")
        for i in range(20):
            first.kubectl("apply", "-f", "-", input=f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}, namespace: kept}}\ndata: {{i: '{i}'}}\n")
        first.kubectl("delete", "cm", "cm-3", "-n", "kept")
        before = json.loads(first.http("GET", "/api/v1/namespaces/kept/configmaps")[1])
        widget_before = first.get_json("widget", "blue")
    finally:
        first.stop()
    second = Sandbox(tmp_path / "two", "--data-dir", str(data)).start()
    try:
        after = json.loads(second.http("GET", "/api/v1/namespaces/kept/configmaps")[1])
        names = sorted(i["metadata"]["name"] for i in after["items"])
        assert names == sorted(f"cm-{i}" for i in range(20) if i != 3)
        assert [i["metadata"]["uid"] for i in after["items"]] == [i["metadata"]["uid"] for i in before["items"]]
        assert int(after["metadata"]["resourceVersion"]) >= int(before["metadata"]["resourceVersion"])
        widget = second.get_json("widget", "blue")
        assert widget["metadata"]["uid"] == widget_before["metadata"]["uid"] and widget["spec"]["size"] == 3
        second.kubectl("create", "cm", "after-restart", "-n", "kept")
    finally:
        second.stop()


def test_restart_after_a_crash_keeps_acknowledged_writes(tmp_path):
    data = tmp_path / "data"
    first = Sandbox(tmp_path / "one", "--data-dir", str(data)).start()
    first.kubectl("create", "namespace", "crashy")
    first.kubectl("create", "cm", "acknowledged", "-n", "crashy")
    first.process.kill()
    first.process.wait()
    with open(data / "wal.jsonl", "a") as wal:
        wal.write('{"op":"put","resource":"/configmaps","rv":99999,"obj')  # a torn write at the moment of the crash
    second = Sandbox(tmp_path / "two", "--data-dir", str(data)).start()
    try:
        assert second.get_json("cm", "acknowledged", "-n", "crashy")["metadata"]["name"] == "acknowledged"
    finally:
        second.stop()
