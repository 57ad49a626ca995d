"""``python -m bench [queue|create|all]``: run the benchmarks, print a Markdown report.

The report is what ``docs/performance.md`` quotes: the command, the machine, the numbers.
The bench database ``bvb_bench`` is created for the run and dropped at the end (``--keep``
leaves it, ``--reuse`` measures on the one left by an earlier run without reloading).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import time
from collections.abc import Sequence

from bench import create, queue
from bench.rig import bench_database_exists, bench_url, drop_database, fetchval, machine
from bench.serve import serve_with_app_loader


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("what", nargs="?", default="all", choices=("queue", "create", "all"))
    parser.add_argument("--tickets", type=int, default=1_000_000, help="обращений в базе для очереди")
    parser.add_argument("--rounds", type=int, default=30, help="замеров каждого фильтра очереди")
    parser.add_argument("--http-requests", type=int, default=100, help="запросов страницы через HTTP")
    parser.add_argument("--seconds", type=float, default=8.0, help="длительность одного замера создания")
    parser.add_argument("--repeats", type=int, default=3, help="повторов каждого замера создания")
    parser.add_argument(
        "--concurrency", default="16,64", help="одновременных запросов/INSERT через запятую: свой замер на каждое"
    )
    parser.add_argument("--workers", default="1,2", help="значения TICKETING_WORKERS через запятую")
    parser.add_argument(
        "--client", default="raw", choices=("raw", "httpx"), help="генератор нагрузки: asyncio (по умолчанию) или httpx"
    )
    parser.add_argument(
        "--drop-index",
        action="append",
        default=[],
        metavar="ИМЯ",
        help="удалить индекс перед замерами (сравнить без него)",
    )
    parser.add_argument("--keep", action="store_true", help="не удалять базу bvb_bench в конце")
    parser.add_argument("--reuse", action="store_true", help="не загружать данные, если bvb_bench уже есть")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if list(argv or sys.argv[1:])[:1] == ["serve"]:
        serve_with_app_loader()  # see bench.rig.LOADER_SERVE
        return 0
    args = build_parser().parse_args(argv)
    command = " ".join(["python -m bench", *(shlex.quote(a) for a in (argv or sys.argv[1:]))])
    # Each section carries its command and machine, so that it can be pasted on its own.
    about = f"Команда: `{command}`  \nМашина: {machine()}\n"
    started = time.perf_counter()
    try:
        if args.reuse and bench_database_exists():
            load_steps: dict[str, float] = {"данные из прошлого запуска": 0.0}
        else:
            print(f"Загрузка {args.tickets} обращений в bvb_bench…", file=sys.stderr)
            load_steps = queue.prepare(args.tickets)
        for name in args.drop_index:
            asyncio.run(fetchval(bench_url(), f'DROP INDEX IF EXISTS "{name}"'))
        if args.what in ("queue", "all"):
            n = int(asyncio.run(fetchval(bench_url(), "SELECT count(*) FROM tickets")))
            print(f"## Очередь первой линии ({n:_} обращений)\n".replace("_", " "))
            print(about)
            print(queue.report(n, load_steps, args.rounds, args.http_requests), flush=True)
        if args.what in ("create", "all"):
            workers = tuple(int(w) for w in args.workers.split(","))
            print("## Регистрация обращений через API\n")
            print(about)
            concurrencies = tuple(int(c) for c in args.concurrency.split(","))
            print(create.report(args.seconds, args.repeats, concurrencies, workers, args.client), flush=True)
    finally:
        if not args.keep:
            drop_database()
    print(f"\nВремя всего прогона: {time.perf_counter() - started:.0f} с.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
