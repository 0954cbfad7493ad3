"""Admin: how this replica is doing (the figures Prometheus scrapes from it) and whether the
database and the store answer now."""

import pandas as pd
import streamlit as st

from contest.core.metrics import Timing
from contest.ops.status import system_view
from ui import page
from ui.i18n import tr
from ui.nav import title_key
from ui.telemetry import replica

page.header(tr("nav.admin_system"))
view = page.load(system_view)
st.caption(tr("system.intro", replica=replica()))


def seconds(timing: Timing | None) -> str:
    if timing is None or timing.p95 is None:
        return tr("system.none_yet")
    return tr("system.seconds", value=f"{timing.p95:.2f}")


st.subheader(tr("system.health"), anchor=False)
for check in view.checks:
    name, took = tr(f"system.check.{check.name}"), f"{check.seconds:.2f}"
    if check.ok:
        page.show(tr("system.check_ok", name=name, seconds=took), "success")
    else:
        page.show(tr("system.check_failed", name=name, seconds=took), "error")
        st.code(check.detail, language=None)  # the technical answer, as the logs have it

top = st.columns(4)
top[0].metric(tr("system.sessions"), view.sessions)
top[1].metric(tr("system.actions"), view.total_actions)
top[2].metric(tr("system.trouble"), view.total_trouble)
pool = view.pool
top[3].metric(
    tr("system.pool"),
    tr("system.pool_value", in_use=pool.in_use, limit=pool.limit)
    if pool
    else tr("system.pool_none"),
)
times = st.columns(3)
times[0].metric(tr("system.rerun_p95"), seconds(view.rerun_all))
times[1].metric(tr("system.upload_p95"), seconds(view.upload_checks))
times[2].metric(tr("system.dedupe_p95"), seconds(view.dedupe_searches))

if not view.actions:
    st.info(tr("system.nothing"))
    st.stop()


def table(rows: list[dict[str, object]], columns: list[str]) -> None:
    frame = pd.DataFrame(rows, columns=columns).rename(columns=lambda c: tr(f"system.col.{c}"))
    st.dataframe(frame, hide_index=True, width="stretch")


def p95(timing: Timing) -> float | None:
    return None if timing.p95 is None else round(timing.p95, 3)


def page_title(address: str) -> str:
    key = title_key(address)
    return tr(key) if key else tr("system.page_other")


st.subheader(tr("system.by_action"), anchor=False)
table(
    [
        {
            "page": page_title(a.page),
            "kind": tr(f"system.kind.{a.kind}"),
            "count": a.count,
            "refused": a.refused,
            "trouble": a.trouble,
            "mean": round(a.mean, 3),
            "p95": None if a.p95 is None else round(a.p95, 3),
        }
        for a in view.actions
    ],
    ["page", "kind", "count", "refused", "trouble", "mean", "p95"],
)
st.subheader(tr("system.by_page"), anchor=False)
table(
    [
        {"page": page_title(r.labels[0]), "count": r.count, "mean": round(r.mean, 3), "p95": p95(r)}
        for r in view.reruns
    ],
    ["page", "count", "mean", "p95"],
)
st.subheader(tr("system.by_storage"), anchor=False)
table(
    [
        {
            "operation": tr(f"system.operation.{s.labels[0]}"),
            "count": s.count,
            "errors": view.storage_failures(s.labels[0]),
            "mean": round(s.mean, 3),
            "p95": p95(s),
        }
        for s in view.storage
    ],
    ["operation", "count", "errors", "mean", "p95"],
)
