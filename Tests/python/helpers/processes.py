"""Stopping the peer processes tests start (Prometheus, Alertmanager, exporters)."""
import subprocess


def stop_process(process, timeout=10):
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds; always reaped."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
