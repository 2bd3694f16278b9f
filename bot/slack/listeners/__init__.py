"""Every Slack surface registers itself here (one module per surface)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.credentials import CredentialStore
from bot.slack.listeners import actions, commands, connect, events, gatekeeper, shortcuts, views
from bot.slack.services import Services


def register_listeners(app: AsyncApp, services: Services) -> None:
    gatekeeper.install(app, services)
    commands.register(app, services)
    shortcuts.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
    store = getattr(services.source, "store", None)
    if isinstance(store, CredentialStore):
        connect.register(app, services, store)
