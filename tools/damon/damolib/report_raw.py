# SPDX-License-Identifier: GPL-2.0
"""damo report raw: every snapshot, target and region as text."""

import sys

from . import report
from .fmt import sec_str, size_str


def add_parser(sub, common):
    p = sub.add_parser('raw', parents=[common],
                       help='print every snapshot as text',
                       description='Print every snapshot of the record: '
                       'its end time (seconds since the first snapshot '
                       'ended, and as recorded), then per target its '
                       'regions as "START-END (SIZE): NR_ACCESSES".')
    p.add_argument('--raw_number', '--raw-number', action='store_true',
                   help='sizes in bytes, not KiB/MiB/...')
    p.set_defaults(func=run)
    return p


def format_record(rec, name, raw_number=False):
    """The report's lines, as a generator."""
    base = rec.snapshots[0].end_ns
    yield '# %s: %s, %d snapshots' % (name, rec.fmt, len(rec.snapshots))
    for idx, snap in enumerate(rec.snapshots):
        yield 'snapshot %d: time %s s (recorded %s)' % (
            idx, sec_str(snap.end_ns - base), sec_str(snap.end_ns))
        for t in snap.targets:
            yield '  target %d: %d regions' % (t.target_id, len(t.regions))
            for r in t.regions:
                yield '    %#x-%#x (%s): %d' % (
                    r.start, r.end, size_str(r.end - r.start, raw_number),
                    r.nr_accesses)


def run(args):
    rec = report.load(args)
    out = sys.stdout
    for line in format_record(rec, args.input, args.raw_number):
        out.write(line + '\n')
    return 0
