"""What the city's IT team runs: backups, restores and their check (``python -m contest backup``,
``restore``, ``verify-backup``) and the admin's system page (this replica's figures, the
database's and the store's health)."""
