"""One job to assess (data/jobs/*.yaml): the job, its number, its systems, data, owner and
costs, and the rubric's answers, each with its evidence.

"Tell us the job, and we will be honest about whether it can reach production": this is the
file that conversation fills in. It is validated like every input: each problem is one line
naming the file, the field (or the question id) and the value found. Money is read by
``inputs.money``, as in a scenario. An optional link to the client's scenario (a path
relative to the job file's folder, which must stay inside the project's data/clients folder)
brings its record of pilots, its currency and its economics.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pilotfunnel.core import paths
from pilotfunnel.core.errors import JobError, Problem, Problems, ScenarioError, display_path
from pilotfunnel.core.files import read_yaml_mapping, unknown_key_problems
from pilotfunnel.core.write import atomic_write_text
from pilotfunnel.inputs.fields import is_number, text_field
from pilotfunnel.inputs.money import MAX_AMOUNT, MoneyError, parse_money
from pilotfunnel.inputs.rubric import ANSWERS, Rubric
from pilotfunnel.inputs.scenario import CURRENCIES, MAX_HORIZON_YEARS, Scenario, load_scenario

TOP_KEYS = (
    "job",
    "client",
    "currency",
    "number",
    "volume",
    "systems",
    "data",
    "owner",
    "costs",
    "horizon_years",
    "scenario",
    "sourcing",
    "answers",
)
NUMBER_KEYS = (
    "metric",
    "unit",
    "baseline",
    "target",
    "by",
    "yearly_value_per_unit",
    "yearly_value",
)
VOLUME_KEYS = ("cases", "per")
VOLUME_PERIODS = ("day", "week", "month", "year")
SYSTEM_KEYS = ("name", "integrated")
DATA_KEYS = ("name", "state")
COST_KEYS = ("poc", "to_production")
ANSWER_KEYS = ("answer", "evidence")
SOURCING = ("built", "bought", "partner")  # in-house, bought, built with a specialist partner
# Answers that claim something, and so must say what shows it.
NEEDS_EVIDENCE = ("yes", "partly")
# Sizes: a sentence, a short name, a few words of evidence, and how many of each list.
MAX_JOB_CHARS = 300
MAX_NAME_CHARS = 120
MAX_EVIDENCE_CHARS = 300
MAX_LIST_ITEMS = 30
MAX_MEASURE = 1e12  # a metric's baseline or target: any count or amount a job has
MAX_CASES = 1e9
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_JOB_BYTES = 256 * 1024
SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Number:
    """The number attached to the job: a metric, from a baseline to a target by a date, and
    what moving it is worth a year."""

    metric: str
    unit: str
    baseline: float
    target: float
    by: dt.date
    yearly_value: float  # the value a year of reaching the target
    yearly_value_per_unit: float | None = None  # when the file gave it per unit

    @property
    def improvement(self) -> float:
        """How far the target is from the baseline, in the metric's unit (up or down)."""
        return abs(self.target - self.baseline)


@dataclass(frozen=True)
class Volume:
    cases: float
    per: str  # day, week, month or year


@dataclass(frozen=True)
class System:
    name: str
    integrated: bool  # integrated with the job's workflow today


@dataclass(frozen=True)
class DataSource:
    name: str
    state: str


@dataclass(frozen=True)
class Answer:
    """A rubric answer and its evidence; ``given`` is False where the file did not answer
    (the answer is then unknown)."""

    answer: str
    evidence: str = ""
    given: bool = True


