"""Word and letter lists for telling Russian from other languages (§1.4, §4.7).

Data only; the logic is in ``language.py``. Short chat messages are too short for a
statistical detector («да», «спс» come back as Kazakh or Bulgarian), so the first
evidence is letters Russian does not have and frequent words of the neighbouring
languages that are not Russian words. Words that Russian-speaking users really write
(«але» = «алло», «што», «магу» as a typo of «могу», «салам», «мерси») are left out on
purpose.
"""

from __future__ import annotations

# ISO 639-1 code → English name used in reasons («script:ukrainian_letters»).
LANGUAGE_NAMES: dict[str, str] = {
    "uk": "ukrainian",
    "be": "belarusian",
    "kk": "kazakh",
    "tt": "tatar",
    "uz": "uzbek",
    "ky": "kyrgyz",
    "tg": "tajik",
    "ba": "bashkir",
    "sr": "serbian",
    "mk": "macedonian",
    "mn": "mongolian",
}

# Cyrillic letters that Russian lacks, with the languages each one points to and how
# strongly (a letter used by one language only weighs more). Each distinct letter of a
# message votes once.
FOREIGN_CYRILLIC_LETTERS: dict[str, dict[str, float]] = {
    "ї": {"uk": 3},
    "є": {"uk": 3},
    "ґ": {"uk": 3},
    "і": {"uk": 1, "be": 1, "kk": 1},
    "ў": {"be": 2, "uz": 2},
    "ұ": {"kk": 3},
    "қ": {"kk": 1, "uz": 1, "tg": 1},
    "ғ": {"kk": 1, "uz": 1, "tg": 1},
    "ә": {"kk": 1, "tt": 1, "ba": 1},
    "ө": {"kk": 1, "tt": 1, "ky": 1, "ba": 1, "mn": 0.5},
    "ү": {"kk": 1, "tt": 1, "ky": 1, "ba": 1, "mn": 0.5},
    "ң": {"kk": 1, "tt": 1, "ky": 1, "ba": 1},
    "һ": {"kk": 1, "tt": 1, "ba": 1},
    "җ": {"tt": 3},
    "ҳ": {"uz": 1, "tg": 1},
    "ҷ": {"tg": 3},
    "ӣ": {"tg": 3},
    "ӯ": {"tg": 3},
    "ҙ": {"ba": 3},
    "ҫ": {"ba": 3},
    "ҡ": {"ba": 3},
    "ђ": {"sr": 3},
    "ћ": {"sr": 3},
    "џ": {"sr": 2, "mk": 1},
    "ј": {"sr": 1, "mk": 1},
    "љ": {"sr": 1, "mk": 1},
    "њ": {"sr": 1, "mk": 1},
    "ѓ": {"mk": 3},
    "ќ": {"mk": 3},
    "ѕ": {"mk": 3},
}

# Frequent words of the neighbouring languages as people type them with a Russian
# keyboard (no special letters). Only words that are not (common) Russian words.
FOREIGN_CYRILLIC_WORDS: dict[str, frozenset[str]] = {
    "uk": frozenset(
        "що щоб як це цей ця цього чому дуже дякую дякуємо ласка немає який яка яке якщо якого його вона "
        "воно вони тепер вчора питання отримати отримав отримала можна щось зробити знайти вибачте "
        "дитина дитині буде було був була мого моєму потрібно потрібна навчання учень батьки записатися "
        "записатись справи ранку вечора можу наступна наступний також вже тобто скажить будь-ласка "
        "допоможить пидкажить виришити мени".split()
    ),
    "be": frozenset(
        "дзякуй дзякую дзень дзе тэст тэсту дапамога дапамажыце патрэбна атрымаць гэта гэты трэба таксама "
        "вельмі сёння заўтра учора прабачце вучань зарэгістравацца".split()
    ),
    "kk": frozenset(
        "салеметсиз салеметсизбе калай жаксы жок иа керек сиз биз тиркелу комек комектесиниз алмай жатырмын "
        "болады кайда мектеп мектепте окимын отуге аламын рахмет".split()
    ),
    "tt": frozenset(
        "исэнмесез сэлэм рэхмэт эйе нишлэп ничек син сез белэн кера алмыйм ачылмый тестны "
        "кабинетка тапмыйм зур ярдэм бирегез хэерле".split()
    ),
    "uz": frozenset(
        "ассалому алайкум илтимос яхши йук нима ёрдам беринг керак руйхатдан ута олмаяпман каердан олсам "
        "булади менга".split()
    ),
    "ky": frozenset(
        "саламатсызбы кандайсыз жакшы эмне кантип каттала албай жатам жардам бериниз бериңизчи барбы кайдан "
        "алсам болот тестти".split()
    ),
    "tg": frozenset("ташаккур ман шумо хуб кумак метавонед наметавонам дароям фахмидам фаромуш кардам рамз".split()),
    "bg": frozenset(
        "здравейте здрасти мога искам какво къде защо моля вляза профила паролата имам нямам кога "
        "резултатите получих".split()
    ),
}

