"""Hostile files for the tests and the fuzzing: zip archives written byte by byte (so their headers
can lie about sizes), zip bombs, and CSVs that break the usual assumptions."""
from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

STORED, DEFLATED, BZIP2 = 0, 8, 12


@dataclass(frozen=True)
class Entry:
    name: str
    payload: bytes            # as stored in the archive (raw deflate for DEFLATED)
    size: int                 # uncompressed size the headers claim
    crc: int
    method: int = DEFLATED


def entry(name: str, data: bytes, *, method: int = DEFLATED, claim: int | None = None) -> Entry:
    """An entry holding `data`; `claim` replaces the size the headers state."""
    if method == DEFLATED:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        payload = c.compress(data) + c.flush()
    elif method == BZIP2:
        import bz2
        payload = bz2.compress(data)
    else:
        payload = data
    return Entry(name, payload, len(data) if claim is None else claim, zlib.crc32(data), method)


@lru_cache(maxsize=4)
def deflated_zeros(n_mib: int) -> tuple[bytes, int]:
    """(raw deflate stream, crc32) of n_mib MiB of zero bytes, built without holding them: after a full
    flush a deflate stream starts afresh, so one compressed MiB repeats."""
    mib = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = last.compress(mib) + last.flush()
    crc = 0
    for _ in range(n_mib):
        crc = zlib.crc32(mib, crc)
    return block * (n_mib - 1) + tail, crc


def bomb(name: str = "inputs.json", n_mib: int = 1024, claim: int | None = 200) -> Entry:
    """An entry that inflates to n_mib MiB of zeros while its headers claim `claim` bytes (None: the truth)."""
    payload, crc = deflated_zeros(n_mib)
    return Entry(name, payload, (n_mib << 20) if claim is None else claim, crc, DEFLATED)


def zip_bytes(entries: list[Entry]) -> bytes:
    """A zip archive of these entries, headers written as the entries say (sizes may lie)."""
    local, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode()
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, e.method, 0, 0x21, e.crc, len(e.payload),
                             e.size, len(name), 0) + name + e.payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, e.method, 0, 0x21, e.crc,
                               len(e.payload), e.size, len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    return bytes(local + central + end)


# ----------------------------------------------------------------------------- markup

# Text a hostile user types, and what it would become if it reached markdown unescaped.
MARKERS = ("<img src=x onerror=alert(1)>", "[x](http://evil.example/)", "![i](http://evil.example/i.png)")
_LEAK = ("<img", "](http://evil.example")


