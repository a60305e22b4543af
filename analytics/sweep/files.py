"""A sweep as one Parquet file, and back.

Columns: sample, part, one per varied input (field names, in the field's unit), status,
dependence_before_pct, dependence_after_pct, financing_used_musd, message and link_query (open that
scenario in the app with ?<link_query>). The file's key-value metadata (key 'heartland.sweep', JSON) holds
the design (method, seed, base samples, each input's range, the base scenario's link query), the data and
app versions, and the Sobol' indices computed when it was written.

Reading is bounded and trusts nothing: at most MAX_FILE_BYTES read, the row count, column count and
decoded sizes checked from the footer before any data is decoded, only the numeric columns read, in
batches, with the bytes actually decoded counted as they arrive.
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics import APP_VERSION
from analytics.data import store
from analytics.model.scenario import decode, encode
from analytics.sweep.design import METHODS, Design, Range, field_for, ranges
from analytics.sweep.indices import Indices
from analytics.sweep.solve import Sweep

META_KEY = b"heartland.sweep"
FORMAT = 1
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 64
MAX_DECODED_BYTES = 256 * 1024 * 1024
NUMERIC = ("dependence_before_pct", "dependence_after_pct", "financing_used_musd")


def to_table(sweep: Sweep, indices: Indices | None = None) -> pa.Table:
    """The sweep as an Arrow table with its design (and indices) in the metadata."""
    d = sweep.design
    meta = {"format": FORMAT, "app_version": APP_VERSION, "data_version": store.data_version(),
            "method": d.method, "seed": d.seed, "n_base": d.n_base, "complete": sweep.complete,
            "seconds": round(sweep.seconds, 3), "workers": sweep.workers,
            "base_link_query": encode(d.base),
            "inputs": [{"name": r.name, "key": r.field.key, "lo": r.lo, "hi": r.hi} for r in d.ranges]}
    if indices is not None:
        meta["indices"] = {"method": indices.method, "used": indices.used, "left_out": indices.left_out,
                           "note": indices.note, "table": _records(indices.table)}
    table = pa.Table.from_pandas(sweep.results, preserve_index=False)
    return table.replace_schema_metadata({**(table.schema.metadata or {}), META_KEY: json.dumps(meta).encode()})


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
            for row in df.to_dict("records")]


def write(sweep: Sweep, path: str | Path, indices: Indices | None = None) -> Path:
    """Write the sweep to `path` (zstd-compressed Parquet)."""
    path = Path(path)
    pq.write_table(to_table(sweep, indices), path, compression="zstd")
    return path


def to_bytes(sweep: Sweep, indices: Indices | None = None) -> bytes:
    buf = io.BytesIO()
    pq.write_table(to_table(sweep, indices), buf, compression="zstd")
    return buf.getvalue()


@dataclass(frozen=True)
class Loaded:
    sweep: Sweep
    notices: tuple[str, ...]


def _unreadable(why: str) -> ValueError:
    return ValueError(f"This is not a Heartland sweep file that can be opened: {why}")


def read(data: bytes) -> Loaded:
    """The sweep in a Parquet file written by `write` (bytes, e.g. an upload). Raises ValueError saying why
    a file cannot be used; never reads more than the limits above."""
    if not isinstance(data, (bytes, bytearray)):
        raise _unreadable("no file content.")
    if len(data) > MAX_FILE_BYTES:
        raise _unreadable(f"it is {len(data) / 1e6:,.1f} MB; at most {MAX_FILE_BYTES / 1e6:,.0f} MB are read.")
    try:
        pf = pq.ParquetFile(pa.BufferReader(bytes(data)))
        meta_raw = (pf.schema_arrow.metadata or {}).get(META_KEY)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _unreadable(f"it is not a Parquet file ({type(exc).__name__}).") from None
    if meta_raw is None or len(meta_raw) > 1_000_000:
        raise _unreadable("it has no Heartland sweep description (write it with `python -m heartland sweep`).")
    md = pf.metadata
    if md.num_rows > MAX_ROWS or md.num_columns > MAX_COLUMNS:
        raise _unreadable(f"it has {md.num_rows:,} rows and {md.num_columns} columns; at most {MAX_ROWS:,} rows "
                          f"and {MAX_COLUMNS} columns are read.")
    design_meta = _design_meta(meta_raw)
    rs, base, notices = design_meta["ranges"], design_meta["base"], design_meta["notices"]
    wanted = ["sample", "part", *[r.name for r in rs], *NUMERIC]
    schema = pf.schema_arrow
    missing = [c for c in wanted if c not in schema.names]
    if missing:
        raise _unreadable(f"columns missing: {', '.join(missing)}.")
    not_numeric = [c for c in wanted if not (pa.types.is_integer(schema.field(c).type)
                                             or pa.types.is_floating(schema.field(c).type))]
    if not_numeric:
        raise _unreadable(f"these columns are not numbers: {', '.join(not_numeric)}.")
    claimed = sum(md.row_group(i).column(j).total_uncompressed_size for i in range(md.num_row_groups)
                  for j in range(md.num_columns) if md.row_group(i).column(j).path_in_schema in wanted)
    if claimed > MAX_DECODED_BYTES:
        raise _unreadable(f"its columns decode to {claimed / 1e6:,.0f} MB; at most "
                          f"{MAX_DECODED_BYTES / 1e6:,.0f} MB are read.")
    batches, decoded, rows = [], 0, 0
    try:
        for batch in pf.iter_batches(batch_size=65_536, columns=wanted):
            decoded += batch.nbytes
            rows += batch.num_rows
            if decoded > MAX_DECODED_BYTES or rows > MAX_ROWS:
                raise _unreadable("it holds more data than its description says; it was not read further.")
            batches.append(batch)
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(f"its data cannot be decoded ({type(exc).__name__}).") from None
    results = pa.Table.from_batches(batches, schema=pa.schema([schema.field(c) for c in wanted])).to_pandas()
    for c in wanted:
        results[c] = pd.to_numeric(results[c], errors="coerce")
    results["status"] = results.dependence_after_pct.map(lambda v: "optimal" if math.isfinite(v) else "no plan")
    n_base = int(results["sample"].max()) + 1 if len(results) else 0
    method = design_meta["method"]
    if n_base > MAX_ROWS or (len(results) and results["sample"].min() < 0):
        raise _unreadable("its sample numbers are not those of a sweep.")
    table = results[["sample", "part", *[r.name for r in rs]]]
    design = Design(base, rs, method, max(n_base, int(design_meta["n_base"])), int(design_meta["seed"]), table)
    sweep = Sweep(design, results, bool(design_meta["complete"]), float(design_meta["seconds"]))
    return Loaded(sweep, notices)


def _design_meta(raw: bytes) -> dict:
    try:
        meta = json.loads(raw)
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError("format")
        method = meta["method"]
        if method not in METHODS:
            raise ValueError("method")
        rs = []
        for item in meta["inputs"][:64]:
            rs.append(Range(field_for(str(item["name"])[:40]), float(item["lo"]), float(item["hi"])))
        rs = list(ranges(rs))
        base_query = meta.get("base_link_query") or {}
        if not isinstance(base_query, dict) or len(base_query) > 64:
            raise ValueError("base")
        decoded = decode({str(k)[:40]: str(v)[:100] for k, v in base_query.items()})
        seed, n_base = int(meta.get("seed", 0)), int(meta.get("n_base", 0))
        seconds = float(meta.get("seconds", 0.0))
        if not (0 <= n_base <= MAX_ROWS and math.isfinite(seconds)):
            raise ValueError("sizes")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _unreadable(f"its sweep description cannot be read ({exc}).") from None
    return {"method": method, "ranges": tuple(rs), "base": decoded.scenario, "notices": decoded.notices,
            "seed": seed, "n_base": n_base, "complete": bool(meta.get("complete", True)), "seconds": seconds}


def open_sweep(data: bytes) -> tuple[Loaded, Indices]:
    """read() and the Sobol' indices of the file's rows (recomputed, with the file's seed: never taken on trust
    from its metadata). Raises ValueError as read() does."""
    from analytics.sweep import indices

    loaded = read(data)
    return loaded, indices.sobol(loaded.sweep.design, loaded.sweep.results, seed=loaded.sweep.design.seed)
