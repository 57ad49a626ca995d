"""``python -m ticketing sla-due``: print the answer deadline of a request.

For staff checking a deadline by hand and for scripts: the deadline, ISO 8601 with its offset,
is always the last line of standard output. Errors go to standard error in Russian, exit code 2.

A moment without an offset is taken as Moscow time (the procedure's time, and what staff type)
and a note says so on standard error; the domain function itself refuses naive moments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import NoReturn

from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.sla import MOSCOW, RULE_DESCRIPTIONS_RU, SLA_KINDS, due_at
from ticketing.entrypoints.argparse_ru import RussianHelpFormatter, russian_error

COMMAND = "sla-due"
USAGE_ERROR = 2


class _UsageError(Exception):
    """A mistake in the command line, reported in Russian rather than by argparse."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse's own messages are English: the same translation as every other command's.
        raise _UsageError(f"{russian_error(message)}; справка: --help")


def _build_parser() -> _Parser:
    parser = _Parser(
        prog=f"python -m ticketing {COMMAND}",
        description="Срок ответа на обращение по Порядку работы с обращениями (МСК).",
        epilog=(
            "Момент без смещения (например, 2026-11-27T12:00) считается московским временем. "
            "Последняя строка вывода: срок в ISO 8601 со смещением, например "
            "2026-12-02T23:59:59+03:00."
        ),
        add_help=False,
        formatter_class=RussianHelpFormatter,
    )
    group = parser.add_argument_group("параметры")
    group.add_argument("-h", "--help", action="help", help="показать эту справку и выйти")
    group.add_argument(
        "--channel",
        metavar="{" + ",".join(SLA_KINDS) + "}",
        help="канал обращения или line3 (24 часа с передачи на третью линию)",
    )
    group.add_argument(
        "--received",
        metavar="МОМЕНТ",
        help="момент поступления (регистрации, передачи) в ISO 8601, например "
        "2026-11-27T12:00:00+03:00 или 2026-11-27T09:00:00Z",
    )
    return parser


def sla_due_main(argv: Sequence[str], *, calendar: WorkCalendar | None = None) -> int:
    """Run the command; returns the exit code.

    Args:
        argv: the arguments after the sub-command; a leading ``sla-due`` is skipped, so
            ``sys.argv[1:]`` may be passed as is.
        calendar: the working days to count with; by default the production calendar with
            the 2020 decree days.

    Returns:
        0 on success, 2 on invalid input (help: 0).
    """
    args_list = list(argv)
    if args_list[:1] == [COMMAND]:
        args_list = args_list[1:]
    try:
        args, extra = _build_parser().parse_known_args(args_list)
        if extra:
            raise _UsageError(f"лишние аргументы: {' '.join(extra)}")
        channel, received, assumed_moscow = _validate(args.channel, args.received)
        due = due_at(channel, received, calendar or WorkCalendar())
    except _UsageError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return USAGE_ERROR
    except (OverflowError, ValueError):  # a moment so close to year 9999 that no deadline fits
        print(f"Ошибка: для момента «{args.received}» срок не вычисляется.", file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0

    if assumed_moscow:
        print("Примечание: смещение не указано, время считается московским.", file=sys.stderr)
    received_msk = received.astimezone(MOSCOW)
    print(f"Срок ответа: {RULE_DESCRIPTIONS_RU[channel]}; поступило {received_msk:%d.%m.%Y %H:%M:%S} МСК.")
    print(due.isoformat())
    return 0


def _validate(channel: str | None, received: str | None) -> tuple[str, datetime, bool]:
    if not channel:
        raise _UsageError(f"не указан канал: --channel {{{', '.join(SLA_KINDS)}}}")
    if channel not in SLA_KINDS:
        raise _UsageError(f"неизвестный канал «{channel}»; допустимы: {', '.join(SLA_KINDS)}")
    if not received:
        raise _UsageError("не указан момент поступления: --received 2026-11-27T12:00:00+03:00")
    try:
        moment = datetime.fromisoformat(received.strip())
    except ValueError:
        raise _UsageError(f"«{received}» не момент в ISO 8601; пример: 2026-11-27T12:00:00+03:00") from None
    if moment.tzinfo is None:
        return channel, moment.replace(tzinfo=MOSCOW), True
    return channel, moment, False


if __name__ == "__main__":  # until `python -m ticketing` dispatches to it
    sys.exit(sla_due_main(sys.argv[1:]))
