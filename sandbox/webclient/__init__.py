"""Try coordo in the browser (`python3 dev.py demo`): the sandbox, the real bot and a Telegram-like
web page for a few personas of a small fictional movement (see server.py and seed.py)."""

from sandbox.webclient.server import BackgroundDemo, Demo, sign_init_data, webapp_link

__all__ = ["BackgroundDemo", "Demo", "sign_init_data", "webapp_link"]