# Foreign words that are also ordinary (if rare) Russian spellings or abbreviations
# («мин» = minutes): they count half, for the language given.
WEAK_FOREIGN_WORDS: dict[str, str] = {
    "де": "uk",
    "ще": "uk",
    "коли": "uk",
    "мене": "uk",
    "чи": "uk",
    "нема": "uk",
    "зараз": "uk",
    "мен": "kk",
    "мин": "tt",
    "кандай": "ky",
}

# Latin-script words that do not make a message foreign: technical vocabulary, brands,
# interface words that Russian users copy from the screen.
TECH_WORDS: frozenset[str] = frozenset(
    """
    login logout log in sign signin signup password pass email e-mail mail gmail yandex google vk vkontakte
    ok okay error server internal forbidden not found timeout gateway bad request submit next back cancel
    save send upload download button link url http https www site web online offline wifi wi-fi internet
    browser chrome firefox safari opera edge yandex windows android ios iphone ipad mac macos linux app
    zoom skype telegram whatsapp viber discord youtube pdf doc docx jpg jpeg png zip sms id pin code captcha
    bilet worldskills profile account test quiz admin support bot chat cookie cookies cache update
    version beta pro max plus mini samsung xiaomi huawei honor apple microsoft word excel powerpoint office
    teams moodle dnevnik sferum gosuslugi esia mos ru com org net html css js php api json
    """.split()
)

# Latin words that carry no language: greetings, thanks and interjections Russian-speaking
# users type in Latin letters. A message made only of these (and tech words) is not foreign.
NEUTRAL_LATIN_WORDS: frozenset[str] = frozenset(
    """
    ok okay hello hi hey thanks thank thx ty please plz pls sorry sori lol wow yes no yep nope help sos bye
    omg wtf xd ahah haha hah merci mersi privet salam salut hay hai
    """.split()
)

# Common English words whose Latin spelling also reads as a Russian word («on» → «он»,
# «net» → «нет», «my» → «мы»): they never count as transliterated Russian.
ENGLISH_COMMON: frozenset[str] = frozenset(
    """
    i a an the to on in no not net my me do so he we be am is are was were it its of for and or but can
    cant can't cannot you your have has had what when where how why who this that with from at by as if
    all any get got go see use set let put run now new old one two up out off our us them they their
    there here very just also only some more most much many well good bad day time way did does done
    don't doesn't didn't isn't won't i'm i've it's my mine his her she him us will would should could
    please help thanks thank hello dear sir madam son daughter child school teacher register registration
    log sign open page find where certificate results result receive received forgot forget change
    """.split()
)

# Uzbek in Latin letters (after the 1995 reform): frequent words; «o'», «g'» also point to it.
UZBEK_LATIN_WORDS: frozenset[str] = frozenset(
    """
    salom assalomu alaykum rahmat iltimos qanday yaxshi nima men siz biz yordam bering kerak bilan uchun emas
    yo'q ha tushundim qilib qilish bo'ladi bo'lmaydi olsam qayerdan ro'yxatdan o'ta o'tish olmayapman
    sertifikatni topshirsam kirish parol
    """.split()
)

# Russian words of one or two letters that, written in Latin, still show the text is
# transliterated Russian (longer words are checked against the Russian dictionary).
SHORT_TRANSLIT_WORDS: frozenset[str] = frozenset("ne na v vo ya po ot za kak gde chto eto ili uzhe da ty vy".split())

# The languages lingua chooses between; every other language costs memory and load time.
LINGUA_LANGUAGES: tuple[str, ...] = (
    "RUSSIAN",
    "UKRAINIAN",
    "BELARUSIAN",
    "KAZAKH",
    "BULGARIAN",
    "ENGLISH",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "TURKISH",
    "AZERBAIJANI",
    "POLISH",
    "PORTUGUESE",
)
