"""Accounts: sign-in with lockout, users and their grants, CSV import of units and users."""