def _markdown_texts(at) -> list[tuple[str, str]]:
    """(element type, markdown source) of every element an AppTest run drew that renders markdown."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader",
                 "toast"):
        for el in getattr(at, kind, []):
            out.append((kind, str(el.value)))
    for m in at.metric:
        out += [("metric label", str(m.label)), ("metric help", str(m.proto.help))]
    for kind in ("expander",):
        for el in getattr(at, kind, []):
            out.append((kind, str(el.label)))
    for kind in ("slider", "selectbox", "multiselect", "text_input", "text_area", "radio", "number_input",
                 "toggle", "select_slider", "button", "checkbox"):
        for el in getattr(at, kind, []):
            out += [(f"{kind} label", str(el.label)), (f"{kind} help", str(getattr(el, "help", "") or ""))]
    return out


def markup_leaks(at) -> list[str]:
    """The markdown sources in which hostile text survived unescaped: a backslash-escaped character is
    shown as itself, so escaped pairs are dropped before looking."""
    leaks = []
    for kind, text in _markdown_texts(at):
        bare = re.sub(r"\\.", "", text)
        if any(marker in bare for marker in _LEAK):
            leaks.append(f"{kind}: {text[:200]}")
    return leaks


# ----------------------------------------------------------------------------- Hypothesis strategies

def strategies():
    """The Hypothesis strategies for hostile links, CSV uploads and bundles (imported lazily: the load
    script and the app never need Hypothesis)."""
    import json

    from hypothesis import strategies as st

    from analytics.data import upload
    from analytics.model.scenario import FIELDS

    numbers = st.sampled_from(["0", "1", "250", "  250  ", "1_000", "+5", "-5", "0x10", "1e2", "1e308", "-1e308",
                               "1e-320", "nan", "NaN", "inf", "-inf", "Infinity", "9" * 400, "2030.0", "2031.5",
                               "1,000", ".5", "5.", "\u0662\u0665\u0660", "\uff12\uff15\uff10", "0" * 50 + "1"])
    hostile_text = st.one_of(
        st.sampled_from([*MARKERS, "=HYPERLINK(\"http://evil.example\")", "@SUM(A1)", "a\u202eb", "\x1b[31mred",
                         "\x9b2J", "\u2066x\u2069", "", " ", "'", '"', "%00", "%", "&amp;", "<script>", "**bold**",
                         ":material/warning:", "$\\frac{1}{0}$", "whole", "all", "tungsten", "x" * 5000]),
        st.text(max_size=40),
        st.text(st.characters(codec="utf-8"), max_size=200),
    )
    value = st.one_of(numbers, hostile_text, st.integers(-10**30, 10**30).map(str),
                      st.floats(allow_nan=True, allow_infinity=True).map(repr))
    keys = st.sampled_from([f.key for f in FIELDS] + ["v", "s", "zzz", "", "EXIM", "exim ", "v2"])
    choice_values = {f.key: st.sampled_from(f.choices) for f in FIELDS if f.choices}

    def link():
        """Every key with hostile values (a key may repeat), and every objective x mode."""
        plain = st.dictionaries(keys, st.one_of(value, st.lists(value, min_size=1, max_size=3)), max_size=8)
        chosen = st.fixed_dictionaries({}, optional={k: s for k, s in choice_values.items()})
        return st.tuples(plain, chosen).map(lambda t: {**t[0], **t[1], "v": t[0].get("v", "1")})

    schema = upload.projects_schema()
    cell_numbers = st.one_of(numbers, st.floats(allow_nan=True, allow_infinity=True).map(repr),
                             st.floats(0, 1e9).map(lambda x: f"{x:.6g}"), st.integers(0, 100).map(str))
    good = {c: str(v) for c, v in upload.EXAMPLE.items()}

    def cell(col):
        if col in schema.numeric:
            return st.one_of(st.just(good.get(col, "0")), cell_numbers)
        if col in schema.choices:
            return st.one_of(st.sampled_from(schema.choices[col]), hostile_text)
        if col == "mineral_id":
            return st.one_of(st.sampled_from(["tungsten", "uranium", "copper"]), hostile_text)
        return st.one_of(st.just(good.get(col, "x")), hostile_text)

    hostile_row = st.fixed_dictionaries({c: cell(c) for c in schema.columns})

    @st.composite
    def good_row(draw):
        """A row that passes every check but holds extreme values within the bounds and hostile names."""
        r = dict(good)
        for col in set(schema.columns) - set(schema.numeric) - set(schema.boolean) - set(schema.choices) - {
                "mineral_id", "project_id", "source_id"}:
            r[col] = draw(st.one_of(st.just(good.get(col, "")),
                                    st.sampled_from([*MARKERS, "=HYPERLINK(\"http://evil.example\")", "@SUM(A1)",
                                                     "+1", "-1", "**x**", "x" * 200])))
        r["mineral_id"] = draw(st.sampled_from(["tungsten", "uranium", "copper", "rare_earths", "gallium"]))
        for col in schema.choices:
            r[col] = draw(st.sampled_from(schema.choices[col]))
        for col in schema.numeric:
            b = schema.ranges[col]
            if b.whole:
                r[col] = str(draw(st.integers(int(b.lo), int(b.hi))))
            elif not col.startswith("offtake_"):
                r[col] = repr(draw(st.one_of(st.sampled_from([b.lo, b.hi, b.tiny if b.lo <= 0 < b.hi else b.lo]),
                                             st.floats(b.lo, b.hi).filter(lambda x, t=b.tiny: x == 0 or abs(x) >= t))))
        if "capacity_tpy" in r and "output_tpy" in r:
            r["capacity_tpy"] = repr(max(float(r["capacity_tpy"]), float(r["output_tpy"])))
        offtake = [c for c in schema.numeric if c.startswith("offtake_")]
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(offtake) - 1, max_size=len(offtake) - 1)))
        for col, a, z in zip(offtake, [0, *cuts], [*cuts, 100]):
            r[col] = str(z - a)
        return r

    row = st.one_of(good_row(), good_row(), hostile_row)

    @st.composite
    def csv_file(draw):
        """A projects CSV: the schema's header (sometimes shuffled, cut or padded) and rows of hostile
        cells, sometimes with extra or missing fields, odd quoting, a BOM, blank lines or a wide row."""
        import csv as _csv
        import io as _io

        header = list(schema.columns)
        if draw(st.booleans()):
            header = draw(st.permutations(header))
        if draw(st.integers(0, 9)) == 0:
            header = header[: draw(st.integers(0, len(header)))]
        if draw(st.integers(0, 9)) == 0:
            header += draw(st.lists(hostile_text, max_size=3))
        rows = draw(st.lists(row, min_size=0, max_size=6))
        for i, r in enumerate(rows):
            r["project_id"] = r["project_id"] if draw(st.integers(0, 9)) == 0 else f"fuzz-{i}"
        clean = draw(st.integers(0, 2)) == 0  # a third of the files keep the grammar (their rows may still be bad)
        if clean:
            header = list(schema.columns)
        buf = _io.StringIO()
        w = _csv.writer(buf, quoting=draw(st.sampled_from([_csv.QUOTE_MINIMAL, _csv.QUOTE_ALL])),
                        lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
        w.writerow(header)
        for r in rows:
            values = [r.get(c, "") for c in header]
            extra = 99 if clean else draw(st.integers(0, 12))
            if extra == 0:
                values = values + [""]                       # a trailing comma
            elif extra == 1:
                values = values[: draw(st.integers(0, len(values)))]
            elif extra == 2:
                values = values + ["x"] * draw(st.sampled_from([1, 50, 20_000]))
            w.writerow(values)
            if draw(st.integers(0, 9)) == 0:
                buf.write("\n")
        text = buf.getvalue()
        data = text.encode("utf-8")
        tweak = 99 if clean else draw(st.integers(0, 14))
        if tweak == 0:
            data = b"\xef\xbb\xbf" + data
        elif tweak == 1:
            data = data.replace(b",", b";")
        elif tweak == 2:
            data = data[: draw(st.integers(0, len(data)))]
        elif tweak == 3:
            data = text.encode("utf-16")
        elif tweak == 4:
            data = data + b'"unclosed'
        elif tweak == 5:
            data = data + b"\x00"
        return data

    @st.composite
    def good_csv(draw):
        """A projects CSV every row of which passes: extreme values within the bounds, hostile names."""
        import csv as _csv
        import io as _io

        rows = draw(st.lists(good_row(), min_size=1, max_size=6))
        buf = _io.StringIO()
        w = _csv.writer(buf, lineterminator="\n")
        w.writerow(schema.columns)
        for i, r in enumerate(rows):
            r["project_id"] = f"fuzz-{i}"
            w.writerow([r.get(c, "") for c in schema.columns])
        return buf.getvalue().encode()

    inputs_json = st.one_of(
        link().map(lambda p: json.dumps({"url_version": 1, "link": p}).encode()),
        st.recursive(st.none() | st.booleans() | st.floats() | st.text(max_size=20),
                     lambda ch: st.lists(ch, max_size=4) | st.dictionaries(st.text(max_size=8), ch, max_size=4),
                     max_leaves=20).map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=200),
        st.sampled_from([b"[" * 50_000, b'{"link": {"exim": "' + b"9" * 70_000 + b'"}}']),
    )

    @st.composite
    def bundle_file(draw):
        """A zip in the bundle's grammar (inputs.json among other entries), headers that may lie, bombs,
        thousands of entries, other compressions, or no zip at all."""
        kind = draw(st.integers(0, 9))
        if kind == 0:
            return draw(st.binary(max_size=2000))
        if kind == 1:
            return zip_bytes([bomb("inputs.json", n_mib=draw(st.sampled_from([8, 64, 1024])),
                                   claim=draw(st.sampled_from([None, 200, 60_000])))])
        if kind == 2:
            return zip_bytes([entry(f"f{i}", b"") for i in range(draw(st.sampled_from([33, 5000])))]
                             + [entry("inputs.json", b'{"link": {}}')])
        entries = [entry("inputs.json", draw(inputs_json), method=draw(st.sampled_from([DEFLATED, DEFLATED, STORED,
                                                                                        BZIP2])),
                         claim=draw(st.sampled_from([None, None, 0, 10, 10**9])))]
        for name in draw(st.lists(st.sampled_from(["metadata.json", "README.txt", "user_projects.csv",
                                                   "outputs/financing.csv", "../../etc/passwd", "inputs.json"]),
                                  max_size=4)):
            entries.append(entry(name, draw(st.binary(max_size=100))))
        data = zip_bytes(draw(st.permutations(entries)))
        if draw(st.integers(0, 5)) == 0:
            data = data[: draw(st.integers(0, len(data)))]
        return data

    return {"link": link(), "csv": csv_file(), "good_csv": good_csv(), "bundle": bundle_file(), "value": value}
