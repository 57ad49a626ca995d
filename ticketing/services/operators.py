"""Regional operators' contacts (§5.7): saving and removing them, for the API and the console alike."""

from __future__ import annotations

from datetime import datetime

from ticketing.domain.operators import RegionalOperator
from ticketing.services.unit_of_work import AbstractUnitOfWork


async def save_operator(
    uow: AbstractUnitOfWork,
    *,
    region: str,
    organisation: str,
    contact_person: str,
    email: str,
    phone: str,
    by: str,
    now: datetime,
) -> RegionalOperator:
    """Store real contacts for ``region`` (an official name), replacing the sample or earlier ones."""
    operator = RegionalOperator(
        region=region,
        organisation=organisation,
        contact_person=contact_person,
        email=email,
        phone=phone,
        is_sample=False,
        updated_at=now,
        updated_by=by,
    )
    async with uow:
        await uow.operators.put(operator)
        await uow.commit()
    return operator


async def contacts_of(uow: AbstractUnitOfWork, region: str) -> RegionalOperator | None:
    """The real contacts of ``region``'s operator; None when there are none, a sample row included.

    The one place that decides what the bot (``GET /api/v1/operators/{region}``) and the ticket
    page may show as a regional operator's contacts.
    """
    async with uow:
        operator = await uow.operators.get(region)
    return operator if operator is not None and operator.has_contacts else None


async def remove_operator(uow: AbstractUnitOfWork, region: str) -> bool:
    """Remove the contacts of ``region``; False if there were none."""
    async with uow:
        removed = await uow.operators.remove(region)
        await uow.commit()
    return removed
