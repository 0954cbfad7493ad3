"""The exhibition kit: QR codes that decode to the poster's link, and a real, readable PDF.

No PDF library is installed, so the checks read the uncompressed PDF directly: pages by their
/Type /Page objects, text by decoding the Tj strings through the fonts' ToUnicode maps, and the
QR code by unwrapping its CCITT G4 image into a TIFF that Pillow decodes and zxing reads.
"""

from __future__ import annotations

import io
import re
import struct
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from contest.core.errors import NotFound, PermissionDenied
from contest.core.models import Entry, Role
from contest.exhibition.labels import INDEX_ROWS_PER_PAGE, entry_qr, exhibition_pdf, labels, qr_png
from contest.runtime import Runtime
from tests.factories import add_entry, create_contest, create_user, submit

KOREAN_TITLE = "바다가 가까운 도시"


def decode_qr(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def pdf_text(pdf: bytes) -> list[str]:
    """Every Tj string decoded with every ToUnicode map (only the right font's map reads well)."""
    cmaps = []
    for block in re.findall(rb"beginbfchar\n(.*?)endbfchar", pdf, re.S):
        pairs = re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", block)
        cmaps.append(
            {int(cid, 16): bytes.fromhex(u.decode()).decode("utf-16-be") for cid, u in pairs}
        )
    texts = []
    # A string is "(" then escaped bytes or anything but a paren or a backslash, then ") Tj":
    # each try stops at the next paren, so the images' bytes cost one pass, not one per "(".
    for raw in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", pdf, re.S):
        raw = re.sub(rb"\\([()\\])", rb"\1", raw).replace(b"\\r", b"\r")
        cids = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        texts.extend("".join(cmap.get(c, "\ufffd") for c in cids) for cmap in cmaps)
    return texts


def embedded_qr_codes(pdf: bytes) -> list[str]:
    """Decode every 1-bit CCITT G4 image in the PDF (fpdf2 stores the QR PNGs that way)."""
    found = []
    pattern = rb"/Columns (\d+) /K -1 /Rows (\d+).*?/Length (\d+).*?stream\n"
    for match in re.finditer(pattern, pdf, re.S):
        width, height, length = (int(g) for g in match.groups())
        data = pdf[match.end() : match.end() + length]
        found.extend(decode_qr(Image.open(io.BytesIO(_g4_tiff(width, height, data)))))
    return found


def _g4_tiff(width: int, height: int, data: bytes) -> bytes:
    tags = [(256, width), (257, height), (258, 1), (259, 4), (262, 0), (273, 0), (277, 1)]
    tags += [(278, height), (279, len(data))]
    offset = 8 + 2 + 12 * len(tags) + 4
    out = b"II*\x00" + struct.pack("<IH", 8, len(tags))
    for tag, value in tags:
        value = offset if tag == 273 else value
        out += struct.pack("<HHII", tag, 4, 1, value)
    return out + struct.pack("<I", 0) + data


@pytest.fixture
def kit(runtime: Runtime) -> dict[str, Any]:
    with runtime.session() as session:
        create_contest(session)
        author = create_user(session, department="해양항공국 해양정책과")
        admin = create_user(session, role=Role.ADMIN)
    first = submit(runtime, author, seed=11, title=KOREAN_TITLE).entry
    second = submit(runtime, author, seed=12, title="모두의 문화 한 걸음").entry
    gone = submit(runtime, author, seed=13, title="철회된 작품").entry
    with runtime.session() as session:
        row = session.get(Entry, gone.id)
        assert row is not None
        row.status = "withdrawn"
        session.add(row)
    return {"author": author, "admin": admin, "ids": [first.id, second.id], "gone": gone.id}


def test_qr_png_decodes_to_the_entry_link(runtime: Runtime, kit: dict[str, Any]) -> None:
    link = runtime.settings.entry_link(kit["ids"][0])
    with runtime.session() as session:
        png = entry_qr(
            session, settings=runtime.settings, actor=kit["admin"], entry_id=kit["ids"][0]
        )
        with pytest.raises(NotFound):
            entry_qr(session, settings=runtime.settings, actor=kit["admin"], entry_id=kit["gone"])
        with pytest.raises(PermissionDenied):
            entry_qr(
                session, settings=runtime.settings, actor=kit["author"], entry_id=kit["ids"][0]
            )
    assert png.startswith(b"\x89PNG")
    assert decode_qr(Image.open(io.BytesIO(png))) == [link]
    assert link == f"https://poster.example.go.kr/?entry={kit['ids'][0]}"
    assert decode_qr(Image.open(io.BytesIO(qr_png("https://x.example/?entry=7")))) == [
        "https://x.example/?entry=7"
    ]


def test_pdf_has_index_labels_korean_text_and_scannable_codes(
    runtime: Runtime, kit: dict[str, Any]
) -> None:
    with runtime.session() as session:
        pdf = exhibition_pdf(
            session,
            store=runtime.store,
            settings=runtime.settings,
            actor=kit["admin"],
            compress=False,
        )
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1 + 2  # the index, then one label per active entry
    assert b"NanumSquare" in pdf
    texts = pdf_text(pdf)
    assert sum(KOREAN_TITLE in t for t in texts) == 2  # in the index and on its label
    assert any("해양항공국 해양정책과" in t for t in texts)
    assert not any("철회된 작품" in t for t in texts)
    links = [runtime.settings.entry_link(i) for i in kit["ids"]]
    assert any(links[0] == t for t in texts)  # the short URL printed under the code
    assert embedded_qr_codes(pdf) == links
    assert pdf.count(b"/Subtype /Image\n/Type /XObject") == 4  # 2 posters + 2 QR codes


def test_pdf_is_admin_only_and_compressed_by_default(runtime: Runtime, kit: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied), runtime.session() as session:
        exhibition_pdf(session, store=runtime.store, settings=runtime.settings, actor=kit["author"])
    with runtime.session() as session:
        pdf = exhibition_pdf(
            session, store=runtime.store, settings=runtime.settings, actor=kit["admin"]
        )
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 3
    assert b"/Filter /FlateDecode" in pdf


def test_index_runs_over_pages_and_missing_pictures_leave_a_frame(runtime: Runtime) -> None:
    with runtime.session() as session:
        contest = create_contest(session)
        author = create_user(session)
        admin = create_user(session, role=Role.ADMIN)
        for _ in range(INDEX_ROWS_PER_PAGE + 1):  # rows only: their pictures are not stored
            add_entry(session, contest=contest, author=author)
    with runtime.session() as session:
        items = labels(session, settings=runtime.settings, actor=admin)
        pdf = exhibition_pdf(session, store=runtime.store, settings=runtime.settings, actor=admin)
    assert [item.number for item in items] == list(range(1, INDEX_ROWS_PER_PAGE + 2))
    assert page_count(pdf) == 2 + INDEX_ROWS_PER_PAGE + 1
