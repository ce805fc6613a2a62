"""``python -m newsnb``: the ``newsnb`` command (see :mod:`newsnb.cli`)."""

import sys

from newsnb.cli import main

if __name__ == "__main__":
    sys.exit(main())
