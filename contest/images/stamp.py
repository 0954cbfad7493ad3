"""The one piece of metadata the served copies carry: the IPTC digital source type, in XMP.

Korea's AI Basic Act expects distributed generative-AI output to be recognisable as such, also
by machine: a display copy or thumbnail downloaded from the gallery still says it was made with
AI. Nothing else goes in (no tool, no author, no date, no place); copies.py writes no EXIF or
colour profile.
"""

from __future__ import annotations

from contest.images.provenance.record import COMPOSITE, IPTC_PREFIX, TRAINED

# The part of a copy's object key that names its stamp (objects.keys_for).
TAGS = {TRAINED: "ai", COMPOSITE: "ai-composite"}


def source_type_xmp(code: str) -> bytes:
    """An XMP packet stating ``code`` (TRAINED or COMPOSITE) as the digital source type."""
    if code not in TAGS:
        raise ValueError(f"not a stamp: {code}")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        f"<Iptc4xmpExt:DigitalSourceType>{IPTC_PREFIX}{code}</Iptc4xmpExt:DigitalSourceType>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    ).encode()
