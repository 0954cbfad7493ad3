"""Every session_state key in one place. Only UI state lives here; the database is the truth."""

USER_ID = "user_id"
SIGN_IN_EPOCH = "sign_in_epoch"  # the user's session_epoch when this session signed in
LANG = "lang"
LANG_OF = "lang_of_user"  # the user whose saved language this session has applied
SHOW_PASSWORDS = "admin_roster_passwords"
GALLERY_PAGE = "gallery_page"
GALLERY_QUERY = "gallery_query"  # the gallery's address query, for the poster's way back
UPLOAD_CHECKS = "upload_checks"  # {form key: the check of the file chosen there}
SUBMIT_FORM = "submit_form"  # the submit form's generation: a new one is an empty form
EXPORT_VOTERS_CSV = "admin_export_voters_csv"
VOTE_NOTICE = "vote_notice"
EXHIBITION_PDF = "admin_exhibition_pdf"
SIGNED_OUT = "signed_out"
COOKIES = "browser_cookies"  # {name: ui.cookies.Wanted} drawn into every page
MY_ENTRIES_SAVED = "my_entries_saved"
NOTICES = "notices"  # [(kind, message)] shown once after the next rerun (ui.page.notices)
SUBMIT_RECEIPT = "submit_receipt"  # the entry id of the poster just sent: its receipt card
KIOSK_SHOWN = "kiosk_shown"  # how many posters this kiosk screen has shown so far
NEW_DISPLAY = "admin_new_display"  # a kiosk link just made: shown once, then gone
CERTIFICATES_PDF = "admin_certificates_pdf"  # the award certificates just made, for download
CONFIRMING = "lifecycle_confirming"  # the lifecycle step whose confirmation is open
SETTINGS_PENDING = "admin_settings_pending"  # (contest id, values) of a save being confirmed
PURGE_CONFIRMING = "admin_purge_confirming"  # the contest whose purge confirmation is open
