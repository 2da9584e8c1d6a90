# SPDX-License-Identifier: GPL-2.0
"""Number formatting shared by the reports."""

_UNITS = ('KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB')


def size_str(nbytes, raw=False):
    """'4096' -> '4.000 KiB'; raw=True keeps the plain byte count."""
    if raw:
        return '%d' % nbytes
    if abs(nbytes) < 1024:
        return '%d B' % nbytes
    val = float(nbytes)
    for unit in _UNITS:
        val /= 1024
        if abs(val) < 1024 or unit == _UNITS[-1]:
            return '%.3f %s' % (val, unit)
    raise AssertionError('unreachable')


def time_str(ns, raw=False):
    """Nanoseconds -> '1.500 s' / '250.000 ms' / '12.000 us' / '7 ns'."""
    if raw:
        return '%d' % ns
    for div, unit in ((1000000000, 's'), (1000000, 'ms'), (1000, 'us')):
        if abs(ns) >= div:
            return '%.3f %s' % (ns / div, unit)
    return '%d ns' % ns


def sec_str(ns):
    """Nanoseconds as seconds with all nine decimals, e.g. '12.000000500'."""
    sign = '-' if ns < 0 else ''
    sec, frac = divmod(abs(ns), 1000000000)
    return '%s%d.%09d' % (sign, sec, frac)