@dataclass(frozen=True)
class Job:
    """One job, validated: what it is, its number, its costs and the rubric's answers."""

    job: str
    client: str
    currency: str
    number: Number | None  # None: no number attached (never "go")
    volume: Volume | None
    systems: tuple[System, ...]
    data: tuple[DataSource, ...]
    owner: str | None  # None: nobody owns it (never "go")
    cost_poc: float
    cost_to_production: float
    answers: dict[str, Answer]  # every question of the rubric, by id, in the rubric's order
    rubric: Rubric = field(compare=False, repr=False)
    horizon_years: int | None = None  # None: the scenario's, else the assumed horizon
    sourcing: str | None = None
    scenario: Scenario | None = None
    scenario_path: Path | None = None
    # The link as the file wrote it, relative to the file's folder (``scenario_path`` is where
    # it leads, and what two jobs compare by).
    scenario_link: str | None = field(default=None, compare=False)
    path: Path | None = field(default=None, compare=False)

    def answer_values(self) -> dict[str, str]:
        """Question id -> yes, partly, no or unknown."""
        return {qid: a.answer for qid, a in self.answers.items()}

    def scores(self) -> dict[str, int]:
        """Each driver's 0-4 score, by the rubric's scoring rule."""
        return self.rubric.scores(self.answer_values())

    def to_dict(self) -> dict:
        """The job in the file's shape (what ``save_job`` writes): amounts as numbers, and
        only the answers the file gave (an unanswered question stays unknown)."""
        number = None
        if self.number is not None:
            n = self.number
            number = {"metric": n.metric, "unit": n.unit, "baseline": n.baseline}
            number |= {"target": n.target, "by": n.by}
            if n.yearly_value_per_unit is not None:
                number["yearly_value_per_unit"] = n.yearly_value_per_unit
            else:
                number["yearly_value"] = n.yearly_value
        answers = {}
        for question_id, item in self.answers.items():
            if item.given:
                answers[question_id] = (
                    {"answer": item.answer, "evidence": item.evidence}
                    if item.evidence
                    else item.answer
                )
        data = {
            "job": self.job,
            "client": self.client,
            "currency": self.currency,
            "scenario": self.scenario_link,
            "number": number,
            "volume": {"cases": self.volume.cases, "per": self.volume.per} if self.volume else None,
            "systems": [{"name": s.name, "integrated": s.integrated} for s in self.systems],
            "data": [{"name": d.name, "state": d.state} for d in self.data],
            "owner": self.owner if self.owner is not None else "none",
            "costs": {"poc": self.cost_poc, "to_production": self.cost_to_production},
            "horizon_years": self.horizon_years,
            "sourcing": self.sourcing,
            "answers": answers,
        }
        return {k: v for k, v in data.items() if v not in ("", None, [], {})}


def load_job(path: str | Path, rubric: Rubric, clients_dir: str | Path | None = None) -> Job:
    """Read and validate a job file against the rubric.

    A linked scenario must resolve (symlinks followed) inside ``clients_dir`` (the project's
    data/clients by default) and is loaded and validated too.
    """
    path = Path(path)
    data = read_yaml_mapping(path, JobError, MAX_JOB_BYTES)
    clients = Path(clients_dir) if clients_dir is not None else paths.clients_dir()
    return job_from_dict(data, rubric, display_path(path), path, clients)


def job_from_dict(
    data: object,
    rubric: Rubric,
    name: str = "<job>",
    path: Path | None = None,
    clients_dir: Path | None = None,
) -> Job:
    """Validate a job given as a mapping (from a file, or from the notebook's form)."""
    if not isinstance(data, dict):
        message = "must be a mapping of the job's fields to their values"
        raise JobError(problems=[Problem(name, "", message, type(data).__name__)])
    problems = Problems(name)
    fail = problems.field
    problems += unknown_key_problems(name, "", data, TOP_KEYS)

    job = _required_text(data, "job", MAX_JOB_CHARS, fail, "the job in one sentence")
    try:
        scenario, scenario_path = _scenario(data.get("scenario"), path, clients_dir, fail)
    except ScenarioError as error:  # the scenario's own problems, each naming its file
        problems += error.problems
        scenario = scenario_path = None
    client = data.get("client")
    if client is None:
        client = scenario.client if scenario else ""
    else:
        client = _text(client, "client", MAX_NAME_CHARS, fail) or ""
    currency = _currency(data.get("currency"), scenario, fail)
    money_currency = currency if currency in CURRENCIES else None
    number = _number(data.get("number"), name, problems, fail, money_currency)
    volume = _volume(data.get("volume"), name, problems, fail)
    systems = tuple(
        System(item["name"], item["integrated"])
        for item in _list(data.get("systems"), "systems", name, problems, fail, _system)
    )
    sources = tuple(
        DataSource(item["name"], item["state"])
        for item in _list(data.get("data"), "data", name, problems, fail, _data_source)
    )
    owner = _owner(data, fail)
    costs = _costs(data.get("costs"), name, problems, fail, money_currency)
    horizon = None
    if data.get("horizon_years") is not None:
        horizon = _whole(data["horizon_years"], "horizon_years", 1, MAX_HORIZON_YEARS, fail)
    sourcing = data.get("sourcing")
    if sourcing is not None and (not isinstance(sourcing, str) or sourcing not in SOURCING):
        fail("sourcing", "must be one of " + ", ".join(SOURCING), sourcing)
    answers = _answers(data.get("answers"), rubric, name, problems)
    if problems:
        raise JobError(problems=problems)
    return Job(
        job=job,
        client=client,
        currency=currency,
        number=number,
        volume=volume,
        systems=systems,
        data=sources,
        owner=owner,
        cost_poc=costs[0],
        cost_to_production=costs[1],
        answers=answers,
        rubric=rubric,
        horizon_years=horizon,
        sourcing=sourcing,
        scenario=scenario,
        scenario_path=scenario_path,
        scenario_link=data["scenario"].strip() if scenario_path is not None else None,
        path=path,
    )


