"""Language-specific text helpers: which language a text is in, and each language's question words."""
