"""``python -m ticketing``: serve, migrate, issue tokens, add console users, compute deadlines, run the mail worker.

Messages for people are in Russian; the output meant for scripts (a token, a deadline)
stands alone on the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ticketing.config import Settings
from ticketing.domain.access import ApiRole, ApiToken
from ticketing.entrypoints import mail_worker, pd_cli, staff_cli
from ticketing.entrypoints.argparse_ru import RussianArgumentParser
from ticketing.entrypoints.regions import regions_of
from ticketing.services.tokens import DEFAULT_LIFETIME, MAX_LIFETIME


def _served_app(settings: Settings) -> Any:
    """The app of one worker of ``serve``, whose own INFO lines (the nightly anonymisation…) reach stderr.

    Sanic prints only its own loggers; each worker process builds its app here (spawned workers do not
    run ``_cmd_serve``), so each gets the handler.
    """
    from ticketing.http.app import create_app

    log_to_stderr()
    return create_app(settings, name="ticketing")


def log_to_stderr() -> None:
    """The ``ticketing`` loggers at INFO to standard error, once per process."""
    ours = logging.getLogger("ticketing")
    if not ours.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        ours.addHandler(handler)
        ours.setLevel(logging.INFO)
        ours.propagate = False


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve with ``TICKETING_WORKERS`` processes; each builds its own app from the factory."""
    from functools import partial

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from ticketing.adapters import migrate

    if migrate.pending(settings.database_url):
        if not settings.is_sqlite:
            print(
                "Схема базы данных устарела: выполните «python -m ticketing db upgrade» и запустите снова.",
                file=sys.stderr,
            )
            return 2
        migrate.upgrade(settings.database_url)  # the embedded default keeps itself current
    loader = AppLoader(factory=partial(_served_app, settings))
    app = loader.load()
    single = settings.workers == 1
    app.prepare(
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=settings.workers,
        single_process=single,
        access_log=settings.access_log,
        motd=False,
    )
    if single:
        Sanic.serve_single(primary=app)
    else:
        Sanic.serve(primary=app, app_loader=loader)
    return 0


def _cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from ticketing.adapters import migrate

    if args.db_command == "upgrade":
        migrate.upgrade(settings.database_url, args.revision)
    else:
        migrate.downgrade(settings.database_url, args.revision)
    print(f"Схема базы данных: {args.revision}.", file=sys.stderr)
    return 0


def _cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container
    from ticketing.services.tokens import create_token

    role = ApiRole(args.role)
    container = build_container(settings)
    resolved = regions_of(container.regions, role, args.region)
    if resolved is None:
        return 2
    migrate.upgrade(settings.database_url)

    if not 1 <= args.days <= MAX_LIFETIME.days:
        print(f"--days: срок действия токена — от 1 до {MAX_LIFETIME.days} дней.", file=sys.stderr)
        return 2

    async def run() -> tuple[str, ApiToken]:
        try:
            return await create_token(
                container.uow(),
                role=role,
                name=args.name,
                now=container.clock(),
                regions=resolved,
                lifetime=timedelta(days=args.days),
            )
        finally:
            await container.close()

    secret, token = asyncio.run(run())
    until = _moscow(token.expires_at)
    print(f"Токен «{args.name}» с ролью {role.value} создан, действует до {until} (МСК).")
    print("Он показывается один раз, сохраните его:")
    print(secret)
    return 0


def _moscow(moment: datetime | None) -> str:
    from ticketing.domain.sla import MOSCOW

    return moment.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _cmd_token_list(args: argparse.Namespace, settings: Settings) -> int:
    """Every token, tab-separated with a header: who has it, its role, and whether it still works."""
    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container
    from ticketing.services.tokens import list_tokens

    migrate.upgrade(settings.database_url)
    container = build_container(settings)

    async def run() -> list[ApiToken]:
        try:
            return await list_tokens(container.uow())
        finally:
            await container.close()

    now = container.clock()
    print("\t".join(("номер", "имя", "роль", "регионы", "выпущен", "действует до", "состояние")))
    for token in asyncio.run(run()):
        if token.revoked_at is not None:
            state = f"отозван {_moscow(token.revoked_at)}"
        else:
            state = "действует" if token.live(now) else "истёк"
        cells = (token.id, token.name, token.role.value, ", ".join(token.regions) or "—", _moscow(token.created_at))
        print("\t".join(str(c) for c in (*cells, _moscow(token.expires_at), state)))
    return 0


