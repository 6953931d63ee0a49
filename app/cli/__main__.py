"""`python -m app.cli`: see app.cli."""

import sys

from app.cli import main

sys.exit(main())
