from ticketing.domain.access import AccessScope, ApiRole


def test_line2_is_confined_to_its_regions() -> None:
    scope = AccessScope(ApiRole.LINE2, ("Республика Татарстан",))
    assert scope.can_see_region("Республика Татарстан")
    assert not scope.can_see_region("Пермский край")
    assert not scope.can_see_region(None)  # a ticket with no region yet belongs to line 1
    assert not scope.can_create_tickets


def test_line2_without_regions_sees_nothing() -> None:
    assert AccessScope(ApiRole.LINE2).region_filter == ()


def test_other_roles_are_not_confined() -> None:
    for role in (ApiRole.LINE1, ApiRole.LINE3, ApiRole.ADMIN, ApiRole.SERVICE):
        assert AccessScope(role).region_filter is None
        assert AccessScope(role).can_see_region(None)
