"""A stand-in for the Telegram Bot API, for tests, benchmarks and demos of coordo.

sb = TelegramSandbox()
alice = sb.user(1, "Alice")
app = sandbox_builder(sb).build()            # real PTB, in-process
async with running(app):
    alice.send("/start")
    reply = await alice.next_message()
"""

from sandbox.clock import FakeClock
from sandbox.core import TelegramSandbox
from sandbox.errors import ApiError, InjectedNetworkError, InjectedTimeout, SandboxError
from sandbox.faults import Fault
from sandbox.files import StoredFile, UploadedFile
from sandbox.html import HtmlParseError, parse_html
from sandbox.http import SandboxServer, serve_http
from sandbox.limits import Limits
from sandbox.models import BotMessage, CallbackAnswer, CallRecord, Stats
from sandbox.people import SandboxGroup, SandboxUser
from sandbox.ptb import running, sandbox_builder
from sandbox.request import SandboxRequest
from sandbox.webhook import WebhookDelivery

__all__ = [
    "ApiError",
    "BotMessage",
    "CallRecord",
    "CallbackAnswer",
    "FakeClock",
    "Fault",
    "HtmlParseError",
    "InjectedNetworkError",
    "InjectedTimeout",
    "Limits",
    "SandboxError",
    "SandboxGroup",
    "SandboxRequest",
    "SandboxServer",
    "SandboxUser",
    "Stats",
    "StoredFile",
    "TelegramSandbox",
    "UploadedFile",
    "WebhookDelivery",
    "parse_html",
    "running",
    "sandbox_builder",
    "serve_http",
]