def _cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container
    from ticketing.services.tokens import revoke_token

    migrate.upgrade(settings.database_url)
    container = build_container(settings)

    async def run() -> ApiToken | None:
        try:
            return await revoke_token(container.uow(), args.id, now=container.clock())
        finally:
            await container.close()

    token = asyncio.run(run())
    if token is None:
        print(f"Действующего токена с номером {args.id} нет (номера — в «token list»).", file=sys.stderr)
        return 2
    print(
        f"Токен {token.id} «{token.name}» ({token.role.value}) отозван; процессы, видевшие его, примут его ещё ≤ 30 с."
    )
    return 0


def _cmd_token_ensure(args: argparse.Namespace, settings: Settings) -> int:
    """Reuse the token saved in ``--file`` while it is valid; otherwise issue a new one there.

    ``make run`` uses it to give the action server a service token without asking anybody.
    """
    from pathlib import Path

    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container
    from ticketing.services.tokens import authenticate, create_token

    path = Path(args.file)
    saved = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    migrate.upgrade(settings.database_url)
    container = build_container(settings)

    async def run() -> str:
        try:
            token = await authenticate(container.uow(), saved, now=container.clock()) if saved else None
            if token is not None and token.role.value == args.role:
                return saved
            secret, _ = await create_token(
                container.uow(), role=ApiRole(args.role), name=args.name, now=container.clock()
            )
            return secret
        finally:
            await container.close()

    secret = asyncio.run(run())
    if secret != saved:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secret + "\n", encoding="utf-8")
        path.chmod(0o600)
    print(secret)
    return 0


def _cmd_sla_due(argv: list[str]) -> int:
    from ticketing.entrypoints.sla_cli import sla_due_main

    return sla_due_main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = RussianArgumentParser(
        prog="python -m ticketing", description="Система обработки обращений «Билет в будущее»."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА")

    serve = sub.add_parser("serve", help="запустить HTTP-сервис")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)

    db = sub.add_parser("db", help="миграции базы данных")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ДЕЙСТВИЕ")
    up = db_sub.add_parser("upgrade", help="обновить схему")
    up.add_argument("revision", nargs="?", default="head")
    down = db_sub.add_parser("downgrade", help="откатить схему")
    down.add_argument("revision")

    token = sub.add_parser("token", help="токены доступа к API")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="ДЕЙСТВИЕ")
    create = token_sub.add_parser("create", help="выпустить токен; он печатается последней строкой")
    create.add_argument("--role", required=True, choices=[r.value for r in ApiRole])
    create.add_argument("--name", required=True, help="кому или чему выдан токен")
    create.add_argument("--region", action="append", help="регион для line2 (можно несколько раз)")
    create.add_argument(
        "--days",
        type=_days,
        default=DEFAULT_LIFETIME.days,
        help=f"срок действия, дней (по умолчанию {DEFAULT_LIFETIME.days})",
    )
    token_sub.add_parser("list", help="все токены: кому выданы, роль, до какого дня действуют, отозваны ли")
    revoke = token_sub.add_parser("revoke", help="отозвать токен по номеру из «token list»")
    revoke.add_argument("id", type=int)
    ensure = token_sub.add_parser("ensure", help="токен из файла, если он действителен, иначе новый в этот файл")
    ensure.add_argument("--role", required=True, choices=[r.value for r in ApiRole])
    ensure.add_argument("--name", required=True)
    ensure.add_argument("--file", required=True)

    sub.add_parser("sla-due", help="срок ответа: --channel … --received <ISO 8601>", add_help=False)
    staff_cli.add_parser(sub)
    mail_worker.add_parser(sub)
    pd_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sla-due"]:
        return _cmd_sla_due(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:  # a setting nobody can run with: say which, in Russian, and stop
        print(f"python -m ticketing: {error}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return _cmd_serve(args, settings)
    if args.command == "db":
        return _cmd_db(args, settings)
    if args.command == "user":
        return staff_cli.run(args, settings)
    if args.command == "mail-worker":
        return mail_worker.run(args, settings)
    if args.command == "pd":
        return pd_cli.run(args, settings)
    if args.token_command == "ensure":
        return _cmd_token_ensure(args, settings)
    if args.token_command == "list":
        return _cmd_token_list(args, settings)
    if args.token_command == "revoke":
        return _cmd_token_revoke(args, settings)
    return _cmd_token_create(args, settings)


def _days(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"нужно целое число дней, а не «{text}»") from None
