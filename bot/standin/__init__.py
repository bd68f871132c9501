"""Local Telegram Bot API stand-in for end-to-end tests, the sandbox and benchmarks."""

from .faults import Fault, FaultInjector
from .models import (
    BotEvent,
    CallbackRecord,
    CallRecord,
    ChatState,
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
