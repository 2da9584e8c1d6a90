# SPDX-License-Identifier: GPL-2.0
"""damo report: turn a record into text or pictures.

Each report type is its own module; this one only routes to them and
holds what they share (the input option and loading the record).
"""

import argparse
import sys

from . import control, recload, report_access, \
    report_footprints, report_heatmap, report_heats, report_nr_regions, \
    report_raw, report_wss
from .errors import DamoError
from .model import target_id_of

REPORTS = (report_raw, report_heats, report_wss, report_nr_regions,
           report_access, report_heatmap, report_footprints)


def add_parser(subparsers):
    p = subparsers.add_parser(
        'report', help='show a recorded access pattern',
        description='Show what "damo record" recorded.  The input may be '
        'a record in any format damo reads: binary (version 1 or 2), '
        'damo 3.x\'s json or json_compressed, the text of '
        'damon:damon_aggregated trace events (perf script, damo 3.x\'s '
        'perf_script, tracefs trace/trace_pipe), or a perf.data file '
        '(decoded with perf script); the format is told by content.')
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('-i', '--input', '--input_file',
                        default=None, metavar='FILE',
                        help='record to read (default damon.data; - for '
                        'standard input)')
    sub = p.add_subparsers(dest='report_type', metavar='TYPE',
                           title='report types')
    sub.required = True
    for mod in REPORTS:
        mod.add_parser(sub, common)
    control.add_status_parser(sub, 'damon', ' (damo 3.x; same as '
                              '"damo status")')
    return p


def load(args):
    """Load the record named by args.input; warn about unusable parts."""
    if args.input is None:
        args.input = 'damon.data'
    rec = recload.load(args.input)
    if rec.warning:
        print('damo: warning: %s' % rec.warning, file=sys.stderr)
    recload.check_usable(rec, args.input)
    return rec


def pick_targets(rec, tid):
    """The target ids a report covers: tid if given (checked), or all."""
    ids = rec.target_ids()
    if tid is None:
        return ids
    tid = target_id_of(tid)
    if tid not in ids:
        raise DamoError('no target %d in the record (targets: %s)' % (
            tid, ', '.join(str(i) for i in ids)))
    return [tid]
