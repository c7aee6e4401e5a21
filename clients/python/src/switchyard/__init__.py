"""Switchyard's Python SDK: an OpenFeature provider with in-process flagd evaluation, the kill
marker, AI output tracking and local circuit breakers.

    from openfeature import api
    import switchyard

    provider = switchyard.SwitchyardProvider(url="http://127.0.0.1:8700", sdk_key="sy_sdk_...")
    api.set_provider(provider)
    flags = api.get_client()
    user = switchyard.user_context("u-42", email="a@acme.com")
    if flags.get_boolean_value("ai-document-summary", False, user): ...
"""

import logging

from ._events import EventStats
from ._options import Options
from .context import user_context
from .provider import FINISH_REASONS, SwitchyardProvider
from .rules import KillRule, KillRuleError

__all__ = ["FINISH_REASONS", "EventStats", "KillRule", "KillRuleError", "Options", "SwitchyardProvider", "user_context"]
__version__ = "0.1.0"

# A library logs to "switchyard" and leaves the handlers to the application.
logging.getLogger("switchyard").addHandler(logging.NullHandler())
