"""Who the personal account says the user is: the platform's claims turned into the bot's slots.

§5.6.1 of the procedure asks the chat-bot to find out the region, the role with the login and the
registration e-mail. In the personal account the platform already knows them and passes them in
a signed token; this module reads the (already verified) claims, so that the form asks only the
question type and the problem. It trusts nothing about their shape: a claim that does not look
right is left out and the bot asks for it as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# How the platform may name a role (its own codes, English or Russian) → the bot's codes.
_ROLE_WORDS = {
    "participant": (
        "participant",
        "student",
        "pupil",
        "schoolchild",
        "learner",
        "child",
        "ученик",
        "участник",
        "школьник",
        "обучающийся",
    ),
    "parent": ("parent", "guardian", "родитель", "законный представитель"),
    "mentor": (
        "mentor",
        "teacher",
        "pedagogue",
        "educator",
        "navigator",
        "tutor",
        "педагог",
        "педагог-навигатор",
        "наставник",
        "учитель",
    ),
    "venue": ("venue", "organization", "organisation", "employer", "площадка", "организация", "работодатель"),
    "other": ("other", "иное", "другое"),
}
_ROLE_BY_WORD = {word: role for role, words in _ROLE_WORDS.items() for word in words}

# The same shape the bot accepts for a login it is told (actions/parsing.py).
_LOGIN = re.compile(r"^[\w.@+\-]{2,64}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 60
MAX_REGION_TEXT = 100


@dataclass(frozen=True)
class PlatformIdentity:
    """The user as the platform vouches for them.

    Attributes:
        login: the login on the platform (required: without it the user is anonymous).
        email: the registration e-mail, lower case, or None if the claim was missing or odd.
        region: the official name of the subject, or None when the claim did not resolve to one.
        role: one of ``procedure.requesters.ROLES``, or None when the platform's role is unknown to us.
        name: how to greet the user, if the platform passed a name.
    """

    login: str
    email: str | None = None
    region: str | None = None
    role: str | None = None
    name: str | None = None

    def slots(self) -> dict[str, str]:
        """The appeal form's slots this identity fills, in the form's order."""
        values = {"region": self.region, "role": self.role, "login": self.login, "email": self.email}
        return {name: value for name, value in values.items() if value}


def map_role(raw: Any) -> str | None:
    """The bot's role code for the platform's role name, or None when it is not one we know."""
    if not isinstance(raw, str):
        return None
    return _ROLE_BY_WORD.get(" ".join(raw.strip().lower().replace("ё", "е").replace("_", " ").split()))


def clean_email(raw: Any) -> str | None:
    """The e-mail in lower case if it looks like one, else None."""
    if not isinstance(raw, str):
        return None
    value = raw.strip().lower()
    return value if len(value) <= 254 and _EMAIL.match(value) else None


def identity_from_claims(
    claims: Mapping[str, Any], resolve_region: Callable[[str], str | None]
) -> PlatformIdentity | None:
    """Read verified claims; None when there is no usable login (the user is then anonymous).

    Args:
        claims: the token's payload after its signature and expiry were checked.
        resolve_region: free text («Татарстан», «16 регион») → official name or None;
            the platform may send either form.
    """
    login = claims.get("login")
    if not isinstance(login, str) or not _LOGIN.match(login.strip()):
        return None
    region_text = claims.get("region")
    region = None
    if isinstance(region_text, str) and region_text.strip() and len(region_text) <= MAX_REGION_TEXT:
        region = resolve_region(region_text.strip())
    name = claims.get("name")
    clean_name = None
    if isinstance(name, str):
        clean_name = " ".join(_CONTROL.sub(" ", name).split())[:MAX_NAME] or None
    return PlatformIdentity(
        login=login.strip(),
        email=clean_email(claims.get("email")),
        region=region,
        role=map_role(claims.get("role")),
        name=clean_name,
    )


def mask_email(email: str) -> str:
    """«ivan.petrov@mail.ru» → «i…@mail.ru»: enough to recognise one's own address on a shared screen."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def greeting(identity: PlatformIdentity) -> str:
    """The bot's first words in the personal account: what it already knows, so it will not ask."""
    who = identity.name or identity.login
    known = []
    if identity.region:
        known.append(f"ваш регион — {identity.region}" + (" —" if identity.email else ""))
    if identity.email:
        known.append(("почту " if identity.region else "вашу почту ") + mask_email(identity.email))
    if known:
        return (
            f"Здравствуйте, {who}! Вижу {' и '.join(known)}, переспрашивать не буду. Опишите, пожалуйста, ваш вопрос."
        )
    return f"Здравствуйте, {who}! Опишите, пожалуйста, ваш вопрос."
