"""CX Coach: everything Telegram-facing."""

import os

# Opt in to PTB's coming behaviour now: durations such as RetryAfter.retry_after are
# datetime.timedelta (PTB 22 warns about the old int form; our code handles both).
os.environ.setdefault("PTB_TIMEDELTA", "1")
