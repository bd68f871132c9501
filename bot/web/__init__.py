"""The bot's web pages: the dashboard (a Telegram Mini App, ``dashboard.py``)."""
