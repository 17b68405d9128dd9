"""CMS vocabulary every stage uses: meetings (COP numbers, cities, ordinals) and dates."""
