"""Admin: results side by side, finalise into a hashed snapshot, verify snapshots, downloads."""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.core.models import ResultSnapshot
from contest.core.timeutil import format_local
from contest.judging.results import finalise, verify_snapshot
from contest.reports import exports
from contest.reports.views import results_admin_view
from ui import page, state
from ui.i18n import tr

page.header(tr("nav.admin_results"))
view = page.load(results_admin_view)
contest = view.contest

jury = round(contest.jury_weight * 100)
st.caption(tr("results.method_note", jury=jury, votes=100 - jury))
st.subheader(tr("results.live"))
columns = list(exports.RESULT_COLUMNS)
frame = pd.DataFrame([asdict(r) for r in view.rows], columns=columns)
st.dataframe(
    frame.rename(columns={c: tr(f"results.col.{c}") for c in columns}).round(4),
    hide_index=True,
    width="stretch",
)
if view.below_quorum:
    st.warning(tr("results.quorum_warning", quorum=contest.judge_quorum, count=view.below_quorum))


def _finalised(snapshot: ResultSnapshot) -> str:
    return tr("results.finalised", hash=snapshot.content_hash)


with st.form("finalise"):
    reason = st.text_input(tr("results.finalise_reason"), max_chars=TEXT_LIMITS["reason"])
    label = tr("results.refinalise" if view.finalised else "results.finalise")
    if st.form_submit_button(label, type="primary"):
        page.act(finalise, contest_id=contest.id, reason=reason, done=_finalised)

if view.snapshots:
    st.subheader(tr("results.snapshots"))
    labels = {
        s.id: tr(
            "results.snapshot_label",
            id=s.id,
            at=format_local(s.created_at, contest.timezone),
            hash=s.content_hash,
        )
        for s in view.snapshots
    }
    chosen = st.selectbox(tr("results.snapshots"), list(labels), format_func=labels.__getitem__)
    if st.button(tr("results.verify"), key="verify_snapshot"):
        ok = page.call(verify_snapshot, snapshot_id=chosen or 0)
        page.show(
            tr("results.verified_ok" if ok else "results.verified_bad"),
            "success" if ok else "error",
        )

st.subheader(tr("results.exports"))
tables = view.exports
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
    votes = page.act(
        exports.voter_export, contest_id=contest.id, done=tr("results.voters_ready"), rerun=False
    )
    if votes is not None:
        st.session_state[state.EXPORT_VOTERS_CSV] = exports.to_csv(votes)
    st.rerun()
if state.EXPORT_VOTERS_CSV in st.session_state:
    st.download_button(
        tr("results.export_csv", table=tr("export.sheet.votes")) + " (+)",
        st.session_state[state.EXPORT_VOTERS_CSV],
        f"{contest.slug}-votes-with-voters.csv",
        "text/csv",
        key="csv_voters",
        on_click="ignore",
    )
