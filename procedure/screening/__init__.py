"""Screening of incoming messages by the procedure's rules (§4.7–4.9, §6.1).

§6.1 (anonymous or misdirected requests) is decided from the ticket's channel data, not
from the text, and is not part of this package.

Pure domain code: no I/O at screening time, nothing imported from services, adapters or
http. The only things loaded (once, in :class:`ScreeningEngine`) are the Russian dictionary
of pymorphy3 and lingua's language models, both shipped inside their wheels.
"""

from procedure.screening.engine import ScreeningEngine
from procedure.screening.verdict import ABUSIVE, FOREIGN_LANGUAGE, OK, THREAT, VERDICTS, Verdict

__all__ = ["ABUSIVE", "FOREIGN_LANGUAGE", "OK", "THREAT", "VERDICTS", "ScreeningEngine", "Verdict"]
