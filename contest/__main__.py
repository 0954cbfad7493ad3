import sys

from contest.cli import main

sys.exit(main())
