"""The directory of regional operators (§2.3, §5.7): who answers for the project in each region.

The bot gives a user the contact of *their* region's operator (scenario
``regional_operator_contacts``); line 1 uses it to reach line 2 (§5.7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RegionalOperator:
    region: str  # official name of the federal subject
    organisation: str
    contact_person: str
    email: str
    phone: str
    is_sample: bool  # sample rows shipped with the software, to be replaced by real contacts
    updated_at: datetime
    updated_by: str

    @property
    def has_contacts(self) -> bool:
        """False for a sample row (migration 0004, ``operators_sample.yml``): its «(пример)» organisation,
        example.ru address and 000-00-… phone belong to nobody, so no one is ever shown them as contacts."""
        return not self.is_sample


def regions_without_contacts(regions: Iterable[str], operators: Iterable[RegionalOperator]) -> list[str]:
    """The official names among ``regions`` that have no real contacts yet (no row, or only a sample), sorted.

    For these regions line 1 passes a question on to the regional operator itself (§4.5, §5.3),
    so the bot says so instead of giving contacts, and the admin page lists them to be filled in.
    """
    filled = {o.region for o in operators if o.has_contacts}
    return sorted(r for r in set(regions) if r not in filled)
