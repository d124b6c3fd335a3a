"""``python -m stances``: see stances.cli."""

import sys

from stances.cli import main

sys.exit(main())
