"""Who is talking: one local user without a login screen, or password login per user.

Chainlit keeps thread history only for authenticated users, so local mode still
authenticates: a header-auth callback that always answers with the configured local
user (the browser calls it by itself, no form is shown). Password mode checks the
hashed passwords from the settings. Exactly one of the two is installed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import chainlit as cl
from starlette.datastructures import Headers

from chat.passwords import verify_password
from quorum.settings import Settings

logger = logging.getLogger(__name__)


def install_auth(settings: Settings) -> None:
    """Register the authentication callback the settings ask for."""
    if settings.auth == "password":
        cl.password_auth_callback(_password_checker(settings))
    else:
        cl.header_auth_callback(_local_user(settings))


def _local_user(settings: Settings) -> Callable[[Headers], Awaitable[cl.User]]:
    local = settings.local_user

    async def authenticate_local(_headers: Headers) -> cl.User:
        return cl.User(identifier=local, display_name=local, metadata={"mode": "local"})

    return authenticate_local


def _password_checker(settings: Settings) -> Callable[[str, str], Awaitable[cl.User | None]]:
    users = {name: secret.get_secret_value() for name, secret in settings.users.items()}

    async def authenticate_password(username: str, password: str) -> cl.User | None:
        stored = users.get(username)
        # PBKDF2 takes a few hundred milliseconds: keep it off the event loop.
        matches = await asyncio.to_thread(verify_password, password, stored)
        if not matches:
            logger.info("login refused for an unknown user or a wrong password")
            return None
        return cl.User(identifier=username, display_name=username, metadata={"mode": "password"})

    return authenticate_password
