"""The personal account's signed token: verify it, then pre-fill the conversation before the user speaks.

The platform signs ``{login, role, email, region, exp[, name]}`` with HS256 and a secret shared
with us (``PLATFORM_JWT_SECRET``). Only HS256 is accepted (never ``none``, never an algorithm the
token itself names), ``exp`` is required and a little clock skew is tolerated. A token that fails
any check makes the user an ordinary site visitor: the bot then asks everything itself, which is
safe, whereas an error page would only lock a participant out of support. The refusal is logged
with its reason, never with the token.

The pre-filling appends slot events and a greeting to the Rasa conversation (``POST
/conversations/{id}/tracker/events``); the appeal form then asks only what is still empty
(§5.6.1: «автоматизированное уточнение»).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Literal

import jwt

from ticketing.adapters.rasa import RasaGateway
from ticketing.adapters.reply_cache import ReplyCache
from ticketing.domain.platform_identity import PlatformIdentity, greeting, identity_from_claims
from ticketing.domain.regions import RegionResolver
from ticketing.http.chat.transcript import as_dict, as_list, user_has_spoken

log = logging.getLogger(__name__)

ALGORITHMS = ["HS256"]
MAX_TOKEN_CHARS = 4096
# The greeting offers the bot's own starting points (payloads of domain.yml's intents).
GREETING_BUTTONS = [
    {"title": "Оставить обращение", "payload": "/open_appeal"},
    {"title": "Узнать статус обращения", "payload": "/ticket_status"},
]
Outcome = Literal["applied", "already", "too_late"]


def verify_token(token: Any, secret: str, *, leeway: int = 30) -> dict[str, Any] | None:
    """The token's claims if it is ours, unexpired and HS256; else None (and a warning in the log)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        log.warning("platform token refused (empty, not a string or too long): the user chats as a site visitor")
        return None
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=ALGORITHMS,
            leeway=leeway,
            options={"require": ["exp", "login"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        reason = "expired"
    except jwt.InvalidAlgorithmError:
        reason = "algorithm not allowed"
    except jwt.InvalidSignatureError:
        reason = "bad signature"
    except jwt.MissingRequiredClaimError as exc:
        reason = f"missing claim {exc.claim}"
    except jwt.PyJWTError as exc:
        reason = f"invalid ({type(exc).__name__})"
    else:
        return claims if isinstance(claims, dict) else None
    log.warning("platform token refused (%s): the user chats as a site visitor", reason)
    return None


def identity_from_token(
    token: Any, secret: str, regions: RegionResolver, *, leeway: int = 30
) -> PlatformIdentity | None:
    """Verify and read the token; None means «anonymous visitor»."""
    claims = verify_token(token, secret, leeway=leeway)
    if claims is None:
        return None

    def resolve(text: str) -> str | None:
        found = regions.resolve(text)
        if found.region is not None:
            return found.region.name
        return found.candidates[0].name if len(found.candidates) == 1 else None

    identity = identity_from_claims(claims, resolve)
    if identity is None:
        log.warning("platform token refused (no usable login claim): the user chats as a site visitor")
    return identity


# Rasa 3.6 stamps appended events when it parses the request, and only then starts the session
# of a new conversation: the slots would be older than their own session and dropped on the next
# load (its SQL tracker store reads events from the latest session start on). Sending the session
# start ourselves, first, keeps everything in one session, in order.
SESSION_START = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
]


def prefill_events(identity: PlatformIdentity) -> list[dict[str, Any]]:
    """A session start, slot events for what the platform told us, then the greeting that says so."""
    events: list[dict[str, Any]] = [dict(event) for event in SESSION_START]
    events += [{"event": "slot", "name": name, "value": value} for name, value in identity.slots().items()]
    events.append(
        {
            "event": "bot",
            "text": greeting(identity),
            "data": {"buttons": GREETING_BUTTONS},
            "metadata": {"platform_greeting": True},
        }
    )
    return events


async def identify(
    gateway: RasaGateway, replies: ReplyCache, conversation_id: str, identity: PlatformIdentity
) -> Outcome:
    """Pre-fill the conversation once, and only before the user's first message.

    Later it would overwrite what the user already answered mid-form, so a conversation that
    has started stays as it is (``too_late``; the widget keeps one conversation per login).
    Raises the gateway's errors; nothing is remembered then, so the widget can try again.
    """
    key = f"identify:{conversation_id}:{identity.login}"
    deadline = time.monotonic() + 10
    while (held := await replies.claim(key, ttl=60)) is not None:
        # Another request is pre-filling this conversation: wait for it, so that a message sent
        # right after cannot reach the bot before the slots do.
        if held.get("state") != "pending" or time.monotonic() > deadline:
            return "too_late" if held.get("outcome") == "too_late" else "already"
        await asyncio.sleep(0.1)
    try:
        tracker = await gateway.tracker(conversation_id)
        slots = as_dict(tracker.get("slots"))
        events = as_list(tracker.get("events"))
        if slots.get("login") == identity.login:
            outcome: Outcome = "already"
        elif user_has_spoken(events):
            outcome = "too_late"
        else:
            await gateway.append(conversation_id, prefill_events(identity))
            outcome = "applied"
    except BaseException:
        await replies.release(key)
        raise
    await replies.put(key, {"state": "done", "outcome": outcome}, ttl=24 * 3600)
    return outcome
