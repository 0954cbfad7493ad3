"""Admin: results side by side, finalise into a hashed snapshot, verify snapshots, downloads."""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError
from contest.core.models import ContestPhase
from contest.core.timeutil import format_local
from contest.judging import results
from contest.reports import exports
from ui import auth, state
from ui.i18n import show_error, tr
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.admin_results"))
try:
    with runtime.session() as session:
        contest = require_current(session)
        cid = contest.id or 0
        rows = results.compute_results(session, actor=user, contest_id=cid)
        snapshots = list(results.list_snapshots(session, actor=user, contest_id=cid))
        tables = exports.export_tables(session, actor=user, contest_id=cid)
except ContestError as error:
    show_error(error)
    st.stop()

jury = round(contest.jury_weight * 100)
st.caption(tr("results.method_note", jury=jury, votes=100 - jury))
st.subheader(tr("results.live"))
columns = list(exports.RESULT_COLUMNS)
frame = pd.DataFrame([asdict(r) for r in rows], columns=columns)
st.dataframe(
    frame.rename(columns={c: tr(f"results.col.{c}") for c in columns}).round(4),
    hide_index=True,
    width="stretch",
)
short = sum(r.below_quorum for r in rows)
if short:
    st.warning(tr("results.quorum_warning", quorum=contest.judge_quorum, count=short))

finalised = contest.phase == ContestPhase.FINALISED
with st.form("finalise"):
    reason = st.text_input(tr("results.finalise_reason"))
    label = tr("results.refinalise" if finalised else "results.finalise")
    if st.form_submit_button(label, type="primary"):
        try:
            with runtime.session() as session:
                snapshot = results.finalise(session, actor=user, contest_id=cid, reason=reason)
            st.toast(tr("results.finalised", hash=snapshot.content_hash))
            st.rerun()
        except ContestError as error:
            show_error(error)

if snapshots:
    st.subheader(tr("results.snapshots"))
    labels = {
        s.id: tr(
            "results.snapshot_label",
            id=s.id,
            at=format_local(s.created_at, contest.timezone),
            hash=s.content_hash,
        )
        for s in snapshots
    }
    chosen = st.selectbox(tr("results.snapshots"), list(labels), format_func=labels.__getitem__)
    if st.button(tr("results.verify"), key="verify_snapshot"):
        with runtime.session() as session:
            ok = results.verify_snapshot(session, actor=user, snapshot_id=chosen or 0)
        (st.success if ok else st.error)(
            tr("results.verified_ok" if ok else "results.verified_bad")
        )

st.subheader(tr("results.exports"))
cols = st.columns(len(tables) + 1)
for col, (name, table) in zip(cols, tables.items(), strict=False):
    col.download_button(
        tr("results.export_csv", table=tr(f"export.sheet.{name}")),
        exports.to_csv(table),
        f"{contest.slug}-{name}.csv",
        "text/csv",
        key=f"csv_{name}",
        on_click="ignore",
    )
cols[-1].download_button(
    tr("results.export_xlsx"),
    exports.to_xlsx(tables),
    f"{contest.slug}-results.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="xlsx",
    on_click="ignore",
)
if st.button(tr("results.prepare_voters"), help=tr("results.include_voters"), key="voters_go"):
    try:
        with runtime.session() as session:
            full = exports.export_tables(session, actor=user, contest_id=cid, include_voters=True)
        st.session_state[state.EXPORT_VOTERS_CSV] = exports.to_csv(full["votes"])
    except ContestError as error:
        show_error(error)
if state.EXPORT_VOTERS_CSV in st.session_state:
    st.download_button(
        tr("results.export_csv", table=tr("export.sheet.votes")) + " (+)",
        st.session_state[state.EXPORT_VOTERS_CSV],
        f"{contest.slug}-votes-with-voters.csv",
        "text/csv",
        key="csv_voters",
        on_click="ignore",
    )
