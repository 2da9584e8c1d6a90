# SPDX-License-Identifier: GPL-2.0
"""damo's unit tests.

A package so that "python3 -m unittest discover" finds them from
tools/damon as well as from the repository root ("-s tools/damon/tests")
or from this directory.  The test modules import their shared fixtures
as the top-level module "support", so put this directory on sys.path.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
