"""Accounts: throttled sign-in, sessions, users and their grants, CSV import of units and users."""
