"""The offline engine: the default brain when no model endpoint is configured."""

from __future__ import annotations

from agents.offline.client import OFFLINE_MODEL, OfflineChatClient

__all__ = ["OFFLINE_MODEL", "OfflineChatClient"]
