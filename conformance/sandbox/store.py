"""Orders, their lines and owners, kept in SQLite.

Two customers exist, each with one bearer token. Order numbers are zero-padded increment
ids shared by both customers, as in the documentation's examples ("000000662").
Timestamps are recorded in UTC+8, the zone the documentation uses for every timestamp.

Lookups take the owning customer's id; None looks across all customers, which only a
fault asks for.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

TOKEN_A = "sandbox-token-customer-a"
TOKEN_B = "sandbox-token-customer-b"
CUSTOMER_A = 1
CUSTOMER_B = 2
TOKENS: dict[str, int] = {TOKEN_A: CUSTOMER_A, TOKEN_B: CUSTOMER_B}

PO_SUBMITTED = "po_submitted"
WAITING_CONFIRMATION = "waiting_confirmation"
CANCELED = "canceled"
CANCELABLE = frozenset({PO_SUBMITTED, WAITING_CONFIRMATION})

CHINA_TZ = timezone(timedelta(hours=8))
_ORDER_NUMBER = re.compile(r"\d{9}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL,
    po_number TEXT,
    status TEXT NOT NULL,
    total TEXT NOT NULL,
    firstname TEXT NOT NULL,
    lastname TEXT NOT NULL,
    street TEXT NOT NULL,
    city TEXT NOT NULL,
    postcode TEXT NOT NULL,
    country_id TEXT NOT NULL,
    telephone TEXT NOT NULL,
    state TEXT,
    created_at TEXT NOT NULL,
    created_ts REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id),
    line INTEGER NOT NULL,
    sku TEXT NOT NULL,
    qty INTEGER NOT NULL,
    price TEXT NOT NULL,
    PRIMARY KEY (order_id, line)
);
"""

_ADDRESS_COLUMNS = (
    "firstname",
    "lastname",
    "street",
    "city",
    "postcode",
    "country_id",
    "telephone",
    "state",
)


@dataclass(frozen=True)
class Address:
    """A shipping/billing address; the defaults are the documented ones."""

    firstname: str = "Shoppy"
    lastname: str = "MN"
    street: str = "UB"
    city: str = "UB"
    postcode: str = "18010"
    country_id: str = "CN"
    telephone: str = "111-222-3333"
    state: str | None = None


@dataclass(frozen=True)
class OrderLine:
    sku: str
    qty: int
    price: Decimal


@dataclass(frozen=True)
class Order:
    number: str
    customer_id: int
    po_number: str | None
    status: str
    total: Decimal
    lines: tuple[OrderLine, ...]
    address: Address
    created_at: datetime


class NotCancelable(Exception):
    """The order exists but its status does not allow canceling it."""

    def __init__(self, order: Order) -> None:
        super().__init__(
            f"order {order.number} is {order.status} and cannot be canceled"
        )
        self.order = order


def initial_status(po_number: str | None) -> str:
    """A new order's status: po_submitted with a PO number, else waiting for one."""
    return PO_SUBMITTED if po_number else WAITING_CONFIRMATION


def order_total(lines: Sequence[OrderLine]) -> Decimal:
    """Sum of quantity times unit price, to the cent."""
    return sum((line.price * line.qty for line in lines), Decimal(0)).quantize(
        Decimal("0.01")
    )


