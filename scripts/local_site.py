"""Start the site on a free loopback port, and the Chromium settings every browser run uses.

Shared by the browser tests (tests/browser/conftest.py) and the scripts that look at the running
site (screenshots, Lighthouse audit, ad-hoc shots), so there is one way to do both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# How every server started here runs, as `make run` and the Docker image run it (docs/deploy.md):
# glibc keeps at most two malloc arenas instead of up to eight per core.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2"}


def start_server(
    env_extra: dict[str, str] | None = None,
    script: str = "serve.py",
    extra_args: list[str] | None = None,
    log_dir: Path | None = None,
    cwd: Path | None = None,
    port: int | None = None,
):
    """Start `streamlit run` on a free port (or ``port``) and wait for its health check. Returns (process, url).

    ``cwd``: run another checkout of the site (a benchmark comparing revisions); default this one.
    """
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **SERVER_ENV, **(env_extra or {})}
    log = (log_dir / f"server-{port}.log").open("a") if log_dir and log_dir.is_dir() else subprocess.DEVNULL
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *(extra_args or []),
    ]
    process = subprocess.Popen(command, cwd=cwd or ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("streamlit did not become healthy within 90 s")


def stop_server(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has run the script to the end (the footer is drawn last) and idles.

    A short pause first: right after a click or key press the app can still report the previous
    run as finished for a moment, before the new run starts.
    """
    page.wait_for_timeout(120)
    page.wait_for_selector(".st-key-site_footer, [data-testid='stAlertContentError']", state="attached", timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]') && ![...document.querySelectorAll('[data-stale=\"true\"]')].length",
        timeout=timeout,
    )
