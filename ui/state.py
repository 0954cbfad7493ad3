"""Every session_state key in one place. Only UI state lives here; the database is the truth."""

USER_ID = "user_id"
LANG = "lang"
SHOW_PASSWORDS = "admin_roster_passwords"
GALLERY_PAGE = "gallery_page"
SUBMIT_CHECKED = "submit_checked_sha"
SUBMIT_PREVIEWING = "submit_previewing"
EXPORT_VOTERS_CSV = "admin_export_voters_csv"
