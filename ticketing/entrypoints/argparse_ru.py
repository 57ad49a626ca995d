"""An ``argparse`` parser that speaks Russian to the staff who run ``python -m ticketing`` (§1.4).

argparse writes its usage line, its section titles, the ``-h`` help and its errors in English. The
parser below gives them in Russian; an error names what to fix and ends with where the help is, and
the exit code stays argparse's 2. Sub-commands inherit the class (``add_parser`` uses the parent's).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

# argparse's error messages (Python 3.10–3.13), as regular expressions, and their Russian.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), russian)
    for pattern, russian in (
        (r"the following arguments are required: (.+)", r"не хватает обязательных параметров: \1"),
        (
            r"argument (\S+?)(?:/\S+)?: invalid choice: '?(.*?)'? \(choose from (.+)\)",
            r"для \1 нет варианта «\2»; можно: \3",
        ),
        (r"argument (\S+?)(?:/\S+)?: expected one argument", r"у параметра \1 нет значения"),
        (
            r"argument (\S+?)(?:/\S+)?: invalid int value: '(.*)'",
            r"у параметра \1 нужно целое число, а не «\2»",
        ),
        (r"argument (\S+?)(?:/\S+)?: (.+)", r"параметр \1: \2"),
        (r"unrecognized arguments: (.+)", r"непонятные аргументы: \1"),
    )
)


def russian_error(message: str) -> str:
    """argparse's English error in Russian; one we do not know stays as it is, after a Russian lead."""
    for pattern, russian in _ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(russian, message).replace("'", "")
    return f"неверные аргументы ({message})"


class RussianHelpFormatter(argparse.HelpFormatter):
    """argparse's help with «использование:» for «usage:»."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "использование: " if prefix is None else prefix)


class RussianArgumentParser(argparse.ArgumentParser):
    """``ArgumentParser`` with Russian usage, section titles, ``-h`` and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # its English «show this help message and exit» is replaced below
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="показать эту справку и выйти")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {russian_error(message)}. Справка: {self.prog} --help\n")
