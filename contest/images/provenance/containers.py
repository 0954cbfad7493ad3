"""The metadata blocks of a PNG, JPEG or WebP file, found by walking its container: no pixel is
decoded and nothing is interpreted here.

Each kind of block is capped (MAX_TEXT, MAX_XMP), compressed text is inflated only up to its
cap, and the C2PA manifest store is only located and measured: it goes to the C2PA reader whole
(the library needs the asset to check its hashes) or not at all (c2pa_read.MAX_MANIFEST).
"""

from __future__ import annotations

import contextlib
import struct
import zlib
from dataclasses import dataclass, field

MAX_TEXT = 256 * 1024  # one text chunk (a ComfyUI workflow is tens of kB)
MAX_XMP = 256 * 1024
MAX_BLOCKS = 10_000  # a container with more blocks than this is not walked further
TEXT_KEYS = frozenset({"parameters", "prompt", "workflow", "Software", "XML:com.adobe.xmp"})
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"


@dataclass
class Blocks:
    xmp: bytes = b""
    exif: bytes = b""
    texts: dict[str, str] = field(default_factory=dict)  # only TEXT_KEYS
    jumbf_bytes: int = 0  # total size of the JUMBF blocks (APP11 in JPEG, caBX, C2PA chunks)
    c2pa_label: bool = False  # one of them is labelled as a C2PA manifest store

    @property
    def c2pa_bytes(self) -> int:
        """The size of the C2PA manifest store, 0 when there is none."""
        return self.jumbf_bytes if self.c2pa_label else 0


def find_blocks(data: bytes, fmt: str) -> Blocks:
    """The blocks of ``data`` (already known to be ``fmt``); a damaged container yields what was
    found before the damage."""
    blocks = Blocks()
    walker = {"PNG": _png, "JPEG": _jpeg, "WEBP": _webp}[fmt]
    with contextlib.suppress(struct.error, ValueError, zlib.error, IndexError):
        walker(data, blocks)  # hostile or damaged: what was read before the damage is kept
    return blocks


def _inflate(data: bytes) -> bytes:
    """Inflate at most MAX_TEXT bytes (a zTXt chunk may be a compression bomb)."""
    return zlib.decompressobj().decompress(data, MAX_TEXT)


def _text(blocks: Blocks, key: str, value: bytes, encoding: str) -> None:
    if key == "XML:com.adobe.xmp":
        blocks.xmp = blocks.xmp or value[:MAX_XMP]
    elif key in TEXT_KEYS and key not in blocks.texts:
        blocks.texts[key] = value[:MAX_TEXT].decode(encoding, "replace")


def _png(data: bytes, blocks: Blocks) -> None:
    offset = 8
    for _ in range(MAX_BLOCKS):
        if offset + 8 > len(data):
            return
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        offset += 12 + length
        if kind == b"tEXt":
            key, _, value = body.partition(b"\x00")
            _text(blocks, key.decode("latin-1"), value, "latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            _text(blocks, key.decode("latin-1"), _inflate(rest[1:]), "latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\x00")
            compressed = rest[:1] == b"\x01"
            _language, _, rest = rest[2:].partition(b"\x00")
            _translated, _, value = rest.partition(b"\x00")
            _text(blocks, key.decode("latin-1"), _inflate(value) if compressed else value, "utf-8")
        elif kind == b"eXIf":
            blocks.exif = blocks.exif or body
        elif kind == b"caBX":
            blocks.jumbf_bytes, blocks.c2pa_label = blocks.jumbf_bytes + length, True
        elif kind == b"IEND":
            return


def _jpeg(data: bytes, blocks: Blocks) -> None:
    offset = 2
    for _ in range(MAX_BLOCKS):
        if offset + 4 > len(data) or data[offset] != 0xFF:
            return
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata after this
            return
        length = struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        body = data[offset + 4 : offset + 2 + length]
        offset += 2 + length
        if marker == 0xE1 and body.startswith(XMP_HEADER):
            blocks.xmp = blocks.xmp or body[len(XMP_HEADER) :][:MAX_XMP]
        elif marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            blocks.exif = blocks.exif or body[6:]
        elif marker == 0xEB and body[:2] == b"JP":  # JUMBF, perhaps a C2PA manifest store
            blocks.jumbf_bytes += length
            blocks.c2pa_label = blocks.c2pa_label or b"c2pa" in body[:64]


def _webp(data: bytes, blocks: Blocks) -> None:
    offset = 12
    for _ in range(MAX_BLOCKS):
        if offset + 8 > len(data):
            return
        kind, length = struct.unpack("<4sI", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        offset += 8 + length + (length & 1)
        if kind == b"XMP ":
            blocks.xmp = blocks.xmp or body[:MAX_XMP]
        elif kind == b"EXIF":
            blocks.exif = blocks.exif or body.removeprefix(b"Exif\x00\x00")
        elif kind == b"C2PA":
            blocks.jumbf_bytes, blocks.c2pa_label = blocks.jumbf_bytes + length, True
