"""python -m tfx_lite: the `tfx-lite` command (tfx_lite/cli/)."""
import sys

from tfx_lite.cli import main

sys.exit(main())
