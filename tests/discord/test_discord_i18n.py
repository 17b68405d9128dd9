"""Slash-command descriptions reach Discord in French, Spanish and Portuguese; replies follow the locale."""

from __future__ import annotations

import discord

from bot.discord import embeds
from bot.model import Answer


async def test_every_command_description_is_localized(bot) -> None:
    tree = bot.tree
    assert tree.translator is not None
    commands = tree.get_commands()
    assert commands
    for command in commands:
        payload = await command.get_translated_payload(tree, tree.translator)
        localized = payload.get("description_localizations", {})
        for locale in ("fr", "es-ES", "es-419", "pt-BR"):
            assert localized.get(locale) and localized[locale] != payload["description"], (command.name, locale)
        assert not payload.get("name_localizations"), command.name  # /ask stays /ask
        for option in payload.get("options", []):
            if option.get("description") and option["description"] != "…":
                assert option.get("description_localizations", {}).get("fr"), (command.name, option["name"])
            for choice in option.get("choices", []):  # kinds of source, as /ask's "kind" offers them
                assert choice.get("name_localizations", {}).get("es-ES"), (command.name, choice["name"])
        for locale in ("en-US", "en-GB", "de"):
            assert locale not in localized


def test_answer_embed_in_the_answers_language() -> None:
    answer = Answer(question="¿cuándo?", found=False, answer=None, looked_for="cop14", lang="es")
    embed = embeds.answer_embed(answer, [])
    assert embed.description == "No encontré eso en los textos de la CMS que tengo.\n-# Busqué: cop14."
    assert "verifique la fuente" in (embed.footer.text or "")
    assert isinstance(embed, discord.Embed)


async def test_feedback_modal_and_buttons_in_the_answers_language(bot) -> None:
    from bot.discord.views import AnswerView, FeedbackModal

    modal = FeedbackModal(bot, 1, -1, "pt")
    assert modal.title == "Obrigado — o que correu mal? 👎"
    assert "Algo a acrescentar? (opcional)" in str(modal.to_components()) and modal.comment in modal.children
    english = FeedbackModal(bot, 1, 1)
    assert "Anything to add? (optional)" in str(english.to_components())
    answer = bot.engine.ask("When did COP14 open?")
    view = AnswerView(bot, Answer(**{**answer.__dict__, "lang": "fr"}))
    assert view.more_sources.label == "Plus de sources" and view.back.label == "Retour"
    assert AnswerView(bot, answer).more_sources.label == "More sources"


async def test_option_errors_and_about_follow_the_users_locale(bot, adapter) -> None:
    from discord_harness import command_payload, dispatch

    payload = command_payload("ask", question="¿cuándo?", meeting="Atlantis")
    payload["locale"] = "es-ES"
    await dispatch(bot, payload)
    (call,) = adapter.calls
    assert call.ephemeral and call.content.startswith("No conozco ninguna reunión llamada «Atlantis»")
    adapter.calls.clear()
    payload = command_payload("about")
    payload["locale"] = "pt-BR"
    await dispatch(bot, payload)
    (call,) = adapter.calls
    embed = call.payload["data"]["embeds"][0] if "data" in call.payload else call.payload["embeds"][0]
    assert embed["title"] == "Sobre o cmsbot" and "Entendo inglês, francês, espanhol e português." in embed["description"]
