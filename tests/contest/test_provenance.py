"""What an upload says about its making, read from real-format files built in
tests/provenance_samples.py: recorded correctly, or refused safely within a bounded time."""

from __future__ import annotations

import json

import pytest

from contest.images.provenance.c2pa_read import MAX_MANIFEST, read_c2pa
from contest.images.provenance.containers import MAX_TEXT, find_blocks
from contest.images.provenance.read import read_provenance
from contest.images.provenance.record import COMPOSITE, TRAINED, C2pa, Provenance, Texts
from tests import provenance_samples as samples


@pytest.fixture(scope="module")
def chain() -> samples.Chain:
    return samples.test_chain()


def test_stable_diffusion_parameters_give_prompt_model_and_seed() -> None:
    record = read_provenance(samples.sd_png(), "PNG")
    assert record.texts == Texts.A1111
    assert record.prompt == "poster of Incheon bridge at sunset, citizens walking, vivid colours"
    assert record.model == "v1-5-pruned-emaonly"
    assert record.seed == "1234567"
    assert record.c2pa == C2pa.NONE and record.generative


def test_comfyui_prompt_graph_keeps_no_path_or_user() -> None:
    record = read_provenance(samples.comfyui_png(), "PNG")
    assert (record.texts, record.prompt, record.seed) == (
        Texts.COMFYUI,
        "a clean city poster",
        "987654",
    )
    assert record.model == "sd_xl_base_1.0"  # the folder C:\Users\kim\models is dropped
    assert "kim" not in json.dumps(record.to_json())


@pytest.mark.parametrize(("make", "fmt"), [(samples.xmp_jpeg, "JPEG"), (samples.xmp_png, "PNG")])
def test_iptc_digital_source_type_in_xmp(make, fmt) -> None:  # type: ignore[no-untyped-def]
    record = read_provenance(make(), fmt)
    assert record.xmp_source == TRAINED and record.source_type == TRAINED
    assert record.generative
    stored = json.dumps(record.to_json())
    assert "mj_user_kim" not in stored and "Job ID" not in stored  # the creator is not kept


def test_composite_source_type_is_kept_as_such() -> None:
    assert read_provenance(samples.xmp_png(source=COMPOSITE), "PNG").xmp_source == COMPOSITE


def test_exif_software_is_kept_but_no_location() -> None:
    record = read_provenance(samples.xmp_jpeg(), "JPEG")
    assert record.software == "Midjourney"
    assert "126" not in json.dumps(record.to_json())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_c2pa_signed_image_is_read_and_validated(chain: samples.Chain, fmt: str) -> None:
    record = read_provenance(samples.c2pa_signed(chain, fmt=fmt), fmt)
    assert record.c2pa == C2pa.VALID
    assert record.tool == "Adobe Firefly"
    assert record.signer == "Adobe"
    assert record.actions == ("c2pa.created",)
    assert record.c2pa_source == TRAINED


def test_a_trust_anchor_makes_the_signer_trusted(chain: samples.Chain, tmp_path) -> None:  # type: ignore[no-untyped-def]
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(chain.root)
    record = read_provenance(samples.c2pa_signed(chain), "JPEG", trust_anchors=anchors)
    assert record.c2pa == C2pa.TRUSTED


def test_personal_signer_is_not_recorded() -> None:
    person = samples.test_chain(organisation="Kim Minsu", common_name="Kim Minsu")
    record = read_provenance(samples.c2pa_signed(person, generator="DALL-E 3"), "JPEG")
    assert record.c2pa == C2pa.VALID and record.tool == "ChatGPT / DALL·E"
    assert record.signer == ""
    assert "Kim" not in json.dumps(record.to_json())


def test_a_changed_file_does_not_validate(chain: samples.Chain) -> None:
    record = read_provenance(samples.tampered(samples.c2pa_signed(chain)), "JPEG")
    assert record.c2pa == C2pa.INVALID and record.tool == "Adobe Firefly"


def test_malformed_manifest_is_unreadable_not_a_crash() -> None:
    assert read_provenance(samples.malformed_manifest(), "JPEG").c2pa == C2pa.UNREADABLE


def test_deeply_nested_manifest_is_unreadable() -> None:
    assert read_provenance(samples.nested_manifest(), "JPEG").c2pa == C2pa.UNREADABLE


def test_manifest_too_large_is_not_handed_to_the_library() -> None:
    data = samples.oversized_manifest()
    blocks = find_blocks(data, "JPEG")
    assert blocks.c2pa_bytes > MAX_MANIFEST
    finding = read_c2pa(data, "JPEG", manifest_bytes=blocks.c2pa_bytes)
    assert (finding.state, finding.problem) == (C2pa.UNREADABLE, "too_large")


def test_a_reader_past_its_deadline_is_stopped(chain: samples.Chain) -> None:
    """The child is killed at the deadline (here shorter than the library takes to load) and
    the manifest is recorded as unreadable."""
    data = samples.c2pa_signed(chain)
    finding = read_c2pa(data, "JPEG", manifest_bytes=1000, deadline=0.001)
    assert (finding.state, finding.problem) == (C2pa.UNREADABLE, "timeout")


def test_compressed_text_bomb_is_inflated_only_to_its_cap() -> None:
    blocks = find_blocks(samples.ztxt_bomb(), "PNG")
    assert len(blocks.texts["parameters"]) == MAX_TEXT
    record = read_provenance(samples.ztxt_bomb(), "PNG")
    assert record.texts == Texts.A1111 and len(record.prompt) == 1000


def test_plain_file_says_nothing() -> None:
    from tests.factories import poster_bytes

    assert read_provenance(poster_bytes(1), "PNG").empty
    assert read_provenance(poster_bytes(1, fmt="JPEG"), "JPEG").to_json() == {"v": 1}


def test_record_json_round_trip_and_bounds(chain: samples.Chain) -> None:
    record = read_provenance(samples.c2pa_signed(chain), "JPEG")
    assert Provenance.from_json(record.to_json()) == record
    assert Provenance.from_json({"v": 99, "c2pa": "valid"}) == Provenance()
    hostile = Provenance.from_json({"v": 1, "c2pa": "bogus"})
    assert hostile == Provenance()
    long = Provenance.from_json({"v": 1, "prompt": "x" * 10_000, "tool": "\x07" + "t" * 500})
    assert len(long.prompt) == 1000 and len(long.tool) == 60 and "\x07" not in long.tool
