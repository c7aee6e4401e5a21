"""Fixtures: the real ``switchyard`` binary serving the example flags over HTTP and flagd's gRPC
protocols, an SDK key bound to the example flag set (for clients that send no metadata), and
flagd's own Python provider in both modes."""

from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import subprocess
import tempfile
import time
import typing
import urllib.request
from collections.abc import Callable, Iterator

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE_FLAGS = REPOSITORY / "examples" / "flags.json"
ADMIN_KEY = "sy_admin_flagdpythontests0123456789abcdef"
SELECTOR = "flagSetId=ai-features"


def eventually(predicate: Callable[[], typing.Any], timeout: float, interval: float = 0.01, message: str = "condition") -> typing.Any:
    """Polls ``predicate`` until it returns something truthy (returned) or ``timeout`` passes (fails the test)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{message} did not happen within {timeout}s")
        time.sleep(interval)


class Server:
    """One ``switchyard serve`` process: HTTP on a free port, gRPC on another."""

    def __init__(self, binary: str, directory: pathlib.Path, arguments: tuple[str, ...]) -> None:
        log = directory / f"server-{time.monotonic_ns()}.log"
        environment = dict(os.environ, SWITCHYARD_ADMIN_KEY=ADMIN_KEY)
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                [binary, "serve", "--db", str(directory / "switchyard.sqlite"), "--port", "0", "--grpc-port", "0", *arguments],
                stdout=output, stderr=subprocess.STDOUT, env=environment, start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while True:
            text = log.read_text(errors="replace")
            http = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
            grpc = re.search(r"flagd gRPC listening.*?127\.0\.0\.1:(\d+)|127\.0\.0\.1:(\d+).*flagd gRPC listening", text)
            if http and grpc:
                self.url = f"http://127.0.0.1:{http.group(1)}"
                self.grpc_port = int(grpc.group(1) or grpc.group(2))
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"switchyard serve did not start:\n{text}")
            time.sleep(0.05)

    def admin(self, method: str, path: str, body: typing.Any = None) -> typing.Any:
        """Calls the admin API; returns the decoded JSON answer."""
        request = urllib.request.Request(
            self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def stop(self) -> None:
        """Stops the server gracefully (SIGTERM), then for good."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Deployment(typing.NamedTuple):
    server: Server
    sdk_key: str


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    """The example flags in production and an SDK key for it, bound to the example flag set's
    selector: started once to create the key, then again with the binding."""
    binary = os.environ.get("SWITCHYARD_BIN")
    if not binary:
        pytest.fail("SWITCHYARD_BIN must name the built switchyard binary (Scripts/test-flagd-python.sh sets it)")
    with tempfile.TemporaryDirectory(prefix="switchyard-flagd-") as folder:
        directory = pathlib.Path(folder)
        first = Server(binary, directory, ("--flags", str(EXAMPLE_FLAGS)))
        try:
            issued = first.admin("POST", "/api/v1/keys", {"kind": "sdk", "environment": "production", "name": "flagd-python"})
        finally:
            first.stop()
        server = Server(binary, directory, ("--grpc-selector-key", f"{issued['id']}={SELECTOR}"))
        try:
            yield Deployment(server, issued["key"])
        finally:
            server.stop()


def switchyard_eval(requests: list[dict[str, typing.Any]]) -> list[dict[str, typing.Any]]:
    """``switchyard eval --flags examples/flags.json`` on JSON-line requests."""
    result = subprocess.run(
        [os.environ["SWITCHYARD_BIN"], "eval", "--flags", str(EXAMPLE_FLAGS)],
        input="".join(json.dumps(request) + "\n" for request in requests), capture_output=True, text=True, check=True, timeout=60,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]
