from ticketing.domain.repeats import Earlier, likely_repeats, similarity


def test_a_retelling_of_the_same_problem_is_similar() -> None:
    first = "Не загружается тест по профориентации, белый экран"
    again = "здравствуйте, опять не загружается тест, белый экран!!!"
    assert similarity(first, again) >= 0.5


def test_a_different_question_is_not() -> None:
    assert similarity("Не загружается тест, белый экран", "Как записаться на профпробу по кулинарии?") < 0.2


def test_greetings_alone_match_nothing() -> None:
    assert similarity("Здравствуйте, помогите пожалуйста", "Здравствуйте, помогите пожалуйста") == 0.0


def test_best_first_and_only_above_threshold() -> None:
    earlier = [
        Earlier("БВБ-000001", "Как записаться на профпробу"),
        Earlier("БВБ-000002", "не приходит письмо подтверждения почты"),
        Earlier("БВБ-000003", "письмо подтверждения почты не приходит уже два дня, проверял спам"),
    ]
    found = likely_repeats("Не приходит письмо для подтверждения почты", earlier)
    assert found[0] == "БВБ-000002"
    assert "БВБ-000001" not in found
