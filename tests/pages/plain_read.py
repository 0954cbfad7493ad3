"""What a page says, read from AppTest's element tree: every text a person sees or hears that the
script sent (bodies, labels, options, placeholders, help, captions, table cells, chart titles).
Streamlit's own words are not in the tree, so nothing needs excluding; tests/e2e/plain.py reads
the same from Chromium (with axe-core) where the browser adds something.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

# Fields of Streamlit's element and block messages that hold words shown to people.
SHOWN = frozenset(
    {"body", "label", "help", "placeholder", "options", "caption", "delta", "page_name", "alt"}
)
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
TABLES = ("arrow_data_frame", "dataframe", "table")


def _strings(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            for item in items:
                yield from _strings(item)
        elif field.type == FieldDescriptor.TYPE_STRING and field.name in SHOWN:
            yield from (_text(item) for item in items if _text(item))
        elif field.type == FieldDescriptor.TYPE_STRING and field.name == "spec":
            yield from _titles(json.loads(value))  # a chart: its titles and axis titles


def _text(shown: str) -> str:
    """What a person reads of ``shown``: HTML's scripts, styles and tags are not read."""
    return _TAG.sub(" ", _CODE.sub(" ", shown)).strip()


def _titles(spec: Any) -> Iterator[str]:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                yield value
            else:
                yield from _titles(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _titles(item)


def _shown(node: Any) -> Iterator[Any]:
    """The node and what is inside it, but not what a folded expander hides (a browser does
    not show it, and Chromium's reading skips it too)."""
    yield node
    proto = getattr(node, "proto", None)
    if getattr(node, "type", "") == "expandable" and not proto.expandable.expanded:
        return
    for child in getattr(node, "children", {}).values():
        yield from _shown(child)


def _table(node: Any) -> Iterator[str]:
    """A table's column titles (as configured; hidden columns left out) and its filled cells;
    an editable table's cells are what an official typed (a criterion's code), not wording."""
    config = json.loads(getattr(node.proto, "columns", "") or "{}")
    editable = bool(getattr(node.proto, "editing_mode", 0))
    frame = node.value
    for name in frame.columns:
        column = config.get(str(name), {})
        if column.get("hidden"):
            continue
        yield str(column.get("label") or name)
        if not editable:
            yield from (str(c) for c in frame[name] if not pd.isna(c) and str(c).strip())


def read(at: AppTest) -> list[str]:
    """Every shown text of the page AppTest ran last."""
    texts: list[str] = []
    for node in _shown(at._tree):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", "") in TABLES:
            texts.extend(_table(node))
        elif isinstance(proto, Message):
            texts.extend(_strings(proto))
    return texts
