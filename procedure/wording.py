"""One name, two audiences: what the bot says to the requester and what staff read in the console."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """A name in Russian: ``requester`` is what the bot says; ``staff``, what the console and the API show."""

    requester: str
    staff: str
