"""`roundtable surveys`: survey work from the command line.

    roundtable surveys weight RESPONSES.csv --targets TARGETS.csv --out WEIGHTS.csv \
        [--cap C] [--tolerance T] [--max-iterations N]

`weight` rakes respondents to population margins (docs/analytics/survey-weighting.md)
without touching the database, so it works on a fresh checkout before
`migrate`. It writes `id,weight` (weights of mean 1) and prints one JSON line:

    {"respondents": n, "iterations": i, "converged": true|false,
     "design_effect": d, "effective_n": e, "max_margin_error": m, "seconds": s}

`seconds` is the raking alone (reading and writing the files excluded);
`max_margin_error` is the worst-case 95 % margin of error of a share,
1.96·√(0.25 / effective_n), as a proportion (0.05 = ±5 points). When raking
does not converge the line says "converged": false, the reason goes to
stderr, WEIGHTS is not written and the exit status is 1.

Each action is an `Action` in ACTIONS: its arguments and its handler. Add an
action by adding an entry.
"""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.analytics.raking import NotConverged, RakeResult, RakingError, rake
from roundtable.analytics.survey_estimates import (
    design_effect,
    effective_n,
    margin_of_error,
)
from roundtable.surveys import command_actions
from roundtable.surveys.weight_files import (
    WeightFileError,
    read_weighting_files,
    write_weights,
)


@dataclass(frozen=True)
class Action:
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[BaseCommand, dict[str, Any]], None]
    description: str = ""


def _number_above(low: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > low:  # also refuses nan
            raise ArgumentTypeError(f"must be greater than {low:g}, not {text}")
        return value

    return parse


def _whole_number_from(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise ArgumentTypeError(f"must be at least {low}, not {text}")
        return value

    return parse


def _weight_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "responses",
        metavar="RESPONSES.csv",
        help="An id column and one column per weighting variable; a blank cell = not answered.",
    )
    parser.add_argument(
        "--targets",
        metavar="TARGETS.csv",
        required=True,
        help="Columns variable,category,share; each variable's shares sum to 1.",
    )
    parser.add_argument(
        "--out", metavar="WEIGHTS.csv", required=True, help="Where to write id,weight."
    )
    parser.add_argument(
        "--cap",
        type=_number_above(1.0),
        metavar="C",
        help="Largest weight, as a multiple of the mean weight (> 1); trimmed the anesrake "
        "way, re-raking after each cap (default: no cap).",
    )
    parser.add_argument(
        "--tolerance",
        type=_number_above(0.0),
        default=1e-10,
        metavar="T",
        help="Converged when every weighted share is within T of its target (default 1e-10).",
    )
    parser.add_argument(
        "--max-iterations",
        type=_whole_number_from(1),
        default=1000,
        metavar="N",
        help="Give up after N passes over the variables (default 1000).",
    )


def _weight(command: BaseCommand, options: dict[str, Any]) -> None:
    cap: float | None = options["cap"]
    out = Path(options["out"])
    for given in ("responses", "targets"):
        if out.resolve() == Path(options[given]).resolve():
            raise CommandError(f"--out {out} is the {given} file itself: name another file.")
    try:
        data = read_weighting_files(Path(options["responses"]), Path(options["targets"]))
    except WeightFileError as error:
        raise CommandError(str(error)) from None
    started = time.perf_counter()
    failure: NotConverged | None = None
    try:
        result = rake(
            data.codes,
            data.targets,
            cap=cap,
            tolerance=options["tolerance"],
            max_iterations=options["max_iterations"],
            names=data.variables,
            labels=data.categories,
        )
    except NotConverged as error:
        failure, result = error, error.result
    except RakingError as error:
        raise CommandError(str(error)) from None
    seconds = time.perf_counter() - started
    command.stdout.write(json.dumps(summary(result, seconds)))
    if failure is not None:
        raise CommandError(f"{failure} {options['out']} was not written.")
    try:
        write_weights(Path(options["out"]), data.ids, result.weights)
    except WeightFileError as error:
        raise CommandError(str(error)) from None


def summary(result: RakeResult, seconds: float) -> dict[str, Any]:
    """The JSON line: max_margin_error is the worst case (p = ½) at the effective n."""
    n_eff = effective_n(result.weights)
    return {
        "respondents": int(result.weights.size),
        "iterations": result.iterations,
        "converged": result.converged,
        "design_effect": design_effect(result.weights),
        "effective_n": n_eff,
        "max_margin_error": margin_of_error(0.5, n_eff),
        "seconds": seconds,
    }


ACTIONS: dict[str, Action] = {
    "weight": Action(
        help="Rake respondents to population margins; no database needed.",
        description=(
            "Rake the respondents of RESPONSES.csv to the shares of TARGETS.csv and write "
            "id,weight (weights of mean 1) to WEIGHTS.csv; print one JSON line with respondents, "
            "iterations, converged, design_effect, effective_n, max_margin_error (worst-case "
            "95% margin of error of a share, 1.96*sqrt(0.25/effective_n), as a proportion) "
            "and seconds (raking only). If raking does not converge, the JSON line says "
            "converged false, the reason goes to stderr, WEIGHTS.csv is NOT written and the "
            "exit status is 1."
        ),
        add_arguments=_weight_arguments,
        run=_weight,
    ),
    "population": Action(
        help="Import census margins (a reference population) for an agency.",
        description=command_actions.__doc__ or "",
        add_arguments=command_actions.population_arguments,
        run=command_actions.population,
    ),
    "invite": Action(
        help="Send one-time links to an after-contact survey from a calls-for-service export.",
        description=command_actions.__doc__ or "",
        add_arguments=command_actions.invite_arguments,
        run=command_actions.invite,
    ),
}


class Command(BaseCommand):
    help = (
        "Survey work: weight respondents to population margins, import reference "
        "populations, send after-contact links."
    )
    # `weight` must run before `migrate`: it reads and writes files only (the
    # other actions need the database and fail plainly without it).
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{" + ",".join(ACTIONS) + "}"
        )
        for name, action in ACTIONS.items():
            action.add_arguments(
                actions.add_parser(name, help=action.help, description=action.description)
            )

    def handle(self, *args: Any, **options: Any) -> None:
        ACTIONS[options["action"]].run(self, options)
