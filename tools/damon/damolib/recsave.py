# SPDX-License-Identifier: GPL-2.0
"""Write a record in one of the formats damo reads (--output_type).

  record            the binary format (recfile.py), what the kernel's
                    debugfs ``record`` file writes; damo's default
  json              damo 3.x's JSON (jsonrec.py)
  json_compressed   the same, zlib-compressed: damo 3.x's default and the
                    one of its formats that it reads on Debian 12
  perf_script       damon_aggregated events as damo 3.x writes them
                    (tracetext.dumps())

damo 3.x's ``perf_data`` (a perf.data file) needs perf to write; damo
reads such files but does not write them.

A record replaces its output file atomically (a new file renamed over
it), so the output must be a regular file or not exist: a FIFO, a device
node or a directory there is refused rather than replaced.  A symbolic
link to a regular file is followed: the file it points to is replaced
and the link stays.
"""

import os
import stat

from . import jsonrec, recfile, tracetext
from .errors import DamoError

BINARY = 'record'
OUTPUT_TYPES = (BINARY, 'json', 'json_compressed', 'perf_script')
ALIASES = {'binary': BINARY}


def encode(rec, output_type):
    """The record's bytes in output_type."""
    if output_type == BINARY:
        return recfile.dumps(rec.snapshots)
    if output_type == 'json':
        return jsonrec.dumps(rec).encode()
    if output_type == 'json_compressed':
        return jsonrec.dumps_compressed(rec)
    if output_type == 'perf_script':
        return tracetext.dumps(jsonrec.per_target(rec)).encode()
    raise DamoError('unknown output type %r (one of %s)' % (
        output_type, ', '.join(OUTPUT_TYPES)))


def parse_permission(text):
    """'600' (octal, as chmod takes it) -> 0o600."""
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o777:
        raise DamoError('--output_permission %s: give an octal mode from '
                        '000 to 777, e.g. 600' % text)
    return mode


def check_path(path):
    """The absolute path a record for path is written to (a symbolic
    link resolved), or a DamoError if it cannot be written there."""
    path = os.path.abspath(path)
    if os.path.islink(path):
        path = os.path.realpath(path)
        if not os.path.lexists(path):
            raise DamoError('cannot write %s: a symbolic link to nowhere'
                            % path)
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        raise DamoError('cannot write %s: directory %s does not exist' % (
            path, parent))
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise DamoError('cannot write %s: %s' % (path, e.strerror)) from e
    if mode is not None and stat.S_ISDIR(mode):
        raise DamoError('cannot write %s: it is a directory' % path)
    if mode is not None and not stat.S_ISREG(mode):
        raise DamoError('cannot write %s: not a regular file' % path)
    if not os.access(parent, os.W_OK):
        raise DamoError('cannot write %s: permission denied' % path)
    return path


def save(rec, path, output_type, permission=None):
    """Write rec to path (replacing it atomically) in output_type; see
    check_path() for what path may be."""
    path = check_path(path)
    data = encode(rec, output_type)
    tmp = '%s.tmp%d' % (path, os.getpid())
    try:
        with open(tmp, 'wb') as f:
            f.write(data)
        if permission is not None:
            os.chmod(tmp, permission)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise DamoError('cannot write %s: %s' % (path, e.strerror or e)) \
            from e
