"""`python -m fiscallens …`"""

import sys

from fiscallens.cli import main

sys.exit(main())
