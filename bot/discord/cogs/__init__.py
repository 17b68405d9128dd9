"""The bot's command groups, one cog per module, loaded as extensions in ``setup_hook``."""
