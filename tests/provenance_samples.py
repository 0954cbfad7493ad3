"""Files in the formats AI tools really write, built here: a Stable Diffusion web UI PNG with its
``parameters`` chunk, a ComfyUI PNG, an image with the IPTC digital source type in XMP (as
Midjourney writes it), a C2PA-signed image made with c2pa-python and a certificate chain made
here with ``cryptography`` (c2pa refuses a self-signed leaf: a test root CA issues it), and
hostile ones: a malformed manifest, a manifest too large to read, a zTXt compression bomb.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, PngImagePlugin

from tests.factories import poster_bytes

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SD_PARAMETERS = (
    "poster of Incheon bridge at sunset, citizens walking, vivid colours\n"
    "Negative prompt: blurry, watermark\n"
    "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567, Size: 800x1100, "
    'Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Lora hashes: "a: 1, b: 2", '
    "Version: v1.6.0"
)


def _picture(seed: int, fmt: str, **save: Any) -> bytes:
    image = Image.open(io.BytesIO(poster_bytes(seed)))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def sd_png(seed: int = 1) -> bytes:
    """Stable Diffusion web UI's output: the settings in a tEXt ``parameters`` chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", SD_PARAMETERS)
    return _picture(seed, "PNG", pnginfo=info)


def comfyui_png(seed: int = 2) -> bytes:
    """ComfyUI's output: the graph it ran in ``prompt``, its editor state in ``workflow``."""
    graph = {
        "3": {
            "class_type": "KSampler",
            "inputs": {"seed": 987654, "positive": ["6", 0], "negative": ["7", 0]},
        },
        "4": {
            "class_type": "CheckpointLoaderSimple",
            "inputs": {"ckpt_name": "C:\\Users\\kim\\models\\sd_xl_base_1.0.safetensors"},
        },
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a clean city poster"}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, watermark"}},
    }
    info = PngImagePlugin.PngInfo()
    info.add_text("prompt", json.dumps(graph))
    info.add_text("workflow", json.dumps({"nodes": [], "user": "kim"}))
    return _picture(seed, "PNG", pnginfo=info)


def xmp_packet(source: str = "trainedAlgorithmicMedia", creator: str = "mj_user_kim") -> bytes:
    """An XMP packet as Midjourney writes one: the digital source type, a creator (the user's
    name, which must never be kept) and a description with the prompt."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<Iptc4xmpExt:DigitalSourceType>{IPTC}{source}</Iptc4xmpExt:DigitalSourceType>"
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">a harbour poster '
        "--ar 3:4 Job ID: 1b2c</rdf:li></rdf:Alt></dc:description>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def xmp_jpeg(seed: int = 3, source: str = "trainedAlgorithmicMedia") -> bytes:
    """A JPEG with the IPTC digital source type in its XMP (APP1) and a GPS position in EXIF."""
    exif = Image.Exif()
    exif[0x0131] = "Midjourney"
    exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 27.0, 0.0), 3: "E", 4: (126.0, 42.0, 0.0)})
    return _picture(seed, "JPEG", xmp=xmp_packet(source), exif=exif.tobytes(), quality=90)


def xmp_png(seed: int = 4, source: str = "trainedAlgorithmicMedia") -> bytes:
    """A PNG with the same packet in an iTXt ``XML:com.adobe.xmp`` chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(source).decode())
    return _picture(seed, "PNG", pnginfo=info)


@dataclass(frozen=True)
class Chain:
    """A test root CA and the signing certificate it issued (PEM)."""

    certificates: bytes  # leaf then root, as c2pa wants them
    key: bytes
    root: bytes


