"""Load and validate the model's labelled assumptions (data/assumptions.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pilotfunnel.core.errors import AssumptionError, Problems, display_path, shown_key
from pilotfunnel.core.files import read_yaml_mapping, unknown_key_problems
from pilotfunnel.inputs.fields import is_number, source_ids, text_field
from pilotfunnel.inputs.sources.load import SourceTable

DRIVERS = ("outcome", "integration", "data", "ownership", "volume")
LEVELS = 5  # readiness 0..4
TYPICAL_LEVEL = 2
STAGES = 3
TOP_KEYS = ("drivers", "stages", "effects", "economics", "calibration")
# Optional blocks: a file without them still loads (the model of a company needs none).
OPTIONAL_KEYS = ("assessment",)
# The longest text of each kind (characters): a label, a one-line description (a question, a
# level), a rationale; ids are short.
MAX_LABEL_CHARS = 80
MAX_LINE_CHARS = 300
MAX_RATIONALE_CHARS = 4000
MAX_ID_CHARS = 40
# The most observations an assumed baseline may be worth: more would drown any client record.
MAX_PSEUDO_SAMPLE = 1_000_000


@dataclass(frozen=True)
class Driver:
    id: str
    label: str
    question: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Baseline:
    """A stage's baseline rate: from a cited source, or a labelled assumption."""

    rate: float
    successes: float  # numerator, or rate x pseudo-sample for an assumption
    trials: float
    rationale: str
    source_id: str | None = None
    informed_by: tuple[str, ...] = ()

    @property
    def is_assumption(self) -> bool:
        return self.source_id is None


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    baseline: Baseline | None  # None for the first stage, which is the client's input


@dataclass(frozen=True)
class Effect:
    stage: str
    driver: str
    per_level: float
    rationale: str


@dataclass(frozen=True)
class PriorStrength:
    """How many of the client's own pilots the readiness-based rate is worth (an assumption)."""

    value: float
    rationale: str
    informed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Labelled:
    """One labelled economic assumption: its value, why it holds, and what informed it."""

    value: float
    rationale: str
    informed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeCost:
    """What raising each driver by one level costs, as multiples of one proof of concept."""

    per_level: dict[str, tuple[float, ...]]  # driver -> cost of level n to n + 1, n = 0..3
    rationale: str

    def multiple(self, driver: str, from_level: int, to_level: int) -> float:
        """The cost of raising ``driver`` from one level to another, in proofs of concept."""
        steps = self.per_level.get(driver, ())
        return float(sum(steps[from_level:to_level]))


NO_CHANGE_COST = ChangeCost({}, "")


@dataclass(frozen=True)
class EconomicAssumptions:
    """When value starts, how money is discounted, and what the change costs (all labelled).

    Every item is required in data/assumptions.yaml; ``NEUTRAL`` (no delay, no discounting,
    a free change) is what a model built without a file uses, and reproduces the undiscounted
    value of a use case live, on average, for half the horizon.
    """

    time_to_production_months: Labelled
    discount_rate: Labelled
    change_cost: ChangeCost

    @property
    def informed_by(self) -> tuple[str, ...]:
        return self.time_to_production_months.informed_by + self.discount_rate.informed_by


NEUTRAL_ECONOMICS = EconomicAssumptions(Labelled(0.0, ""), Labelled(0.0, ""), NO_CHANGE_COST)


@dataclass(frozen=True)
class AssessmentAssumptions:
    """The thresholds of one job's verdict (model/assess.py), each a labelled assumption.

    ``go_chance``: the chance of measurable impact at or above which a job may go;
    ``go_min_return``: the least expected return on its cost (0: it at least pays back);
    ``max_fixes``: the most answers a job may need changed to yes and still be "fix first";
    ``horizon_years``: the years a job is valued over when neither it nor its scenario says.
    """

    go_chance: Labelled
    go_min_return: Labelled
    max_fixes: Labelled
    horizon_years: Labelled

    @property
    def informed_by(self) -> tuple[str, ...]:
        items = (self.go_chance, self.go_min_return, self.max_fixes, self.horizon_years)
        return tuple(s for item in items for s in item.informed_by)


