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


def test_lines_2_and_3_see_only_what_was_handed_to_them() -> None:
    """§4.5, §4.6: handed once, visible for good — the line sees what it handled."""
    line2 = AccessScope(ApiRole.LINE2, ("Республика Татарстан",))
    line3 = AccessScope(ApiRole.LINE3)
    assert not line2.can_see(region="Республика Татарстан", handed_to=())
    assert line2.can_see(region="Республика Татарстан", handed_to={2})
    assert not line2.can_see(region="Республика Татарстан", handed_to={3})
    assert not line2.can_see(region="Пермский край", handed_to={2})
    assert not line3.can_see(region=None, handed_to=())
    assert line3.can_see(region="Пермский край", handed_to={2, 3})
    assert line2.confined and line3.confined
    for role in (ApiRole.LINE1, ApiRole.ADMIN, ApiRole.SERVICE):
        assert AccessScope(role).can_see(region=None, handed_to=()) and not AccessScope(role).confined


def test_a_ticket_remembers_the_lines_it_was_handed_to() -> None:
    from datetime import UTC, datetime

    from ticketing.domain import lifecycle as lc
    from ticketing.domain.calendar import WorkCalendar
    from ticketing.domain.tickets import Channel, Kind, NewTicket, QuestionType, RequesterRole, Ticket

    now = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    new = NewTicket(
        channel=Channel.CHAT, kind=Kind.INFO_REQUEST, question_type=QuestionType.TECHNICAL,
        region="Пермский край", role=RequesterRole.PARTICIPANT, login="p", email="p@example.ru",
        subject="Тест", description="Не загружается тест",
    )  # fmt: skip
    ticket = Ticket.register(new, now=now, due_at=now, actor="bot")
    assert ticket.handed_to == set()
    olga = lc.Actor("olga", ApiRole.LINE1)
    lc.transfer(ticket, olga, now, to_line=3, comment="Белый экран", calendar=WorkCalendar())
    lc.return_to_line1(ticket, lc.Actor("dev", ApiRole.LINE3), now, comment="Исправлено")
    assert ticket.line == 1 and ticket.handed_to == {3}
    mentor = NewTicket(**{**new.__dict__, "role": RequesterRole.MENTOR, "question_type": QuestionType.INFORMATIONAL})
    assert Ticket.register(mentor, now=now, due_at=now, actor="bot").handed_to == {2}  # §5.8
