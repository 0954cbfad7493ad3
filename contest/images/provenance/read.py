"""One entry point: what an upload says about its making, as a bounded record."""

from __future__ import annotations

from pathlib import Path

from contest.images.provenance.c2pa_read import DEADLINE, read_c2pa
from contest.images.provenance.containers import find_blocks
from contest.images.provenance.embedded import read_embedded
from contest.images.provenance.known import product, tool_named, vendor
from contest.images.provenance.record import Provenance, bounded


def read_provenance(
    data: bytes, fmt: str, *, deadline: float = DEADLINE, trust_anchors: Path | None = None
) -> Provenance:
    """Read ``data`` (an upload already known to be ``fmt``) before its metadata is dropped.
    Never raises for what the file holds: damage reads as "nothing said", a manifest that cannot
    be read in time as C2pa.UNREADABLE."""
    blocks = find_blocks(data, fmt)
    embedded = read_embedded(blocks)
    found = read_c2pa(
        data, fmt, manifest_bytes=blocks.c2pa_bytes, deadline=deadline, trust_anchors=trust_anchors
    )
    agents = [agent for _, _, agent in found.actions if agent]
    generator = product(found.generator)
    created = [source for action, source, _ in found.actions if source]
    return bounded(
        c2pa=found.state,
        tool=tool_named(found.generator, *agents) or generator,
        signer=vendor(found.issuer),
        actions=tuple(action for action, _, _ in found.actions),
        c2pa_source=created[0] if created else "",
        xmp_source=embedded.xmp_source,
        software=embedded.software,
        texts=embedded.texts,
        prompt=embedded.prompt,
        model=embedded.model,
        seed=embedded.seed if embedded.seed.isdigit() else "",
    )
