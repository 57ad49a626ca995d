import sys

from ticketing.entrypoints.cli import main

sys.exit(main())
