"""data/datapackage.json, the one description of the reference data.

The Frictionless Data Package lists every table (resource) with its files, title, description, the years
its figures describe (`vintage`), licences and sources, and its schema: every field's name, type,
description, unit (custom `unit` property), constraints (required, unique, minimum / maximum /
exclusiveMinimum, enum, pattern), a field it may not fall below (custom `minimumField`), the primary
key and foreign keys. The database (store.py), the data dictionary (present/methodology.py) and the
upload check read it through this module; nothing else describes a table's columns.

>>> rules = field_rules("world_production")
>>> rules["stage"].enum
('mine', 'refinery', 'smelter', 'reserves', 'capacity')
>>> rules["value"].required, rules["value"].minimum
(True, 0)
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PACKAGE_FILE = "datapackage.json"

_SQL_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN",
              "date": "DATE", "year": "INTEGER", "datetime": "TIMESTAMP"}


@dataclass(frozen=True)
class FieldRule:
    """One column as the package declares it."""

    name: str
    type: str                                   # Table Schema type: string, number, integer, boolean, date
    description: str
    unit: str                                   # "" where the field has none
    required: bool
    unique: bool
    minimum: float | None
    maximum: float | None
    exclusive_minimum: float | None
    enum: tuple[str, ...] | None
    pattern: str | None
    minimum_field: str | None                   # another column of the row this one may not fall below

    @property
    def sql_type(self) -> str:
        return _SQL_TYPES[self.type]


@lru_cache(maxsize=4)
def _load(data_dir: Path) -> dict:
    return json.loads((data_dir / PACKAGE_FILE).read_text(encoding="utf-8"))


def descriptor(data_dir: Path = DATA_DIR) -> dict:
    """The whole datapackage.json as a dict (a fresh copy)."""
    return json.loads(json.dumps(_load(Path(data_dir))))


def resource_names(data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """Every resource (= database table) in the package's order."""
    return tuple(r["name"] for r in _load(Path(data_dir))["resources"])


def resource(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The descriptor of one resource; KeyError names the missing resource."""
    for r in _load(Path(data_dir))["resources"]:
        if r["name"] == name:
            return json.loads(json.dumps(r))
    raise KeyError(f"datapackage.json has no resource {name!r}")


def resource_schema(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The Table Schema of one resource: fields, primaryKey, foreignKeys."""
    return resource(name, data_dir)["schema"]


def resource_paths(name: str, data_dir: Path = DATA_DIR) -> list[Path]:
    """The CSV file(s) of a resource (a multipart resource lists several, concatenated on load)."""
    path = resource(name, data_dir)["path"]
    return [Path(data_dir) / p for p in ([path] if isinstance(path, str) else path)]


def primary_key(name: str, data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    pk = resource_schema(name, data_dir).get("primaryKey", [])
    return (pk,) if isinstance(pk, str) else tuple(pk)


def field_rules(name: str, data_dir: Path = DATA_DIR) -> dict[str, FieldRule]:
    """column -> FieldRule for one resource, in the schema's column order.

    This is what a check of user-supplied rows should follow (e.g. an uploaded projects CSV):
    `required`, `enum`, `minimum` / `maximum` / `exclusive_minimum`, `pattern` and `minimum_field`.
    """
    out: dict[str, FieldRule] = {}
    for f in resource_schema(name, data_dir)["fields"]:
        c = f.get("constraints", {})
        out[f["name"]] = FieldRule(
            name=f["name"], type=f.get("type", "string"), description=f.get("description", ""),
            unit=f.get("unit", ""), required=bool(c.get("required", False)), unique=bool(c.get("unique", False)),
            minimum=c.get("minimum"), maximum=c.get("maximum"), exclusive_minimum=c.get("exclusiveMinimum"),
            enum=tuple(c["enum"]) if "enum" in c else None, pattern=c.get("pattern"),
            minimum_field=f.get("minimumField"))
    return out


def vintage(name: str, data_dir: Path = DATA_DIR) -> str:
    """The years a resource's figures describe, as the package states it (e.g. '2024-2025')."""
    return str(resource(name, data_dir).get("vintage", ""))


def vintage_years(name: str, data_dir: Path = DATA_DIR) -> tuple[int, int] | None:
    """(first, last) year of a resource's vintage, or None where it states none."""
    text = vintage(name, data_dir)
    if not text:
        return None
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def vintage_caption(name: str, data_dir: Path = DATA_DIR) -> str:
    """'World production: USGS Mineral Commodity Summaries 2026; ..., figures for 2024-2025'."""
    r = resource(name, data_dir)
    publishers = "; ".join(s["title"] for s in r.get("sources", []) if s.get("title"))
    years = vintage(name, data_dir)
    text = r.get("title", name)
    if publishers:
        text += f": {publishers}"
    if years:
        text += f", figures for {years}"
    return text


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(float(value)) if isinstance(value, float) else str(int(value))


def create_table_sql(name: str, data_dir: Path = DATA_DIR) -> str:
    """CREATE TABLE for one resource from its schema: types, NOT NULL, UNIQUE, CHECKs and primary key.

    Foreign keys and ';'-separated source ids are checked by the tests (DuckDB's foreign keys would
    fix the load order and forbid updates).
    """
    rules = field_rules(name, data_dir)
    pk = primary_key(name, data_dir)
    lines = []
    for r in rules.values():
        col = _quote(r.name)
        parts = [col, r.sql_type]
        if r.required or r.name in pk:
            parts.append("NOT NULL")
        if r.unique and (pk != (r.name,)):
            parts.append("UNIQUE")
        checks = []
        if r.minimum is not None:
            checks.append(f"{col} >= {_literal(r.minimum)}")
        if r.maximum is not None:
            checks.append(f"{col} <= {_literal(r.maximum)}")
        if r.exclusive_minimum is not None:
            checks.append(f"{col} > {_literal(r.exclusive_minimum)}")
        if r.enum is not None:
            checks.append(f"{col} IN ({', '.join(_literal(v) for v in r.enum)})")
        if r.pattern is not None and r.type == "string":
            checks.append(f"regexp_full_match({col}, {_literal(r.pattern)})")
        if r.minimum_field is not None:
            checks.append(f"{col} >= {_quote(r.minimum_field)}")
        parts += [f"CHECK ({c})" for c in checks]
        lines.append("    " + " ".join(parts))
    if pk:
        lines.append(f"    PRIMARY KEY ({', '.join(_quote(c) for c in pk)})")
    return f"CREATE TABLE {_quote(name)} (\n" + ",\n".join(lines) + "\n);"
