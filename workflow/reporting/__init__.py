"""The Office dashboard of a campaign and its exports (XLSX for the city Board, CSV per unit)."""
