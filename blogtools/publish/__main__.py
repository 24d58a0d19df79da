import sys

from blogtools.publish import main

sys.exit(main())
