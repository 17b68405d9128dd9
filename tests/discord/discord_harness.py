"""Slash commands without Discord: real ``discord.Interaction`` objects built from gateway payloads,
dispatched through the bot's real ``CommandTree``, with every HTTP call an interaction would make
(responses, follow-ups, edits) caught by a fake webhook adapter that records it.

The approach of discord.py's own tests/test_app_commands_invoke.py, taken one step further: the
payload enters through ``ConnectionState.parse_interaction_create`` as it would from the gateway.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

APP_ID = 900000000000000001
BOT_ID = APP_ID
GUILD_ID = 900000000000000002
CHANNEL_ID = 900000000000000003
USER_ID = 900000000000000004
STAFF_ID = 900000000000000005

#: Permission bits.
MANAGE_GUILD = 1 << 5
SEND = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)  # view channel, send, embed links, read history

_ids = itertools.count(910000000000000000)


def snowflake() -> str:
    return str(next(_ids))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def user_payload(user_id: int, name: str = "reporter") -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None, "global_name": name}


def message_payload(content: str = "", *, message_id: str | None = None, channel_id: int = CHANNEL_ID,
                    embeds: list[dict[str, Any]] | None = None, components: list[Any] | None = None,
                    author_id: int = BOT_ID, flags: int = 0) -> dict[str, Any]:
    return {
        "id": message_id or snowflake(), "channel_id": str(channel_id), "type": 0, "content": content or "",
        "author": {**user_payload(author_id, "cmsbot"), "bot": True}, "embeds": embeds or [],
        "components": components or [], "attachments": [], "mentions": [], "mention_roles": [],
        "mention_everyone": False, "pinned": False, "tts": False, "timestamp": _now(), "edited_timestamp": None,
        "flags": flags,
    }


@dataclass
class Call:
    """One HTTP request the bot would have made."""

    method: str
    path: str
    payload: dict[str, Any]
    #: What the fake Discord answered (a message payload for sends and edits).
    response: Any = None

    @property
    def data(self) -> dict[str, Any]:
        """The message body: the ``data`` of an interaction callback, else the payload itself."""
        return self.payload.get("data") or {} if "type" in self.payload and "/callback" in self.path else self.payload

    @property
    def content(self) -> str | None:
        return self.data.get("content")

    @property
    def embeds(self) -> list[discord.Embed]:
        return [discord.Embed.from_dict(e) for e in self.data.get("embeds") or []]

    @property
    def ephemeral(self) -> bool:
        return bool((self.data.get("flags") or 0) & 64)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.data.get("allowed_mentions")

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []


@dataclass
class FakeAdapter(AsyncWebhookAdapter):
    """Records every webhook/interaction request and answers as Discord would, without a network."""

    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    async def request(self, route: Any, session: Any = None, *, payload: dict[str, Any] | None = None,
                      multipart: Any = None, files: Any = None, **kwargs: Any) -> Any:
        if payload is None and multipart:
            import json

            payload = json.loads(multipart[0]["value"])
        body = payload or {}
        call = Call(route.method, route.path, body)
        self.calls.append(call)
        await asyncio.sleep(0)
        if route.path.endswith("/callback"):
            call.response = {"interaction": {"id": str(route.webhook_id), "type": 2}}
        elif route.method in ("POST", "PATCH", "GET"):
            call.response = message_payload(body.get("content") or "", embeds=body.get("embeds"),
                                            components=body.get("components"))
        return call.response

    def sent(self) -> list[Call]:
        """Calls that put something on screen (not bare defers)."""
        return [c for c in self.calls if c.data.get("embeds") or c.data.get("content") or c.payload.get("type") == 9]

    def last(self) -> Call:
        return self.sent()[-1]


def _option(name: str, value: Any, focused: bool = False) -> dict[str, Any]:
    kind = 4 if isinstance(value, int) and not isinstance(value, bool) else 3
    option: dict[str, Any] = {"type": kind, "name": name, "value": value}
    if focused:
        option["focused"] = True
    return option


def interaction_payload(
    interaction_type: int,
    data: dict[str, Any],
    *,
    user_id: int = USER_ID,
    permissions: int = SEND,
    guild: bool = True,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": snowflake(), "application_id": str(APP_ID), "type": interaction_type, "token": "interaction-token",
        "version": 1, "data": data, "locale": "en-US", "attachment_size_limit": 10_000_000,
        "entitlements": [], "authorizing_integration_owners": {}, "app_permissions": str(SEND),
    }
    if guild:
        payload["guild_id"] = str(GUILD_ID)
        payload["channel"] = {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "press-room",
                              "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None}
        payload["member"] = {"user": user_payload(user_id), "roles": [], "joined_at": _now(), "deaf": False,
                             "mute": False, "flags": 0, "permissions": str(permissions)}
        payload["context"] = 0
    else:
        payload["channel"] = {"id": str(CHANNEL_ID), "type": 1, "recipients": [user_payload(user_id)]}
        payload["user"] = user_payload(user_id)
        payload["context"] = 1
    if message is not None:
        payload["message"] = message
    return payload


def command_payload(name: str, *, focused: str | None = None, user_id: int = USER_ID, permissions: int = SEND,
                    guild: bool = True, **options: Any) -> dict[str, Any]:
    data = {
        "id": snowflake(), "name": name, "type": 1,
        "options": [_option(k.rstrip("_"), v, focused == k) for k, v in options.items() if v is not None],
    }
    return interaction_payload(4 if focused else 2, data, user_id=user_id, permissions=permissions, guild=guild)


def component_interaction(client: discord.Client, custom_id: str, *, component_type: int = 2,
                          values: list[str] | None = None, user_id: int = USER_ID,
                          message: dict[str, Any] | None = None) -> discord.Interaction:
    """A real button/select interaction on a bot message, for invoking a View item's callback directly."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = values
    payload = interaction_payload(3, data, user_id=user_id, message=message or message_payload("answer"))
    return discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]


async def dispatch(client: discord.Client, payload: dict[str, Any]) -> None:
    """Feed ``payload`` to the bot as the gateway would, and wait until the command (and its error handler) ran."""
    before = {t for t in asyncio.all_tasks() if t.get_name() == "CommandTree-invoker"}
    client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
    tasks = [t for t in asyncio.all_tasks() if t.get_name() == "CommandTree-invoker" and t not in before]
    await asyncio.gather(*tasks)


def view_of(client: discord.Client, call: Call) -> Any:
    """The View the bot attached to the message ``call`` sent (as registered with the connection state)."""
    return client._connection._view_store._synced_message_views[int(call.response["id"])]


def install_adapter() -> FakeAdapter:
    adapter = FakeAdapter()
    async_context.set(adapter)
    return adapter


def bot_user(client: discord.Client) -> None:
    """Log the client in as far as the tests need: a ClientUser and an application id, no network."""
    state = client._connection
    state.user = discord.ClientUser(state=state, data={**user_payload(BOT_ID, "cmsbot"), "bot": True})
    state.application_id = APP_ID
