"""Tools and vendors named at product level: what a generator string, a model or a signer's
organisation is recognised as. The tool names are the choices of the entry form
(entries.submissions.AI_TOOLS), so what a file says can be set beside what the author declared.
"""

from __future__ import annotations

import re

# (choice on the entry form, what a file's generator, software or model name says)
TOOLS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("Adobe Firefly", r"firefly"),
        ("ChatGPT / DALL·E", r"dall[\s·.\-_]?e|chatgpt|openai|gpt[\s\-_]?4o|gpt[\s\-_]?image|sora"),
        ("Midjourney", r"midjourney"),
        ("Microsoft Copilot Designer", r"copilot|bing image creator|microsoft designer"),
        ("Google Gemini", r"gemini|imagen|nano[\s\-_]?banana"),
        ("Ideogram", r"ideogram"),
        ("Canva AI", r"canva"),
        ("뤼튼 (Wrtn)", r"wrtn|뤼튼"),
        ("네이버 CLOVA X", r"clova"),
        (
            "Stable Diffusion",
            r"stable[\s\-_]?diffusion|\bsd[\s\-_]?(xl|1\.5|2\.1|3)|sd_xl|sdxl|automatic1111",
        ),
    )
)
# Organisations whose signing certificates name a product vendor, not a person.
VENDORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("Adobe", r"\badobe\b"),
        ("OpenAI", r"\bopenai\b"),
        ("Microsoft", r"\bmicrosoft\b"),
        ("Google", r"\bgoogle\b"),
        ("Truepic", r"\btruepic\b"),
        ("Samsung", r"\bsamsung\b"),
        ("Canva", r"\bcanva\b"),
        ("Midjourney", r"\bmidjourney\b"),
        ("Meta", r"\bmeta platforms\b"),
        ("Shutterstock", r"\bshutterstock\b"),
        ("Leica", r"\bleica\b"),
        ("Sony", r"\bsony\b"),
        ("Nikon", r"\bnikon\b"),
        ("Canon", r"\bcanon\b"),
        ("Qualcomm", r"\bqualcomm\b"),
    )
)
_VERSION = re.compile(r"[\s/_(]v?\d[\w.\-]*.*$")


def tool_named(*texts: str) -> str:
    """The entry form's tool that any of ``texts`` names, or ""."""
    for text in texts:
        for name, pattern in TOOLS:
            if text and pattern.search(text):
                return name
    return ""


def vendor(organisation: str) -> str:
    """A known vendor's name for a certificate organisation, "" for anyone else (a person's
    certificate is never recorded)."""
    for name, pattern in VENDORS:
        if pattern.search(organisation):
            return name
    return ""


def product(text: str) -> str:
    """A software or generator string at product level: ``Adobe_Photoshop/25.1 c2pa-rs/0.3``
    → ``Adobe Photoshop``; paths and versions are dropped."""
    name = text.replace("\\", "/").strip()
    if "/" in name and not re.search(r"/\s*v?\d", name):
        name = name.rsplit("/", 1)[-1]  # a path: keep only its last part
    name = _VERSION.sub("", name.replace("_", " ")).strip(" -.,;:")
    return name if re.fullmatch(r"[\w .+&·\-]{1,60}", name) else ""


def model_name(text: str) -> str:
    """A checkpoint or model name without its folder and file extension."""
    name = text.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"\.(safetensors|ckpt|pt|pth|bin|gguf)$", "", name, flags=re.IGNORECASE)
