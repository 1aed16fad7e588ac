"""`roundtable assess`: the assessment figures of a response, from counts alone.

For analysts whose counts live in a spreadsheet or with a partner:

    roundtable assess --target 207 110 --control 308 318 \\
        --buffer 178 157 --buffer-control 150 140 --json

prints gross and net effect, the weighted displacement quotient (Bowers &
Johnson 2003), the weighted displacement difference with its standard error
and z (Wheeler & Ratcliffe 2018), the Poisson E-test p-value and the quick
2(√after − √before) z. The maths is roundtable.analytics.displacement; see
docs/analytics/assessment-and-ranking.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roundtable.analytics.displacement import Counts, Figures, as_json, assess


def _counts(options: dict[str, Any], name: str) -> Counts | None:
    pair = options[name]
    if pair is None:
        return None
    before, after = pair
    if before < 0 or after < 0:
        flag = "--" + name.replace("_", "-")
        raise CommandError(f"{flag}: counts cannot be negative (got {before} {after}).")
    return Counts(before=before, after=after)


def _number(value: float | None, digits: int = 2) -> str:
    return "cannot be computed" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    # Tiny p-values would print as 0.0000, which reads as "impossible".
    if value is not None and value < 0.0001:
        return f"{value:.1e}"
    return _number(value, 4)


def table(figures: Figures) -> list[str]:
    """The figures as aligned lines for a terminal."""
    wdq = _number(figures.wdq, 3)
    if figures.wdq_reading:
        wdq += f" ({figures.wdq_reading.replace('_', ' ')})"
    wdd = _number(figures.wdd, 1)
    if figures.wdd is not None and figures.wdd_se is not None:
        wdd += f" (SE {figures.wdd_se:.1f}"
        if figures.wdd_z is not None and figures.wdd_p is not None:
            wdd += f", z {figures.wdd_z:.2f}, p {_p(figures.wdd_p)}"
        wdd += ")"
    percent = figures.gross_percent
    rows = [
        ("Gross effect (after − before)", _number(figures.gross_effect, 0)),
        ("  as a share of before", "cannot be computed" if percent is None else f"{percent:.1f}%"),
        ("Net effect (beyond the comparison trend)", _number(figures.net_effect, 1)),
        ("Weighted displacement quotient", wdq),
        ("Weighted displacement difference", wdd),
        ("E-test p (response area, before vs after)", _p(figures.e_test_p)),
        ("Quick z, 2(√after − √before)", _number(figures.sqrt_z)),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    lines.append("Negative effects mean fewer incidents.")
    if figures.notes:
        lines.append("Notes:")
        lines += [f"  - {n.text}" for n in figures.notes]
    return lines


class Command(BaseCommand):
    help = (
        "Assessment figures from before/after counts: gross and net effect, the weighted "
        "displacement quotient (Bowers & Johnson 2003), the weighted displacement difference "
        "with SE and z (Wheeler & Ratcliffe 2018), the Poisson E-test and the quick "
        "2(√after − √before) z. The E-test and the quick z compare the response area's "
        "before and after counts and assume the two periods are of equal length."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        areas = [
            ("--target", True, "Counts in the response area."),
            ("--control", True, "Counts in a comparison area like the response area, untouched."),
            ("--buffer", False, "Counts around the response area, where crime may move to."),
            (
                "--buffer-control",
                False,
                "Counts in a comparison area for the buffer (give it with --buffer).",
            ),
        ]
        for flag, required, help_text in areas:
            parser.add_argument(
                flag,
                nargs=2,
                type=int,
                metavar=("BEFORE", "AFTER"),
                required=required,
                help=help_text,
            )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON object (null where a figure cannot be computed, "
            "with a 'notes' list saying why).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = _counts(options, "target")
        control = _counts(options, "control")
        buffer = _counts(options, "buffer")
        buffer_control = _counts(options, "buffer_control")
        if target is None:  # argparse requires it, so only a direct handle() call lands here
            raise CommandError("--target BEFORE AFTER is required.")
        if (buffer is None) != (buffer_control is None):
            raise CommandError(
                "--buffer and --buffer-control go together: the displacement figures "
                "compare the buffer with its own comparison area."
            )
        figures = assess(
            target=target, control=control, buffer=buffer, buffer_control=buffer_control
        )
        if options["json"]:
            self.stdout.write(json.dumps(as_json(figures)))
        else:
            self.stdout.write("\n".join(table(figures)))
