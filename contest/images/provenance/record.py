"""The typed record of what a file says about its making, and its bounded JSON form.

Tool, software and model names are kept at product level (known.py); a signer only when it is a
known vendor; never an author, a user name, a path or a place. Every text is cut to its limit,
so a stored record stays a few hundred bytes whatever the file held.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

VERSION = 1
# The IPTC NewsCodes vocabulary the digital source type comes from (cv.iptc.org).
IPTC_PREFIX = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = "trainedAlgorithmicMedia"
COMPOSITE = "compositeWithTrainedAlgorithmicMedia"
# The codes that say "made (in part) by generative AI".
GENERATIVE = frozenset({TRAINED, COMPOSITE, "compositeSynthetic", "algorithmicMedia"})
LIMITS = {"tool": 60, "signer": 60, "software": 60, "prompt": 1000, "model": 100, "seed": 20}
MAX_ACTIONS = 8


class C2pa(StrEnum):
    """What became of a C2PA manifest in the file."""

    NONE = "none"  # no manifest
    VALID = "valid"  # signature and hashes check out (the signer is on no configured trust list)
    TRUSTED = "trusted"  # and the signer chains to a trust anchor the operator configured
    INVALID = "invalid"  # read, but the file changed after signing or the signature fails
    UNREADABLE = "unreadable"  # malformed, too large, or not read within the deadline


class Texts(StrEnum):
    """Which generator wrote its settings into the file's text chunks."""

    NONE = "none"
    A1111 = "a1111"  # Stable Diffusion web UI and its kin: a PNG "parameters" chunk
    COMFYUI = "comfyui"  # a ComfyUI "prompt" (or "workflow") chunk


@dataclass(frozen=True)
class Provenance:
    c2pa: C2pa = C2pa.NONE
    tool: str = ""  # the C2PA claim generator, at product level
    signer: str = ""  # the signing certificate's organisation, only when a known vendor
    actions: tuple[str, ...] = ()  # C2PA actions, e.g. c2pa.created, c2pa.edited
    c2pa_source: str = ""  # digital source type named by the C2PA actions (short code)
    xmp_source: str = ""  # IPTC digital source type in the XMP packet (short code)
    software: str = ""  # EXIF Software or XMP CreatorTool, at product level
    texts: Texts = Texts.NONE
    prompt: str = ""
    model: str = ""
    seed: str = ""

    @property
    def source_type(self) -> str:
        """The digital source type the file states, C2PA's (signed) before XMP's."""
        return self.c2pa_source or self.xmp_source

    @property
    def generative(self) -> bool:
        """Whether the file itself says it was made with generative AI."""
        return self.source_type in GENERATIVE or self.texts != Texts.NONE

    @property
    def empty(self) -> bool:
        return self == Provenance()

    def to_json(self) -> dict[str, Any]:
        values = {k: v for k, v in asdict(self).items() if v not in ("", (), C2pa.NONE)}
        if self.texts == Texts.NONE:
            values.pop("texts", None)
        plain = {k: list(v) if k == "actions" else str(v) for k, v in values.items()}
        return {"v": VERSION, **plain}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Provenance:
        """The record stored with an image; a missing or foreign value reads as no record."""
        if not isinstance(data, dict) or data.get("v") != VERSION:
            return cls()
        try:
            return bounded(
                c2pa=C2pa(data.get("c2pa", C2pa.NONE)),
                texts=Texts(data.get("texts", Texts.NONE)),
                actions=tuple(str(a) for a in data.get("actions", ()) if isinstance(a, str)),
                **{f.name: str(data.get(f.name, "")) for f in fields(cls) if f.name in LIMITS},
                c2pa_source=str(data.get("c2pa_source", "")),
                xmp_source=str(data.get("xmp_source", "")),
            )
        except ValueError:
            return cls()


def clean(text: str, limit: int) -> str:
    """One line of printable text, at most ``limit`` characters."""
    printable = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(printable.split())[:limit]


def short_source(value: str) -> str:
    """A digital source type as its short code (``trainedAlgorithmicMedia``), or "" when it is
    not a plain IPTC code."""
    code = (
        value.strip()
        .removeprefix(IPTC_PREFIX)
        .removeprefix("https://cv.iptc.org/newscodes/digitalsourcetype/")
    )
    return code if code.isalnum() and len(code) <= 60 else ""


def bounded(**values: Any) -> Provenance:
    """A record with every text cleaned and cut to its limit."""
    for name, limit in LIMITS.items():
        if name in values:
            values[name] = clean(str(values[name]), limit)
    if "actions" in values:
        values["actions"] = tuple(clean(a, 40) for a in values["actions"] if a)[:MAX_ACTIONS]
    for name in ("c2pa_source", "xmp_source"):
        if name in values:
            values[name] = short_source(str(values[name]))
    return Provenance(**values)
