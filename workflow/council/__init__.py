"""The Council (Hội đồng TĐKT ngành): sessions, secret ballots and the rules of its decisions."""
