"""Questions: parsed once into a Query (kind, what is asked, preferences, filters)."""
