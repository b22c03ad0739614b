"""HTTP routes of our own beside Chainlit's: stored element files and document originals.

Both check who is asking: a stored file only for the user whose id starts its key, an
original only for the owner of the document. Everything is served with `nosniff` and a
sandbox policy, and HTML is always a download, so a file can never run script on our
origin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from chainlit.auth import get_current_user
from chainlit.user import PersistedUser, User
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from chat.data_layer import DOCUMENTS_ROUTE
from chat.storage import FILES_ROUTE, LocalStorageClient, StorageKeyError, owner_of_key
from knowledge.errors import KnowledgeError
from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)

CurrentUser = Annotated[User | PersistedUser | None, Depends(get_current_user)]
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "private, no-store",
}
ATTACHMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml")


def build_router(
    storage: Callable[[], LocalStorageClient], knowledge: Callable[[], KnowledgeBase]
) -> APIRouter:
    """The routes, reading the services through getters so they can start later."""
    router = APIRouter()

    @router.get(FILES_ROUTE + "/{object_key:path}")
    async def stored_file(object_key: str, user: CurrentUser) -> FileResponse:
        persisted = _require_persisted(user)
        client = storage()
        try:
            path = client.path_for(object_key)
        except StorageKeyError as error:
            raise HTTPException(status_code=404, detail="file not found") from error
        if owner_of_key(object_key) != persisted.id or not path.is_file():
            raise HTTPException(status_code=404, detail="file not found")
        return _file_response(path, client.mime_of(object_key), path.name)

    @router.get(DOCUMENTS_ROUTE + "/{document_id}/original")
    async def document_original(document_id: str, user: CurrentUser) -> FileResponse:
        identifier = _require_user(user).identifier
        base = knowledge()
        try:
            info = await base.get_document(document_id, owner=identifier)
        except KnowledgeError as error:
            raise HTTPException(status_code=404, detail="document not found") from error
        path = base.original_path(info)
        if not path.is_file():
            raise HTTPException(status_code=404, detail="document not found")
        mime = "application/pdf" if info.type == "pdf" else "application/octet-stream"
        response = _file_response(path, mime, info.filename)
        # Originals never change (content-addressed): let each citation reuse the download.
        response.headers["Cache-Control"] = "private, max-age=86400, immutable"
        return response

    return router


class OwnRoutes:
    """ASGI middleware on Chainlit's app: requests under our prefixes go to our own app,
    everything else (the UI, its API, socket.io, lifespan) to Chainlit.

    Chainlit's catch-all page route would shadow routes added to its app, so ours are a
    separate FastAPI app in front of it (added with `add_middleware` before the server
    starts, as Chainlit's own `mount_chainlit` does).
    """

    def __init__(self, app: ASGIApp, *, routes: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.routes = routes
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(self.prefixes):
            await self.routes(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def own_app(router: APIRouter) -> FastAPI:
    """Our routes as an app of their own (no docs pages: nothing to browse there)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)
    return app


OWN_PREFIXES = (FILES_ROUTE + "/", DOCUMENTS_ROUTE + "/")


def _require_user(user: User | PersistedUser | None) -> User | PersistedUser:
    if user is None:
        raise HTTPException(status_code=401, detail="log in first")
    return user


def _require_persisted(user: User | PersistedUser | None) -> PersistedUser:
    found = _require_user(user)
    if not isinstance(found, PersistedUser):
        raise HTTPException(status_code=401, detail="log in first")
    return found


def _file_response(path: Path, mime: str, filename: str) -> FileResponse:
    disposition = "attachment" if mime.split(";")[0].strip() in ATTACHMENT_TYPES else "inline"
    return FileResponse(
        path,
        media_type=mime,
        filename=filename,
        content_disposition_type=disposition,
        headers=SAFE_HEADERS,
    )
