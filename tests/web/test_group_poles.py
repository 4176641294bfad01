"""A parameter that takes one country refuses a group or a list, naming itself, in the API and the pages alike, where
it was cut to the group's first member (``pole_a=NATO`` analysed Albania; attack finding F10); the service's
country lists read a group as all its members."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from geodrift.errors import InputError
from geodrift.service.alerts import pair_key, watched
from geodrift.service.settings import ServiceConfig

SPAN = {"from": "2020-07-01", "to": "2020-07-31"}


def test_the_analysis_api_refuses_a_group_pole_naming_the_parameter(client: TestClient) -> None:
    answer = client.get("/api/v1/analyses/AZE", params={"pole_a": "NATO", "pole_b": "RUS", **SPAN})
    assert answer.status_code == 400
    assert "pole_a: 'NATO' names 32 countries" in answer.text and "takes one country" in answer.text
    answer = client.get("/api/v1/analyses/AZE", params={"pole_a": "RUS", "pole_b": "CSTO", **SPAN})
    assert answer.status_code == 400 and "pole_b: 'CSTO' names 6 countries" in answer.text


def test_the_pages_refuse_a_group_where_they_take_one_country(client: TestClient) -> None:
    page = client.get("/analysis", params={"country": "AZE", "pole_a": "NATO", "pole_b": "RUS", **SPAN})
    assert page.status_code == 400 and "pole_a: &#39;NATO&#39; names 32 countries" in page.text
    assert client.get("/dyad/NATO/RUS").status_code == 400
    assert client.get("/country/CSTO").status_code == 400
    assert client.get("/country/ATLANTIS").status_code == 404  # unknown stays not found


def test_alert_countries_read_a_group_as_its_members_and_a_pair_refuses_one() -> None:
    countries, pairs = watched(ServiceConfig(alert_countries=("CSTO",), alert_pairs=("ARM-AZE",), gdelt2=False))
    assert countries == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"] and pairs == ["ARM-AZE"]
    with pytest.raises(InputError, match="pair 'ARM-NATO': 'NATO' names 32 countries"):
        pair_key("ARM-NATO")
