#!/usr/bin/env python3
"""Writes charts/incident-platform/values.schema.json from the IncidentPlatform CRD.

The chart's `spec` value becomes the custom resource's spec, so its schema is the CRD's spec schema, turned into
JSON Schema the same way Tests/python/test_crd_schema.py does (x-kubernetes-* keys dropped, unknown fields
rejected). Tests/python/test_chart_platform.py regenerates it and fails when the committed file differs.

    .venv/bin/python hack/generate_platform_values_schema.py          # rewrite the file
    .venv/bin/python hack/generate_platform_values_schema.py --check  # exit 1 when it is out of date
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "python"))

from test_crd_schema import openapi_schema, to_json_schema  # noqa: E402  (one conversion, shared with the CRD test)

TARGET = ROOT / "charts" / "incident-platform" / "values.schema.json"
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}


def values_schema():
    """The chart's values schema: name, labels, annotations, and the CRD's spec schema."""
    crd_schema = openapi_schema()
    name_rule = crd_schema["properties"]["metadata"]["description"]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "incident-platform chart values (generated from the IncidentPlatform CRD; do not edit)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "global": {"type": "object", "description": "Helm's global values (unused by this chart)."},
            "name": {
                "type": "string",
                "description": "Name of the IncidentPlatform; empty means the release name. " + name_rule,
                "maxLength": 39,
                "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$",
            },
            "labels": dict(STRING_MAP, description="Extra labels on the IncidentPlatform."),
            "annotations": dict(STRING_MAP, description="Extra annotations on the IncidentPlatform."),
            "spec": to_json_schema(crd_schema["properties"]["spec"], "spec"),
        },
    }


def rendered():
    return json.dumps(values_schema(), indent=2, sort_keys=True) + "\n"


def main(argv):
    text = rendered()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run .venv/bin/python hack/generate_platform_values_schema.py",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
