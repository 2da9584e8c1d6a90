# SPDX-License-Identifier: GPL-2.0
"""Open a monitoring record, whatever its format.

Accepted inputs: the binary record format (recfile.py), tracepoint text
from ``perf script`` or tracefs (tracetext.py), and perf.data files, which
are turned into text by running ``perf script``.  '-' reads standard input.
"""

import shutil
import subprocess
import sys

from . import recfile, tracetext
from .errors import DamoError

_PERF_MAGIC = b'PERFILE2'


def _looks_like_text(buf):
    head = buf[:1 << 20]
    if b'damon_aggregated' not in head:
        return False
    # The binary format has many zero bytes; text has none.
    return b'\0' not in head


def _perf_script(path):
    perf = shutil.which('perf')
    if perf is None:
        raise DamoError('%s is a perf.data file, but "perf" was not found '
                        'to decode it; run "perf script -i %s > FILE" '
                        'where perf exists and pass FILE' % (path, path))
    try:
        out = subprocess.run([perf, 'script', '-i', path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             check=False)
    except OSError as e:
        raise DamoError('cannot run perf: %s' % e) from e
    if out.returncode != 0:
        raise DamoError('perf script -i %s failed: %s' % (
            path, out.stderr.decode(errors='replace').strip()))
    return out.stdout


def load(path):
    """Read the record at path; raise DamoError if it cannot be used."""
    try:
        if path == '-':
            buf = sys.stdin.buffer.read()
        else:
            with open(path, 'rb') as f:
                buf = f.read()
    except OSError as e:
        raise DamoError('cannot read record %s: %s' % (
            path, e.strerror or e)) from e
    if not buf:
        raise DamoError('%s is empty: no monitoring results were recorded'
                        % path)
    if buf.startswith(_PERF_MAGIC):
        buf = _perf_script(path)
        if b'damon_aggregated' not in buf:
            raise DamoError('%s holds no damon:damon_aggregated events'
                            % path)
    if buf.startswith(recfile.MAGIC) or not _looks_like_text(buf):
        return recfile.loads(buf, path)
    text = buf.decode('utf-8', errors='replace')
    rec = tracetext.parse_lines(text.splitlines(), path)
    if not rec.snapshots:
        raise DamoError('%s: no complete aggregation in the trace text'
                        % path)
    return rec
