"""Read one C2PA manifest store, in a child process of its own (see c2pa_read.py).

Run as a script (python -I c2pa_worker.py MIME [TRUST_ANCHORS_PEM_FILE]) with the file on stdin;
prints one small JSON summary on stdout. It imports nothing of the app: a manifest that crashes
or exhausts the library ends this process only, and its memory and CPU are capped here.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from pathlib import Path
from typing import Any

MEMORY = 512 * 1024 * 1024  # address space; the library and Python need about 250 MB of it
CPU_SECONDS = 10
MAX_ACTIONS = 8
MAX_TEXT = 200


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _generator(manifest: dict[str, Any]) -> str:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info and isinstance(info[0], dict):
        return _text(info[0].get("name"))
    return _text(manifest.get("claim_generator"))


def _actions(manifest: dict[str, Any]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    assertions = manifest.get("assertions")
    for assertion in assertions if isinstance(assertions, list) else []:
        if not isinstance(assertion, dict) or not str(assertion.get("label", "")).startswith(
            "c2pa.actions"
        ):
            continue
        data = assertion.get("data")
        actions = data.get("actions") if isinstance(data, dict) else None
        for action in actions if isinstance(actions, list) else []:
            if isinstance(action, dict) and len(found) < MAX_ACTIONS:
                agent = action.get("softwareAgent")
                found.append(
                    {
                        "action": _text(action.get("action")),
                        "source": _text(action.get("digitalSourceType")),
                        "agent": _text(agent.get("name") if isinstance(agent, dict) else agent),
                    }
                )
    return found


def summary(data: bytes, mime: str, anchors: str) -> dict[str, Any]:
    import c2pa  # imported under the limits set in main

    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if anchors:
        settings["trust"] = {"user_anchors": anchors}
    context = c2pa.Context.from_dict(settings)
    try:
        reader = c2pa.Reader(mime, io.BytesIO(data), context=context)
        store = json.loads(reader.json())
        state = reader.get_validation_state() or ""
    except c2pa.C2paError.ManifestNotFound:
        return {"state": "none"}
    except c2pa.C2paError as error:
        return {"state": "unreadable", "error": type(error).__name__[:MAX_TEXT]}
    manifests = store.get("manifests") if isinstance(store, dict) else None
    active = manifests.get(store.get("active_manifest")) if isinstance(manifests, dict) else None
    if not isinstance(active, dict):
        return {"state": "unreadable", "error": "no active manifest"}
    signature = active.get("signature_info")
    return {
        "state": str(state).lower(),
        "generator": _generator(active),
        "issuer": _text(signature.get("issuer") if isinstance(signature, dict) else ""),
        "actions": _actions(active),
    }


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    mime = sys.argv[1]
    anchors = Path(sys.argv[2]).read_text(encoding="utf-8") if len(sys.argv) > 2 else ""
    sys.stdout.write(json.dumps(summary(sys.stdin.buffer.read(), mime, anchors)))


if __name__ == "__main__":
    main()
