"""Hostile files for the tests and the fuzzing: zip archives written byte by byte (so their headers
can lie about sizes), zip bombs, and CSVs that break the usual assumptions."""
from __future__ import annotations

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