@dataclass(frozen=True)
class Assumptions:
    """Everything the model takes that is not a client input, each item labelled."""

    path: Path
    drivers: dict[str, Driver]
    stages: tuple[Stage, ...]
    effects: tuple[Effect, ...]
    economics: EconomicAssumptions
    prior_strength: PriorStrength
    assessment: AssessmentAssumptions | None = None  # None: the file has no assessment block

    def effect(self, stage: str, driver: str) -> float:
        for item in self.effects:
            if item.stage == stage and item.driver == driver:
                return item.per_level
        return 0.0

    def cited_source_ids(self) -> set[str]:
        ids = set()
        for stage in self.stages:
            if stage.baseline:
                ids.update(stage.baseline.informed_by)
                if stage.baseline.source_id:
                    ids.add(stage.baseline.source_id)
        ids |= set(self.assessment.informed_by) if self.assessment else set()
        return ids | set(self.prior_strength.informed_by) | set(self.economics.informed_by)


def load_assumptions(path: str | Path, sources: SourceTable) -> Assumptions:
    """Read and validate assumptions; source ids are checked against the sources table."""
    path = Path(path)
    name = display_path(path)
    data = read_yaml_mapping(path, AssumptionError)
    problems = Problems(name)
    fail = problems.field

    problems += unknown_key_problems(name, "", data, TOP_KEYS + OPTIONAL_KEYS)
    for key in TOP_KEYS:
        if key not in data:
            fail(key, "is missing")
    if problems:
        raise AssumptionError(problems=problems)

    drivers = _drivers(data["drivers"], fail)
    stages = _stages(data["stages"], sources, fail)
    # Effects on a stage the file names but that was refused get no second problem.
    refused = _declared_stage_ids(data["stages"]) - {s.id for s in stages}
    effects = _effects(data["effects"], stages, fail, refused)
    economics = _economics(data["economics"], sources, fail)
    strength = _prior_strength(data["calibration"], sources, fail)
    assessment = None
    if "assessment" in data:
        assessment = _assessment(data["assessment"], sources, fail)
    if problems:
        raise AssumptionError(problems=problems)
    return Assumptions(
        path, drivers, tuple(stages), tuple(effects), economics, strength, assessment
    )


def _drivers(raw: object, fail) -> dict[str, Driver]:
    drivers: dict[str, Driver] = {}
    if not isinstance(raw, dict):
        fail("drivers", "must be a mapping of the five drivers", type(raw).__name__)
        return drivers
    for driver_id in DRIVERS:
        if driver_id not in raw:
            fail(f"drivers.{driver_id}", "is missing; every driver needs a label and levels")
    for driver_id, item in raw.items():
        where = f"drivers.{shown_key(driver_id)}"
        if driver_id not in DRIVERS:
            fail(where, f"is not a driver; drivers are {', '.join(DRIVERS)}")
            continue
        if not isinstance(item, dict):
            fail(where, "must be a mapping with label, question and levels")
            continue
        levels = item.get("levels")
        if not isinstance(levels, list) or len(levels) != LEVELS:
            fail(f"{where}.levels", f"must list {LEVELS} descriptions, for levels 0 to 4", levels)
            continue
        if not item.get("label"):
            fail(f"{where}.label", "is missing")
            continue
        label = text_field(item["label"], f"{where}.label", MAX_LABEL_CHARS, fail)
        question = text_field(item.get("question", ""), f"{where}.question", MAX_LINE_CHARS, fail)
        texts = [
            text_field(level, f"{where}.levels[{n}]", MAX_LINE_CHARS, fail)
            for n, level in enumerate(levels)
        ]
        if label is None or question is None or None in texts:
            continue
        drivers[driver_id] = Driver(driver_id, label, question, tuple(texts))
    return drivers


