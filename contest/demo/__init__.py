"""The demo contest a newcomer sees on an empty database: accounts, drawn posters, a few votes."""
