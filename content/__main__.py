"""`python -m content [--seeds DIR] [DATA_DIR]`: the same check as `cxcoach content check`."""

from content.cli import main

raise SystemExit(main())