def save_job(job: Job, path: str | Path, overwrite: bool = False) -> Path:
    """Write a job as YAML, atomically; refuse to replace a file unless told to (the notebook
    asks first)."""
    path = Path(path)
    if path.exists() and not overwrite:
        message = "already exists; pass overwrite=True to replace it"
        raise JobError(problems=[Problem(display_path(path), "", message)])
    data = job.to_dict()
    if job.scenario_path is not None:  # the link, relative to the folder written to
        data["scenario"] = Path(
            os.path.relpath(job.scenario_path, path.resolve().parent)
        ).as_posix()
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    return atomic_write_text(path, text)


def find_jobs(folder: str | Path | None = None) -> list[Path]:
    """The job files of a folder (data/jobs by default), sorted by name."""
    folder = Path(folder) if folder is not None else paths.jobs_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file())


# --- fields -----------------------------------------------------------------------------------
def _text(value: object, where: str, limit: int, fail) -> str | None:
    text = text_field(value, where, limit, fail)
    return None if text is None else text.strip()


def _required_text(data: dict, key: str, limit: int, fail, what: str) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        fail(key, f"is missing; give {what}")
        return ""
    return _text(value, key, limit, fail) or ""


def _whole(value: object, where: str, low: int, high: int, fail) -> int | None:
    if not is_number(value) or value != int(value) or not low <= value <= high:
        fail(where, f"must be a whole number from {low} to {high:,}", value)
        return None
    return int(value)


def _money(value: object, where: str, fail, currency: str | None) -> float | None:
    if value is None:
        fail(where, "is missing; an amount of 0 or more is required")
        return None
    try:
        return parse_money(value, currency)
    except MoneyError as error:
        fail(where, str(error), value)
        return None


def _currency(raw: object, scenario: Scenario | None, fail) -> str:
    if raw is None:
        return scenario.currency if scenario else "USD"
    if not isinstance(raw, str) or raw not in CURRENCIES:
        fail("currency", f"must be one of {', '.join(CURRENCIES)}", raw)
        return "USD"
    if scenario is not None and raw != scenario.currency:
        fail(
            "currency",
            f"differs from the linked scenario's ({scenario.currency}); a job is priced in "
            "its client's currency",
            raw,
        )
        return scenario.currency  # amounts are then read in the scenario's currency
    return raw


