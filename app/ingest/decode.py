"""Bytes to text: gzip sniffing, size limits, encoding and "is this a CSV at all" checks."""

import zlib

from app.errors import FieldProblem, invalid_file, too_large

GZIP_MAGIC = b"\x1f\x8b"


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise invalid_file(f"the gzip stream is corrupt: {exc}") from exc
    if len(out) > max_bytes:
        raise too_large(f"the file decompresses to more than the limit of {max_bytes:,} bytes")
    if not decompressor.eof:
        raise invalid_file(
            "the gzip stream is truncated: it ended before the end-of-stream marker "
            f"after {len(out):,} decompressed bytes"
        )
    return out


def unpack(data: bytes, max_bytes: int) -> bytes:
    """Check the size and undo gzip (with the same limit on the decompressed size)."""
    if len(data) > max_bytes:
        raise too_large(f"the file is {len(data):,} bytes; the limit is {max_bytes:,} bytes")
    return _gunzip(data, max_bytes) if data.startswith(GZIP_MAGIC) else data


def is_tar(data: bytes) -> bool:
    return len(data) > 262 and data[257:262] == b"ustar"


def to_text(data: bytes) -> str:
    if not data.strip():
        raise invalid_file("the file is empty")
    if b"\x00" in data[:65536]:
        raise invalid_file("this is not a CSV file: it contains NUL bytes (binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise invalid_file(
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            [FieldProblem("invalid UTF-8 byte", line=line)],
        ) from exc
    return text
