"""The regional operators' directory: samples marked, admins edit, everybody reads."""

from __future__ import annotations

from urllib.parse import quote

from tests.integration.conftest import Api


async def test_samples_are_shipped_and_marked(api: Api) -> None:
    _, response = await api.client.get("/api/v1/operators", headers=api.headers("service"))
    assert response.status == 200
    assert len(response.json) == 5
    assert all(o["is_sample"] and "(пример)" in o["organisation"] for o in response.json)
    assert all(o["email"].endswith("@example.ru") for o in response.json)


async def test_a_sample_is_not_given_out_as_contacts(api: Api) -> None:
    """The bot reads this route: «(пример)», example.ru and 000-00-16 must never reach a pupil (issue 14)."""
    _, response = await api.client.get(f"/api/v1/operators/{quote('в Казани')}", headers=api.headers("service"))
    assert response.status == 404
    assert "Республика Татарстан" in response.json["error"]["message"]
    assert "example.ru" not in response.text and "пример" not in response.text


async def test_region_as_people_write_it(api: Api) -> None:
    body = {"organisation": "ГАУ ДО «Центр»", "contact_person": "Иванова Анна", "email": "a@c.ru", "phone": "+7 843 1"}
    _, response = await api.client.put(
        f"/api/v1/operators/{quote('Республика Татарстан')}", json=body, headers=api.headers("admin")
    )
    assert response.status == 200
    _, response = await api.client.get(f"/api/v1/operators/{quote('в Казани')}", headers=api.headers("service"))
    assert response.status == 200 and response.json["region"] == "Республика Татарстан"
    _, response = await api.client.get(f"/api/v1/operators/{quote('Чукотка')}", headers=api.headers("service"))
    assert response.status == 404
    assert "Чукотский автономный округ" in response.json["error"]["message"]


async def test_admin_replaces_a_sample_with_a_real_entry(api: Api) -> None:
    body = {
        "organisation": "ГАУ ДО «Центр»",
        "contact_person": "Иванова Анна",
        "email": "Anna@Center.ru",
        "phone": "+7 843 111-22-33",
    }
    path = f"/api/v1/operators/{quote('Республика Татарстан')}"
    _, response = await api.client.put(path, json=body, headers=api.headers("line1"))
    assert response.status == 403
    _, response = await api.client.put(path, json={**body, "email": "нет"}, headers=api.headers("admin"))
    assert response.status == 422 and "почты" in response.json["error"]["fields"]["email"]
    _, response = await api.client.put(path, json=body, headers=api.headers("admin"))
    assert response.status == 200
    assert (response.json["is_sample"], response.json["email"]) == (False, "anna@center.ru")
    _, response = await api.client.delete(path, headers=api.headers("admin"))
    assert response.status == 204
    _, response = await api.client.get(path, headers=api.headers("admin"))
    assert response.status == 404
