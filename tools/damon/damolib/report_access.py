# SPDX-License-Identifier: GPL-2.0
"""damo report access: the regions of each snapshot, one line each, in
damo 3.x's "detailed" layout.

For every snapshot of every target (a header line first when there is
more than one)::

    heatmap: 00000000999999990000000000001111...
    # min/max access rate: 0 %, 100 %, column size: 3.200 MiB
    0   addr 0x7f0000000000 size 40.000 MiB  access 90 %  age 1.200 s
    ...
    total size: 256.000 MiB

Addresses are in hexadecimal (damo 3.x writes them as sizes, "127.000
TiB", which hides where a region is); --raw_number prints them in
decimal.  The heatmap line splits the snapshot's address span into 80
columns and shows each one's access rate (size-weighted, gaps count as
0) as a digit from 0 to 9, relative to the busiest column.  The access rate is
nr_accesses out of the samples an aggregation interval holds (aggr /
sample); the age is in aggregation intervals times the aggregation
interval.  Where the record does not say its intervals, DAMON's default
sampling interval (5 ms) and the snapshots' spacing stand in for them.

Without -i, when DAMON is running, damo takes one snapshot of it from the
damon_aggregated tracepoint; when it is not, it reads damon.data.
"""

import argparse
import os
import sys
import tempfile
import time

from . import backend as backends
from . import jsonrec, paths as pathmod, report, report_raw
from .errors import DamoError
from .fmt import size_str, time_str
from .model import Intervals, Record, target_id_of
from .tracefs import TraceRecorder

COLUMNS = 80


def add_parser(sub, common):
    p = sub.add_parser('access', parents=[common],
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='every region of every snapshot (damo 3.x)',
                       description=__doc__.split('\n', 2)[2])
    p.add_argument('--tid', type=int, metavar='ID',
                   help='only this target')
    p.add_argument('--raw_number', action='store_true',
                   help='plain numbers, without units')
    p.add_argument('--raw_form', action='store_true',
                   help='print the record as "damo report raw" does')
    p.add_argument('--timeout', type=float, default=10, metavar='SECONDS',
                   help='live snapshot: give up after SECONDS (default '
                   '%(default)s)')
    backends.add_option(p)
    pathmod.add_path_options(p, debugfs=True, tracefs=True, sysfs=True)
    p.set_defaults(func=run)
    return p


def _rate(acc, iv):
    if not iv.sample_us:
        return 0.0
    return 100.0 * acc * iv.sample_us / iv.aggr_us


def heatmap_line(regions, iv):
    """The snapshot's address span in COLUMNS digits (see module doc).

    Regions of records in other formats than JSON may come unsorted or
    overlapping: the span is from the lowest start to the highest end,
    and a column only takes what falls inside it.
    """
    lo = min(r.start for r in regions)
    hi = max(r.end for r in regions)
    span = hi - lo
    if span <= 0:
        return '', 0, 0, 0
    col = span / COLUMNS
    sums = [0.0] * COLUMNS
    for r in regions:
        c = min(COLUMNS - 1, max(0, int((r.start - lo) / col)))
        pos = r.start
        while pos < r.end and c < COLUMNS:
            edge = min(r.end, lo + (c + 1) * col)
            sums[c] += (edge - pos) * _rate(r.nr_accesses, iv)
            pos = edge
            c += 1
    rates = [v / col for v in sums]
    top = max(rates)
    digits = ''.join('0' if v <= 0 or top <= 0 else
                     str(min(9, max(1, int(round(9 * v / top)))))
                     for v in rates)
    return digits, min(rates), top, col


def format_snapshot(regions, iv, raw):
    lines = []
    digits, low, top, col = heatmap_line(regions, iv)
    lines.append('heatmap: %s' % digits)
    lines.append('# min/max access rate: %.0f %%, %.0f %%, column size: %s'
                 % (low, top, size_str(int(col), raw)))
    rows = []
    for i, r in enumerate(regions):
        age = '?' if r.age is None else \
            time_str(r.age * iv.aggr_us * 1000, raw)
        rows.append(('%d' % i, ('%d' if raw else '%#x') % r.start,
                     size_str(r.end - r.start, raw),
                     '%.0f %%' % _rate(r.nr_accesses, iv), age))
    widths = [max(len(row[k]) for row in rows) for k in range(4)]
    for row in rows:
        lines.append('%s addr %s size %s access %s age %s' % (
            row[0].ljust(widths[0]), row[1].ljust(widths[1]),
            row[2].ljust(widths[2]), row[3].ljust(widths[3]), row[4]))
    lines.append('total size: %s' % size_str(
        sum(r.end - r.start for r in regions), raw))
    return lines


def format_record(rec, tid=None, raw=False):
    series = [(t, snaps) for t, snaps in jsonrec.per_target(rec)
              if tid is None or t == target_id_of(tid)]
    if not series:
        raise DamoError('no target %s in the record' % tid)
    many = len(series) > 1 or len(series[0][1]) > 1
    base = min(snaps[0][0] for _, snaps in series)
    out = []
    for t, snaps in series:
        iv = jsonrec.guess_intervals(rec, t)
        for i, (start, end, regions) in enumerate(snaps):
            if many:
                if out:
                    out.append('')
                out.append('# target %s, snapshot %d of %d: %s - %s' % (
                    t, i, len(snaps), time_str(start - base, raw),
                    time_str(end - base, raw)))
            if regions:
                out.extend(format_snapshot(regions, iv, raw))
    return out


def live_snapshot(args, be, paths):
    """One snapshot of the running DAMON, from the tracepoint."""
    fd, tmp = tempfile.mkstemp(prefix='damo-access-')
    os.close(fd)
    tracer = TraceRecorder(paths.tracefs, tmp, keep=True)
    try:
        tracer.setup()
        deadline = time.monotonic() + args.timeout
        while tracer.snapshots < 1 and time.monotonic() < deadline:
            tracer.poll()
            time.sleep(0.05)
        for w in tracer.finish(drain=0):
            print('damo: warning: %s' % w, file=sys.stderr)
        if tracer.snapshots < 1:
            raise DamoError('no complete aggregation within %g s '
                            '(--timeout)' % args.timeout)
    finally:
        os.unlink(tmp)
    rec = Record(tracer.kept[:1], 'live snapshot')
    cur = be.current()
    if cur:
        rec.intervals = Intervals(cur['sample_us'], cur['aggr_us'],
                                  cur['update_us'])
    return rec


def _source(args):
    if args.input is not None:
        return report.load(args)
    paths = pathmod.from_args(args)
    try:
        be = backends.choose(paths, args.damon_interface)
        running = be.is_on()
    except DamoError:
        be, running = None, False
    if running:
        return live_snapshot(args, be, paths)
    if not os.path.exists('damon.data'):
        raise DamoError('no -i given, DAMON is not running, and there is '
                        'no damon.data here')
    args.input = 'damon.data'
    return report.load(args)


def run(args):
    rec = _source(args)
    if args.raw_form:
        for line in report_raw.format_record(rec, args.input or 'live',
                                             args.raw_number):
            sys.stdout.write(line + '\n')
        return 0
    for line in format_record(rec, args.tid, args.raw_number):
        sys.stdout.write(line + '\n')
    return 0
