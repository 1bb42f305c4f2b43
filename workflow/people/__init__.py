"""The register of people and collectives: entries, their periods in units, ratings,
discipline, initiatives and award history across years (no Flask)."""
