"""``python -m ticketing pd …``: personal data under 152-ФЗ — anonymise by the retention period, export
and erase one person's data on request (docs/security.md, «Персональные данные»).

``pd anonymise [--dry-run]`` is meant for a daily cron; ``pd export --email X`` prints JSON to standard
output; ``pd erase --email X`` anonymises that person's closed tickets now and names the open ones.
Every run is written to the access log (``pd_access``) with the operator's name (``--by``, else the
system user).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from datetime import timedelta

from procedure.text_safety import email_problem
from ticketing.config import Settings
from ticketing.entrypoints.argparse_ru import RussianArgumentParser
from ticketing.services import personal_data as pd


def add_parser(sub: argparse._SubParsersAction[RussianArgumentParser]) -> None:
    parser = sub.add_parser("pd", help="персональные данные: обезличивание по сроку, выгрузка и удаление по запросу")
    pd_sub = parser.add_subparsers(dest="pd_command", required=True, metavar="ДЕЙСТВИЕ")
    anonymise = pd_sub.add_parser(
        "anonymise", help="обезличить обращения, закрытые дольше PD_RETENTION_DAYS дней назад, и их диалоги"
    )
    anonymise.add_argument("--dry-run", action="store_true", help="только показать, что будет обезличено")
    for name, text in (
        ("export", "выгрузить в JSON всё, что хранится о заявителе с этой почтой (152-ФЗ, ст. 14)"),
        ("erase", "обезличить закрытые обращения заявителя сейчас (152-ФЗ, ст. 21); открытые не трогаются"),
    ):
        command = pd_sub.add_parser(name, help=text)
        command.add_argument("--email", required=True, help="адрес заявителя")
    for command in pd_sub.choices.values():
        command.add_argument(
            "--by", default=None, help="кто выполняет (в журнал доступа); по умолчанию — пользователь ОС"
        )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container, conversation_store

    email: str = getattr(args, "email", None) or ""
    if args.pd_command != "anonymise" and (problem := email_problem(email.strip().lower())):
        print(f"--email: «{email}» — {problem}.", file=sys.stderr)
        return 2
    migrate.upgrade(settings.database_url)
    container = build_container(settings)
    conversations = conversation_store(settings)
    accessor = pd.Accessor(actor=f"cli:{args.by or getpass.getuser()}", role="admin")

    async def main() -> int:
        now = container.clock()
        if args.pd_command == "anonymise":
            report = await pd.anonymise_expired(
                container.uow,
                conversations,
                now=now,
                retention=timedelta(days=settings.pd_retention_days),
                accessor=accessor,
                dry_run=args.dry_run,
            )
            verb = "будет обезличено" if report.dry_run else "обезличено"
            print(
                f"Срок хранения — {settings.pd_retention_days} дн. (PD_RETENTION_DAYS): {verb} обращений — "
                f"{len(report.tickets)}, диалогов бота — {report.conversations}."
            )
            if report.tickets:
                print(", ".join(report.tickets))
            return 0
        if args.pd_command == "export":
            data = await pd.export_person(container.uow, email, now=now, accessor=accessor)
            print(json.dumps(data, ensure_ascii=False, indent=2))
            print(f"Обращений с этой почтой: {len(data['tickets'])}.", file=sys.stderr)
            return 0
        erased = await pd.erase_person(container.uow, conversations, email, now=now, accessor=accessor)
        print(
            f"Обезличено обращений — {len(erased.erased)}"
            + (f" ({', '.join(erased.erased)})" if erased.erased else "")
            + f", диалогов бота — {erased.conversations}."
        )
        if erased.still_open:
            print(pd.open_refusal(erased.still_open), file=sys.stderr)
            return 1
        return 0

    async def guarded() -> int:
        try:
            return await main()
        finally:
            await conversations.close()
            await container.close()

    return asyncio.run(guarded())
