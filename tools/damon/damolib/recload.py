# SPDX-License-Identifier: GPL-2.0
"""Open a monitoring record, whatever its format, recognised by content.

In the order damo tries them:

  binary      starts with "damon_recfmt_ver" (recfile.py)
  perf.data   starts with "PERFILE2": decoded with ``perf script``, then
              read as trace text
  json_compressed
              a zlib stream (first two bytes a zlib header) holding damo
              3.x JSON (jsonrec.py)
  json        text whose first non-blank character is "[" or "{"
              (jsonrec.py; damo 3.x writes a list)
  trace text  text with damon:damon_aggregated events: perf script or
              tracefs output, damo 3.x's ``perf_script`` (tracetext.py)
  binary      without header (recfile.py), if the data fits its layout

A file that is none of these, holds only zero bytes, or has snapshots but
no monitoring target in any of them is refused with one line saying so.
'-' reads standard input.
"""

import shutil
import subprocess
import sys
import zlib

from . import jsonrec, recfile, tracetext
from .errors import DamoError

_PERF_MAGIC = b'PERFILE2'
_HEAD = 1 << 20


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


def _is_zlib(buf):
    return (len(buf) >= 2 and buf[0] == 0x78 and
            ((buf[0] << 8) | buf[1]) % 31 == 0)


def _is_text(buf):
    return b'\0' not in buf[:_HEAD]


def _first_char(buf):
    head = buf[:_HEAD].lstrip(b'\xef\xbb\xbf').lstrip()
    return head[:1]


def _text_record(buf, name):
    text = buf.decode('utf-8', errors='replace')
    rec = tracetext.parse_lines(text.splitlines(), name)
    if not rec.snapshots:
        raise DamoError('%s: no complete aggregation in the trace text'
                        % name)
    return rec


def loads(buf, name='record'):
    """Decode a record held in buf (bytes), whatever its format."""
    if not buf:
        raise DamoError('%s is empty: no monitoring results were recorded'
                        % name)
    if buf.startswith(recfile.MAGIC):
        return recfile.loads(buf, name)
    if _is_zlib(buf):
        try:
            return jsonrec.loads_compressed(buf, name)
        except DamoError as e:
            # Two bytes can look like a zlib header by chance.
            try:
                return recfile.loads(buf, name)
            except DamoError:
                raise e from None
    if _is_text(buf):
        if _first_char(buf) in (b'[', b'{'):
            return jsonrec.loads(buf.decode('utf-8', errors='replace'),
                                 name)
        if b'damon_aggregated' in buf[:_HEAD]:
            return _text_record(buf, name)
        raise DamoError('%s: not a DAMON record (text, but neither JSON nor '
                        'damon_aggregated trace events)' % name)
    if buf.count(0) == len(buf):
        raise DamoError('%s holds only zero bytes: not a DAMON record' % name)
    return recfile.loads(buf, name)


def check_usable(rec, name):
    """Refuse a record that holds nothing to report."""
    if not rec.snapshots:
        raise DamoError('%s holds no snapshots' % name)
    if not rec.target_ids():
        raise DamoError('%s: %d snapshots, but no monitoring target in any '
                        'of them: nothing to report' % (
                            name, len(rec.snapshots)))


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
    if buf.startswith(_PERF_MAGIC):
        buf = _perf_script(path)
        if b'damon_aggregated' not in buf:
            raise DamoError('%s holds no damon:damon_aggregated events'
                            % path)
        return _text_record(buf, path)
    return loads(buf, path)