def _scenario(
    raw: object, job_path: Path | None, clients_dir: Path | None, fail
) -> tuple[Scenario | None, Path | None]:
    """The linked scenario: a path relative to the job file's folder, inside data/clients."""
    if raw is None:
        return None, None
    where = "scenario"
    allowed = "a path relative to the job file's folder, to a .yaml file in data/clients"
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 300 or "\0" in raw:
        fail(where, f"must be {allowed}", raw)
        return None, None
    relative = Path(raw.strip())
    if relative.is_absolute() or raw.strip().startswith("~"):
        fail(where, f"is an absolute path; it must be {allowed}", raw)
        return None, None
    if relative.suffix not in SCENARIO_SUFFIXES:
        fail(where, f"must be {allowed}", raw)
        return None, None
    base = job_path.parent if job_path is not None else Path.cwd()
    clients = Path(clients_dir) if clients_dir is not None else paths.clients_dir()
    try:
        # Followed through symlinks and '..': where it really points must be a client file.
        target = (base / relative).resolve()
        inside = target.is_relative_to(clients.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, an unusable name
        fail(where, f"cannot be followed; it must be {allowed}", raw)
        return None, None
    if not inside:
        fail(where, "leads outside the project's data/clients folder; it must be " + allowed, raw)
        return None, None
    return load_scenario(target), target


def _number(raw: object, name: str, problems: Problems, fail, currency) -> Number | None:
    if raw is None:
        return None  # no number attached: allowed, and the verdict says so
    where = "number"
    if not isinstance(raw, dict):
        fail(where, "must have metric, unit, baseline, target, by and a yearly value", raw)
        return None
    problems += unknown_key_problems(name, where, raw, NUMBER_KEYS)
    metric = _required_text(raw, "metric", MAX_NAME_CHARS, _under(where, fail), "the metric")
    unit = _required_text(raw, "unit", MAX_NAME_CHARS, _under(where, fail), "its unit")
    measures = {}
    for key in ("baseline", "target"):
        value = raw.get(key)
        if not is_number(value) or not -MAX_MEASURE <= value <= MAX_MEASURE:
            fail(f"{where}.{key}", f"must be a number, in the metric's unit ({key} value)", value)
        else:
            measures[key] = float(value)
    if len(measures) == 2 and measures["baseline"] == measures["target"]:
        fail(
            f"{where}.target",
            "equals the baseline; the target is the change the job makes",
            raw.get("target"),
        )
    by = _date(raw.get("by"), f"{where}.by", fail)
    per_unit, yearly = raw.get("yearly_value_per_unit"), raw.get("yearly_value")
    value = per_unit_value = None
    if (per_unit is None) == (yearly is None):
        fail(
            where,
            "must give exactly one of yearly_value_per_unit (a year's value of one unit of "
            "improvement) and yearly_value (the job's value a year at target)",
        )
    elif yearly is not None:
        value = _money(yearly, f"{where}.yearly_value", fail, currency)
    else:
        per_unit_value = _money(per_unit, f"{where}.yearly_value_per_unit", fail, currency)
        if per_unit_value is not None and len(measures) == 2:
            value = abs(measures["target"] - measures["baseline"]) * per_unit_value
            if not value <= MAX_AMOUNT:
                fail(
                    f"{where}.yearly_value_per_unit",
                    f"times the improvement ({abs(measures['target'] - measures['baseline']):g}) "
                    f"is more than {MAX_AMOUNT:,.0f} a year",
                    per_unit,
                )
                value = None
    if not (metric and unit and len(measures) == 2 and by and value is not None):
        return None
    return Number(metric, unit, measures["baseline"], measures["target"], by, value, per_unit_value)


def _under(prefix: str, fail):
    """``fail`` for the keys of a block: 'metric' is reported as 'number.metric'."""
    return lambda where, message, value=None: fail(f"{prefix}.{where}", message, value)


def _date(value: object, where: str, fail) -> dt.date | None:
    allowed = f"a date such as 2027-06-30 (or 2027-06, the month's end), {FIRST_YEAR}-{LAST_YEAR}"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str) and len(value) <= 10:
        text = value.strip()
        try:
            if len(text) == 7:  # a month: its last day
                month = dt.date.fromisoformat(text + "-01")
                following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                value = following - dt.timedelta(days=1)
            else:
                value = dt.date.fromisoformat(text)
        except ValueError:
            pass
    if not isinstance(value, dt.date) or not FIRST_YEAR <= value.year <= LAST_YEAR:
        fail(where, f"must be {allowed}", value)
        return None
    return value


def _volume(raw: object, name: str, problems: Problems, fail) -> Volume | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fail("volume", "must have cases and per (day, week, month or year)", raw)
        return None
    problems += unknown_key_problems(name, "volume", raw, VOLUME_KEYS)
    cases, per = raw.get("cases"), raw.get("per")
    ok = True
    if not is_number(cases) or not 0 < cases <= MAX_CASES:
        fail("volume.cases", f"must be a number above 0 and at most {MAX_CASES:,.0f}", cases)
        ok = False
    if not isinstance(per, str) or per not in VOLUME_PERIODS:
        fail("volume.per", "must be one of " + ", ".join(VOLUME_PERIODS), per)
        ok = False
    return Volume(float(cases), per) if ok else None


def _list(raw: object, key: str, name: str, problems: Problems, fail, item_of) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        fail(key, "must be a list", type(raw).__name__)
        return []
    if len(raw) > MAX_LIST_ITEMS:
        fail(key, f"must list at most {MAX_LIST_ITEMS}", len(raw))
        return []
    items = []
    for index, item in enumerate(raw):
        found = item_of(item, f"{key}[{index}]", name, problems, fail)
        if found is not None:
            items.append(found)
    return items


def _system(item: object, where: str, name: str, problems: Problems, fail) -> dict | None:
    if not isinstance(item, dict):
        fail(where, "must have name and integrated (true or false)", item)
        return None
    problems += unknown_key_problems(name, where, item, SYSTEM_KEYS)
    system_name = _required_text(item, "name", MAX_NAME_CHARS, _under(where, fail), "its name")
    integrated = item.get("integrated")
    if not isinstance(integrated, bool):
        fail(f"{where}.integrated", "must be true or false: is it integrated today?", integrated)
        return None
    return {"name": system_name, "integrated": integrated} if system_name else None


