"""flagd's v2 ``fractional`` (MurmurHash3 of a string), for documents with ``"fractionalHashing": "v2"``.

flagd-core implements v3 (MurmurHash3 of the CBOR encoding), which is Switchyard's default; this is
the generation the flagd daemon and the Go and Java providers run today, with the server's rules:
the shorthand hashes the flag key followed by the targeting key, an explicit bucketing value must be
a string (``null`` falls back to the shorthand), weights are whole numbers (absent: 1, negative: 0)
totalling at most 2,147,483,647, and the hash ``h`` picks the bucket holding ``(h × total) >> 32``.
"""

from __future__ import annotations

import typing

import mmh3

MAXIMUM_TOTAL_WEIGHT = 2_147_483_647


def fractional_v2(data: dict[str, typing.Any], *args: typing.Any) -> typing.Any:
    """The JsonLogic operator: the variant of the bucket the unit falls in, or ``None``."""
    if not args:
        return None
    if isinstance(args[0], list):
        key, buckets = _shorthand_key(data), args
    elif args[0] is None:
        key, buckets = _shorthand_key(data), args[1:]
    elif isinstance(args[0], str):
        key, buckets = args[0], args[1:]
    else:
        return None
    if key is None:
        return None
    cumulative: list[int] = []
    total = 0
    for bucket in buckets:
        weight = _weight(bucket)
        if weight is None:
            return None
        total += weight
        if total > MAXIMUM_TOTAL_WEIGHT:
            return None
        cumulative.append(total)
    if total <= 0:
        return None
    point = (mmh3.hash(key.encode("utf-8"), signed=False) * total) >> 32
    for index, end in enumerate(cumulative):
        if point < end:
            return buckets[index][0]
    return None


def _shorthand_key(data: dict[str, typing.Any]) -> str | None:
    targeting_key = data.get("targetingKey")
    if not isinstance(targeting_key, str) or not targeting_key:
        return None
    flagd = data.get("$flagd")
    flag_key = flagd.get("flagKey", "") if isinstance(flagd, dict) else ""
    return f"{flag_key}{targeting_key}"


def _weight(bucket: typing.Any) -> int | None:
    if not isinstance(bucket, list) or not 1 <= len(bucket) <= 2:
        return None
    if len(bucket) == 1 or bucket[1] is None:
        return 1
    weight = bucket[1]
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        return None
    if isinstance(weight, float):
        if not weight.is_integer() or abs(weight) > MAXIMUM_TOTAL_WEIGHT:
            return None
        weight = int(weight)
    if weight > MAXIMUM_TOTAL_WEIGHT:
        return None
    return max(weight, 0)
