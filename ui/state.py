"""Every session_state key in one place. Only UI state lives here; the database is the truth."""

USER_ID = "user_id"
SIGN_IN_EPOCH = "sign_in_epoch"  # the user's session_epoch when this session signed in
LANG = "lang"
SHOW_PASSWORDS = "admin_roster_passwords"
GALLERY_PAGE = "gallery_page"
SUBMIT_CHECKED = "submit_checked_sha"
SUBMIT_PREVIEWING = "submit_previewing"
EXPORT_VOTERS_CSV = "admin_export_voters_csv"
VOTE_NOTICE = "vote_notice"
EXHIBITION_PDF = "admin_exhibition_pdf"
SIGNED_OUT = "signed_out"
COOKIE_PENDING = "auth_cookie_pending"
MY_ENTRIES_SAVED = "my_entries_saved"
NOTICES = "notices"  # [(kind, message)] shown once after the next rerun (ui.page.notices)
SUBMIT_RECEIPT = "submit_receipt"  # the thumbnail of the poster just sent, shown once
