"""The screening engine against the procedure's rules (§4.7–4.9): traps, disguises, gate."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.screen import load_rows, predicted_label, scores
from procedure.screening import ScreeningEngine, Verdict
from procedure.screening.normalize import (
    chunks,
    collapse_repeats,
    join_spaced_letters,
    lookalike_to_cyrillic,
    transliterations,
)

EVAL_CSV = Path(__file__).resolve().parents[1] / "data" / "screening" / "eval.csv"
HARD_CSV = EVAL_CSV.with_name("threats_hard.csv")


@pytest.fixture(scope="session")
def engine() -> Iterator[ScreeningEngine]:
    """Built once: lingua and the dictionary take a while to load."""
    yield ScreeningEngine()


def label(engine: ScreeningEngine, text: str) -> str:
    return predicted_label(engine.screen(text))


# --- what Russian-speaking users really send is never flagged (§1.4, §4.7) ----------------

CLEAN_EVERYDAY = [
    "да",
    "ок",
    "спс",
    "норм",
    "ага",
    "123456",
    "8 класс",
    "10",
    "+7 (912) 345-67-89",
    "ivanova.m@mail.ru",
    "petrov2008",
    "мой логин petrov2008",
    "https://bilet.worldskills.ru/profile/12345",
    "не работает login, error 500",
    "не могу войти в аккаунт через google",
    "в Chrome не открывается, в Яндекс браузере тоже",
    "НЕ МОГУ ВОЙТИ В ЛИЧНЫЙ КАБИНЕТ!!!",
    "здраствуйте у миня не грузица тест памагите найти",
    "спасибо большое 😊",
    "🙂👍",
    "Ivan Petrov",
    "Иванов Иван Иванович, 10А",
    "ok",
]


@pytest.mark.parametrize("text", CLEAN_EVERYDAY)
def test_everyday_russian_is_ok(engine: ScreeningEngine, text: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "ok", verdict
    assert verdict.language == "ru"


@pytest.mark.parametrize(
    "text",
    [
        "privet, ne mogu voyti v lichnyj kabinet",
        "zdravstvujte, kak uznat rezultaty testa?",
        "Skažite, gde sertifikat?",
        "kak zaregistrirovatsya",
    ],
)
def test_transliterated_russian_is_russian(engine: ScreeningEngine, text: str) -> None:
    verdict = engine.screen(text)
    assert (verdict.verdict, verdict.language) == ("ok", "ru")
    assert "translit:ru" in verdict.reasons


# --- foreign languages (§4.7) --------------------------------------------------------------

FOREIGN = [
    ("Привіт, не можу зайти в особистий кабінет", "uk"),
    ("Як зареєструватися на платформі?", "uk"),
    ("Що робити якщо забув пароль?", "uk"),
    ("Як справи? Коли буде наступна проба?", "uk"),
    ("Добры дзень, не магу ўвайсці ў асабісты кабінет", "be"),
    ("Сәлеметсіз бе, тіркеле алмай жатырмын", "kk"),
    ("Маған көмектесіңізші, тест ашылмай тұр", "kk"),
    ("Исәнмесез, мин кабинетка керә алмыйм", "tt"),
    ("Ассалому алайкум, рўйхатдан ўта олмаяпман", "uz"),
    ("Assalomu alaykum, ro'yxatdan o'ta olmayapman", "uz"),
    ("Саламатсызбы, мен каттала албай жатам", "ky"),
    ("Шумо ба ман кӯмак карда метавонед?", "tg"),
    ("Здравейте, не мога да вляза в профила си", "bg"),
    ("Hello, I can't log in to my account", "en"),
    ("I forgot my password, what should I do?", "en"),
    ("Hallo, ich kann mich nicht anmelden", "de"),
    ("Bonjour, je n'arrive pas à me connecter à mon compte", "fr"),
    ("Hola, no puedo registrarme en la plataforma", "es"),
    ("Buongiorno, non riesco ad accedere al mio account", "it"),
    ("Merhaba, hesabıma giriş yapamıyorum", "tr"),
    ("Salam, mən qeydiyyatdan keçə bilmirəm", "az"),
    ("Բարև, չեմ կարողանում մուտք գործել", "hy"),
    ("გამარჯობა, ვერ ვრეგისტრირდები", "ka"),
    ("你好，我无法登录我的账户", "zh"),
    ("مرحبا، لا أستطيع تسجيل الدخول", "ar"),
]


@pytest.mark.parametrize(("text", "language"), FOREIGN)
def test_foreign_language(engine: ScreeningEngine, text: str, language: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "foreign_language", verdict
    assert verdict.language == language


def test_ukrainian_letters_are_named_in_reasons(engine: ScreeningEngine) -> None:
    assert "script:ukrainian_letters" in engine.screen("Дякую за відповідь").reasons


def test_english_through_lingua_is_named_in_reasons(engine: ScreeningEngine) -> None:
    assert "lingua:en" in engine.screen("Good afternoon, my daughter did not receive the confirmation email").reasons


@pytest.mark.parametrize(
    "text",
    [
        "Do you speak Russian? шучу) где найти тест?",
        "Я из Татарстана, тест на русском языке или можно на татарском?",
        "у меня ошибка Internal Server Error при загрузке фото",
        "кнопка submit серая",
        "superstar",
        "Merci",
        "привет",
        "салам, не могу войти",
        'Ошибка: "Invalid credentials"',
        "Пишет: Something went wrong. Please try again later.",
        "Error 404 Not Found",
    ],
)
def test_mixed_or_lone_latin_words_stay_russian(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


# --- obscene words (§4.8): every disguise --------------------------------------------------

DISGUISED_OBSCENITY = [
    ("х*й знает что у вас творится", "хуй"),
    ("ху*ня а не тест", "хуй"),
    ("п*здец, опять всё слетело", "пизд"),
    ("п***ц", "пизд"),
    ("бл*ть", "бля"),
    ("бл@ть, сайт лежит", "бля"),
    ("е*ать, опять пароль не подходит", "еб"),
    ("с*ка", "сука"),
    ("6ля, сколько можно", "бля"),
    ("бл9", "бля"),
    ("пи3дец", "пизд"),
    ("xуй вам а не отзыв", "хуй"),  # Latin x
    ("bлять когда починят", "бля"),  # Latin b
    ("xyй", "хуй"),  # Latin x and y
    ("бляяяять, опять", "бля"),
    ("сукааа", "сука"),
    ("б л я ть, не грузится", "бля"),
    ("х у й вам", "хуй"),
    ("п.и.з.д.е.ц просто", "пизд"),
    ("Пи.з.дец полный", "пизд"),
    ("б.л.я.т.ь", "бля"),
    ("blyat ne rabotaet", "бля"),
    ("pizdec a ne sait", "пизд"),
    ("nahui vash sait", "хуй"),
    ("ЁБАНЫЙ ТЕСТ", "еб"),
    ("долбоёбы, где сертификат", "еб"),
    ("заебали со своим тестом", "еб"),
    ("отъебитесь", "еб"),
    ("охуели совсем", "хуй"),
    ("нихуя не понятно", "хуй"),
    ("мудаки, ответьте", "муд"),
    ("выблядок", "бля"),
    ("Что за херня с кабинетом?", "хер"),
    ("пздц", "пизд"),
    ("п1здец", "пизд"),
    ("Херовый сайт", "хер"),
    ("ёб вашу мать", "еб"),
]


@pytest.mark.parametrize(("text", "root"), DISGUISED_OBSCENITY)
def test_obscene_words_in_disguise(engine: ScreeningEngine, text: str, root: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "abusive", verdict
    assert f"obscene_root:{root}" in verdict.reasons


def test_english_obscenity(engine: ScreeningEngine) -> None:
    assert "obscene_root:fuck" in engine.screen("fuck, не грузится").reasons


# Words that contain the same letters as an obscene root.
OBSCENE_LOOKALIKE_WORDS = """
скипидар хлебать сабля корабля застрахуйте употреблять оскорблять рубля влюблять психология тебя небо ребята
колебания мандарин подстрахуй икебана команда мандат учебник требовать себе хлеб погреб гребля оглобля
дирижабля ансамбля хулиган страховка страхую мудрый мудрость сукно тупик психует плохую сухую тихую бляшки
Херсон ебонит Эбола гидроочистка Вахтанговна курвиметр оскорбительное употребляю колеблется гребень
погребальный скипидарный сабельный хлебушек подстраховать Ебург ebook ebay сучок
""".split()


@pytest.mark.parametrize("word", OBSCENE_LOOKALIKE_WORDS)
def test_ordinary_words_with_obscene_letters(engine: ScreeningEngine, word: str) -> None:
    assert engine.screen(word).verdict == "ok"


@pytest.mark.parametrize(
    "text",
    [
        "В кабинете технологии пахнет скипидаром, можно перенести пробу?",
        "Сын хочет стать капитаном корабля, есть морские профессии?",
        "у меня нет ни рубля на счету, смс не приходит",
        "Дочь занималась фехтованием на саблях",
        "Можно взять с собой мандарин на мероприятие?",
        "подстрахуйте пожалуйста, завтра последний день записи",
        "Ребята из моего класса не видят тест",
    ],
)
def test_trap_words_in_sentences(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


@pytest.mark.parametrize(
    "text",
    [
        "Козлов Дмитрий, 9Б, не приходит код",
        "Мудрова Анна Сергеевна, педагог-навигатор",
        "Ученица Дуракова Полина не может пройти тест",
        "Дураков",
        "Сучков Илья",
        "Бляхин Олег",
        "Хуснутдинов Рамиль",
        "Идиатуллина Г.Р.",
        "Пидоренко Иван",
    ],
)
def test_surnames(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


@pytest.mark.parametrize("text", ["блин, опять не грузится", "капец", "ёлки-палки", "пофиг", "фигня какая-то"])
def test_euphemisms_are_not_obscene(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


# --- insults aimed at people (§4.8) and reports of insults -----------------------------------

INSULTS = [
    "вы идиоты",
    "тупые дебилы, сделайте нормальный сайт",
    "оператор — урод",
    "админы уроды, верните баллы",
    "вы там все кретины что ли",
    "Оператор, ты дебил?",
    "ты тупая овца а не оператор",
    "ну вы и твари",
    "вы чмо, а не поддержка",
    "ну вы и клоуны",
    "оператор тупой",
    "Разрабы дауны",
    "Ты бот тупорылый",
]


@pytest.mark.parametrize("text", INSULTS)
def test_insults(engine: ScreeningEngine, text: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "abusive", verdict
    assert "insult" in verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "жалоба на оскорбительное поведение",
        "Как оформить жалобу на оскорбительное поведение наставника?",
        "меня оскорбили в чате",
        "учитель назвал меня дураком",
        "одноклассники обзывают меня дебилом, кому сообщить?",
        "Наставник обозвал сына идиотом, куда обращаться?",
        "одноклассники называют меня тупой",
    ],
)
def test_reports_of_insults_are_not_abusive(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


def test_reported_insult_leaves_a_note(engine: ScreeningEngine) -> None:
    assert "insult_reported" in engine.screen("учитель назвал меня дураком").reasons


@pytest.mark.parametrize(
    "text",
    [
        "я идиот, забыл пароль",
        "Я тупой наверное, но где кнопка?",
        "Вы меня за дурака держите? Третий раз пишу",
        "чувствую себя идиотом",
        "тупой вопрос, но где сертификат?",
        "Какой тупой вопрос, но всё же: где кнопка?",
        "сайт тупит ужасно",
        "сайт тупой какой-то, не сохраняет ответы",
        "у ребёнка синдром Дауна, можно пройти тест с помощником?",
    ],
)
def test_self_directed_or_non_personal_words_are_not_insults(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


# --- threats (§4.8) -------------------------------------------------------------------------

THREATS = [
    ("я вас убью", "threat:kill"),
    ("взорву школу", "threat:explosion"),
    ("подожгу ваш офис", "threat:arson"),
    ("приду с ружьём", "threat:weapon"),
    ("приду в школу с автоматом", "threat:weapon"),
    ("заминировано", "threat:explosion"),
    ("школа заминирована", "threat:explosion"),
    ("вам не жить", "threat:kill"),
    ("оператору не жить", "threat:kill"),
    ("ты труп", "threat:kill"),
    ("я тебя зарежу", "threat:stab"),
    ("перестреляю всех", "threat:shoot"),
    ("сломаю вам ноги", "threat:harm"),
    ("заложил бомбу в школе", "threat:explosion"),
    ("Устрою колумбайн в своей школе", "threat:attack"),
    ("я знаю где вы живете", "threat:stalk"),
    ("хочу взорвать вашу школу", "threat:explosion"),
    ("я вас порежу", "threat:stab"),
    ("я приду к вам в офис и всех перебью", "threat:kill"),
    ("принесу в школу пистолет", "threat:weapon"),
    ("школу сожгу", "threat:arson"),
]


@pytest.mark.parametrize(("text", "reason"), THREATS)
def test_threats(engine: ScreeningEngine, text: str, reason: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "threat", verdict
    assert reason in verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "этот тест меня убивает",
        "убил три часа на регистрацию",
        "взрыв мозга а не задания",
        "я в огне",
        "у меня мозг взорвался от заданий",
        "у меня бомбит от этой регистрации",
        "проба была просто бомба!",
        "Проба прошла огонь 🔥",
        "мой сертификат сгорел?",
        "убить время пока грузится",
        "мне не жить без этой пробы",
        "Можно ли взять с собой нож на пробу по поварскому делу?",
        "Можно я принесу свой нож на кулинарную пробу?",
        "Профессия взрывотехник есть в списке проб?",
        "Сын мечтает тушить огонь, есть проба пожарного?",
        "Подорву здоровье с вашим тестом",
        "завалю вас жалобами",
        "Я вас уничтожу в отзывах",
        "Сожгу все черновики",
        "Будет ли стрельба из лука на пробе?",
    ],
)
def test_idioms_are_not_threats(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


# Threats that name no violence: the idioms of intimidation (§4.8). Written apart from the hard
# set in tests/data/screening/threats_hard.csv, as a check that the patterns are not that set's.
@pytest.mark.parametrize(
    "text",
    [
        "я тебя найду и урою",
        "тебе хана",
        "вам крышка",
        "ноги вам повыдергаю",
        "порву тебя",
        "вы у меня пожалеете",
        "пожалеешь что родился",
        "встречу тебя в подворотне",
        "мы знаем где учится ваш сын",
        "готовьте гробы",
    ],
)
def test_intimidation_without_a_verb_of_violence(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "threat"


@pytest.mark.parametrize(
    "text",
    [
        "не пожалеете, если запишетесь на профпробу",
        "мне конец, завтра контрольная",
        "я вас найду и позвоню",
        "доберусь до вас к обеду, пробки",
        "я до вас доберусь на автобусе",
        "у меня ребенок поплачет если не попадет",
        "я пожалел что родился в этом городе",
        "заданий столько, что мало не покажется",
        "моему ноутбуку не поздоровится",
        "нам устроили веселую жизнь с этой регистрацией",
        "голову сломать можно над этим тестом",
        "встречу вас у входа на площадку",
        "молитесь чтобы сайт заработал",
        "руки опускаются, ничего не работает",
        "найду время и пройду тест",
    ],
)
def test_the_words_of_intimidation_in_harmless_sentences(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


def test_quality_gate_on_the_hard_threats(engine: ScreeningEngine) -> None:
    """≥ 95 % on the harder independent set, and no false flag on its clean look-alikes."""
    rows = load_rows(HARD_CSV)
    assert len(rows) >= 32 and {row["split"] for row in rows} == {"hard"}
    result = scores([(row["label"], label(engine, row["text"])) for row in rows])
    assert result["accuracy"] >= 0.95, result
    assert result["false_flags"] == 0, result


@pytest.mark.parametrize(
    "text",
    [
        "мне угрожают в школе, что делать?",
        "одноклассник пишет мне «я тебя убью», что делать?",
        "говорят, школа заминирована, занятия будут?",
    ],
)
def test_reported_threats_need_an_answer(engine: ScreeningEngine, text: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "ok", verdict


def test_reported_threat_leaves_a_note(engine: ScreeningEngine) -> None:
    assert "threat_reported" in engine.screen("одноклассник пишет мне «я тебя убью», что делать?").reasons


@pytest.mark.parametrize("text", ["убейте меня, это невозможно", "хоть вешайся, опять всё заново"])
def test_self_directed_despair_is_not_a_threat(engine: ScreeningEngine, text: str) -> None:
    assert engine.screen(text).verdict == "ok"


@pytest.mark.parametrize("text", ["я убью себя", "не хочу жить, ничего не получается"])
def test_self_harm_is_not_a_threat_but_is_noted(engine: ScreeningEngine, text: str) -> None:
    verdict = engine.screen(text)
    assert verdict.verdict == "ok"
    assert "self_harm" in verdict.reasons


# --- no concrete question (§4.9) -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "здравствуйте",
        "здравствуйте!!!",
        "помогите",
        "?",
        "???",
        "алло",
        "Добрый день!",
        "Привет",
        "ау",
        "есть кто?",
        "Здравствуйте, у меня вопрос",
        "можно задать вопрос?",
        "hello",
        "Хотела бы спросить",
        "",
    ],
)
def test_no_question(engine: ScreeningEngine, text: str) -> None:
    verdict = engine.screen(text)
    assert verdict.no_question, verdict
    assert verdict.verdict == "ok"


@pytest.mark.parametrize(
    "text", ["да", "ок", "спасибо", "8 класс", "👍", "Здравствуйте, как пройти тест?", "помогите восстановить пароль"]
)
def test_answers_and_questions_are_not_empty(engine: ScreeningEngine, text: str) -> None:
    assert not engine.screen(text).no_question


# --- precedence, shape, threads ----------------------------------------------------------------


def test_threat_wins_over_abuse(engine: ScreeningEngine) -> None:
    verdict = engine.screen("суки, я вас всех убью")
    assert verdict.verdict == "threat"
    assert verdict.reasons[0].startswith("threat:")
    assert "obscene_root:сука" in verdict.reasons


def test_abuse_wins_over_foreign_language(engine: ScreeningEngine) -> None:
    assert engine.screen("fuck, I can't log in to my account").verdict == "abusive"


def test_foreign_greeting_is_also_empty(engine: ScreeningEngine) -> None:
    verdict = engine.screen("Hi")
    assert verdict.no_question


def test_to_dict(engine: ScreeningEngine) -> None:
    assert engine.screen("Дякую за відповідь").to_dict() == {
        "verdict": "foreign_language",
        "language": "uk",
        "reasons": ["script:ukrainian_letters"],
        "no_question": False,
    }


def test_verdict_is_frozen(engine: ScreeningEngine) -> None:
    verdict = engine.screen("да")
    assert isinstance(verdict, Verdict)
    with pytest.raises(AttributeError):
        verdict.verdict = "threat"  # type: ignore[misc]


def test_long_letter_is_screened(engine: ScreeningEngine) -> None:
    letter = "Здравствуйте, не приходит код подтверждения на почту. " * 500
    assert engine.screen(letter).verdict == "ok"


def test_same_answers_from_many_threads(engine: ScreeningEngine) -> None:
    texts = [text for text, _ in DISGUISED_OBSCENITY + FOREIGN] + CLEAN_EVERYDAY
    expected = [engine.screen(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(engine.screen, texts * 3)) == expected * 3


def test_rules_alone_without_lingua() -> None:
    engine = ScreeningEngine(use_lingua=False)
    assert engine.screen("Привіт, не можу зайти").verdict == "foreign_language"
    assert engine.screen("х*й").verdict == "abusive"
    assert engine.screen("не работает login, error 500").verdict == "ok"


# --- normalisation helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("бляяяять", "блять"), ("ссука", "сука"), ("тест", "тест")])
def test_collapse_repeats(raw: str, expected: str) -> None:
    assert collapse_repeats(raw) == expected


def test_join_spaced_letters() -> None:
    assert "блять" in join_spaced_letters(["б", "л", "я", "ть"])
    assert join_spaced_letters(["я", "не", "понял"]) == []


def test_chunks_drop_inner_punctuation_and_addresses() -> None:
    assert chunks("п.и.з.д.е.ц *важно* x@y.ru") == ["пиздец", "важно"]


def test_lookalike_and_transliteration() -> None:
    assert lookalike_to_cyrillic("xуй") == "хуй"
    assert "войти" in transliterations("voyti")
    assert transliterations("privet")[0] == "привет"


# --- the evaluation set and the quality gate ------------------------------------------------------


@pytest.fixture(scope="session")
def eval_rows() -> list[dict[str, str]]:
    return load_rows(EVAL_CSV)


def test_evaluation_set_shape(eval_rows: list[dict[str, str]]) -> None:
    assert len(eval_rows) >= 300
    assert len({row["id"] for row in eval_rows}) == len(eval_rows)
    assert {row["label"] for row in eval_rows} == {"ok", "foreign_language", "abusive", "threat", "no_question"}
    assert {row["split"] for row in eval_rows} == {"tune", "holdout"}
    assert sum(row["split"] == "holdout" for row in eval_rows) >= len(eval_rows) / 3
    assert sum(row["label"] == "ok" for row in eval_rows) >= len(eval_rows) / 3


@pytest.mark.parametrize("split", ["holdout", "tune"])
def test_quality_gate(engine: ScreeningEngine, eval_rows: list[dict[str, str]], split: str) -> None:
    pairs = [(row["label"], label(engine, row["text"])) for row in eval_rows if row["split"] == split]
    result = scores(pairs)
    assert result["accuracy"] >= 0.95, result
    assert result["false_flag_rate"] <= 0.01, result
