#!/usr/bin/env python3
"""Django's command-line utility for the CPIMS platform."""

import os
import sys
from pathlib import Path


def main() -> None:
    # The Django project package lives in platform/cpims (see README: Layout).
    sys.path.insert(1, str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
