"""A statement every page asks, written once per process from the models' own metadata and, on
PostgreSQL, prepared once per connection.

Django builds a queryset's SQL anew on every request, and PostgreSQL plans it anew: for the case
page's access decision (five tables) that was a millisecond and a half of Python and most of a
millisecond of the database's time, on every page (bench/README.md, 2026-12-08). A `Statement` holds
the SQL and, for each model it reads, the columns in order; its rows become model instances as the
ORM makes them (`Model.from_db`, each field's converters from the database), so what a caller gets
is what the queryset would have given it. Only for reads asked on every request: anything else is
the ORM's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper


def table(model: type[models.Model]) -> str:
    """A model's table, quoted for the database: statements name tables from the models, never by hand."""
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class Columns:
    """One model's columns in a statement: `alias.column` for every concrete field, in field order."""

    model: type[models.Model]
    alias: str

    @property
    def fields(self) -> list[models.Field]:
        return list(self.model._meta.concrete_fields)

    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(str(field.column))}" for field in self.fields)


class Statement:
    """SELECT <each model's columns>, <extra columns> FROM … : see the module's docstring."""

    def __init__(self, models_read: Sequence[Columns], extra: Sequence[str], rest: str):
        self.models_read = list(models_read)
        self.extra = list(extra)
        self.rest = rest
        self._sql: str | None = None
        self._laid_out: list[tuple[type[models.Model], list[str], list[list[tuple[Any, Any]]]]] | None = None

    @property
    def sql(self) -> str:
        if self._sql is None:
            columns = [part.sql() for part in self.models_read] + self.extra
            self._sql = f"SELECT {', '.join(columns)} {self.rest}"
        return self._sql

    def _layout(self) -> list[tuple[type[models.Model], list[str], list[list[tuple[Any, Any]]]]]:
        """Each model read: its fields' attribute names and converters, in the statement's column order
        (worked out once, not for every row)."""
        if self._laid_out is None:
            layout = []
            for part in self.models_read:
                converters = []
                for field in part.fields:
                    column = field.get_col(part.alias)
                    converters.append([(convert, column) for convert in
                                       connection.ops.get_db_converters(column) + field.get_db_converters(connection)])
                layout.append((part.model, [field.attname for field in part.fields], converters))
            self._laid_out = layout
        return self._laid_out

    def rows(self, params: Sequence[Any]) -> list[tuple[list[models.Model], tuple[Any, ...]]]:
        """Each row as (one instance per model read, in order; the extra columns' values)."""
        layout = self._layout()
        result = []
        for row in fetch(self.sql, params):
            instances, start = [], 0
            for model, attnames, converters in layout:
                values = list(row[start:start + len(attnames)])
                for position, field_converters in enumerate(converters):
                    for convert, column in field_converters:
                        values[position] = convert(values[position], column, connection)
                instances.append(model.from_db(connection.alias, attnames, values))
                start += len(attnames)
            result.append((instances, tuple(row[start:])))
        return result


def fetch(sql: str, params: Sequence[Any], using: BaseDatabaseWrapper | None = None) -> list[tuple[Any, ...]]:
    """The rows of one read asked on every request; on PostgreSQL prepared once per connection."""
    db = using or connection
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    db.ensure_connection()
    started = time.monotonic()
    # Django's own cursors bind on the client (the values written into the text), which PostgreSQL
    # cannot keep a plan for; this one binds on the server and keeps the plan for the connection.
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as cursor:
        cursor.execute(sql, list(params), prepare=True)
        rows = cursor.fetchall()
    if db.queries_logged:
        # Counted like every other statement (the query budgets of the tests, DEBUG's list).
        db.queries_log.append({"sql": f"{sql} -- {list(params)!r}",
                                       "time": f"{time.monotonic() - started:.3f}"})
    return rows
