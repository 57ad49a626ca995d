"""Word lists for the abusive-language check (§4.8 of the procedure).

This module is data, not logic. §4.8 leaves unanswered the requests that contain
obscene (нецензурные) or insulting (оскорбительные) expressions; recognising them
needs the vocabulary itself, so the roots of Russian obscene words (мат) and the
common insults are spelled out below. Nothing here is shown to anyone: it is only
matched against normalised user text by ``obscenity.py``.

All patterns work on *normalised* tokens: lower case, «ё» → «е», Latin look-alikes
and digits mapped to Cyrillic, and every run of a repeated letter collapsed to one
letter («бляяять» → «блять», «ебанный» → «ебаный»). Write new entries in that form.
"""

from __future__ import annotations

# --- мат: roots as regular expressions -------------------------------------------------
# Key: short machine-readable root name (goes into reasons as ``obscene_root:<key>``).
# Value: regex searched in a normalised token. Anchors (^, $) are used where the root
# would otherwise hit ordinary words (корабля, сабля, небо, ребята, мандарин...).
_EB_PREFIXES = "за|вы|на|у|от|отъ|по|про|раз|разъ|съ|въ|взъ|подъ|объ|изъ|до|пере|при|недо|не|о|обо|долбо|долба|мозго|"
_EB_ENDINGS = "а|у|ы|и|ал|ан|ен|л|ну|н|ись|ыв|ош|ет|ут|ищ|ок|он|к|ук|уч|ыр|ля|ц"

OBSCENE_ROOTS: dict[str, str] = {
    "хуй": r"^(?:на|по|ни|не|о|а|за|от|рас|раз|до|вы|при|под|пере|)ху[йяеию]",
    "пизд": r"п[ие]зд|^пздц|^пзд[ео]",
    "бля": r"^бля(?![хшмн])|бляд|^блеат|^блэт",
    "еб": rf"^(?:{_EB_PREFIXES})еб(?:{_EB_ENDINGS}|$)",
    "муд": r"^муд(?:ак|ач|ил|озвон|ень|ня|ищ)",
    "пидор": r"^п[ие]д[ао]р|^пидр|^педик(?:и|а|у|ом|ов|ам)?$|^педрил",
    "залуп": r"залуп",
    "манд": r"^манд(?:а|ы|е|у|ой)$|^мандав",
    "шлюх": r"шлюх|шлюш",
    "шалав": r"шалав",
    "сука": r"^сук(?:а|и|у|е|ой|ою|ам|ами|ах)$|^сучк(?:а|е|ой|у)$|^сучар|^сукин",
    "гондон": r"г[ао]нд[ао]н",
    "дроч": r"^(?:за|по|на|от|вз|с|)дроч",
    "хер": r"^(?:на|по|ни|)хер(?:ня|ни|не|ню|ней|ов\w*|ом|а|у|ил\w*)?$",
    "жопа": r"^жоп",
    "говно": r"^(?:на|за|по|)говн",
    "дерьмо": r"дерьм",
    "срать": r"^(?:за|обо|о|по|на|вы|)сра(?:н(?:ый|ая|ое|ые|ого|ой|ую|ым|ых|ец|цы|ца)|ть|л)",
    "курва": r"^курв(?:а|ы|е|у|ой|ам|ами|ах)?$",
}

# English obscenities that Russian-speaking teenagers mix in; matched on Latin tokens as
# they are (not transliterated).
OBSCENE_LATIN: dict[str, str] = {
    "fuck": r"f+u+c*k|^fck|^fuk",
    "bitch": r"^bitch",
    "asshole": r"^asshole",
    "cunt": r"^cunt",
}

# Tokens that match a root above but are ordinary words or names.
OBSCENE_EXCEPTIONS: tuple[str, ...] = (
    "страху",  # застрахуйте, подстрахуй, страхую
    "ебонит",
    "ебург",  # Екатеринбург in slang
    "хуан",
    "тихуан",
    "пидоренк",  # a surname
)

# Latin words that read as an obscene root once transliterated («ebay» → «ебай»).
OBSCENE_LATIN_EXCEPTIONS: frozenset[str] = frozenset(
    {"ebay", "ebook", "ebooks", "ebony", "ebola", "hue", "huevo", "huevos"}
)

