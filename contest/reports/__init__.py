"""For the organisers: the dashboard, the audit log screen, the results screen and exports."""
