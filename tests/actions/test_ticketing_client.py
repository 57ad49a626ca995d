"""The HTTP client against a real local HTTP server (aiohttp.web), not mocks."""

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from actions.delivery import NotificationFailed, RasaNotifier
from actions.ticketing_client import HttpTicketingClient, TicketingRejected, TicketingUnavailable

pytestmark = pytest.mark.asyncio


class Recorder:
    """A scripted ticketing service; ``fail_next`` answers 503 that many times."""

    def __init__(self):
        self.requests = []
        self.fail_next = 0
        self.url = ""  # set once the test server is up

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v1/regions/resolve", self.resolve)
        app.router.add_post("/api/v1/tickets", self.create)
        app.router.add_get("/api/v1/tickets/{number}", self.get)
        app.router.add_get("/api/v1/known-issues/match", self.match)
        app.router.add_post("/conversations/{sender}/trigger_intent", self.trigger)
        return app

    async def _record(self, request):
        body = await request.json() if request.can_read_body else None
        self.requests.append({"method": request.method, "path": request.path, "raw_path": request.raw_path,
                              "query": dict(request.query),
                              "headers": dict(request.headers), "body": body,
                              "match": dict(request.match_info)})
        if self.fail_next:
            self.fail_next -= 1
            return web.json_response({"error": {"code": "down"}}, status=503)
        return None

    async def resolve(self, request):
        failed = await self._record(request)
        if failed is not None:
            return failed
        return web.json_response(
            {"region": "Республика Татарстан" if request.query["q"] == "Казань" else None,
             "candidates": ["Республика Татарстан"]})

    async def create(self, request):
        failed = await self._record(request)
        if failed is not None:
            return failed
        body = self.requests[-1]["body"]
        if not body.get("email"):
            return web.json_response({"error": {"code": "validation_error", "message": "email is required",
                                                "fields": {"email": "required"}}}, status=422)
        return web.json_response({**body, "number": "БВБ-000123", "status": "new"}, status=201)

    async def get(self, request):
        failed = await self._record(request)
        if failed is not None:
            return failed
        if request.match_info["number"] == "БВБ-000123":
            return web.json_response({"number": "БВБ-000123", "status": "in_progress"})
        return web.json_response({"error": {"code": "not_found"}}, status=404)

    async def match(self, request):
        failed = await self._record(request)
        if failed is not None:
            return failed
        found = "белый экран" in request.query["q"]
        return web.json_response({"issue": {"id": 7, "title": "Белый экран в тесте"} if found else None})

    async def trigger(self, request):
        failed = await self._record(request)
        return failed if failed is not None else web.json_response({"tracker": {}})


@pytest.fixture
async def service():
    recorder = Recorder()
    server = TestServer(recorder.app())
    await server.start_server()
    recorder.url = str(server.make_url("")).rstrip("/")
    yield recorder
    await server.close()


def client_for(service, **kwargs):
    return HttpTicketingClient(service.url, "secret-token", retry_delay=0.01, **kwargs)


async def test_resolve_region_sends_the_text_and_the_token(service):
    match = await client_for(service).resolve_region("Казань")
    assert match.region == "Республика Татарстан"
    request = service.requests[0]
    assert request["query"] == {"q": "Казань"}
    assert request["headers"]["Authorization"] == "Bearer secret-token"


async def test_create_ticket_sends_the_idempotency_key(service):
    ticket = await client_for(service).create_ticket({"email": "a@b.ru", "description": "тест"}, "key-42")
    assert ticket["number"] == "БВБ-000123"
    assert service.requests[0]["headers"]["Idempotency-Key"] == "key-42"
    assert service.requests[0]["body"]["description"] == "тест"


async def test_one_retry_on_5xx_with_the_same_key(service):
    service.fail_next = 1
    ticket = await client_for(service).create_ticket({"email": "a@b.ru"}, "key-7")
    assert ticket["number"] == "БВБ-000123"
    assert [r["headers"]["Idempotency-Key"] for r in service.requests] == ["key-7", "key-7"]


async def test_two_5xx_mean_unavailable(service):
    service.fail_next = 2
    with pytest.raises(TicketingUnavailable):
        await client_for(service).create_ticket({"email": "a@b.ru"}, "key-7")
    assert len(service.requests) == 2


async def test_422_is_a_rejection_with_fields(service):
    with pytest.raises(TicketingRejected) as error:
        await client_for(service).create_ticket({"description": "без почты"}, "key-8")
    assert error.value.status == 422
    assert error.value.fields == {"email": "required"}
    assert len(service.requests) == 1


async def test_get_ticket_url_encodes_the_cyrillic_number(service):
    ticket = await client_for(service).get_ticket("БВБ-000123")
    assert ticket["status"] == "in_progress"
    assert service.requests[0]["raw_path"] == "/api/v1/tickets/%D0%91%D0%92%D0%91-000123"
    assert await client_for(service).get_ticket("БВБ-000999") is None


async def test_nobody_listening_is_unavailable():
    client = HttpTicketingClient("http://127.0.0.1:9", retry_delay=0.01)
    with pytest.raises(TicketingUnavailable):
        await client.get_ticket("БВБ-000001")


async def test_slow_service_times_out(service):
    async def slow(request):
        await asyncio.sleep(1)
        return web.json_response({})

    app = web.Application()
    app.router.add_get("/api/v1/tickets/{number}", slow)
    server = TestServer(app)
    await server.start_server()
    try:
        client = HttpTicketingClient(str(server.make_url("")).rstrip("/"), timeout=0.1, retry_delay=0.01)
        with pytest.raises(TicketingUnavailable):
            await client.get_ticket("БВБ-000001")
    finally:
        await server.close()


async def test_rasa_notifier_triggers_the_external_intent(service):
    await RasaNotifier(service.url, token="rasa-token").ticket_registered("user 1", "БВБ-000123", "2026-12-02")
    request = service.requests[0]
    assert request["path"] == "/conversations/user 1/trigger_intent"
    assert request["query"] == {"output_channel": "latest", "token": "rasa-token"}
    assert request["body"] == {"name": "EXTERNAL_ticket_registered",
                               "entities": {"ticket_number": "БВБ-000123", "due_at": "2026-12-02"}}


async def test_rasa_notifier_reports_a_refusal(service):
    await RasaNotifier(service.url).ticket_failed("u", "регион не найден")
    request = service.requests[0]
    assert request["query"] == {"output_channel": "latest"}
    assert request["body"] == {"name": "EXTERNAL_ticket_failed", "entities": {"reason": "регион не найден"}}


async def test_rasa_notifier_failure_is_reported():
    with pytest.raises(NotificationFailed):
        await RasaNotifier("http://127.0.0.1:9").ticket_registered("u", "БВБ-000001", None)


async def test_known_issue_match_asks_the_service_and_survives_one_outage(service):
    client = HttpTicketingClient(service.url, token="secret", retry_delay=0)
    service.fail_next = 1
    issue = await client.match_known_issue("после второго вопроса белый экран")
    assert issue == {"id": 7, "title": "Белый экран в тесте"}
    assert service.requests[-1]["query"] == {"q": "после второго вопроса белый экран"}
    assert service.requests[-1]["headers"]["Authorization"] == "Bearer secret"
    assert await client.match_known_issue("не приходит письмо") is None
    service.fail_next = 2
    with pytest.raises(TicketingUnavailable):
        await client.match_known_issue("белый экран")
