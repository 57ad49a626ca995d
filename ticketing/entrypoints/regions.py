"""The regions named on a command line (``--region``), as the token and the staff commands both read them."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from ticketing.domain.access import ApiRole
from ticketing.domain.regions import RegionResolver


def regions_of(resolver: RegionResolver, role: ApiRole, texts: Iterable[str] | None) -> tuple[str, ...] | None:
    """The official names of ``texts``; ``None`` once a Russian error is on stderr (the command exits 2).

    A region may be written as people write it («Татарстан», «16 регион»); line 2 needs at least one.
    """
    names: list[str] = []
    for text in texts or ():
        region = resolver.by_name(text) or resolver.resolve(text).region
        if region is None:
            print(f"Регион «{text}» не распознан; укажите официальное название субъекта РФ.", file=sys.stderr)
            return None
        names.append(region.name)
    if role is ApiRole.LINE2 and not names:
        print("Для роли line2 укажите хотя бы один регион: --region «Республика Татарстан».", file=sys.stderr)
        return None
    return tuple(names)
