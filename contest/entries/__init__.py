"""Posters: ingest (checks, copies, hashes), content-addressed objects, submit/edit/withdraw,
moderation.
"""
