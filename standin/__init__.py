"""Local Telegram Bot API stand-in for the tests, the sandbox and the benchmarks.

A fake Telegram beside the bot, never imported by it (``tests/unit/test_layers.py``).
``import standin`` loads the server and its models only: the sandbox (``standin.sandbox``)
and the ``cxcoach-dev`` command (``standin.cli``), which run the bot, are imported by name.
"""

from .faults import Fault, FaultInjector
from .models import (
    BotEvent,
    CallbackRecord,
    CallRecord,
    ChatState,
    InviteLink,
    JoinRequest,
    MessageVersion,
    PollState,
    StoredFile,
    StoredMessage,
    UpdateRecord,
)
from .params import ApiError
from .server import ALL_UPDATE_TYPES, DEFAULT_UPDATE_TYPES, BotAPIStandIn
from .users import ChatView, NoBotResponse, SimChannel, SimGroup, SimUser

__all__ = [
    "ALL_UPDATE_TYPES",
    "DEFAULT_UPDATE_TYPES",
    "ApiError",
    "BotAPIStandIn",
    "BotEvent",
    "CallRecord",
    "CallbackRecord",
    "ChatState",
    "ChatView",
    "Fault",
    "FaultInjector",
    "InviteLink",
    "JoinRequest",
    "MessageVersion",
    "NoBotResponse",
    "PollState",
    "SimChannel",
    "SimGroup",
    "SimUser",
    "StoredFile",
    "StoredMessage",
    "UpdateRecord",
]
