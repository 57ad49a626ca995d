"""``python -m ticketing user add``: create a staff user of the console.

The password comes from standard input (``--password-stdin``, for scripts) or from a prompt
that does not echo; it is never an argument, which would leave it in the shell history.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from ticketing.config import Settings
from ticketing.domain.access import STAFF_ROLES, ApiRole
from ticketing.domain.staff import InvalidStaffUser
from ticketing.entrypoints.regions import regions_of


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="сотрудники консоли")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ДЕЙСТВИЕ")
    add = user_sub.add_parser("add", help="создать сотрудника консоли")
    add.add_argument("--role", required=True, choices=[r.value for r in STAFF_ROLES])
    add.add_argument("--login", required=True, help="логин для входа")
    add.add_argument("--name", required=True, help="имя и фамилия: так сотрудник виден в истории обращений")
    add.add_argument("--region", action="append", help="регион для line2 (можно несколько раз)")
    add.add_argument("--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода")


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Пароль (не короче 10 символов): ")
    if getpass.getpass("Повторите пароль: ") != first:
        print("Пароли не совпадают.", file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace, settings: Settings) -> int:
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
