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
