"""`python -m bot ...` is the same as `cxcoach ...`."""

from bot.cli import main

raise SystemExit(main())
