"""Threats to life and health (§4.8 of the procedure).

What counts: the writer's own intent to kill, maim, burn, blow up or come armed, and
bomb hoaxes («я вас убью», «взорву школу», «подожгу ваш офис», «приду с ружьём»,
«заминировано», «вам не жить»); and the idioms of intimidation that name no violence at all
(«я вас найду и закопаю», «вы у меня ещё попляшете», «руки бы вам оторвать», «кровью умоетесь»,
«тебе конец»), each with the person threatened or the consequence, so that the same words
in a harmless sentence stay clean («хана моему ноутбуку», «эта олимпиада меня закопала»).
The verbs are first-person future («убью», «взорву») or infinitives with a person or a
building as object («убить вас»), which leaves out the idioms: «этот тест меня убивает»,
«убил три часа», «взрыв мозга», «я в огне».

Two decisions:

* A message that *reports* a threat («мне угрожают в школе, что делать?», «пишут, что
  взорвут школу») asks for help: it is not a threat (note ``threat_reported``).
* Self-directed despair («убейте меня, это невозможно», «хоть вешайся») threatens nobody:
  not a threat. Explicit words of self-harm («покончу с собой», «не хочу жить») are not a
  threat either, but get the note ``self_harm`` so that a person reads the message instead
  of it being left without answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from procedure.screening.normalize import fold

_PERSON = (
    r"(?:вас|тебя|тебе|вам|его|ее|их|всех|оператор\w*|админ\w*|учител\w*|училк\w*|директор\w*|"
    r"разработчик\w*|организатор\w*|сотрудник\w*|наставник\w*|препод\w*|одноклассник\w*)"
)
_PLACE = (
    r"(?:школ\w*|офис\w*|здани\w*|контор\w*|колледж\w*|гимнази\w*|лице[йяюе]\w*|техникум\w*|"
    r"площадк\w*|дом\w*|кабинет\w*|центр\w*|мероприяти\w*|вуз\w*|университет\w*)"
)
# Firearms and explosives are a threat whenever the writer brings them; knives, axes and bats
# only when he comes *with* them: a pupil may well bring his own knife to a cook's trial.
_FIREARM = (
    r"(?:руж\w*|автомат\w*|пистолет\w*|ствол\w*|обрез\w*|гранат\w*|калаш\w*|винтовк\w*|"
    r"дробовик\w*|травмат\w*|взрывчатк\w*)"
)
_COLD_WEAPON = r"(?:нож(?:ом|ами)|топор(?:ом|ами)|бит(?:ой|ами)|арбалетом|мачете)"
_GAP = r"(?:\s+\S+){0,3}?\s+"
_BODY = r"(?:ноги|ногу|руки|руку|шею|челюсть|нос|голову|башку|хребет|кости|ребра|череп)"
# First person only, and the infinitives of tearing off and twisting (never «сломать»: «голову
# сломать над задачей» is an idiom): «руки бы вам оторвать», «шею тебе сверну».
_BREAK = (
    r"(?:сломаю|переломаю|поломаю|оторву|проломлю|снесу|разобью|сверну|отверну|откручу|поотрываю|повыдергиваю|"
    r"повыдергаю|оторвать|поотрывать|открутить|свернуть|отвернуть|повыдергивать|повыдергать)"
)
# Harm the writer promises after finding or reaching someone: «найду и закопаю».
_HARM = r"(?:закопаю|урою|убью|прибью|порву|уничтожу|накажу|прикончу|зарою|похороню|размажу|уделаю)"

# (reason, pattern) searched in the message reduced to lower-case words joined by spaces.
_THREATS: tuple[tuple[str, str], ...] = (
    ("threat:kill", r"\b(?:убью|убьем|прибью|прикончу|прикончим|порешу|урою)\b(?!\s+(?:себя|сам|сама)\b)"),
    ("threat:kill", rf"\b(?:убить|прикончить|грохнуть|замочить|уничтожить|урыть){_GAP}{_PERSON}\b"),
    ("threat:kill", rf"\b{_PERSON}\s+(?:\S+\s+)?(?:убить|прикончить|грохнуть|замочить)\b"),
    ("threat:kill", rf"\b(?:грохну|замочу|закопаю|перебью){_GAP}{_PERSON}\b"),
    ("threat:kill", rf"\b{_PERSON}\s+(?:\S+\s+){{0,3}}?(?:грохну|замочу|закопаю|перебью|урою|зарою|похороню)\b"),
    ("threat:kill", r"\b(?:\w+)(?<!\bмне)(?<!\bнам)\s+не\s+жить\b"),
    ("threat:kill", r"\b(?:ты|вы)\s+(?:уже\s+)?(?:труп|трупы|покойник|покойники|мертвец|мертвецы)\b"),
    ("threat:kill", r"\bготовьтесь\s+(?:к\s+смерти|умереть|сдохнуть)\b"),
    ("threat:stab", r"\b(?:зарежу|прирежу|перережу|зарежем)\b"),
    ("threat:stab", rf"\b(?:порежу|зарезать|прирезать){_GAP}{_PERSON}\b"),
    ("threat:stab", rf"\b{_PERSON}\s+(?:\S+\s+)?порежу\b"),
    ("threat:shoot", r"\b(?:застрелю|пристрелю|подстрелю|перестреляю|расстреляю|перестреляем|расстреляем)\b"),
    ("threat:shoot", rf"\b(?:застрелить|пристрелить|расстрелять|перестрелять){_GAP}{_PERSON}\b"),
    ("threat:strangle", r"\b(?:задушу|придушу)\b"),
    ("threat:harm", r"\b(?:изобью|покалечу|искалечу|отпизжу|отмудохаю)\b"),
    ("threat:harm", rf"\b{_BREAK}(?:\s+\S+){{0,2}}?\s+{_BODY}\b"),
    ("threat:harm", rf"\b{_BODY}\s+(?:\S+\s+){{0,2}}?{_BREAK}\b"),
    ("threat:harm", rf"\bпорв(?:у|ем)\s+(?:\S+\s+)?(?:на\s+(?:куски|части|клочки)|{_PERSON})\b"),
    ("threat:harm", r"\bна\s+(?:куски|части|клочки)\s+порв(?:у|ем)\b"),
    ("threat:harm", r"\bнабью\s+(?:\S+\s+)?(?:морду|лицо|рожу|ебало|хлебало)\b"),
    ("threat:arson", r"\b(?:подожгу|подожжем|подпалю|подпалим)\b"),
    ("threat:arson", rf"\b(?:сожгу|сожжем|спалю|поджечь|сжечь|спалить|подпалить){_GAP}(?:{_PLACE}|{_PERSON})\b"),
    ("threat:arson", rf"\b(?:{_PLACE}|{_PERSON})\s+(?:\S+\s+)?(?:сожгу|сожжем|спалю)\b"),
    ("threat:explosion", r"\b(?:взорву|взорвем)\b"),
    ("threat:explosion", rf"\b(?:взорвать|подорвать){_GAP}(?:{_PLACE}|{_PERSON})\b"),
    ("threat:explosion", r"\bзаминир\w*"),
    (
        "threat:explosion",
        r"\b(?:заложу|заложил|заложила|заложили|заложен\w*|принесу|пронесу|подложу)(?:\s+\S+){0,3}?\s+бомб",
    ),
    ("threat:explosion", rf"\bбомб\w*\s+(?:\S+\s+)?во?\s+{_PLACE}"),
    ("threat:explosion", rf"\bво?\s+{_PLACE}\s+(?:\S+\s+)?бомб"),
    ("threat:explosion", r"\bвзрывн\w+\s+устройств\w*"),
    (
        "threat:attack",
        r"\b(?:будет|устрою|устроим|готовлю|совершу)\s+(?:\S+\s+)?"
        r"(?:взрыв|теракт|поджог|стрельбу|резню|бойню|колумбайн|скулшутинг|шутинг)\b",
    ),
    (
        "threat:weapon",
        rf"\b(?:приду|приеду|заявлюсь|явлюсь|нагряну|зайду)(?:\s+\S+){{0,5}}?\s+со?\s+(?:{_FIREARM}|{_COLD_WEAPON})\b",
    ),
    ("threat:weapon", rf"\b(?:принесу|пронесу|притащу|возьму)(?:\s+\S+){{0,5}}?\s+{_FIREARM}\b"),
    ("threat:stalk", r"\bзна(?:ю|ем)\s+где\s+(?:ты|вы)\s+(?:жив\w+|уч\w+|работа\w+|находит\w+)"),
    ("threat:stalk", rf"\bзна(?:ю|ем)\s+где\s+(?:жив\w+|уч\w+|работа\w+)\s+(?:\S+\s+)?(?:ваш\w*|тво\w*|{_PERSON})"),
    ("threat:weapon", rf"\b(?:выезжаю|выезжаем|еду|едем|иду|идем)\s+к\s+(?:вам|тебе)(?:\s+\S+){{0,3}}?\s+со?\s+"
     rf"(?:{_FIREARM}|{_COLD_WEAPON})\b"),
    # Threats without a verb of violence: the idioms of intimidation. Each needs the person
    # threatened or a consequence, so «хана моему ноутбуку», «нам конец четверти», «вы у меня в
    # избранном», «я вас найду в списке?», «землю копать» stay clean.
    ("threat:intimidation", rf"\b(?:найду|найдем|достану|достанем|вычислю|вычислим)(?:\s+\S+){{0,4}}?\s+{_HARM}\b"),
    ("threat:intimidation", r"\bиз\s+под\s+земли\s+(?:достану|достанем|найду|найдем)\b"),
    # «я до тебя доберусь», not «доберусь до вас к обеду» or «до вас доберусь на автобусе».
    (
        "threat:intimidation",
        r"\bдо\s+(?:тебя|вас|всех)\s+(?:еще\s+)?доберусь\b(?!\s+(?:на|к|в|за|через|только|сам|сама)\b)",
    ),
    # With the person threatened: «заданий столько, что мало не покажется» is no threat.
    ("threat:intimidation", rf"\b{_PERSON}(?:\s+\S+){{0,3}}?\s+(?:мало\s+не\s+покажется|не\s+поздоровится)\b"),
    ("threat:intimidation", r"\b(?:тебе|вам)\s+(?:\S+\s+)?(?:конец|хана|кранты|капут|крышка|каюк)\b"),
    ("threat:intimidation", r"\b(?:конец|хана|кранты|капут|каюк)\s+(?:тебе|вам)\b"),
    (
        "threat:intimidation",
        r"\b(?:ты|вы)\s+у\s+меня\s+(?:еще\s+)?(?:\S+\s+){0,2}?(?:попляше\w*|поплаче\w*|пожалее\w*|допрыгае\w*|доиграе\w*|"
        r"наплаче\w*|харкать|умое\w*)",
    ),
    ("threat:intimidation", r"\b(?:попляше\w*|поплачеш\w*|поплачете|пожалееш\w*|пожалеете)\s+(?:\S+\s+)?у\s+меня\b"),
    ("threat:intimidation", r"\b(?:пожалеешь|пожалеете|пожалеют)\s+(?:\S+\s+)?что\s+(?:\S+\s+){0,2}?родил\w*"),
    ("threat:intimidation", r"\bкровью\s+(?:\S+\s+)?(?:умое\w+|умыт\w+|харка\w+|плакат\w+)"),
    ("threat:intimidation", r"\b(?:умое\w+|харка\w+)\s+кровью\b"),
    ("threat:intimidation", r"\b(?:дни\s+(?:ваши|твои)|(?:ваши|твои)\s+дни)\s+сочтены\b"),
    ("threat:intimidation", r"\b(?:готов\w*|заказыва\w*|закажи\w*|покупа\w*)\s+(?:\S+\s+)?гроб\w*"),
    ("threat:intimidation", r"\bживы\w*\s+(?:\S+\s+)?не\s+(?:уйде\w+|уйдешь|выйде\w+|выпущу|отпущу)"),
    ("threat:intimidation", r"\bземлю\s+(?:\S+\s+)?(?:жрать|есть|грызть)\b"),
    ("threat:intimidation", r"\bустро(?:ю|им)\s+(?:\S+\s+)?(?:веселую|сладкую|райскую|адскую)\s+жизнь"),
    (
        "threat:intimidation",
        r"\b(?:бойтесь|бойся|трепещите|трепещи|молитесь|молись)\b(?:\s+\S+){0,4}?\s+(?:приду|придем|найду|доберусь|иду)\b",
    ),
    ("threat:intimidation", r"\bвстречу\s+(?:\S+\s+){0,2}?в\s+(?:темном\s+)?(?:переулке|подворотне)\b"),
    ("threat:explosion", r"\b(?:взлет\w+|взлетят)\s+на\s+воздух\b"),
)

# The writer asks for help about a threat made by someone else.
_REPORT = re.compile(
    r"\b(?:угрожают|угрожает|угрожал\w*|угроз\w*|грозит\w*|грозят\w*|грозил\w*|шантаж\w*|запугива\w*|"
    r"пишет|пишут|написал\w*|сказал\w*|говорит|говорят|обещает|обещают|обещал\w*)\b"
)
_SELF_HARM = re.compile(
    r"\b(?:убью\s+себя|покончу\s+с\s+собой|не\s+хочу\s+жить|незачем\s+жить|суицид\w*|выпилюсь|повешусь|"
    r"вскроюсь|выброшусь|спрыгну\s+с\s+крыши)\b"
)
_WORDS = re.compile(r"[а-яa-z0-9]+")


@dataclass(frozen=True)
class ThreatFinding:
    """Reasons that make a message a threat, and notes that explain why it is not one."""

    reasons: tuple[str, ...]
    notes: tuple[str, ...] = ()


class ThreatMatcher:
    """Finds threats in one message; immutable after construction, so thread-safe."""

    def __init__(self) -> None:
        self._threats = tuple((reason, re.compile(pattern)) for reason, pattern in _THREATS)
        # Most messages threaten nobody: one pass over the alternation of all patterns says so,
        # and only a message it matches is searched pattern by pattern for the reasons.
        self._any = re.compile("|".join(f"(?:{pattern})" for _, pattern in _THREATS))

    def find(self, text: str) -> ThreatFinding:
        """Reasons such as ``threat:kill``; empty when the text threatens nobody."""
        words = " ".join(_WORDS.findall(fold(text)))
        notes = ("self_harm",) if _SELF_HARM.search(words) else ()
        reasons: list[str] = []
        if not self._any.search(words):
            return ThreatFinding((), notes)
        for reason, pattern in self._threats:
            if reason not in reasons and pattern.search(words):
                reasons.append(reason)
        if reasons and _REPORT.search(words):
            return ThreatFinding((), (*notes, "threat_reported"))
        return ThreatFinding(tuple(reasons), notes)