# Canonical obscene word forms; a token written with masks («х*й», «п***ц», «бл@ть»)
# is matched against them with every mask standing for one to three letters.
MASKED_FORMS: tuple[str, ...] = (
    "хуй",
    "хуя",
    "хую",
    "хуе",
    "хуи",
    "хуйня",
    "хуйни",
    "хуйню",
    "хуево",
    "хуевый",
    "нахуй",
    "нахуя",
    "похуй",
    "нихуя",
    "охуеть",
    "охуели",
    "охуел",
    "ахуеть",
    "ахуенно",
    "пизда",
    "пизде",
    "пизду",
    "пиздец",
    "пиздеца",
    "пиздит",
    "пиздеть",
    "спиздили",
    "пиздато",
    "бля",
    "блядь",
    "бляди",
    "блять",
    "блядство",
    "ебать",
    "ебал",
    "ебало",
    "ебаный",
    "ебаная",
    "ебаное",
    "ебаные",
    "ебучий",
    "ебучая",
    "еблан",
    "заебали",
    "заебал",
    "заебись",
    "заебался",
    "наебали",
    "наебал",
    "уебок",
    "уебки",
    "уебище",
    "отъебись",
    "отъебитесь",
    "съебись",
    "долбоеб",
    "долбоебы",
    "мудак",
    "мудаки",
    "мудила",
    "пидор",
    "пидоры",
    "пидорас",
    "пидарас",
    "сука",
    "суки",
    "сучка",
    "гандон",
    "гондон",
    "залупа",
    "шлюха",
    "херня",
    "нахер",
    "похер",
    "говно",
    "жопа",
    "жопу",
)

# --- insults aimed at people -----------------------------------------------------------
# Strong insults are flagged wherever they are used (unless the message reports them,
# see REPORT_MARKERS, or the writer says it of himself). Each entry is a token prefix or
# an exact form; the «$» suffix marks exact forms.
STRONG_INSULTS: tuple[str, ...] = (
    "идиот$",
    "идиота$",
    "идиоту$",
    "идиотом$",
    "идиоты$",
    "идиотов$",
    "идиотам$",
    "идиотами$",
    "идиотка",
    "дебил",
    "кретин",
    "придурок",
    "придурк",
    "урод$",
    "урода$",
    "уроду$",
    "уродом$",
    "уроды$",
    "уродов$",
    "уродам$",
    "уродами$",
    "уродина",
    "уродец",
    "уродц",
    "ублюд",
    "мразь",
    "мрази",
    "мразот",
    "тварь",
    "твари",
    "тварей",
    "тварям",
    "сволоч",
    "скотина",
    "скотины",
    "скоты$",
    "скотов$",
    "скотам$",
    "дегенерат",
    "имбецил",
    "олигофрен",
    "чмо",
    "чмош",
    "гнида",
    "гниды$",
    "гнид$",
    "падла",
    "падлы$",
    "паскуд",
    "подонок",
    "подонки",
    "подонков",
    "мерзавец",
    "мерзавц",
    "ничтожество",
    "ничтожества",
    "выродок",
    "выродки",
    "выродков",
    "отморозок",
    "отморозки",
    "недоумок",
    "недоумки",
    "тупорыл",
    "долбоящер",
    "бездарь",
    "бездари$",
    "бестолоч",
    "быдло",
    "лошара",
    "лошары",
    "чурка",
    "чурки$",
    "мудозвон",
)

# Weak insults are ordinary words too («тупой вопрос», «козёл» the animal, «синдром
# Дауна», the surname Дураков): flagged only when aimed at somebody (see ADDRESSEE_MARKERS).
WEAK_INSULTS: tuple[str, ...] = (
    "дурак",
    "дура$",
    "дуры$",
    "дурой$",
    "дурачье",
    "тупой$",
    "тупая$",
    "тупые$",
    "тупых$",
    "тупица",
    "лох$",
    "лохи$",
    "лохов$",
    "баран$",
    "бараны$",
    "козел$",
    "козлы$",
    "козлина",
    "овца$",
    "овцы$",
    "свинья$",
    "свиньи$",
    "клоун",
    "даун$",
    "дауны$",
    "криворук",
    "безмозгл",
    "конченый",
    "конченая",
    "конченые",
    "сдохни",
    "сдохните",
    "сдохли",
    "бездарный",
    "бездарные",
)

# Words that show the insult is aimed at the staff or at the reader.
ADDRESSEE_MARKERS: tuple[str, ...] = (
    "вы$",
    "ты$",
    "вас$",
    "вам$",
    "тебя$",
    "тебе$",
    "ваш",
    "твой$",
    "твоя$",
    "твои$",
    "оператор",
    "админ",
    "модератор",
    "разработчик",
    "программист",
    "поддержк",
    "сотрудник",
    "организатор",
    "создател",
    "работник",
    "специалист",
    "менеджер",
    "разраб",
    "сборище",
)

# Words that show the message *reports* an insult or a threat instead of making one
# («учитель назвал меня дураком», «мне угрожают»): such a message needs an answer.
REPORT_MARKERS: tuple[str, ...] = (
    "назвал",
    "назыв",
    "обозвал",
    "обзыва",
    "обзыв",
    "оскорб",
    "дразн",
    "жалоб",
    "пожалова",
    "пожалуюсь",
    "написали",
    "пишет$",
    "пишут$",
    "говорит$",
    "говорят$",
    "угрож",
    "угроз",
    "грозит",
    "грозят",
    "грозил",
    "шантаж",
    "запуга",
    "травл",
    "буллинг",
)

# Words right before an insult that turn it on the writer («я идиот», «как дурак»,
# «вы меня за дурака держите»).
SELF_MARKERS: tuple[str, ...] = ("я", "сам", "сама", "себя", "себе", "как", "меня", "за", "словно")
