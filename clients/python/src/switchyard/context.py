"""Evaluation contexts for the common user attributes."""

from __future__ import annotations

import typing

from openfeature.evaluation_context import EvaluationContext


def user_context(
    user_id: str,
    *,
    email: str | None = None,
    tier: str | None = None,
    beta: bool | None = None,
    country: str | None = None,
    **attributes: typing.Any,
) -> EvaluationContext:
    """The context of one user: the user id is the targeting key (what ``fractional`` rollouts hash
    and what exposures and outputs are counted by); ``email``, ``tier``, ``beta`` and ``country``
    are the attributes the example flags target, and any other keyword becomes an attribute.

    >>> user_context("u-42", email="a@acme.com", tier="enterprise", beta=True).targeting_key
    'u-42'

    :raises TypeError, ValueError: when ``user_id`` is not a non-empty string.
    """
    if not isinstance(user_id, str):
        raise TypeError(f"user_id must be a string, found {type(user_id).__name__}")
    if not user_id:
        raise ValueError("user_id must not be empty: it is the targeting key rollouts hash")
    named = {"email": email, "tier": tier, "beta": beta, "country": country}
    return EvaluationContext(targeting_key=user_id, attributes={**{k: v for k, v in named.items() if v is not None}, **attributes})
