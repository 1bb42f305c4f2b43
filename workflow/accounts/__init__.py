"""Accounts: sign-in with lockout, creating users and their grants, CSV import of units and users."""