class OrderStore:
    """Thread-safe order storage: one connection, serialised by a lock."""

    def __init__(
        self,
        db_path: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._conn = sqlite3.connect(db_path or ":memory:", check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self.clock = clock or (lambda: datetime.now(CHINA_TZ))
        with self._lock, self._conn:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def create(
        self,
        customer_id: int,
        lines: Sequence[OrderLine],
        address: Address,
        po_number: str | None,
        *,
        status: str | None = None,
        total: Decimal | None = None,
    ) -> Order:
        """Store an order and its lines in one transaction; callers validate first.

        Status and total follow ``initial_status`` and ``order_total`` unless given.
        """
        status = initial_status(po_number) if status is None else status
        created = self.clock().astimezone(CHINA_TZ).replace(microsecond=0)
        total = order_total(lines) if total is None else total
        columns = ", ".join(_ADDRESS_COLUMNS)
        marks = ", ".join("?" for _ in _ADDRESS_COLUMNS)
        address_values = [getattr(address, name) for name in _ADDRESS_COLUMNS]
        with self._lock, self._conn:
            cursor = self._conn.execute(
                f"INSERT INTO orders (customer_id, po_number, status, total, {columns},"
                f" created_at, created_ts) VALUES (?, ?, ?, ?, {marks}, ?, ?)",
                [
                    customer_id,
                    po_number,
                    status,
                    str(total),
                    *address_values,
                    created.isoformat(),
                    created.timestamp(),
                ],
            )
            order_id = cursor.lastrowid
            self._conn.executemany(
                "INSERT INTO order_items (order_id, line, sku, qty, price)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (order_id, n, ln.sku, ln.qty, str(ln.price))
                    for n, ln in enumerate(lines)
                ],
            )
        return Order(
            _format_number(order_id),
            customer_id,
            po_number,
            status,
            total,
            tuple(lines),
            address,
            created,
        )

    def get(self, customer_id: int | None, number: str) -> Order | None:
        """The customer's order with this number; another customer's is None too."""
        with self._lock:
            return self._load(customer_id, number)

    def cancel(
        self, customer_id: int | None, number: str, *, persist: bool = True
    ) -> Order | None:
        """Cancel an order: None if unknown, NotCancelable if its status forbids it.

        ``persist=False`` answers the canceled order without storing the change.
        """
        with self._lock, self._conn:
            order = self._load(customer_id, number)
            if order is None:
                return None
            if order.status not in CANCELABLE:
                raise NotCancelable(order)
            if persist:
                self._conn.execute(
                    "UPDATE orders SET status = ? WHERE id = ?",
                    (CANCELED, int(order.number)),
                )
        return dataclasses.replace(order, status=CANCELED)

    def search(
        self,
        customer_id: int | None,
        *,
        status: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[int, list[Order]]:
        """Matching orders newest first, and how many match in all."""
        where: list[str] = []
        params: list[object] = []
        if customer_id is not None:
            where.append("customer_id = ?")
            params.append(customer_id)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if start is not None:
            where.append("created_ts >= ?")
            params.append(start.timestamp())
        if end is not None:
            where.append("created_ts <= ?")
            params.append(end.timestamp())
        condition = " AND ".join(where) or "1"
        with self._lock:
            total = self._conn.execute(
                f"SELECT COUNT(*) FROM orders WHERE {condition}", params
            ).fetchone()[0]
            if offset >= total:
                # Past the last page; also keeps huge page numbers away from SQLite's
                # 64-bit integers.
                return total, []
            # Ids grow with time, so the id also orders orders of the same second.
            rows = self._conn.execute(
                f"SELECT * FROM orders WHERE {condition}"
                " ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
            return total, [self._from_row(row) for row in rows]

    def _load(self, customer_id: int | None, number: str) -> Order | None:
        if not _ORDER_NUMBER.fullmatch(number):
            return None
        query, args = "SELECT * FROM orders WHERE id = ?", [int(number)]
        if customer_id is not None:
            query += " AND customer_id = ?"
            args.append(customer_id)
        row = self._conn.execute(query, args).fetchone()
        return None if row is None else self._from_row(row)

    def _from_row(self, row: sqlite3.Row) -> Order:
        lines = tuple(
            OrderLine(item["sku"], item["qty"], Decimal(item["price"]))
            for item in self._conn.execute(
                "SELECT sku, qty, price FROM order_items"
                " WHERE order_id = ? ORDER BY line",
                (row["id"],),
            )
        )
        address = Address(**{name: row[name] for name in _ADDRESS_COLUMNS})
        return Order(
            number=_format_number(row["id"]),
            customer_id=row["customer_id"],
            po_number=row["po_number"],
            status=row["status"],
            total=Decimal(row["total"]),
            lines=lines,
            address=address,
            created_at=datetime.fromisoformat(row["created_at"]),
        )


def _format_number(order_id: int | None) -> str:
    if order_id is None:
        raise RuntimeError("SQLite returned no id for an inserted order")
    return f"{order_id:09d}"
