"""Optionally, the served copies signed with a C2PA manifest naming the contest as publisher.

Off unless an operator supplies a signing certificate and key (CONTEST_C2PA_CERT,
CONTEST_C2PA_KEY; see README). The manifest says what the XMP stamp says (the digital source
type) and who published the copy, so a downloaded copy can be checked with any C2PA reader. The
copies are the contest's own bytes, so they are signed in process (about 0.1 s a copy).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import c2pa

from contest.core.config import Settings
from contest.images.provenance.record import IPTC_PREFIX

MIME = {"JPEG": "image/jpeg", "WEBP": "image/webp"}
# No thumbnail inside the manifest (the copy is its own picture); no read-back after signing.
CONTEXT = {"builder": {"thumbnail": {"enabled": False}}, "verify": {"verify_after_sign": False}}


@dataclass(frozen=True)
class Publisher:
    name: str
    certificates: bytes  # PEM chain, signing certificate first
    key: bytes  # PEM private key
    algorithm: str  # es256, es384, ps256, ed25519

    def sign(self, data: bytes, fmt: str, source_type: str) -> bytes:
        """``data`` (a copy in ``fmt``) with a manifest: created as ``source_type``, published
        by the contest."""
        manifest = {
            "claim_generator_info": [{"name": self.name}],
            "title": self.name,
            "assertions": [
                {
                    "label": "c2pa.actions",
                    "data": {
                        "actions": [
                            {
                                "action": "c2pa.created",
                                "digitalSourceType": IPTC_PREFIX + source_type,
                            },
                            {"action": "c2pa.published"},
                        ]
                    },
                }
            ],
        }
        info = c2pa.C2paSignerInfo(self.algorithm.encode(), self.certificates, self.key, None)
        out = io.BytesIO()
        with (
            c2pa.Context.from_dict(CONTEXT) as context,
            c2pa.Signer.from_info(info) as signer,
            c2pa.Builder(manifest, context=context) as builder,
        ):
            builder.sign(signer, MIME[fmt], io.BytesIO(data), out)
        return out.getvalue()


def publisher(settings: Settings | None) -> Publisher | None:
    """The contest as publisher, when the operator configured a certificate; else None."""
    if settings is None or settings.c2pa_cert is None or settings.c2pa_key is None:
        return None
    return Publisher(
        settings.c2pa_publisher,
        settings.c2pa_cert.read_bytes(),
        settings.c2pa_key.read_bytes(),
        settings.c2pa_alg,
    )