def _stages(raw: object, sources: SourceTable, fail) -> list[Stage]:
    stages: list[Stage] = []
    # The model counts three stages (funnel.STAGE_METRICS: started, in production, with
    # impact): a file with more or fewer cannot be represented, so it is refused here.
    if not isinstance(raw, list) or len(raw) != STAGES:
        fail(
            "stages",
            f"must list {STAGES} stages in funnel order: proofs of concept started, reached "
            "production, measurable impact",
        )
        return stages
    for index, item in enumerate(raw):
        where = f"stages[{index}]"
        if not isinstance(item, dict) or not item.get("id") or not item.get("label"):
            fail(where, "must have an id and a label")
            continue
        stage_id = text_field(item["id"], f"{where}.id", MAX_ID_CHARS, fail)
        label = text_field(item["label"], f"{where}.label", MAX_LABEL_CHARS, fail)
        if stage_id is None or label is None:
            continue
        where = f"stages.{shown_key(stage_id)}"
        if any(stage.id == stage_id for stage in stages):
            fail(f"{where}.id", "is the id of an earlier stage; stage ids must be unique")
            continue
        raw_baseline = item.get("baseline")
        if index == 0:
            if raw_baseline is not None:
                fail(f"{where}.baseline", "the first stage is the client's input; it has no rate")
            stages.append(Stage(stage_id, label, None))
            continue
        if not isinstance(raw_baseline, dict):
            fail(f"{where}.baseline", "is missing; give a source id or an assumption")
            continue
        baseline = _baseline(raw_baseline, f"{where}.baseline", sources, fail)
        if baseline:
            stages.append(Stage(stage_id, label, baseline))
    return stages


def _baseline(raw: dict, where: str, sources: SourceTable, fail) -> Baseline | None:
    if not raw.get("rationale"):
        fail(f"{where}.rationale", "is missing; every baseline must say why it holds")
        return None
    rationale = text_field(raw["rationale"], f"{where}.rationale", MAX_RATIONALE_CHARS, fail, True)
    if rationale is None:
        return None
    rationale = rationale.strip()
    informed_by = source_ids(raw.get("informed_by"), f"{where}.informed_by", sources, fail)
    if "source" in raw:
        source_id = raw["source"]
        if not isinstance(source_id, str) or source_id not in sources:
            fail(f"{where}.source", "is not a source id in sources.csv", source_id)
            return None
        source = sources[source_id]
        share, trials = source.proportion, source.trials
        if share is None or not trials:
            fail(
                f"{where}.source",
                "must cite a percent with a numerator and denominator or "
                "a sample size, so that its uncertainty is known",
                source_id,
            )
            return None
        return Baseline(
            share, share * trials, float(trials), rationale, source_id, tuple(informed_by)
        )
    rate, pseudo = raw.get("assumption"), raw.get("pseudo_sample")
    if not is_number(rate) or not 0 < rate < 1:
        fail(f"{where}.assumption", "must be a rate strictly between 0 and 1", rate)
        return None
    if not is_number(pseudo) or not 0 < pseudo <= MAX_PSEUDO_SAMPLE:
        fail(
            f"{where}.pseudo_sample",
            f"must be a number above 0 and at most {MAX_PSEUDO_SAMPLE:,}: how many "
            "observations the assumption is worth",
            pseudo,
        )
        return None
    return Baseline(float(rate), rate * pseudo, float(pseudo), rationale, None, tuple(informed_by))


def _declared_stage_ids(raw: object) -> set[str]:
    """The stage ids the file names, valid or not."""
    items = raw if isinstance(raw, list) else []
    return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def _effects(raw: object, stages: list[Stage], fail, refused: set[str]) -> list[Effect]:
    effects: list[Effect] = []
    if not isinstance(raw, dict):
        fail("effects", "must map each stage to the effect of each driver")
        return effects
    stage_ids = [s.id for s in stages if s.baseline]
    for stage_id, by_driver in raw.items():
        if stage_id in refused:
            continue  # the stage itself has a problem, reported already
        if stage_id not in stage_ids:
            fail(
                f"effects.{shown_key(stage_id)}",
                f"is not a stage with a rate; stages: {', '.join(stage_ids)}",
            )
            continue
        if not isinstance(by_driver, dict):
            fail(f"effects.{stage_id}", "must map drivers to their effect")
            continue
        for driver_id, item in by_driver.items():
            where = f"effects.{stage_id}.{shown_key(driver_id)}"
            if driver_id not in DRIVERS:
                fail(where, f"is not a driver; drivers are {', '.join(DRIVERS)}")
                continue
            if not isinstance(item, dict):
                fail(where, "must have per_level and rationale")
                continue
            size = item.get("per_level")
            if not is_number(size) or not 0 <= size <= 3:
                fail(
                    f"{where}.per_level",
                    "must be a number from 0 to 3 (log-odds per level); "
                    "negative effects would let raising readiness lower a stage",
                    size,
                )
                continue
            if not item.get("rationale") or not str(item["rationale"]).strip():
                fail(f"{where}.rationale", "is missing; every effect must say why")
                continue
            rationale = text_field(
                item["rationale"], f"{where}.rationale", MAX_RATIONALE_CHARS, fail, True
            )
            if rationale is not None:
                effects.append(Effect(stage_id, driver_id, float(size), rationale))
    return effects


