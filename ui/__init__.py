"""Streamlit glue shared by app.py and pages/: cached runtime, signed-in user, language."""
