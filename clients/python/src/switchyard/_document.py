"""Flag documents as the server serves them: preparing them for flagd-core, applying kills, and the
last-known-good cache file and bootstrap file on disk."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import typing
from dataclasses import dataclass

JSONObject = dict[str, typing.Any]

#: The flag members flagd-core's model accepts; Switchyard's own (`safeVariant`) are left out.
_FLAGD_FLAG_MEMBERS = ("state", "variants", "defaultVariant", "targeting", "metadata")
#: The operator name that `fractional` becomes in a document that asks for v2 hashing.
FRACTIONAL_V2_OPERATOR = "switchyard_fractional_v2"


class DocumentError(ValueError):
    """A flag document, cache file or bootstrap file that cannot be used."""


@dataclass(frozen=True)
class ServedDocument:
    """The server's flagd document (top-level members) with the version and ETag it came with.

    Kept as JSON so that stream changes apply flag by flag and the cache holds what was received.
    """

    members: JSONObject
    #: The server's change version; ``None`` for a bootstrap file.
    version: int | None = None
    etag: str | None = None
    #: Where the document came from: ``server``, ``cache`` or ``bootstrap``.
    origin: str = "server"

    @property
    def flags(self) -> JSONObject:
        """The document's flags as an object keyed by flag key (the array form is converted)."""
        return flags_object(self.members.get("flags"))

    def applying(self, flag: str, served: JSONObject | None, version: int) -> ServedDocument:
        """The document after one stream ``change``: the flag replaced, or removed when ``served`` is ``None``."""
        flags = dict(self.flags)
        if served is None:
            flags.pop(flag, None)
        else:
            flags[flag] = served
        members = dict(self.members)
        members["flags"] = flags
        return ServedDocument(members, version, None, "server")


def flags_object(flags: typing.Any) -> JSONObject:
    """flagd's ``flags`` as an object: an array of flags with a ``key`` is keyed by it."""
    if isinstance(flags, dict):
        return flags
    if isinstance(flags, list):
        return {item["key"]: item for item in flags if isinstance(item, dict) and isinstance(item.get("key"), str)}
    return {}


def hashing_generation(members: JSONObject) -> str:
    """The document's ``fractionalHashing``: ``"v3"`` (the default) or ``"v2"``."""
    generation = members.get("fractionalHashing", "v3")
    if generation not in ("v2", "v3"):
        raise DocumentError(f'fractionalHashing must be "v2" or "v3", found {generation!r}')
    return typing.cast(str, generation)


def killed_flag(flag: JSONObject) -> JSONObject:
    """A flag as a kill serves it: no targeting and the safe variant (``safeVariant``, else
    ``defaultVariant``, else the code default) as its default variant."""
    killed = dict(flag)
    killed.pop("targeting", None)
    killed["defaultVariant"] = flag.get("safeVariant", flag.get("defaultVariant"))
    return killed


def prepare_for_flagd_core(members: JSONObject, locally_killed: dict[str, JSONObject]) -> JSONObject:
    """The document flagd-core evaluates: flags keyed by key with only the members its model reads,
    metadata restricted to the scalar values OpenFeature metadata holds, flags held by a local
    breaker forced to their safe variant (their metadata marked with ``locally_killed``), and, for
    v2 hashing, ``fractional`` renamed to Switchyard's v2 operator."""
    if not isinstance(members, dict):
        raise DocumentError("a flag document must be a JSON object")
    v2 = hashing_generation(members) == "v2"
    flags: JSONObject = {}
    for key, flag in flags_object(members.get("flags")).items():
        if not isinstance(flag, dict):
            raise DocumentError(f"flags.{key} must be an object")
        if key in locally_killed:
            flag = killed_flag(flag)
            flag["metadata"] = {**(flag.get("metadata") or {}), **locally_killed[key]}
        prepared = {name: flag[name] for name in _FLAGD_FLAG_MEMBERS if name in flag}
        if prepared.get("defaultVariant") is None:
            prepared.pop("defaultVariant", None)
        if isinstance(prepared.get("metadata"), dict):
            prepared["metadata"] = scalar_metadata(prepared["metadata"])
        if isinstance(prepared.get("variants"), dict):
            prepared["variants"] = {name: _whole_number(value) for name, value in prepared["variants"].items()}
        if "targeting" in prepared:
            prepared["targeting"] = _prepare_logic(prepared["targeting"], v2)
        flags[key] = prepared
    prepared_document: JSONObject = {"flags": flags}
    if isinstance(members.get("metadata"), dict):
        prepared_document["metadata"] = scalar_metadata(members["metadata"])
    evaluators = members.get("$evaluators")
    if isinstance(evaluators, dict) and evaluators:
        prepared_document["$evaluators"] = _prepare_logic(evaluators, v2)
    return prepared_document


def scalar_metadata(metadata: JSONObject) -> JSONObject:
    """The members of a metadata object that OpenFeature flag metadata can carry (bool, number, string)."""
    return {key: value for key, value in metadata.items() if isinstance(value, (bool, int, float, str))}


def _whole_number(value: typing.Any) -> typing.Any:
    """``10.0`` as the integer 10 (asked for as an integer it loses nothing, as on the server)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def _prepare_logic(logic: typing.Any, v2: bool) -> typing.Any:
    """JsonLogic as flagd-core should read it: ``fractional`` bucket weights written as whole-number
    floats (``["on", 5.0]``) as integers, which the server accepts and flagd-core would refuse, and
    with ``v2`` the operator renamed to Switchyard's v2 ``fractional``."""
    if isinstance(logic, list):
        return [_prepare_logic(item, v2) for item in logic]
    if not isinstance(logic, dict):
        return logic
    if len(logic) == 1 and isinstance(logic.get("fractional"), list):
        buckets = [
            [item[0], _whole_number(item[1])] if isinstance(item, list) and len(item) == 2 else item
            for item in _prepare_logic(logic["fractional"], v2)
        ]
        return {FRACTIONAL_V2_OPERATOR if v2 else "fractional": buckets}
    return {name: _prepare_logic(value, v2) for name, value in logic.items()}


def read_bootstrap(path: str) -> ServedDocument:
    """Reads a flagd document shipped with the application."""
    members = _read_json(path)
    if not isinstance(members, dict):
        raise DocumentError(f"{path}: not a JSON object")
    return ServedDocument(members, None, None, "bootstrap")


def read_cache(path: str) -> ServedDocument:
    """Reads the last known good document, ``{"version": N, "etag": "...", "document": {...}}``."""
    cached = _read_json(path)
    if not isinstance(cached, dict) or not isinstance(cached.get("document"), dict) or not isinstance(cached.get("version"), int):
        raise DocumentError(f"{path}: not a Switchyard cache file (no document or version)")
    etag = cached.get("etag")
    return ServedDocument(cached["document"], cached["version"], etag if isinstance(etag, str) else None, "cache")


def write_cache(document: ServedDocument, path: str) -> None:
    """Replaces the cache file with ``document`` atomically: a temporary file in the same directory,
    flushed to disk, then renamed over the old one, so a crash mid-write leaves the previous cache."""
    cached: JSONObject = {"version": document.version or 0, "document": document.members}
    if document.etag is not None:
        cached["etag"] = document.etag
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(cached, file, separators=(",", ":"))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _read_json(path: str) -> typing.Any:
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except OSError as error:
        raise DocumentError(f"{path}: cannot be read: {error.strerror or error}") from error
    except ValueError as error:
        raise DocumentError(f"{path}: not valid JSON: {error}") from error