ECONOMIC_KEYS = ("time_to_production_months", "discount_rate", "change_cost")
# The largest value each economic assumption may take (the least is 0); a scenario's own
# economics are held to the same bounds (inputs/scenario.ECONOMIC_BOUNDS).
MAX_TIME_TO_PRODUCTION_MONTHS = 60
MAX_DISCOUNT_RATE = 1.0
MAX_CHANGE_MULTIPLE = 1000


def _economics(raw: object, sources: SourceTable, fail) -> EconomicAssumptions:
    if not isinstance(raw, dict):
        fail("economics", "must map " + ", ".join(ECONOMIC_KEYS) + " to their values")
        return NEUTRAL_ECONOMICS
    for key in raw:
        if key not in ECONOMIC_KEYS:
            fail(
                f"economics.{shown_key(key)}",
                "is not an economic assumption; they are " + ", ".join(ECONOMIC_KEYS),
            )
    months = _labelled(
        raw,
        "time_to_production_months",
        MAX_TIME_TO_PRODUCTION_MONTHS,
        "months from a proof of concept's start to go-live",
        sources,
        fail,
    )
    rate = _labelled(
        raw,
        "discount_rate",
        MAX_DISCOUNT_RATE,
        "a yearly rate, such as 0.08 for 8%",
        sources,
        fail,
    )
    return EconomicAssumptions(months, rate, _change_cost(raw.get("change_cost"), fail))


def _labelled(
    raw: dict, key: str, high: float, what: str, sources, fail, block: str = "economics"
) -> Labelled:
    where = f"{block}.{key}"
    item = raw.get(key)
    if not isinstance(item, dict):
        fail(where, "is missing; give value and rationale")
        return Labelled(0.0, "")
    value = item.get("value")
    if not is_number(value) or not 0 <= value <= high:
        fail(f"{where}.value", f"must be a number from 0 to {high:g}: {what}", value)
        value = 0.0
    return Labelled(
        float(value),
        _rationale(item, where, fail),
        source_ids(item.get("informed_by"), f"{where}.informed_by", sources, fail),
    )


def _rationale(item: dict, where: str, fail) -> str:
    if not item.get("rationale") or not str(item["rationale"]).strip():
        fail(f"{where}.rationale", "is missing; every assumption must say why it holds")
        return ""
    text = text_field(item["rationale"], f"{where}.rationale", MAX_RATIONALE_CHARS, fail, True)
    return (text or "").strip()


def _change_cost(item: object, fail) -> ChangeCost:
    where = "economics.change_cost"
    if not isinstance(item, dict):
        fail(where, "is missing; give per_level (per driver, four costs) and rationale")
        return NO_CHANGE_COST
    rationale = _rationale(item, where, fail)
    raw = item.get("per_level")
    if not isinstance(raw, dict):
        fail(f"{where}.per_level", "must map each driver to four costs, levels 0-1 to 3-4")
        return NO_CHANGE_COST
    per_level: dict[str, tuple[float, ...]] = {}
    for driver in raw:
        if driver not in DRIVERS:
            fail(
                f"{where}.per_level.{shown_key(driver)}",
                f"is not a driver; drivers are {', '.join(DRIVERS)}",
            )
    for driver in DRIVERS:
        steps = raw.get(driver)
        at = f"{where}.per_level.{driver}"
        if not isinstance(steps, list) or len(steps) != LEVELS - 1:
            fail(at, f"must list {LEVELS - 1} costs, for levels 0-1, 1-2, 2-3 and 3-4", steps)
            continue
        bad = [v for v in steps if not is_number(v) or not 0 <= v <= MAX_CHANGE_MULTIPLE]
        if bad:
            fail(
                at,
                f"each cost must be a number from 0 to {MAX_CHANGE_MULTIPLE} (proofs of concept)",
                bad[0],
            )
            continue
        per_level[driver] = tuple(float(v) for v in steps)
    return ChangeCost(per_level, rationale)


