"""Slash-command descriptions and choice names in French, Spanish and Portuguese, from the message catalogue.

discord.py wraps every command/option description and choice name in a ``locale_str`` and asks
the tree's Translator for each Discord locale when commands are synced; this one answers from
``bot.text.i18n`` (the same catalogue as the bot's replies). Command and option *names* stay
English, so ``/ask`` is ``/ask`` for everyone and the docs hold for every locale.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.text.i18n import lang_from_locale, translate

_KEEP_ENGLISH = frozenset({
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
    app_commands.TranslationContextLocation.parameter_name,
})


class CatalogueTranslator(app_commands.Translator):
    """``locale_str`` → the catalogue's translation for the locale's language; None (Discord shows English) else."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        if context.location in _KEEP_ENGLISH:
            return None
        lang = lang_from_locale(locale)
        if lang == "en":
            return None
        text = translate(string.message, lang)
        return text if text != string.message else None
