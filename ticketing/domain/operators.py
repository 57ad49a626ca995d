"""The directory of regional operators (§2.3, §5.7): who answers for the project in each region.

The bot gives a user the contact of *their* region's operator (scenario
``regional_operator_contacts``); line 1 uses it to reach line 2 (§5.7).
"""

from __future__ import annotations

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
