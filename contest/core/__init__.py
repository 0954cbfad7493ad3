"""The kernel every package stands on: settings, database, tables, errors, strings, time, audit,
role checks.
"""
