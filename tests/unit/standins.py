"""The stand-in the unit tests of the transport, the sender and the stand-in itself talk to:
its token and its one simulated user (the fixtures are in ``conftest.py``)."""

TOKEN = "123456:TEST-TOKEN-0123456789abcdefghij"
USER_ID = 1001
