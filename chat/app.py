"""Quorum's Chainlit app: the entry module `quorum serve` runs.

Only wiring lives here: start-up builds the services once from the settings, the
callbacks hand each event to the conversation of its thread.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import chainlit as cl
from chainlit.config import config as chainlit_config
from chainlit.context import context
from chainlit.server import app as chainlit_app
from chainlit.types import ThreadDict

from chat import review_actions, review_view
from chat.auth import install_auth
from chat.conversation import Conversation
from chat.data_layer import QuorumDataLayer
from chat.routes import OWN_PREFIXES, OwnRoutes, build_router, own_app
from chat.runtime import current_runtime, start_runtime, stop_runtime
from chat.settings_panel import TeamPreferences, apply, defaults, widgets, without_key
from chat.starters import starters
from chat.team import open_team
from chat.team_view import CLARIFY_ACTION
from chat.upload_config import apply_upload_settings

logger = logging.getLogger(__name__)
CONVERSATION = "conversation"


# Added while Chainlit loads this module, before its server starts (the services behind
# the routes are read when a request comes in).
chainlit_app.add_middleware(
    OwnRoutes,
    routes=own_app(
        build_router(lambda: current_runtime().storage, lambda: current_runtime().knowledge)
    ),
    prefixes=OWN_PREFIXES,
)


@cl.on_app_startup
async def start() -> None:
    runtime = await start_runtime()
    install_auth(runtime.settings)
    apply_upload_settings(chainlit_config, runtime.settings)


@cl.on_app_shutdown
async def shutdown() -> None:
    await stop_runtime()


@cl.data_layer
def data_layer() -> QuorumDataLayer:
    return current_runtime().data_layer


@cl.set_starters
async def show_starters(
    _user: cl.User | None = None, _language: str | None = None
) -> list[cl.Starter]:
    return starters()


@cl.on_chat_start
async def chat_start() -> None:
    preferences = defaults(current_runtime().settings)
    await _begin(preferences)


@cl.on_chat_resume
async def chat_resume(thread: ThreadDict) -> None:
    preferences = defaults(current_runtime().settings)
    saved = context.session.chat_settings or {}
    conversation = await _begin(apply(preferences, without_key(saved)))
    # Buttons are not saved with the thread: what still waits for an answer is shown again.
    await conversation.show_pending()


async def _begin(preferences: TeamPreferences) -> Conversation:
    user = cl.user_session.get("user")
    owner = user.identifier if user else current_runtime().settings.local_user
    conversation = Conversation(
        runtime=current_runtime(),
        thread_id=context.session.thread_id,
        owner=owner,
        preferences=preferences,
        open_team=open_team,
    )
    cl.user_session.set(CONVERSATION, conversation)
    await cl.ChatSettings(widgets(preferences)).send()
    return conversation


@cl.on_message
async def on_message(message: cl.Message) -> None:
    conversation = _conversation()
    if conversation is not None:
        await conversation.handle(message)


@cl.action_callback(CLARIFY_ACTION)
async def on_clarified(action: cl.Action) -> None:
    conversation = _conversation()
    message = action.payload.get("message") if isinstance(action.payload, dict) else None
    if conversation is not None and isinstance(message, str) and message.strip():
        await action.remove()
        await conversation.choose(message)


@cl.on_settings_update
async def on_settings_update(values: dict[str, Any]) -> None:
    conversation = _conversation()
    # Chainlit saves chat settings with the thread: the key must not stay there.
    context.session.chat_settings = without_key(context.session.chat_settings or {})
    if conversation is None:
        return
    await conversation.change_preferences(apply(conversation.preferences, values))
    await cl.ChatSettings(widgets(conversation.preferences)).send()
    chosen = conversation.preferences
    await cl.Message(
        content=f"Settings saved: the team now runs on {chosen.brain.describe()}, "
        f"{chosen.debate_rounds} debate rounds, rulebook `{chosen.rulebook}`.",
        author="manager",
    ).send()


@cl.on_stop
async def on_stop() -> None:
    conversation = _conversation()
    if conversation is not None:
        await conversation.stop()


@cl.on_chat_end
async def on_chat_end() -> None:
    conversation = _conversation()
    if conversation is not None:
        await conversation.release()


ReviewHandler = Callable[[Conversation, dict[str, Any]], Awaitable[None]]
REVIEW_HANDLERS: dict[str, ReviewHandler] = {
    review_view.REVIEW: review_actions.review_finding,
    review_view.DECIDE: review_actions.decide_finding,
    review_view.APPROVE: review_actions.ask_approval,
    review_view.APPROVE_CONFIRM: review_actions.approve,
    review_view.GUARD: review_actions.answer_guard,
}


def _review_callback(handler: ReviewHandler) -> Callable[[cl.Action], Awaitable[None]]:
    async def on_action(action: cl.Action) -> None:
        conversation = _conversation()
        if conversation is not None:
            await handler(conversation, dict(action.payload or {}))

    return on_action


for _name, _handler in REVIEW_HANDLERS.items():
    cl.action_callback(_name)(_review_callback(_handler))


@cl.action_callback(review_view.APPROVE_CANCEL)
async def on_approve_cancel(_action: cl.Action) -> None:
    await cl.Message(content="Not approved: the report stays a draft.", author="Quorum").send()


def _conversation() -> Conversation | None:
    found = cl.user_session.get(CONVERSATION)
    return found if isinstance(found, Conversation) else None
