"""Duplicate detection: perceptual hashes, the per-contest index, verification, folder scans,
review flags.
"""
