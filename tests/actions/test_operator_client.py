"""``HttpTicketingClient.get_operator`` against a real local HTTP server shaped like the service."""

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from actions.ticketing_client import HttpTicketingClient, TicketingRejected, TicketingUnavailable

pytestmark = pytest.mark.asyncio

TATARSTAN = {
    "region": "Республика Татарстан", "organisation": "ГАУ ДО «Центр»", "contact_person": "Иванова Анна",
    "email": "anna@center.ru", "phone": "+7 843 111-22-33", "is_sample": False,
}


@pytest.fixture
async def directory():
    seen: list[str] = []

    async def get_operator(request: web.Request) -> web.Response:
        region = request.match_info["region"]
        seen.append(region)
        if region in ("в Казани", "Республика Татарстан"):
            return web.json_response(TATARSTAN)
        if region == "Чукотка":
            message = "Контакты регионального оператора для региона «Чукотский автономный округ» ещё не внесены."
            return web.json_response({"error": {"code": "not_found", "message": message}}, status=404)
        if region == "упал":
            return web.json_response({"error": {"code": "down"}}, status=503)
        message = f"Проверьте данные обращения — region: не удалось узнать регион «{region}»"
        return web.json_response(
            {"error": {"code": "validation_error", "message": message, "fields": {"region": "не удалось"}}}, status=422
        )

    app = web.Application()
    app.router.add_get("/api/v1/operators/{region}", get_operator)
    server = TestServer(app)
    await server.start_server()
    client = HttpTicketingClient(str(server.make_url("")).rstrip("/"), token="t", retry_delay=0.01)
    yield client, seen
    await server.close()


async def test_found_for_a_region_written_as_people_write_it(directory):
    client, seen = directory
    assert await client.get_operator("в Казани") == TATARSTAN
    assert seen == ["в Казани"]


async def test_no_entry_is_none(directory):
    client, _ = directory
    assert await client.get_operator("Чукотка") is None


async def test_unknown_region_is_a_rejection_with_the_services_message(directory):
    client, _ = directory
    with pytest.raises(TicketingRejected) as raised:
        await client.get_operator("Атлантида")
    assert raised.value.status == 422 and "Атлантида" in raised.value.message


async def test_service_down_is_unavailable_after_a_retry(directory):
    client, seen = directory
    with pytest.raises(TicketingUnavailable):
        await client.get_operator("упал")
    assert seen == ["упал", "упал"]
