# SPDX-License-Identifier: GPL-2.0
"""The one exception type that means "tell the user and exit non-zero"."""


class DamoError(Exception):
    """A user-facing failure: bad input, missing kernel feature, I/O error.

    The command-line front end prints the message (without a traceback)
    and exits with status 1.  Anything else that escapes is a bug in damo.
    """
