"""Runs an Argo CD Lua health check under Debian's lua5.4 on a Kubernetes object given as Python data."""
import json
import shutil
import subprocess


def lua_literal(value):
    """A Lua expression for JSON-like data: tables for objects and (1-based) arrays, nil for null."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string literal is a valid Lua string literal for these objects
    if isinstance(value, list):
        return "{" + ", ".join(lua_literal(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{json.dumps(str(k))}] = {lua_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot express {type(value).__name__} in Lua")


def run_health_check(script, obj):
    """(status, message) that the health script returns for obj, as Argo CD would see them."""
    lua = shutil.which("lua5.4")
    assert lua, "lua5.4 is missing: `make apt-deps` installs Debian's lua5.4"
    program = (f"obj = {lua_literal(obj)}\n"
               f"local hs = (function()\n{script}\nend)()\n"
               "io.write(tostring(hs.status), '\\n', tostring(hs.message))\n")
    run = subprocess.run([lua, "-"], input=program, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, f"lua5.4 failed:\n{run.stderr}"
    status, _, message = run.stdout.partition("\n")
    return status, message
