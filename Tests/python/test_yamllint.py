"""yamllint on every committed YAML file.

Only Helm templates under charts/*/templates/ (Go templates, not YAML) are skipped. A file that is deliberately
unusual YAML (a parser test fixture) opts out itself with a `# yamllint disable-file` first line, which yamllint
honours.
"""
import fnmatch
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ("{extends: default, rules: {document-start: disable, line-length: disable, "
          "indentation: {indent-sequences: whatever}}}")


SKIPPED = ["charts/*/templates/*"]


def committed_yaml_files():
    out = subprocess.run(["git", "ls-files", "-z", "--", "*.yaml", "*.yml"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return [f for f in out.split("\0") if f and not any(fnmatch.fnmatch(f, p) for p in SKIPPED)]


def test_there_are_yaml_files_to_lint():
    files = committed_yaml_files()
    assert "examples/platform.yaml" in files
    assert "Tests/IncidentPlatformTests/Fixtures/golden/platform.yaml" in files, "rendered output is linted too"
    assert not any(fnmatch.fnmatch(f, "charts/*/templates/*") for f in files)


def test_every_committed_yaml_file_passes_yamllint():
    files = committed_yaml_files()
    r = subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", "-d", CONFIG, *files],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_yamllint_catches_a_real_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: value\nkey: again\n")
    r = subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", "-d", CONFIG, str(bad)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "key-duplicates" in r.stdout
