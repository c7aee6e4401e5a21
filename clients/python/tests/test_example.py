"""The example runs with no server and against the real one, where its events are accepted."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

from conftest import Environment

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
