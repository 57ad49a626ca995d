"""``python -m ticketing user add`` creates a staff user of the console, ``user list`` shows them all.

The password comes from standard input (``--password-stdin``, for scripts) or from a prompt
that does not echo; it is never an argument, which would leave it in the shell history.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from datetime import datetime

from ticketing.config import Settings
from ticketing.domain.access import STAFF_ROLES, ApiRole
from ticketing.domain.sla import MOSCOW
from ticketing.domain.staff import ROLE_LABELS_RU, InvalidStaffUser, StaffUser
from ticketing.entrypoints.argparse_ru import RussianArgumentParser
from ticketing.entrypoints.regions import regions_of


def add_parser(sub: argparse._SubParsersAction[RussianArgumentParser]) -> None:
    user = sub.add_parser("user", help="сотрудники консоли")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ДЕЙСТВИЕ")
    add = user_sub.add_parser("add", help="создать сотрудника консоли")
    add.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in STAFF_ROLES],
        help="; ".join(f"{role.value} — {ROLE_LABELS_RU[role]}" for role in STAFF_ROLES),
    )
    add.add_argument("--login", required=True, help="логин для входа")
    add.add_argument("--name", required=True, help="имя и фамилия: так сотрудник виден в истории обращений")
    add.add_argument("--region", action="append", help="регион для line2 (можно несколько раз)")
    add.add_argument("--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода")
    user_sub.add_parser("list", help="все сотрудники: логин, имя, роль, регионы, может ли войти")


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Пароль (не короче 10 символов): ")
    if getpass.getpass("Повторите пароль: ") != first:
        print("Пароли не совпадают.", file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.user_command == "list":
        return _list(settings)
    return _add(args, settings)


def _state(user: StaffUser, now: datetime) -> str:
    if user.disabled:
        return "отключён"
    if user.is_locked(now) and user.locked_until is not None:
        return f"вход после {user.locked_until.astimezone(MOSCOW):%H:%M} МСК (неверный пароль)"
    return "может войти"


def _list(settings: Settings) -> int:
    """Every staff user, tab-separated with a header (as ``token list``), by role and then login."""
    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container
    from ticketing.services.staff import list_users

    migrate.upgrade(settings.database_url)
    container = build_container(settings)

    async def users() -> list[StaffUser]:
        try:
            return await list_users(container.uow())
        finally:
            await container.close()

    now = container.clock()
    order = {role: place for place, role in enumerate(STAFF_ROLES)}
    print("\t".join(("логин", "имя", "роль", "регионы", "состояние")))
    for user in sorted(asyncio.run(users()), key=lambda u: (order.get(u.role, len(order)), u.login)):
        regions = ", ".join(user.regions) or "—"
        print("\t".join((user.login, user.name, user.role.value, regions, _state(user, now))))
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from ticketing.adapters import migrate
    from ticketing.bootstrap import build_container
    from ticketing.services.console_ports import DuplicateLogin
    from ticketing.services.staff import create_user

    role = ApiRole(args.role)
    container = build_container(settings)
    regions = regions_of(container.regions, role, args.region)
    if regions is None:
        return 2
    password = _password(args)
    if password is None:
        return 2
    migrate.upgrade(settings.database_url)

    async def create() -> int:
        try:
            user = await create_user(
                container.uow(),
                login=args.login,
                name=args.name,
                role=role,
                password=password,
                regions=regions,
                now=container.clock(),
            )
        except InvalidStaffUser as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except DuplicateLogin:
            print(f"Логин «{args.login}» уже занят.", file=sys.stderr)
            return 2
        finally:
            await container.close()
        print(f"Сотрудник «{user.name}» ({user.login}, {role.value}) создан; вход: /console/login")
        return 0

    return asyncio.run(create())
