"""``SwitchyardProvider``: the OpenFeature provider for Switchyard."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import logging
import math
import os
import secrets
import threading
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openfeature.evaluation_context import EvaluationContext
from openfeature.event import ProviderEventDetails
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, FlagValueType
from openfeature.hook import Hook
from openfeature.provider import AbstractProvider, Metadata
from openfeature.track import TrackingEventDetails

from ._breakers import BreakerTrip, LocalBreakers
from ._document import DocumentError, ServedDocument, read_bootstrap, read_cache, write_cache
from ._evaluator import RESOLVERS, Evaluator, error_details
from ._events import EventSender, EventStats, now_ms
from ._exposures import ExposureHook
from ._http import Connection, ServerError
from ._options import Options
from ._remote import RemoteEvaluator
from ._sync import Sync
from .rules import KillRule

FINISH_REASONS = ("stop", "length", "error", "refused", "empty")
#: The ``model`` of an output when the caller names none (the server requires one).
UNKNOWN_MODEL = "unknown"
#: The ``unitKey`` of events whose context has no targeting key.
ANONYMOUS_UNIT = "anonymous"


@dataclass(frozen=True)
class _Served:
    """What evaluations read: replaced as a whole, never modified."""

    document: ServedDocument | None
    evaluator: Evaluator | None


class SwitchyardProvider(AbstractProvider):
    """The OpenFeature provider for a Switchyard server.

    In-process (the default): the environment's flag document is kept current over the server's SDK
    stream and evaluated locally by flagd-core; the last known good document is kept on disk
    (``cache_file``) and a flagd file shipped with the application (``bootstrap_file``) is served
    when neither the server nor the cache has a document. With ``mode="remote"`` every evaluation is
    an OFREP request instead (for short-lived processes).

    Starting never raises and never waits longer than ``start_timeout``; evaluating never raises.
    The provider also records what the AI feature produced (:meth:`track_output` and its
    follow-ups), reports exposures through an OpenFeature hook, and runs local circuit breakers
    (:meth:`attach_breaker`). See docs/python.md for every option.
    """

    def __init__(self, url: str | None = None, sdk_key: str | None = None, **options: typing.Any) -> None:
        """
        :param url: the server, e.g. ``http://127.0.0.1:8700``; ``None`` serves the cache or
            bootstrap file only (no sync, no events sent).
        :param sdk_key: an SDK key of the environment (``sy_sdk_...``); required with ``url``.
        :param options: see :class:`switchyard.Options` (``cache_file``, ``bootstrap_file``,
            ``start_timeout``, ...).
        :raises TypeError, ValueError: naming the argument or option that is wrong.
        """
        super().__init__()
        self.options = Options.from_keywords(options)
        self._logger = self.options.logger or logging.getLogger("switchyard")
        if url is not None and not isinstance(url, str):
            raise TypeError(f"url must be a string such as 'http://127.0.0.1:8700', found {type(url).__name__}")
        if url is not None and (not isinstance(sdk_key, str) or not sdk_key):
            raise ValueError("sdk_key is required with url: create one with `switchyard keys create --kind sdk`")
        if url is None and self.options.mode == "remote":
            raise ValueError('mode="remote" evaluates on the server: it needs url and sdk_key')
        self.client_id = self.options.client_id or f"py-{secrets.token_hex(8)}"
        self._connection = Connection(url, sdk_key or "", self.client_id, self.options.request_timeout) if url else None
        self._lock = threading.RLock()
        self._served = _Served(None, None)
        self._connected = False
        self._initialized = False
        self._closed = False
        self._breakers = LocalBreakers()
        self._held: dict[str, BreakerTrip] = {}
        self._output_prefix = f"o-{secrets.token_hex(6)}"
        self._output_counter = itertools.count(1)
        self._warned_no_variant = False
        self._events = EventSender(
            self._connection,
            flush_interval=self.options.flush_interval,
            flush_size=self.options.flush_size,
            maximum_queued=self.options.max_queued_events,
            maximum_attempts=self.options.max_send_attempts,
            retry_delay=self.options.retry_delay,
            logger=self._logger,
        )
        self._exposure_hook = ExposureHook(self._events.append, self.options.exposure_window) if self.options.exposures and self._connection else None
        self._remote = RemoteEvaluator(self._connection, self.options.request_timeout) if self.options.mode == "remote" and self._connection else None
        self._sync: Sync | None = None
        self._load_local_document()

    # MARK: OpenFeature lifecycle

    def get_metadata(self) -> Metadata:
        """The provider's name for OpenFeature."""
        return Metadata(name="switchyard")

    def get_provider_hooks(self) -> list[Hook]:
        """The exposure hook (when exposures are on and a server is configured)."""
        return [self._exposure_hook] if self._exposure_hook is not None else []

    def initialize(self, evaluation_context: EvaluationContext | None = None) -> None:
        """Starts syncing and waits at most ``start_timeout`` for the server's document. Never raises:
        without the server it serves the cache file, else the bootstrap file, else code defaults."""
        with self._lock:
            if self._initialized or self._closed:
                return
            self._initialized = True
            if self._connection is None or self._remote is not None:
                return
            self._sync = Sync(
                self._connection, self,
                streaming=self.options.streaming,
                poll_interval=self.options.poll_interval,
                stream_idle_timeout=self.options.stream_idle_timeout,
                reconnect_delay=self.options.reconnect_delay,
                logger=self._logger,
            )
            self._sync.start()
        if not self._sync.first_attempt.wait(self.options.start_timeout):
            self._logger.warning(
                "switchyard: no answer from the server within %ss; serving %s meanwhile", self.options.start_timeout, self.state_description)

    def shutdown(self) -> None:
        """Stops syncing and sends the queued events (within ``shutdown_timeout``). Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            sync = self._sync
        if sync is not None:
            sync.stop(timeout=1.0)
        self._events.stop(self.options.shutdown_timeout)

    # MARK: state

    @property
    def state(self) -> str:
        """``ready`` (serving the server's current document), ``stale`` (serving a document while
        the server is unreachable) or ``offline`` (no document: every evaluation serves the code default)."""
        if self._remote is not None:
            return "ready" if self._remote.reachable else "stale"
        served = self._served.document
        if served is None:
            return "offline"
        return "ready" if self._connected and served.origin == "server" else "stale"

    @property
    def state_description(self) -> str:
        """What is served, in words, for logs."""
        served = self._served.document
        if served is None:
            return "the code defaults"
        return {"server": "the server's document", "cache": "the cached document", "bootstrap": "the bootstrap document"}[served.origin]

    @property
    def document_version(self) -> int | None:
        """The server's change version of the document served, ``None`` for a bootstrap file or none."""
        served = self._served.document
        return served.version if served is not None else None

    @property
    def event_stats(self) -> EventStats:
        """Counters of queued, sent, dropped and rejected events."""
        return self._events.stats

    # MARK: evaluation

    def resolve_boolean_details(self, flag_key: str, default_value: bool, evaluation_context: EvaluationContext | None = None) -> FlagResolutionDetails[bool]:
        """Evaluates a boolean flag."""
        return self._resolve("boolean", flag_key, default_value, evaluation_context)

    def resolve_string_details(self, flag_key: str, default_value: str, evaluation_context: EvaluationContext | None = None) -> FlagResolutionDetails[str]:
        """Evaluates a string flag."""
        return self._resolve("string", flag_key, default_value, evaluation_context)

    def resolve_integer_details(self, flag_key: str, default_value: int, evaluation_context: EvaluationContext | None = None) -> FlagResolutionDetails[int]:
        """Evaluates an integer flag (``10.0`` counts as 10; ``3.5`` is a type mismatch)."""
        return self._resolve("integer", flag_key, default_value, evaluation_context)

    def resolve_float_details(self, flag_key: str, default_value: float, evaluation_context: EvaluationContext | None = None) -> FlagResolutionDetails[float]:
        """Evaluates a number flag."""
        return self._resolve("float", flag_key, default_value, evaluation_context)

    def resolve_object_details(
        self, flag_key: str, default_value: Sequence[FlagValueType] | Mapping[str, FlagValueType], evaluation_context: EvaluationContext | None = None
    ) -> FlagResolutionDetails[Sequence[FlagValueType] | Mapping[str, FlagValueType]]:
        """Evaluates an object flag."""
        return self._resolve("object", flag_key, default_value, evaluation_context)

    def _resolve(self, kind: str, key: str, default: typing.Any, context: EvaluationContext | None) -> FlagResolutionDetails[typing.Any]:
        if self._remote is not None:
            return self._remote.resolve(kind, key, default, context)
        evaluator = self._served.evaluator
        if evaluator is None:
            return error_details(default, ErrorCode.FLAG_NOT_FOUND, f"flag {key!r} not found: no flag document yet ({self.state})")
        return evaluator.resolve(RESOLVERS[kind], key, default, context)

    # MARK: documents (called by the sync thread)

    def served_document(self) -> ServedDocument | None:
        """The document served now (for the sync thread)."""
        return self._served.document

    def set_connected(self, connected: bool) -> None:
        """Notes whether the server is reachable, telling OpenFeature when that changes."""
        if connected == self._connected:
            return
        self._connected = connected
        with self._lock:
            served = self._served
            if connected and served.document is not None and served.document.origin == "cache":
                # The server resumed after the cached version: the cache is as current as the server.
                self._served = _Served(dataclasses.replace(served.document, origin="server"), served.evaluator)
        if not self._initialized or self._closed:
            return
        if connected:
            self.emit_provider_ready(ProviderEventDetails(message="connected to the Switchyard server"))
        else:
            self.emit_provider_stale(ProviderEventDetails(message=f"the Switchyard server is unreachable; serving {self.state_description}"))

    def apply_document(self, document: ServedDocument) -> None:
        """Serves a document from the server: compiles it (keeping the old one if that fails),
        writes the cache and acknowledges the version to the server."""
        changed = self._install(document)
        if changed is None or document.version is None:
            return
        if self.options.cache_file:
            try:
                write_cache(document, self.options.cache_file)
            except OSError as error:
                self._logger.error("switchyard: cannot write the cache file %s: %s", self.options.cache_file, error)
        if self._connection is not None:
            try:
                self._connection.report_applied(document.version)
            except (OSError, ServerError) as error:
                self._logger.debug("switchyard: cannot report applied version %s: %s", document.version, error)
        if self._initialized and not self._closed:
            self.emit_provider_configuration_changed(ProviderEventDetails(flags_changed=sorted(changed), message=f"version {document.version}"))

    def _install(self, document: ServedDocument, source: str = "the server") -> set[str] | None:
        """Compiles ``document`` with the local breakers' kills and serves it; returns the flags
        whose definition changed, or ``None`` when the document does not compile."""
        with self._lock:
            try:
                evaluator = Evaluator(document.members, self._local_kill_metadata())
            except Exception as error:
                problem = getattr(error, "error_message", None) or str(error) or "malformed flag"
                self._logger.error("switchyard: ignoring the flag document from %s, which cannot be evaluated: %s: %s",
                                   source, type(error).__name__, problem)
                return None
            before = self._served.document
            self._served = _Served(document, evaluator)
        old_flags = before.flags if before is not None else {}
        new_flags = document.flags
        return {key for key in old_flags.keys() | new_flags.keys() if old_flags.get(key) != new_flags.get(key)}

    def _load_local_document(self) -> None:
        """Serves the cache file, else the bootstrap file; a corrupt one is skipped with an error."""
        sources = [(self.options.cache_file, read_cache), (self.options.bootstrap_file, read_bootstrap)]
        for path, read in sources:
            if not path or (read is read_cache and not os.path.exists(path)):
                continue
            try:
                document = read(path)
            except DocumentError as error:
                self._logger.error("switchyard: skipping %s", error)
                continue
            if self._install(document, path) is not None:
                self._logger.info("switchyard: serving %s from %s until the server answers", self.state_description, path)
                return

    # MARK: tracking

    def track_output(
        self,
        flag: str,
        context: EvaluationContext | None,
        *,
        variant: str | None,
        model: str | None = None,
        output: str | None = None,
        chars: int | None = None,
        words: int | None = None,
        latency_ms: float | None = None,
        tokens_in: int | None = None,
        tokens_out: int | None = None,
        finish_reason: str | None = None,
        error: str | None = None,
    ) -> str:
        """Records one output of the feature behind ``flag``, served by ``variant``, and returns
        its output id for :meth:`track_feedback`, :meth:`track_edit` and :meth:`track_action`.

        Only ``flag``, ``context`` and ``variant`` are required (a non-AI control arm gives nothing
        else). ``variant`` is the evaluation's variant; ``None`` (the code default was served, so
        there is no variant to attribute the output to) records nothing and warns once.
        ``output`` is measured in characters and words in the background unless ``chars`` and
        ``words`` are given; ``finish_reason`` is ``stop`` (default), ``length``, ``error``,
        ``refused`` or ``empty``, and ``error`` (the failure's message) makes it ``error``.
        Never blocks on the network.

        :raises TypeError, ValueError: naming the argument that is wrong.
        """
        _identifier("flag", flag)
        output_id = f"{self._output_prefix}-{next(self._output_counter)}"
        if variant is None:
            if not self._warned_no_variant:
                self._warned_no_variant = True
                self._logger.warning("switchyard: track_output(%r) without a variant (the code default was served) is not recorded", flag)
            return output_id
        _identifier("variant", variant)
        unit = _unit_key(context)
        if finish_reason is None:
            finish_reason = "error" if error is not None else "stop"
        elif finish_reason not in FINISH_REASONS:
            raise ValueError(f"finish_reason must be one of {', '.join(FINISH_REASONS)}, found {finish_reason!r}")
        event: dict[str, typing.Any] = {
            "type": "output", "outputId": output_id, "flag": flag, "variant": variant, "unitKey": unit,
            "timestamp": now_ms(), "model": UNKNOWN_MODEL if model is None else _identifier("model", model),
            "latencyMs": 0.0 if latency_ms is None else _non_negative("latency_ms", latency_ms, whole=False),
            "tokensIn": 0 if tokens_in is None else _non_negative("tokens_in", tokens_in),
            "tokensOut": 0 if tokens_out is None else _non_negative("tokens_out", tokens_out),
            "finishReason": finish_reason,
        }
        if chars is not None:
            event["chars"] = _non_negative("chars", chars)
        if words is not None:
            event["words"] = _non_negative("words", words)
        if output is not None:
            if not isinstance(output, str):
                raise TypeError(f"output must be the output's text (a string), found {type(output).__name__}")
            event["_text"] = output
        else:
            event.setdefault("chars", 0)
            event.setdefault("words", 0)
        if error is not None:
            if not isinstance(error, str):
                raise TypeError(f"error must be the failure's message (a string), found {type(error).__name__}")
            event["error"] = error[:4096]
        self._enqueue(event)
        return output_id

    def track_feedback(self, output_id: str, positive: bool) -> None:
        """Records a person's rating of an output (thumbs up or down)."""
        _identifier("output_id", output_id)
        if not isinstance(positive, bool):
            raise TypeError(f"positive must be True or False, found {positive!r}")
        self._enqueue({"type": "feedback", "outputId": output_id, "positive": positive, "timestamp": now_ms()})

    def track_edit(self, output_id: str, edited_length: int, edit_distance: int) -> None:
        """Records that a person edited an output before using it (lengths in characters)."""
        _identifier("output_id", output_id)
        self._enqueue({"type": "edit", "outputId": output_id, "editedLength": _non_negative("edited_length", edited_length),
                       "editDistance": _non_negative("edit_distance", edit_distance), "timestamp": now_ms()})

    def track_action(self, output_id: str, name: str) -> None:
        """Records what a person did with an output: ``clicked``, ``sent``, ``accepted``, ..."""
        _identifier("output_id", output_id)
        self._enqueue({"type": "action", "outputId": output_id, "name": _identifier("name", name), "timestamp": now_ms()})

    def track(
        self, tracking_event_name: str, evaluation_context: EvaluationContext | None = None, tracking_event_details: TrackingEventDetails | None = None
    ) -> None:
        """OpenFeature's ``client.track``: with an ``outputId`` attribute, ``feedback`` (attribute
        ``positive``, else value > 0) and ``edit`` (``editedLength``, ``editDistance``) become those
        events and any other name an action of that name; events without ``outputId`` are ignored
        (Switchyard's events all concern an output). Never raises."""
        attributes = tracking_event_details.attributes if tracking_event_details is not None else {}
        output_id = attributes.get("outputId")
        if not isinstance(output_id, str) or not output_id:
            self._logger.debug("switchyard: ignoring tracking event %r without an outputId attribute", tracking_event_name)
            return
        try:
            if tracking_event_name == "feedback":
                positive = attributes.get("positive")
                if not isinstance(positive, bool):
                    value = tracking_event_details.value if tracking_event_details is not None else None
                    positive = value is not None and value > 0
                self.track_feedback(output_id, positive)
            elif tracking_event_name == "edit":
                self.track_edit(output_id, int(attributes.get("editedLength", 0)), int(attributes.get("editDistance", 0)))  # type: ignore[arg-type]
            else:
                self.track_action(output_id, tracking_event_name)
        except (TypeError, ValueError) as error:
            self._logger.warning("switchyard: ignoring tracking event %r: %s", tracking_event_name, error)

    def flush(self, timeout: float | None = None) -> bool:
        """Sends every queued event now; waits at most ``timeout`` seconds (``None``: until the
        retries end). Returns whether everything queued was sent."""
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout < 0):
            raise ValueError(f"timeout must be a non-negative number of seconds or None, found {timeout!r}")
        return self._events.flush(timeout)

    def _enqueue(self, event: dict[str, typing.Any]) -> None:
        if self._breakers.active:
            self._observe_for_breakers(event)
        self._events.append(event)

    # MARK: local circuit breakers

    def attach_breaker(self, flag: str, rule: str | KillRule, variant: str | None = None) -> None:
        """Watches this process's own outputs of ``flag`` with a kill rule in the server's text form
        (``"errorRate > 0.2 over 10m minSamples 30 cooldown 15m"``). ``variant`` is the variant
        watched; ``None`` watches every variant except the flag's safe variant, as the server does.

        When the rule trips, this process serves the flag's safe variant (``safeVariant``, else
        ``defaultVariant``, else the code default) with the kill marker and reason ``DISABLED``,
        logs a warning and reports a ``breakerTrip`` event, until :meth:`reset_breaker` or the
        rule's cool-down, whatever the server sends meanwhile. Works with the server unreachable.

        :raises KillRuleError: when the rule does not parse (naming the column).
        """
        _identifier("flag", flag)
        if variant is not None:
            _identifier("variant", variant)
        parsed = rule if isinstance(rule, KillRule) else KillRule.parse(rule)
        self._breakers.attach(flag, parsed, variant, now_ms())

    def reset_breaker(self, flag: str) -> None:
        """Re-arms the breakers of ``flag`` and serves the flag as the server defines it again."""
        if self._breakers.reset(flag, now_ms()):
            self._logger.warning("switchyard: local breaker of %r reset; serving the flag again", flag)
        self._update_held()

    @property
    def tripped_breakers(self) -> set[str]:
        """The flags a local breaker holds on their safe variant now."""
        self._update_held()
        return set(self._held)

    def _observe_for_breakers(self, event: dict[str, typing.Any]) -> None:
        trips = self._breakers.observe(event, self._safe_variant)
        for trip in trips:
            self._logger.warning("switchyard: local breaker tripped on %r (%s: %s); serving the safe variant",
                                 trip.flag, trip.rule.text, trip.measurement.detail)
            self._events.append(trip.event())
        if trips or self._held:
            self._update_held()

    def _safe_variant(self, flag: str) -> str | None:
        served = self._served.document
        definition = served.flags.get(flag) if served is not None else None
        if not isinstance(definition, dict):
            return None
        safe = definition.get("safeVariant", definition.get("defaultVariant"))
        return safe if isinstance(safe, str) else None

    def _update_held(self) -> None:
        """Recompiles the document when the set of held flags changed (a trip, a reset, a cool-down)."""
        with self._lock:
            held = self._breakers.tripped(now_ms())
            if held.keys() == self._held.keys():
                return
            self._held = held
            served = self._served.document
            if served is not None:
                self._install(served)

    def _local_kill_metadata(self) -> dict[str, dict[str, typing.Any]]:
        return {
            flag: {"killed": True, "killedBy": "local-breaker", "killReason": f"local breaker: {trip.rule.text} ({trip.measurement.detail})",
                   "killedAt": _rfc3339(trip.at_ms)}
            for flag, trip in self._held.items()
        }


def _identifier(name: str, value: typing.Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty string, found {value!r}")
    if len(value.encode("utf-8")) > 512:
        raise ValueError(f"{name} must be at most 512 bytes, found {len(value.encode('utf-8'))}")
    return value


def _non_negative(name: str, value: typing.Any, whole: bool = True) -> typing.Any:
    allowed = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise TypeError(f"{name} must be a {'whole number' if whole else 'number'}, found {value!r}")
    if value < 0 or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number ≥ 0, found {value!r}")
    return value


def _unit_key(context: EvaluationContext | None) -> str:
    if context is not None and not isinstance(context, EvaluationContext):
        raise TypeError(f"context must be an openfeature EvaluationContext (see switchyard.user_context), found {type(context).__name__}")
    key = context.targeting_key if context is not None else None
    return key if isinstance(key, str) and key else ANONYMOUS_UNIT


def _rfc3339(milliseconds: int) -> str:
    return datetime.datetime.fromtimestamp(milliseconds / 1000, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


__all__ = ["FINISH_REASONS", "SwitchyardProvider"]
