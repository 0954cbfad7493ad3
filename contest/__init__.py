"""Incheon AI innovation poster contest: the domain, free of any user interface."""
