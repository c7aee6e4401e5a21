"""Fixtures: the real ``switchyard`` binary on a free loopback port, an isolated environment with
an SDK key per test, providers that are shut down after each test, and a poll-until helper."""

from __future__ import annotations

import json
import os
import pathlib
import re
import secrets
import signal
import socket
import subprocess
import time
import typing
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest

import switchyard

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
EXAMPLE_FLAGS = REPOSITORY / "examples" / "flags.json"
TESTBED = pathlib.Path(os.environ.get("SWITCHYARD_TESTBED") or REPOSITORY.parent / "shared" / "conformance" / "flagd-testbed")


def eventually(predicate: Callable[[], typing.Any], timeout: float = 5.0, interval: float = 0.01, message: str = "condition") -> typing.Any:
    """Polls ``predicate`` until it returns something truthy (returned) or ``timeout`` passes (fails the test)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{message} did not happen within {timeout}s")
        time.sleep(interval)


def free_port() -> int:
    """A loopback port nothing listens on (for a server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return typing.cast(int, probe.getsockname()[1])


class Server:
    """One ``switchyard serve`` process with its own database and admin key."""

    def __init__(self, binary: str, directory: pathlib.Path, port: int = 0, arguments: tuple[str, ...] = ()) -> None:
        self.binary = binary
        self.arguments = arguments
        self.directory = directory
        self.admin_key = f"sy_admin_test{secrets.token_hex(16)}"
        self.requested_port = port
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> Server:
        """Starts the server and waits until it listens (at most 20 s)."""
        log = self.directory / "server.log"
        log.write_bytes(b"")
        environment = dict(os.environ, SWITCHYARD_ADMIN_KEY=self.admin_key)
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                [self.binary, "serve", "--db", str(self.directory / "switchyard.sqlite"), "--port", str(self.requested_port),
                 "--rule-interval", "0.2", *self.arguments],
                stdout=output, stderr=subprocess.STDOUT, env=environment, start_new_session=True,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            match = re.search(rb"listening on 127\.0\.0\.1:(\d+)", log.read_bytes())
            if match:
                self.requested_port = int(match.group(1))
                self.url = f"http://127.0.0.1:{self.requested_port}"
                self.log = log.read_text(errors="replace")
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"switchyard serve did not start: {log.read_text(errors='replace')[-2000:]}")

    def kill(self) -> None:
        """Stops the server at once (SIGKILL): what a crash or a network cut looks like to clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Stops the server gracefully."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def admin(self, method: str, path: str, body: typing.Any = None, *, env: str | None = None, text: str | None = None,
              headers: dict[str, str] | None = None) -> tuple[int, typing.Any]:
        """One admin API request; returns the status and the JSON answer (``None`` when empty)."""
        return request(self.url, self.admin_key, method, path, body, env=env, text=text, headers=headers)


def request(base: str, key: str, method: str, path: str, body: typing.Any = None, *, env: str | None = None, text: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, typing.Any]:
    """One request to the server with ``key``; returns the status and the JSON answer."""
    if env is not None:
        path += ("&" if "?" in path else "?") + f"env={env}"
    all_headers = {"Authorization": f"Bearer {key}", **(headers or {})}
    data = None
    if text is not None:
        data = text.encode()
        all_headers["Content-Type"] = "text/plain"
    elif body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    call = urllib.request.Request(base + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(call, timeout=10) as answer:
            content = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        content, status = error.read(), error.code
    try:
        return status, json.loads(content) if content else None
    except ValueError:
        return status, content.decode(errors="replace")


class Environment:
    """An environment of its own on the shared server, with an SDK key and the example flags."""

    def __init__(self, server: Server, document: dict[str, typing.Any]) -> None:
        self.server = server
        self.name = f"t{secrets.token_hex(5)}"
        status, answer = server.admin("POST", "/api/v1/environments", {"name": self.name})
        assert status in (200, 201), answer
        status, answer = server.admin("POST", "/api/v1/import", document, env=self.name)
        assert status in (200, 201), answer
        status, answer = server.admin("POST", "/api/v1/keys", {"kind": "sdk", "environment": self.name, "name": "pytest"})
        assert status in (200, 201), answer
        self.sdk_key = answer["key"]

    def admin(self, method: str, path: str, body: typing.Any = None, **keywords: typing.Any) -> tuple[int, typing.Any]:
        """An admin request in this environment."""
        return self.server.admin(method, path, body, env=self.name, **keywords)

    def sdk(self, method: str, path: str, body: typing.Any = None) -> tuple[int, typing.Any]:
        """A request with this environment's SDK key."""
        return request(self.server.url, self.sdk_key, method, path, body)


def example_document() -> dict[str, typing.Any]:
    """examples/flags.json."""
    return typing.cast(dict[str, typing.Any], json.loads(EXAMPLE_FLAGS.read_text()))


@pytest.fixture(scope="session")
def switchyard_binary() -> str:
    """The binary under test: ``$SWITCHYARD_BIN``, else the repository's debug build."""
    binary = os.environ.get("SWITCHYARD_BIN") or str(REPOSITORY / ".build" / "debug" / "switchyard")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no switchyard binary at {binary}: build it (swift build --product switchyard) or set SWITCHYARD_BIN")
    return binary


@pytest.fixture(scope="session")
def server(switchyard_binary: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the session; tests isolate themselves with environments."""
    running = Server(switchyard_binary, tmp_path_factory.mktemp("server")).start()
    yield running
    running.stop()


@pytest.fixture
def own_server(switchyard_binary: str, tmp_path: pathlib.Path) -> Iterator[Server]:
    """A server of the test's own, which the test may kill and restart."""
    running = Server(switchyard_binary, tmp_path).start()
    yield running
    running.kill()


@pytest.fixture
def environment(server: Server) -> Environment:
    """A fresh environment with examples/flags.json."""
    return Environment(server, example_document())


@pytest.fixture
def make_provider() -> Iterator[Callable[..., switchyard.SwitchyardProvider]]:
    """Makes initialised providers and shuts every one down after the test."""
    made: list[switchyard.SwitchyardProvider] = []

    def make(url: str | None = None, sdk_key: str | None = None, *, initialize: bool = True, **options: typing.Any) -> switchyard.SwitchyardProvider:
        options.setdefault("flush_interval", 60.0)
        provider = switchyard.SwitchyardProvider(url, sdk_key, **options)
        made.append(provider)
        if initialize:
            provider.initialize(None)
        return provider

    yield make
    for provider in made:
        provider.shutdown()


@pytest.fixture
def cache_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A directory for cache files (pytest's, which outlives the providers writing to it)."""
    directory = tmp_path / "cache"
    directory.mkdir()
    return directory
