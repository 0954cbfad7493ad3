"""Staff on the roster: sign-in, passwords, stay-signed-in tokens, roles, roster import."""