def _data_source(item: object, where: str, name: str, problems: Problems, fail) -> dict | None:
    if not isinstance(item, dict):
        fail(where, "must have name and state", item)
        return None
    problems += unknown_key_problems(name, where, item, DATA_KEYS)
    at = _under(where, fail)
    source = _required_text(item, "name", MAX_NAME_CHARS, at, "its name")
    state = _required_text(item, "state", MAX_EVIDENCE_CHARS, at, "its state in a few words")
    return {"name": source, "state": state} if source and state else None


def _owner(data: dict, fail) -> str | None:
    if "owner" not in data:
        fail("owner", "is missing; name the job's owner, or write none")
        return None
    owner = data["owner"]
    if owner is None or (isinstance(owner, str) and owner.strip().lower() in ("none", "")):
        return None
    return _text(owner, "owner", MAX_NAME_CHARS, fail)


def _costs(raw: object, name: str, problems: Problems, fail, currency) -> tuple[float, float]:
    if not isinstance(raw, dict):
        fail("costs", "must have poc and to_production", raw)
        return 0.0, 0.0
    problems += unknown_key_problems(name, "costs", raw, COST_KEYS)
    poc = _money(raw.get("poc"), "costs.poc", fail, currency)
    if poc is not None and poc < 1:
        fail(
            "costs.poc",
            "must be at least 1: a proof of concept always costs something, and return on "
            "spend needs spend",
            poc,
        )
        poc = None
    production = _money(raw.get("to_production"), "costs.to_production", fail, currency)
    return (poc or 0.0), (production or 0.0)


def _answers(raw: object, rubric: Rubric, name: str, problems: Problems) -> dict[str, Answer]:
    """Every question's answer, in the rubric's order; an unanswered question is unknown."""

    def fail_at(question_id: str, message: str, value: object = None) -> None:
        where = f"answers.{question_id}"
        problems.append(Problem(name, f"question '{question_id}'", message, value, column=where))

    given: dict[str, Answer] = {}
    if raw is not None and not isinstance(raw, dict):
        problems.field("answers", "must map question ids to an answer and its evidence", raw)
        raw = {}
    for question_id, item in (raw or {}).items():
        if question_id not in rubric:
            problems += unknown_key_problems(
                name, "answers", {question_id: None}, rubric_ids(rubric)
            )
            continue
        answer = _answer(item, question_id, fail_at)
        if answer is not None:
            given[question_id] = answer
        if len(problems) > 2 * len(rubric.questions):
            break  # a file of a million keys gets a bounded list
    return {q.id: given.get(q.id, Answer("unknown", "", given=False)) for q in rubric.questions}


def rubric_ids(rubric: Rubric) -> tuple[str, ...]:
    return tuple(q.id for q in rubric.questions)


def _answer(item: object, question_id: str, fail_at) -> Answer | None:
    allowed = ", ".join(ANSWERS)
    if not isinstance(item, dict):
        value = _answer_word(item)
        if value in ("no", "unknown"):
            return Answer(value, "")  # a no or an unknown claims nothing: evidence optional
        if value in NEEDS_EVIDENCE:
            fail_at(
                question_id,
                f"is {value} without its evidence; write answer: {value} and "
                "evidence: what shows it",
            )
            return None
        fail_at(question_id, f"must be one of {allowed}, or answer and evidence", item)
        return None
    extra = [k for k in item if k not in ANSWER_KEYS]
    if extra:
        fail_at(
            question_id, f"has an unknown key; an answer has {' and '.join(ANSWER_KEYS)}", extra[0]
        )
        return None
    value = _answer_word(item.get("answer"))
    if value not in ANSWERS:
        fail_at(question_id, f"answer must be one of {allowed}", item.get("answer"))
        return None
    evidence = item.get("evidence")
    if evidence is None or (isinstance(evidence, str) and not evidence.strip()):
        if value in NEEDS_EVIDENCE:
            fail_at(
                question_id, f"is {value} without its evidence; say in a few words what shows it"
            )
            return None
        return Answer(value, "")
    problem: list[str] = []
    text = text_field(
        evidence,
        "evidence",
        MAX_EVIDENCE_CHARS,
        lambda where, message, value=None: problem.append(message),
    )
    if text is None:
        fail_at(
            question_id,
            "evidence " + problem[0],
            evidence if not isinstance(evidence, str) else None,
        )
        return None
    return Answer(value, text.strip())


def _answer_word(value: object) -> object:
    """YAML 1.1 reads a bare yes or no as true or false: either way it is the answer."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str):
        return value.strip().lower() if len(value) <= 20 else value
    return value
