"""The privacy rule, stated once: what anyone sees of a team is an aggregate from at least
:data:`MIN_TEAM` people other than the viewer (see :func:`bot.services.teams.aggregate`,
:mod:`bot.services.assignments`); names only of members who chose to share their progress."""

from __future__ import annotations

MIN_TEAM = 3  # people other than the viewer an aggregate needs before it is shown
