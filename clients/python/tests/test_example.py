"""The example runs with no server and against the real one, where its events are accepted."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import Environment, Server

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "ai_summary.py"


def run_example(**environment: str) -> str:
    variables = {key: value for key, value in os.environ.items() if not key.startswith("SWITCHYARD_")}
    completed = subprocess.run([sys.executable, str(EXAMPLE)], env={**variables, **environment}, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_the_example_runs_without_a_server() -> None:
    output = run_example()
    assert "serving the bootstrap document" in output
    assert "u-42: [AI]" in output and "u-7: [rule-based" in output
    assert re.search(r"enterprise\s+[3-7]\.\d % see the AI summary", output)


def test_the_example_runs_against_the_server_and_its_events_are_accepted(environment: Environment) -> None:
    output = run_example(SWITCHYARD_URL=environment.server.url, SWITCHYARD_KEY=environment.sdk_key)
    assert "provider state: ready, serving the server's document" in output
    match = re.search(r"events: (\d+) sent, (\d+) rejected, (\d+) dropped", output)
    assert match and int(match.group(1)) > 0 and match.group(2) == "0" and match.group(3) == "0", output


def test_the_example_runs_against_serve_demo(switchyard_binary: str, tmp_path: pathlib.Path) -> None:
    demo = Server(switchyard_binary, tmp_path, arguments=("--demo",))
    try:
        demo.start()
        match = re.search(r"sy_sdk_[A-Za-z0-9_]+", demo.log)
        if match is None and "--demo" not in subprocess.run([switchyard_binary, "serve", "--help"], capture_output=True, text=True).stdout:
            pytest.skip("the switchyard binary under test has no serve --demo")
        assert match, demo.log
        output = run_example(SWITCHYARD_URL=demo.url, SWITCHYARD_KEY=match.group(0))
        assert "provider state: ready" in output and "u-42: [AI]" in output
        assert re.search(r"events: [1-9]\d* sent, 0 rejected, 0 dropped", output), output
    finally:
        demo.kill()
