"""Yes/no query parameters go through the one reader (ticketing.config.flag): what it cannot read is a 422."""

from __future__ import annotations

from tests.integration.conftest import Api


async def test_active_known_issues_flag(api: Api) -> None:
    for value in ("1", "on", "да"):
        _, response = await api.client.get(f"/api/v1/known-issues?active={value}", headers=api.headers("service"))
        assert response.status == 200, response.json
    _, response = await api.client.get("/api/v1/known-issues?active=всё", headers=api.headers("service"))
    assert response.status == 422
    assert response.json["error"]["message"] == "active='всё': укажите 1 или 0 (да или нет)."
