"""Dossiers: creating and editing them, their evidence files, the rules every kind shares, and
the work lists built from the lifecycles."""
