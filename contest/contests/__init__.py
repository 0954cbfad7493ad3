"""A contest is data: its settings (listed once), windows, phases, and the rules a person meets in
it.
"""