def test_chain(organisation: str = "Adobe Inc.", common_name: str = "Test Signer") -> Chain:
    """A root CA and a leaf with the key usage C2PA requires (digital signature, e-mail
    protection), valid for a month."""
    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Contest Test Root CA")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(sign=False), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
            )
        )
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return Chain(
        certificates=leaf.public_bytes(pem) + root.public_bytes(pem),
        key=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        root=root.public_bytes(pem),
    )


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def c2pa_signed(
    chain: Chain,
    *,
    generator: str = "Adobe Firefly",
    source: str = "trainedAlgorithmicMedia",
    seed: int = 5,
    fmt: str = "JPEG",
) -> bytes:
    """An image signed the way a C2PA generator signs its output: claim generator, a
    ``c2pa.created`` action with its digital source type and software agent."""
    manifest = {
        "claim_generator_info": [{"name": generator, "version": "3.0"}],
        "title": "poster",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": IPTC + source,
                            "softwareAgent": {"name": generator},
                        }
                    ]
                },
            }
        ],
    }
    mime = {"JPEG": "image/jpeg", "PNG": "image/png"}[fmt]
    info = c2pa.C2paSignerInfo(b"es256", chain.certificates, chain.key, None)
    out = io.BytesIO()
    with c2pa.Signer.from_info(info) as signer, c2pa.Builder(manifest) as builder:
        builder.sign(signer, mime, io.BytesIO(_picture(seed, fmt)), out)
    return out.getvalue()


def tampered(signed: bytes) -> bytes:
    """The signed file with one byte of its picture changed after signing."""
    changed = bytearray(signed)
    changed[-200] ^= 0xFF
    return bytes(changed)


C2PA_UUID = bytes.fromhex("6332706100110010800000AA00389B71")  # the manifest store's box type


def _app11(body: bytes) -> bytes:
    return b"\xff\xeb" + struct.pack(">H", len(body) + 2) + body


def _jumbf(label: bytes, content: bytes) -> bytes:
    """A JUMBF superbox: a description box (type "c2pa" style label) then ``content``."""
    description = b"jumd" + C2PA_UUID + b"\x03" + label + b"\x00"
    boxes = struct.pack(">I", len(description) + 4) + description + content
    return struct.pack(">I", len(boxes) + 4) + b"jumb" + boxes


def _with_segments(jpeg: bytes, segments: list[bytes]) -> bytes:
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def malformed_manifest(seed: int = 6) -> bytes:
    """A JPEG whose APP11 JUMBF claims to be a C2PA manifest store but holds garbage."""
    store = _jumbf(b"c2pa", b"\x00\x00\x00\x10garbage!garbage!")
    return _with_segments(_picture(seed, "JPEG"), _store_segments(store))


def _store_segments(store: bytes) -> list[bytes]:
    """A manifest store cut into APP11 segments, each with its JUMBF header and number."""
    size = 60000
    return [
        _app11(b"JP" + struct.pack(">HI", 1, n + 1) + store[i : i + size])
        for n, i in enumerate(range(0, len(store), size))
    ]


def nested_manifest(seed: int = 7, depth: int = 5000) -> bytes:
    """A manifest store of boxes nested thousands deep (a parser that recurses may overflow its
    stack): small enough to be handed to the reader, which must fail or finish in time."""
    content = b""
    for _ in range(depth):
        content = _jumbf(b"c2pa", content)
    return _with_segments(_picture(seed, "JPEG"), _store_segments(content))


def oversized_manifest(seed: int = 8, megabytes: int = 3) -> bytes:
    """A manifest store of several MB spread over APP11 segments: refused unread."""
    store = _jumbf(b"c2pa", b"\x00" * (megabytes * 1024 * 1024))
    return _with_segments(_picture(seed, "JPEG"), _store_segments(store))


def ztxt_bomb(seed: int = 9) -> bytes:
    """A PNG whose zTXt ``parameters`` chunk inflates to 64 MB."""
    png = _picture(seed, "PNG")
    packed = zlib.compress(b"a" * (64 * 1024 * 1024), 9)
    body = b"parameters\x00\x00" + packed
    chunk = struct.pack(">I", len(body)) + b"zTXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"zTXt" + body) & 0xFFFFFFFF)
    return png[:33] + chunk + png[33:]
