"""The fail-safe order without a server: cache, else bootstrap, else the code default; starting
never raises and never waits past start_timeout; a corrupt cache is skipped."""

from __future__ import annotations

import json
import logging
import pathlib
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason

import switchyard
from conftest import EXAMPLE_FLAGS, example_document, free_port

INTERNAL = switchyard.user_context("u-7", email="dev@acme.com")
Make = Callable[..., switchyard.SwitchyardProvider]


def write_cache(path: pathlib.Path, document: dict, version: int = 7) -> None:
    path.write_text(json.dumps({"version": version, "etag": f'"{version}"', "document": document}))


def test_no_server_and_no_files_serves_the_code_default(make_provider: Make) -> None:
    started = time.monotonic()
    provider = make_provider(f"http://127.0.0.1:{free_port()}", "sy_sdk_x", start_timeout=1.0)
    assert time.monotonic() - started < 1.0
    details = provider.resolve_boolean_details("ai-document-summary", True, INTERNAL)
    assert (details.value, details.error_code, details.reason) == (True, ErrorCode.FLAG_NOT_FOUND, Reason.ERROR)
    assert provider.state == "offline"


def test_the_bootstrap_file_is_served_when_the_server_is_down(make_provider: Make) -> None:
    provider = make_provider(f"http://127.0.0.1:{free_port()}", "sy_sdk_x", bootstrap_file=str(EXAMPLE_FLAGS))
    assert provider.resolve_boolean_details("ai-document-summary", False, INTERNAL).value is True
    assert provider.resolve_string_details("summary-model-version", "d", INTERNAL).value == "gpt-4.1-2025-04-14"
    assert provider.state == "stale"


def test_the_cache_wins_over_the_bootstrap_file(make_provider: Make, cache_dir: pathlib.Path) -> None:
    document = example_document()
    document["flags"]["ai-document-summary"]["targeting"] = {"if": [True, "off", "on"]}
    write_cache(cache_dir / "flags.json", document)
    provider = make_provider(f"http://127.0.0.1:{free_port()}", "sy_sdk_x", cache_file=str(cache_dir / "flags.json"), bootstrap_file=str(EXAMPLE_FLAGS))
    assert provider.resolve_boolean_details("ai-document-summary", True, INTERNAL).variant == "off"
    assert provider.document_version == 7


@pytest.mark.parametrize("content", ["{not json", json.dumps({"flags": {}}), json.dumps({"version": 3, "document": {"flags": {"f": {"state": "ON"}}}})])
def test_a_corrupt_cache_is_skipped_for_the_bootstrap_file(content: str, make_provider: Make, cache_dir: pathlib.Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    (cache_dir / "flags.json").write_text(content)
    with caplog.at_level(logging.ERROR, logger="switchyard"):
        provider = make_provider(None, cache_file=str(cache_dir / "flags.json"), bootstrap_file=str(EXAMPLE_FLAGS))
    assert provider.resolve_boolean_details("ai-document-summary", False, INTERNAL).value is True
    assert provider.state_description == "the bootstrap document"
    assert any("flags.json" in record.getMessage() for record in caplog.records)


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_starting_never_waits_past_start_timeout(black_hole: str, make_provider: Make) -> None:
    started = time.monotonic()
    provider = make_provider(black_hole, "sy_sdk_x", start_timeout=0.3, request_timeout=30.0, bootstrap_file=str(EXAMPLE_FLAGS))
    waited = time.monotonic() - started
    assert 0.25 <= waited < 1.0
    assert provider.resolve_boolean_details("ai-document-summary", False, INTERNAL).value is True


def test_evaluation_never_raises(make_provider: Make) -> None:
    provider = make_provider(None, bootstrap_file=str(EXAMPLE_FLAGS))
    assert provider.resolve_integer_details("ai-document-summary", 3, INTERNAL).error_code == ErrorCode.TYPE_MISMATCH
    assert provider.resolve_object_details("summary-model-config", {}, None).value["promptVersion"] == "summary-v3"
    odd = switchyard.user_context("u-8", email=["not", "a", "string"], tier={"nested": True})
    details = provider.resolve_boolean_details("ai-document-summary", False, odd)
    assert details.value in (True, False)


def test_the_cache_is_replaced_atomically(cache_dir: pathlib.Path) -> None:
    from switchyard._document import ServedDocument, read_cache, write_cache as write_atomically
    path = cache_dir / "flags.json"
    write_atomically(ServedDocument(example_document(), 4, '"4"'), str(path))
    assert read_cache(str(path)).version == 4
    write_atomically(ServedDocument({"flags": {}}, 5, '"5"'), str(path))
    assert read_cache(str(path)).version == 5
    assert [entry.name for entry in cache_dir.iterdir()] == ["flags.json"]
