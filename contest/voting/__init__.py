"""The gallery, the poster page, votes with their budget and window, tallies and the integrity
report.
"""
