"""Plain multi-row inserts for the writer's hot path, without building model instances.

The profile of a 10k-message ingest showed the writer spending most of its time in Django's
``bulk_create`` machinery (``Model.__init__``, the insert compiler, per-field ``pre_save`` and
``get_db_prep_save``), not in the database. Here a batch of rows is a list of tuples, written with
one ``executemany`` per statement. Column names and the values that need adapting (JSON, dates)
come from the models' own fields, so what is stored is exactly what ``bulk_create`` stores, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection, models

from dossier.corpus.ingest.rowvalues import sqlite_datetime as _sqlite_datetime
from dossier.corpus.ingest.rowvalues import sqlite_json as _sqlite_json
from dossier.corpus.models import Location

Prep = Callable[[Any], Any] | None


@lru_cache(maxsize=64)
def _statement(
    model: type[models.Model], names: tuple[str, ...], conflict: str
) -> tuple[str, tuple[Prep, ...]]:
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
    sql += f"VALUES ({marks}){conflict}"
    return sql, tuple(_prep(f) for f in fields)


def _prep(field: models.Field) -> Prep:
    """The adaptation a value of this field needs; None when the driver takes it as it is.

    Django's own (``get_db_prep_save``) was a tenth of the writer's time; the two cases on the
    hot path are done directly, as Django does them (``tests/corpus/test_rows.py`` compares)."""
    if connection.vendor == "sqlite" and type(field) is models.DateTimeField:
        return _sqlite_datetime
    if type(field) is models.JSONField and field.encoder is None and connection.vendor == "sqlite":
        return _sqlite_json
    if isinstance(field, models.JSONField | models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    conflict: str = "",
    adapted: bool = False,
) -> None:
    """Insert ``rows`` (tuples in the order of the field ``names``). ``conflict`` is appended
    verbatim: `` ON CONFLICT DO NOTHING`` or an upsert clause, valid on both databases.
    ``adapted``: the values are already as the database takes them (``rowvalues.py``)."""
    sql, preps = _statement(model, tuple(names), conflict)
    adapt = [] if adapted else [(i, p) for i, p in enumerate(preps) if p is not None]
    if adapt:
        rows = [_adapted(row, adapt) for row in rows]
    else:
        rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            cursor.executemany(sql, rows[start : start + 500])


def _adapted(row: Sequence[Any], adapt: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    out = list(row)
    for i, prep in adapt:
        out[i] = prep(out[i])
    return out


def column(model: type[models.Model], name: str) -> str:
    """The quoted column of a field, for the few statements written by hand."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def lookup(model: type[models.Model], key: str, value: str, keys: Iterable[Any]) -> dict[Any, Any]:
    """``{key: value}`` for the rows of ``model`` whose ``key`` is in ``keys``: one indexed query
    per 500 keys, so a batch never exceeds the databases' parameter limits. Plain SQL over
    text or integer columns: the ORM's ``__in`` lookup prepared each of the 500 values and
    compiled the query again each time, 0.8 of the 1.6 s these lookups took per 20,000
    messages under a profiler."""
    keys = list(keys)
    found: dict[Any, Any] = {}
    sql = f"SELECT {column(model, key)}, {column(model, value)} FROM {table(model)} WHERE "
    sql += f"{column(model, key)} IN "
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = padded(keys[start : start + 500])
            cursor.execute(sql + "(" + ", ".join(["%s"] * len(chunk)) + ")", chunk)
            found.update(cursor.fetchall())
    return found


def padded(values: list) -> list:
    """``values`` made up to the next power of two by repeating the last (the same rows match).

    Each length of an ``IN (...)`` list is another statement to compile and keep: lookups of
    every length from 1 to 500 filled the 128 statements the SQLite driver keeps per connection,
    a few MB of the writer's memory that grew through the first 30,000 messages of an ingest."""
    if not values:
        return values
    size = 1 << (len(values) - 1).bit_length()
    return values + [values[-1]] * (size - len(values))


def stored_positions(source_path: str, positions: Sequence[str]) -> set[str]:
    """Which of these positions of one input already have a ``Location``: one indexed query per
    500 positions."""
    path, position = column(Location, "source_path"), column(Location, "position")
    sql = f"SELECT {position} FROM {table(Location)} WHERE {path} = %s AND {position} IN "
    found: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(positions), 500):
            chunk = padded(list(positions[start : start + 500]))
            cursor.execute(sql + "(" + ", ".join(["%s"] * len(chunk)) + ")", [source_path, *chunk])
            found.update(row[0] for row in cursor.fetchall())
    return found
