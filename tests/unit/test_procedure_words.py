"""procedure/ names the statuses, roles and question types that ticketing's enums carry (issue 16)."""

from procedure import requesters, statuses
from ticketing.domain.tickets import STATUS_LABELS_RU, Kind, QuestionType, RequesterRole, Status


def test_ticketing_knows_the_same_codes_as_the_bot() -> None:
    assert [s.value for s in Status] == list(statuses.ALL)
    assert [r.value for r in RequesterRole] == list(requesters.ROLES)
    assert [q.value for q in QuestionType] == list(requesters.QUESTION_TYPES)
    assert {k.value for k in Kind} == set(requesters.REQUEST_KINDS)


def test_every_code_has_both_wordings() -> None:
    assert set(statuses.LABELS) == set(statuses.ALL)
    assert set(requesters.ROLE_LABELS) == set(requesters.ROLES)
    assert STATUS_LABELS_RU[Status.ANSWERED] == "дан ответ"
    assert statuses.LABELS["answered"].requester == "специалист ответил"


def test_the_mentor_is_named_as_the_procedure_names_it() -> None:
    # §5.8 of the procedure: «вопросы от площадок, наставников»; the bot and the console say the same.
    assert requesters.ROLE_LABELS["mentor"].requester == requesters.ROLE_LABELS["mentor"].staff == "наставник"


def test_open_and_finished_split_the_statuses() -> None:
    assert set(statuses.OPEN) | set(statuses.FINISHED) == set(statuses.ALL)
    assert not set(statuses.OPEN) & set(statuses.FINISHED)
    assert set(statuses.ANSWERED) <= set(statuses.FINISHED)
    assert statuses.is_open("waiting_line3") and not statuses.is_open("answered")
