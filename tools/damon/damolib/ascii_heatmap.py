# SPDX-License-Identifier: GPL-2.0
"""A heatmap as text, for the terminal: one row per time bin (earliest at
the top), one column per address bin, each cell a digit from 0 (no
access) to 9 (the busiest cell).  Any access at all shows as at least 1,
so that a lightly used area does not vanish next to a hot one.  On a
terminal the digits are also shaded, darker for colder.
"""

import os

from .fmt import size_str, time_str

LEVELS = 10


def level(value, top):
    if value <= 0 or top <= 0:
        return 0
    return min(LEVELS - 1, max(1, int(round((LEVELS - 1) * value / top))))


def _shade(lvl):
    # 256-colour greys from 236 (dark) to 255 (white); level 0 plain.
    if lvl == 0:
        return '\x1b[0m'
    return '\x1b[38;5;%dm' % (235 + 2 * lvl)


def use_colour(stream):
    if os.environ.get('NO_COLOR'):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def render(hm, colour=False, legend=True):
    """The lines of Heatmap hm (heats.Heatmap)."""
    top = max((v for row in hm.values for v in row), default=0)
    lines = []
    for row in hm.values:
        cells = []
        for v in row:
            lvl = level(v, top)
            cells.append((_shade(lvl) if colour else '') + str(lvl))
        lines.append(''.join(cells) + ('\x1b[0m' if colour else ''))
    t0, t1 = hm.time_edges[0], hm.time_edges[-1]
    a0, a1 = hm.addr_edges[0], hm.addr_edges[-1]
    ncols, nrows = len(hm.addr_edges) - 1, len(hm.time_edges) - 1
    if legend:
        sample = ''.join((_shade(i) if colour else '') + str(i)
                         for i in range(LEVELS))
        lines.append('# access frequency: %s%s (9: %.3g accesses per '
                     'aggregation)' % (sample, '\x1b[0m' if colour else '',
                                       top))
    lines.append('# x-axis: space (%d-%d: %s)' % (a0, a1,
                                                  size_str(a1 - a0)))
    lines.append('# y-axis: time (%d-%d: %s)' % (t0, t1, time_str(t1 - t0)))
    lines.append('# resolution: %dx%d (%s and %s for each character)' % (
        ncols, nrows, size_str((a1 - a0) // max(ncols, 1)),
        time_str((t1 - t0) // max(nrows, 1))))
    return lines
