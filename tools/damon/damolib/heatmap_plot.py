# SPDX-License-Identifier: GPL-2.0
"""The heatmap as a picture (gnuplot): time on x, address on y, access
frequency as colour, with a title, axis labels and a colour bar.

Colours: black for no access, then purple through red and orange to pale
yellow for the busiest cell.  The scale rises fast at the bottom, so a
warm area at a fifth to two fifths of the maximum is a clear magenta-red
rather than a shade of black, and no nonzero cell stays black.

Addresses: offsets from the start of the shown range in a readable unit,
or with --abs the absolute addresses in hexadecimal at round positions
(multiples of a power-of-two step chosen for five to ten ticks), which
gnuplot's own decimal ticks are not.
"""

import os
import tempfile

from . import plot
from .fmt import size_str

PALETTE = ('set palette defined (0 "black", 0.001 "#1a0b40", '
           '0.06 "#4b1283", 0.15 "#8a2390", 0.28 "#c23a7a", '
           '0.42 "#e8575a", 0.6 "#f8873a", 0.8 "#fcc24a", '
           '1 "#fff8d0")')


def addr_unit(span):
    for unit, div in (('GiB', 1 << 30), ('MiB', 1 << 20), ('KiB', 1 << 10)):
        if span >= 4 * div:
            return unit, div
    return 'bytes', 1


def round_ticks(lo, hi, want=(5, 10)):
    """Positions in [lo, hi] at multiples of a power-of-two step, for
    between want[0] and want[1] ticks when the span allows."""
    span = hi - lo
    if span <= 0:
        return [lo]
    step = 1
    while span // step > want[1]:
        step *= 2
    while step > 1 and span // step < want[0]:
        step //= 2
    first = -(-lo // step) * step
    return list(range(first, hi + 1, step))


def draw(hm, out_path, title, abs_addr=False, abs_time=False):
    """Draw Heatmap hm (heats.Heatmap) to out_path."""
    plot.check_writable(out_path)
    t0 = hm.time_edges[0]
    a0 = hm.addr_edges[0]
    a_end = hm.addr_edges[-1]
    span = a_end - a0
    ntime = len(hm.time_edges) - 1
    naddr = len(hm.addr_edges) - 1
    t_step = (hm.time_edges[-1] - t0) / ntime
    a_step = span / naddr
    t_base = 0 if abs_time else t0
    if abs_addr:
        ylabel, div, a_base = 'address', 1, 0
    else:
        unit, div = addr_unit(span)
        ylabel, a_base = 'address offset (%s)' % unit, a0
    fd, data = tempfile.mkstemp(prefix='damo-heats-', suffix='.dat')
    try:
        with os.fdopen(fd, 'w') as f:
            for i, row in enumerate(hm.values):
                x = (t0 + (i + 0.5) * t_step - t_base) / 1e9
                for j, v in enumerate(row):
                    y = (a0 + (j + 0.5) * a_step - a_base) / div
                    f.write('%.9g %.12g %.6g\n' % (x, y, v))
                f.write('\n')
        script = [
            'set title %s noenhanced' % plot.quote(
                '%s, %#x-%#x (%s)' % (title, a0, a_end, size_str(span))),
            'set xlabel %s' % plot.quote('time (s)' if abs_time else
                                         'time since the start (s)'),
            'set ylabel %s' % plot.quote(ylabel),
            'set cblabel "access frequency (nr_accesses per aggregation)" '
            'noenhanced',
            'set xrange [%.9g:%.9g]' % ((t0 - t_base) / 1e9,
                                        (hm.time_edges[-1] - t_base) / 1e9),
            'set yrange [%.12g:%.12g]' % ((a0 - a_base) / div,
                                          (a_end - a_base) / div),
            'set cbrange [0:*]',
            PALETTE,
            'set tics out nomirror',
        ]
        if abs_addr:
            ticks = round_ticks(a0, a_end)
            script.append('set ytics (%s)' % ', '.join(
                '"%#x" %d' % (t, t) for t in ticks))
        script.append('plot %s using 1:2:3 with image notitle'
                      % plot.quote(data))
        plot.render(out_path, '\n'.join(script))
    finally:
        os.unlink(data)
