"""In-process evaluation with flagd's own Python evaluator, ``openfeature-flagd-core``.

One :class:`Evaluator` per document: a new document builds a new evaluator, which replaces the old
one in a single reference assignment, so readers never see a half-applied document.
"""

from __future__ import annotations

import importlib
import logging
import typing
from collections.abc import Mapping

from openfeature.contrib.tools.flagd.core import FlagdCore
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode, OpenFeatureError
from openfeature.flag_evaluation import FlagResolutionDetails, Reason

from ._document import FRACTIONAL_V2_OPERATOR, JSONObject, prepare_for_flagd_core
from ._fractional import fractional_v2

# flagd-core evaluates targeting with one operator table; Switchyard's v2 `fractional` is added to
# it under its own name (documents asking for v2 hashing are rewritten to use that name), which
# leaves every existing operator as flagd-core defines it.
_flagd_targeting = importlib.import_module("openfeature.contrib.tools.flagd.core.targeting.targeting")
_flagd_targeting.OPERATORS.setdefault(FRACTIONAL_V2_OPERATOR, fractional_v2)


class _RoutineFractionalMessages(logging.Filter):
    """Drops the two errors flagd-core logs for every ``fractional`` evaluation without a targeting
    key (an anonymous user). That is routine, the server answers it with the default variant
    silently, and at one log line each it would flood a service with anonymous traffic."""

    ROUTINE = ("No valid string targetingKey provided for fractional shorthand syntax.", "No hashKey value resolved")

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in self.ROUTINE


logging.getLogger("openfeature.contrib").addFilter(_RoutineFractionalMessages())

#: The metadata key the server sets on a killed flag.
KILLED = "killed"

Resolver = typing.Callable[[FlagdCore, str, typing.Any, EvaluationContext | None], FlagResolutionDetails[typing.Any]]


class Evaluator:
    """Evaluates one prepared document; never raises."""

    def __init__(self, members: JSONObject, locally_killed: dict[str, JSONObject] | None = None) -> None:
        """Prepares ``members`` (a served flagd document) for flagd-core.

        :raises DocumentError, openfeature.exception.ParseError: when the document cannot be evaluated.
        """
        self._core = FlagdCore()
        self._core.set_flags(prepare_for_flagd_core(members, locally_killed or {}))

    def resolve(self, resolver: Resolver, key: str, default: typing.Any, context: EvaluationContext | None) -> FlagResolutionDetails[typing.Any]:
        """Evaluates ``key`` with one of flagd-core's typed resolvers; errors become details with
        the code default, an error code and ``Reason.ERROR``; a killed flag has ``Reason.DISABLED``."""
        try:
            details = resolver(self._core, key, default, context)
        except OpenFeatureError as error:
            return error_details(default, error.error_code, error.error_message or str(error))
        except Exception as error:
            return error_details(default, ErrorCode.GENERAL, f"evaluating {key!r} failed: {error}")
        if is_killed(details.flag_metadata):
            details.reason = Reason.DISABLED
        return details


def is_killed(metadata: Mapping[str, typing.Any] | None) -> bool:
    """Whether flag metadata carries the kill marker."""
    return bool(metadata) and metadata.get(KILLED) is True  # type: ignore[union-attr]


def error_details(default: typing.Any, code: ErrorCode, message: str) -> FlagResolutionDetails[typing.Any]:
    """The code default with an error."""
    return FlagResolutionDetails(default, reason=Reason.ERROR, error_code=code, error_message=message)


RESOLVERS: dict[str, Resolver] = {
    "boolean": lambda core, key, default, context: core.resolve_boolean_value(key, default, context),
    "string": lambda core, key, default, context: core.resolve_string_value(key, default, context),
    "integer": lambda core, key, default, context: core.resolve_integer_value(key, default, context),
    "float": lambda core, key, default, context: core.resolve_float_value(key, default, context),
    "object": lambda core, key, default, context: core.resolve_object_value(key, default, context),
}
