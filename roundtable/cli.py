"""The `roundtable` console command: Django's management commands without manage.py.

`roundtable serve`, `roundtable demo`, `roundtable stakeholders import FILE` …
are ordinary management commands; this entry point only sets the settings
module and makes sure the local data folder exists.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    args = list(sys.argv if argv is None else argv)
    args[0] = "roundtable"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
