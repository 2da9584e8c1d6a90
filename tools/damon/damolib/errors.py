# SPDX-License-Identifier: GPL-2.0
"""The one exception type that means "tell the user and exit non-zero"."""

import errno


class DamoError(Exception):
    """A user-facing failure: bad input, missing kernel feature, I/O error.

    The command-line front end prints the message (without a traceback)
    and exits with status 1.  Anything else that escapes is a bug in damo.
    """


def write_failed(value, path, err):
    """The DamoError for a failed write of value to a kernel file."""
    hint = ''
    if err.errno == errno.EBUSY:
        hint = ' (DAMON is busy: is monitoring already on?)'
    elif err.errno in (errno.EACCES, errno.EPERM):
        hint = ' (are you root?)'
    return DamoError('cannot write "%s" to %s: %s%s' % (
        value, path, err.strerror or err, hint))
