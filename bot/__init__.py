"""cmsbot: answers questions about CMS meetings from the Convention's own texts, with citations."""

__version__ = "0.1.0"
