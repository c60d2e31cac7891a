"""Order scenarios: every documented form of every China region is accepted as `state`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.checks import expect
from conformance.orders import OrderBook
from conformance.specfiles import load_regions

pytestmark = pytest.mark.orders

PARALLEL = 4


def forms(region: dict) -> list[str]:
    values = [region["code"], region["pinyin"], region["short_pinyin"], region["chinese"],
              region["short_chinese"], *region.get("aliases", [])]
    return list(dict.fromkeys(values))


@pytest.mark.clause("orders.create.state.cn_formats")
def test_every_form_of_every_region_is_accepted(orders: OrderBook) -> None:
    lines = orders.lines(1)
    requests = [(region["code"], form) for region in load_regions() for form in forms(region)]

    def place(form: str) -> int:
        body = {"po_number": orders.next_po(), "items": lines, "country_id": "CN", "state": form}
        return orders.send(body).status

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        statuses = list(pool.map(lambda request: place(request[1]), requests))
    refused = [f"{form} ({code}): HTTP {status}"
               for (code, form), status in zip(requests, statuses) if status // 100 != 2]
    expect(not refused, "orders.create.state.cn_formats",
           f"{len(refused)} of {len(requests)} documented state forms were not accepted: "
           f"{refused[:8]}")
