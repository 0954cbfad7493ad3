"""Admin: the results (live, or the finalised record) with how each final score was made,
checking records against today's data, award certificates and their ledger, and the downloads.
Finalising and publishing are steps of the lifecycle screen."""

import streamlit as st

from contest.judging.record import check_record
from contest.reports import exports
from contest.reports.certificates import certificates_pdf
from contest.reports.views import results_admin_view
from ui import page, state
from ui.format import moment
from ui.i18n import lang, tr
from ui.record import show_changes, show_check
from ui.winners import how_scored

page.header(tr("nav.admin_results"))
keys = st.toggle(tr("results.machine_keys"), key="export_keys", help=tr("results.machine_help"))
view = page.load(results_admin_view, lang=lang(), keys=keys)
contest = view.contest
tz = contest.timezone

st.caption(how_scored(view.explanation))
show_changes(view.changes)
if view.finalised:
    st.info(tr("results.frozen_note"), icon=":material/lock:")
else:
    st.caption(tr("results.where_to_finalise"))
st.page_link("pages/admin_judging.py", label=tr("results.to_lifecycle"), icon=":material/gavel:")

st.subheader(tr("results.frozen" if view.finalised else "results.live"), anchor=False)
table = view.table
if table.empty:
    st.caption(tr("results.table_empty"))
else:
    st.dataframe(table, hide_index=True, width="stretch")
if view.below_quorum:
    st.warning(tr("results.quorum_warning", quorum=contest.judge_quorum, count=view.below_quorum))

if view.snapshots:
    st.subheader(tr("results.snapshots"), anchor=False)
    labels = {
        s.id: tr(
            "results.snapshot_label", id=s.id, at=moment(s.created_at, tz), hash=s.content_hash[:12]
        )
        for s in view.snapshots
    }
    chosen = st.selectbox(
        tr("results.snapshot_pick"),
        list(labels),
        format_func=labels.__getitem__,
        placeholder=tr("common.choose"),
    )
    if st.button(tr("results.verify"), key="verify_snapshot"):
        show_check(page.call(check_record, snapshot_id=chosen or 0))

if view.finalised:
    st.subheader(tr("certificates.title"), anchor=False)
    st.caption(tr("certificates.help", organiser=contest.organiser))
    day = st.date_input(
        tr("certificates.date"), view.today, key="certificates_date", format="YYYY-MM-DD"
    )
    if st.button(
        tr("certificates.make"), key="certificates_make", icon=":material/workspace_premium:"
    ):
        with st.spinner(tr("certificates.making")):
            pdf = page.act(
                certificates_pdf,
                contest_id=contest.id,
                awarded_on=day,
                rerun=False,
                done=tr("certificates.ready"),
            )
        if pdf is not None:
            st.session_state[state.CERTIFICATES_PDF] = pdf
        st.rerun()
    st.markdown(f"**{tr('ledger.title')}**")
    st.caption(tr("ledger.help"))
    st.dataframe(view.ledger, hide_index=True, width="stretch")
    pdf = st.session_state.get(state.CERTIFICATES_PDF)
    if pdf:
        st.download_button(
            tr("certificates.download"),
            pdf,
            f"{contest.slug}-certificates.pdf",
            "application/pdf",
            key="certificates_download",
            on_click="ignore",
            icon=":material/download:",
        )


st.subheader(tr("results.exports"), anchor=False)
st.caption(tr("results.exports_help"))
tables = view.exports
PER_ROW = 3
cols = [c for _ in range(0, len(tables), PER_ROW) for c in st.columns(PER_ROW)]
for col, (name, frame) in zip(cols, tables.items(), strict=False):
    col.download_button(
        tr("results.export_csv", table=tr(f"export.sheet.{name}")),
        exports.to_csv(frame),
        f"{contest.slug}-{name}.csv",
        "text/csv",
        key=f"csv_{name}",
        on_click="ignore",
        width="stretch",
        icon=":material/download:",
    )
st.download_button(
    tr("results.export_xlsx"),
    exports.to_xlsx(exports.sheets(tables, lang(), keys=keys)),
    f"{contest.slug}-results.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="xlsx",
    on_click="ignore",
    icon=":material/table_view:",
)
if st.button(tr("results.prepare_voters"), help=tr("results.include_voters"), key="voters_go"):
    votes = page.act(
        exports.voter_export,
        contest_id=contest.id,
        lang=lang(),
        keys=keys,
        done=tr("results.voters_ready"),
        rerun=False,
    )
    if votes is not None:
        st.session_state[state.EXPORT_VOTERS_CSV] = exports.to_csv(votes)
    st.rerun()
if state.EXPORT_VOTERS_CSV in st.session_state:
    st.download_button(
        tr("results.export_voters_csv"),
        st.session_state[state.EXPORT_VOTERS_CSV],
        f"{contest.slug}-votes-with-voters.csv",
        "text/csv",
        key="csv_voters",
        on_click="ignore",
        icon=":material/download:",
    )
