"""``--region`` of `token create` and `user add`: one reader for both commands (issue 16)."""

from __future__ import annotations

import pytest

from ticketing.domain.access import ApiRole
from ticketing.domain.regions import RegionResolver, load_regions
from ticketing.entrypoints.regions import regions_of

RESOLVER = RegionResolver(load_regions())


def test_regions_as_people_write_them_become_official_names() -> None:
    assert regions_of(RESOLVER, ApiRole.LINE2, ["Татарстан", "Республика Башкортостан"]) == (
        "Республика Татарстан",
        "Республика Башкортостан",
    )
    assert regions_of(RESOLVER, ApiRole.ADMIN, None) == ()


def test_an_unknown_region_and_line2_without_one_are_russian_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert regions_of(RESOLVER, ApiRole.LINE1, ["Атлантида"]) is None
    assert "Регион «Атлантида» не распознан" in capsys.readouterr().err
    assert regions_of(RESOLVER, ApiRole.LINE2, []) is None
    assert "Для роли line2 укажите хотя бы один регион" in capsys.readouterr().err
