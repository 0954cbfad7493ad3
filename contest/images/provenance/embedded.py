"""What the plain metadata says: the IPTC digital source type and creator tool in XMP, a
generator's settings in PNG text chunks (Stable Diffusion web UI's ``parameters``, ComfyUI's
``prompt``), EXIF Software.

XMP is searched with bounded patterns, never handed to an XML parser (no entity can expand);
JSON is parsed only within MAX_TEXT (containers.py) and any failure means "nothing said".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image

from contest.images.provenance.containers import Blocks
from contest.images.provenance.known import model_name, product
from contest.images.provenance.record import Texts

_XMP_VALUE = r"(?:=\s*[\"']([^\"'<>]{1,200})[\"']|>\s*([^<>]{1,200}?)\s*</)"
_SOURCE = re.compile(r"Iptc4xmpExt:DigitalSourceType\s*" + _XMP_VALUE)
_CREATOR_TOOL = re.compile(r"xmp:CreatorTool\s*" + _XMP_VALUE)
_SETTING = re.compile(r"\s*([A-Za-z][\w ]{0,40}):\s*(\"(?:[^\"\\]|\\.)*\"|[^,]*)")
EXIF_SOFTWARE = 0x0131


@dataclass(frozen=True)
class Embedded:
    xmp_source: str = ""
    software: str = ""
    texts: Texts = Texts.NONE
    prompt: str = ""
    model: str = ""
    seed: str = ""


def _xmp_value(pattern: re.Pattern[str], xmp: str) -> str:
    found = pattern.search(xmp)
    return (found.group(1) or found.group(2) or "") if found else ""


def _exif_software(exif: bytes) -> str:
    if not exif:
        return ""
    try:
        value = Image.Exif()
        value.load(exif)
        return str(value.get(EXIF_SOFTWARE, ""))
    except Exception:  # any damage in a hostile EXIF block: nothing said
        return ""


def a1111(text: str) -> tuple[str, str, str]:
    """(prompt, model, seed) from Stable Diffusion web UI's ``parameters``: the prompt, an
    optional "Negative prompt:" line, then one line of "Key: value" settings."""
    lines = text.strip().splitlines()
    settings: dict[str, str] = {}
    if lines and lines[-1].lstrip().startswith("Steps:"):
        settings = {k.strip(): v.strip().strip('"') for k, v in _SETTING.findall(lines.pop())}
    prompt = []
    for line in lines:
        if line.startswith("Negative prompt:"):
            break
        prompt.append(line)
    return "\n".join(prompt), model_name(settings.get("Model", "")), settings.get("Seed", "")


def _linked(graph: dict[str, Any], link: Any) -> dict[str, Any]:
    node = graph.get(str(link[0])) if isinstance(link, list) and link else None
    return node if isinstance(node, dict) else {}


def comfyui(text: str) -> tuple[str, str, str]:
    """(prompt, model, seed) from ComfyUI's ``prompt`` graph: the sampler's seed, the text of
    the node wired to its positive input, the checkpoint loaded."""
    graph = json.loads(text)
    if not isinstance(graph, dict):
        return "", "", ""
    nodes = [n for n in graph.values() if isinstance(n, dict)]
    prompt = model = seed = ""
    for node in nodes:
        inputs = node.get("inputs")
        if not isinstance(inputs, dict):
            continue
        kind = str(node.get("class_type", ""))
        if kind.startswith("KSampler") and not seed:
            value = inputs.get("seed", inputs.get("noise_seed", ""))
            seed = str(value) if isinstance(value, int) else ""
            positive = _linked(graph, inputs.get("positive")).get("inputs", {})
            text_value = positive.get("text") if isinstance(positive, dict) else None
            prompt = text_value if isinstance(text_value, str) else ""
        elif kind.startswith(("CheckpointLoader", "UNETLoader")) and not model:
            name = inputs.get("ckpt_name", inputs.get("unet_name", ""))
            model = model_name(name) if isinstance(name, str) else ""
    return prompt, model, seed


def read_embedded(blocks: Blocks) -> Embedded:
    """What the XMP packet, the text chunks and EXIF say; damage means "nothing said"."""
    xmp = blocks.xmp.decode("utf-8", "replace")
    software = _exif_software(blocks.exif) or blocks.texts.get("Software", "")
    software = product(software or _xmp_value(_CREATOR_TOOL, xmp))
    texts, prompt, model, seed = Texts.NONE, "", "", ""
    try:
        if "parameters" in blocks.texts:
            texts = Texts.A1111
            prompt, model, seed = a1111(blocks.texts["parameters"])
        elif "prompt" in blocks.texts or "workflow" in blocks.texts:
            texts = Texts.COMFYUI
            prompt, model, seed = comfyui(blocks.texts.get("prompt", "{}"))
    except (ValueError, RecursionError, TypeError):
        pass  # a text chunk that is not what it claims: the generator is still named
    return Embedded(_xmp_value(_SOURCE, xmp), software, texts, prompt, model, seed)
