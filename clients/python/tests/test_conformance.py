"""flagd-testbed's evaluator suites (``evaluator/gherkin/*.feature`` on ``testkit-flags.json``) run
against the provider's evaluator, once with v3 hashing (flagd-core's own ``fractional``) and once
with the document's ``"fractionalHashing": "v2"`` (Switchyard's v2 operator), excluding, as the
testbed prescribes, ``@fractional-v1``, ``@deprecated`` and the other generation's vectors."""

from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass, field

import pytest
from openfeature.evaluation_context import EvaluationContext

from conftest import TESTBED
from switchyard._evaluator import RESOLVERS, Evaluator

SUITES = TESTBED / "evaluator" / "gherkin"
FLAGS = TESTBED / "evaluator" / "flags" / "testkit-flags.json"
EXCLUDED = {"v3": {"fractional-v1", "deprecated", "fractional-v2"}, "v2": {"fractional-v1", "deprecated", "fractional-v3"}}


@dataclass
class Scenario:
    """One scenario (an outline expanded into one per example row)."""

    name: str
    tags: set[str]
    steps: list[tuple[str, list[list[str]]]] = field(default_factory=list)


def read_feature(text: str) -> list[Scenario]:
    """A small Gherkin reader: tags (inherited), background, scenarios, outlines with tagged examples and step tables."""
    feature_tags: set[str] = set()
    pending_tags: set[str] = set()
    background: list[tuple[str, list[list[str]]]] = []
    scenarios: list[Scenario] = []
    current: Scenario | None = None
    target: list[tuple[str, list[list[str]]]] | None = None
    outline: Scenario | None = None
    examples_tags: set[str] = set()
    header: list[str] | None = None
    in_examples = False

    def finish_outline() -> None:
        nonlocal outline
        outline = None

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            pending_tags |= {tag[1:] for tag in line.split()}
            continue
        keyword = line.split(":", 1)[0]
        if keyword == "Feature":
            feature_tags, pending_tags = pending_tags, set()
        elif keyword == "Background":
            target, in_examples = background, False
        elif keyword in ("Scenario", "Scenario Outline"):
            finish_outline()
            current = Scenario(line.split(":", 1)[1].strip(), feature_tags | pending_tags, list(background))
            pending_tags, in_examples = set(), False
            if keyword == "Scenario":
                scenarios.append(current)
            else:
                outline = current
            target = current.steps
        elif keyword == "Examples":
            examples_tags, pending_tags, header, in_examples = pending_tags, set(), None, True
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if in_examples and outline is not None:
                if header is None:
                    header = cells
                    continue
                row = dict(zip(header, cells, strict=True))

                def fill(match: re.Match[str], row: dict[str, str] = row) -> str:
                    return row.get(match.group(1), match.group(0))

                steps = [(re.sub(r"<([^>]+)>", fill, step), table) for step, table in outline.steps]
                scenarios.append(Scenario(f"{outline.name} {cells}", outline.tags | examples_tags, steps))
            elif target is not None and target:
                target[-1][1].append(cells)
        elif target is not None:
            target.append((line.split(" ", 1)[1], []))
    return scenarios


def typed(kind: str, text: str) -> typing.Any:
    """A value written in a step, as the flag type reads it."""
    if kind == "Boolean":
        return text == "true"
    if kind == "Integer":
        return int(text)
    if kind == "Float":
        return float(text)
    if kind == "Object":
        return json.loads(text.replace('\\"', '"'))
    return text


def run(scenario: Scenario, evaluator: Evaluator) -> None:
    """Runs one scenario's steps."""
    kind, key, default = "String", "", typing.cast(typing.Any, None)
    targeting_key: str | None = None
    attributes: dict[str, typing.Any] = {}
    details = None
    for step, table in scenario.steps:
        if match := re.fullmatch(r'a (\w+)-flag with key "(.*)" and a fallback value "(.*)"', step):
            kind, key, default = match.group(1), match.group(2), typed(match.group(1), match.group(3))
        elif match := re.fullmatch(r'a context containing a key "(.*)", with type "(\w+)" and with value "(.*)"', step):
            attributes[match.group(1)] = typed(match.group(2), match.group(3))
        elif match := re.fullmatch(r'a context containing a targeting key with value "(.*)"', step):
            targeting_key = match.group(1)
        elif match := re.fullmatch(r'a context containing a nested property with outer key "(.*)" and inner key "(.*)", with value "(.*)"', step):
            attributes.setdefault(match.group(1), {})[match.group(2)] = match.group(3)
        elif step == "the flag was evaluated with details":
            details = evaluator.resolve(RESOLVERS[kind.lower()], key, default, EvaluationContext(targeting_key, attributes))
        elif match := re.fullmatch(r'the resolved details value should be "(.*)"', step):
            assert details is not None and details.value == typed(kind, match.group(1)), details
        elif match := re.fullmatch(r'the reason should be "(.*)"', step):
            assert details is not None and str(details.reason) == match.group(1), details
        elif match := re.fullmatch(r'the error-code should be "(.*)"', step):
            assert details is not None and (details.error_code.value if details.error_code else "") == match.group(1), details
        elif step == "the resolved metadata should contain":
            assert details is not None
            for name, metadata_type, value in table[1:]:
                assert details.flag_metadata.get(name) == typed(metadata_type, value), details
        elif step == "the resolved metadata is empty":
            assert details is not None and not details.flag_metadata, details
        elif step != "an evaluator":
            raise AssertionError(f"unknown step: {step}")


def cases(generation: str) -> list[typing.Any]:
    """Every scenario that applies to a hashing generation."""
    if not SUITES.is_dir():
        pytest.fail(f"the flagd-testbed suites are expected in {SUITES} (or set SWITCHYARD_TESTBED)")
    found = []
    for path in sorted(SUITES.glob("*.feature")):
        for scenario in read_feature(path.read_text()):
            if scenario.tags.isdisjoint(EXCLUDED[generation]):
                found.append(pytest.param(scenario, id=f"{path.stem}: {scenario.name}"))
    return found


@pytest.fixture(scope="module")
def testkit() -> dict[str, typing.Any]:
    return typing.cast(dict[str, typing.Any], json.loads(FLAGS.read_text()))


@pytest.mark.parametrize("scenario", cases("v3"))
def test_testbed_with_v3_hashing(scenario: Scenario, testkit: dict[str, typing.Any]) -> None:
    run(scenario, Evaluator(testkit))


@pytest.mark.parametrize("scenario", cases("v2"))
def test_testbed_with_v2_hashing(scenario: Scenario, testkit: dict[str, typing.Any]) -> None:
    run(scenario, Evaluator({**testkit, "fractionalHashing": "v2"}))