def _prior_strength(raw: object, sources: SourceTable, fail) -> PriorStrength:
    where = "calibration.prior_strength"
    item = raw.get("prior_strength") if isinstance(raw, dict) else None
    if not isinstance(item, dict):
        fail(where, "is missing; give value, rationale and informed_by")
        return PriorStrength(0.0, "")
    value = item.get("value")
    if not is_number(value) or not 0 < value <= 10_000:
        fail(
            f"{where}.value",
            "must be a number above 0 and at most 10,000: how many of the client's own "
            "proofs of concept the readiness-based rate is worth",
            value,
        )
        value = 0.0
    rationale = ""
    if not item.get("rationale") or not str(item["rationale"]).strip():
        fail(f"{where}.rationale", "is missing; the strength is an assumption and must say why")
    else:
        text = text_field(item["rationale"], f"{where}.rationale", MAX_RATIONALE_CHARS, fail, True)
        rationale = (text or "").strip()
    informed_by = source_ids(item.get("informed_by"), f"{where}.informed_by", sources, fail)
    return PriorStrength(float(value), rationale, informed_by)


ASSESSMENT_KEYS = ("go_chance", "go_min_return", "max_fixes", "horizon_years")
# The most a return threshold may ask (100 times the cost) and the most fixes a verdict counts.
MAX_GO_RETURN = 100.0
MAX_FIXES = 30
MAX_ASSESSMENT_HORIZON_YEARS = 10  # a scenario's own horizon has the same bound


def _assessment(raw: object, sources: SourceTable, fail) -> AssessmentAssumptions | None:
    """The verdict's thresholds: each a value within its bounds, with its rationale."""
    if not isinstance(raw, dict):
        fail("assessment", "must map " + ", ".join(ASSESSMENT_KEYS) + " to their values", raw)
        return None
    for key in raw:
        if key not in ASSESSMENT_KEYS:
            fail(
                f"assessment.{shown_key(key)}",
                "is not an assessment assumption; they are " + ", ".join(ASSESSMENT_KEYS),
            )
    block = "assessment"
    chance = _labelled(raw, "go_chance", 1.0, "a chance, such as 0.3 for 30%", sources, fail, block)
    minimum = _labelled(
        raw,
        "go_min_return",
        MAX_GO_RETURN,
        "the least expected return on cost, such as 0 (it pays back)",
        sources,
        fail,
        block,
    )
    fixes = _labelled(
        raw, "max_fixes", MAX_FIXES, "a whole number of answers", sources, fail, block
    )
    if _given(raw, "max_fixes") and not fixes.value.is_integer():
        fail("assessment.max_fixes.value", "must be a whole number of answers", fixes.value)
    horizon = _labelled(
        raw,
        "horizon_years",
        MAX_ASSESSMENT_HORIZON_YEARS,
        "whole years, from 1",
        sources,
        fail,
        block,
    )
    if _given(raw, "horizon_years") and (not horizon.value.is_integer() or horizon.value < 1):
        where = "assessment.horizon_years.value"
        fail(where, "must be a whole number of years from 1", horizon.value)
    return AssessmentAssumptions(chance, minimum, fixes, horizon)


def _given(raw: dict, key: str) -> bool:
    """Whether ``raw[key]`` holds a number (``_labelled`` has reported it otherwise)."""
    item = raw.get(key)
    return isinstance(item, dict) and is_number(item.get("value"))
