"""Remote mode: one OFREP request per evaluation, for short-lived processes that would not keep a stream."""

from __future__ import annotations

import typing
import urllib.parse

from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, Reason

from ._document import scalar_metadata
from ._evaluator import KILLED, error_details
from ._http import Connection, ServerError

_TYPES: dict[str, tuple[type, ...]] = {"boolean": (bool,), "string": (str,), "integer": (int,), "float": (int, float), "object": (dict, list)}


class RemoteEvaluator:
    """Evaluates over ``POST /ofrep/v1/evaluate/flags/{key}``; a failure serves the code default."""

    def __init__(self, connection: Connection, timeout: float) -> None:
        self._connection = connection
        self._timeout = timeout
        #: Whether the last request got an answer.
        self.reachable = False

    def resolve(self, kind: str, key: str, default: typing.Any, context: EvaluationContext | None) -> FlagResolutionDetails[typing.Any]:
        """One evaluation; never raises (a network failure is ``GENERAL`` with the code default)."""
        body: dict[str, typing.Any] = {"context": dict(context.attributes) if context is not None else {}}
        if context is not None and context.targeting_key is not None:
            body["context"]["targetingKey"] = context.targeting_key
        try:
            path = f"/ofrep/v1/evaluate/flags/{urllib.parse.quote(key, safe='')}"
            answer = self._connection.request("POST", path, body, timeout=self._timeout, keep_alive=True)
            result = answer.json()
        except (OSError, ServerError, TypeError, ValueError) as error:
            self.reachable = False
            return error_details(default, ErrorCode.GENERAL, f"OFREP evaluation of {key!r} failed: {error}")
        self.reachable = True
        if not isinstance(result, dict):
            return error_details(default, ErrorCode.PARSE_ERROR, "the OFREP answer is not an object")
        metadata = scalar_metadata(result.get("metadata") or {}) if isinstance(result.get("metadata"), dict) else {}
        if "errorCode" in result:
            code = ErrorCode.__members__.get(str(result["errorCode"]), ErrorCode.GENERAL)
            details = error_details(default, code, str(result.get("errorDetails") or code.value))
            details.flag_metadata = metadata
            return details
        value = result.get("value", default)
        if kind == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, _TYPES[kind]) or (kind in ("integer", "float") and isinstance(value, bool)):
            return error_details(default, ErrorCode.TYPE_MISMATCH, f"{key!r} is {type(value).__name__}, asked for {kind}")
        reason = Reason.DISABLED if metadata.get(KILLED) is True else Reason.__members__.get(str(result.get("reason")), Reason.UNKNOWN)
        variant = result.get("variant")
        return FlagResolutionDetails(value, variant=variant if isinstance(variant, str) else None, reason=reason, flag_metadata=metadata)
