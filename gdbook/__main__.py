import sys

from gdbook.cli import main

sys.exit(main())
