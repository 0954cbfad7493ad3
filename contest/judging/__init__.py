"""After the vote: lifecycle steps, the shortlist, blind scoring, results and their snapshots."""
