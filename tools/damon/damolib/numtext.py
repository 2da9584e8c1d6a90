# SPDX-License-Identifier: GPL-2.0
"""Numbers written as text, the way damo 3.x writes them in its records
and takes them on its command line.

Accepted forms:

  counts    "42", "4,096", "1.5", "min" (0), "max" (2^64 - 1)
  sizes     a count, optionally followed by a unit: "B", "KiB", "MiB",
            "GiB", "TiB", "PiB", "EiB" ("4 KiB", "1.500 MiB", "4096B")
  times     a count in the field's own unit (ns or us), or one or more
            "<count> <unit>" pairs that add up ("100 ms", "1 m 2.5 s",
            "5ms"); units "ns", "us", "ms", "s", "m", "h", "d"

Every parser raises ValueError with a short reason on anything else, so
that callers can say which field of which file was wrong.
"""

import re

U64_MAX = (1 << 64) - 1

_SIZE_UNITS = {'B': 1, 'KiB': 1 << 10, 'MiB': 1 << 20, 'GiB': 1 << 30,
               'TiB': 1 << 40, 'PiB': 1 << 50, 'EiB': 1 << 60}
_TIME_NS = {'ns': 1, 'us': 1000, 'ms': 1000 ** 2, 's': 1000 ** 3,
            'm': 60 * 1000 ** 3, 'h': 3600 * 1000 ** 3,
            'd': 86400 * 1000 ** 3}
_BASE_NS = {'ns': 1, 'us': 1000}
_NUMBER = re.compile(r'^-?(\d+(\.\d*)?|\.\d+)$')
_PAIR = re.compile(r'\s*(-?[\d,]*\.?\d+)\s*([a-zA-Z]+)')


def _number(text):
    """A plain count (int when it has no fraction, else float)."""
    if isinstance(text, bool):
        raise ValueError('%r is not a number' % text)
    if isinstance(text, (int, float)):
        return text
    if not isinstance(text, str):
        raise ValueError('%r is not a number' % (text,))
    word = text.strip().replace(',', '')
    if word == 'min':
        return 0
    if word == 'max':
        return U64_MAX
    if not _NUMBER.match(word):
        raise ValueError('%r is not a number' % text)
    return float(word) if '.' in word else int(word)


def _whole(value):
    return int(round(value)) if isinstance(value, float) else value


def parse_nr(text):
    """A count: '4,096' -> 4096."""
    return _whole(_number(text))


def parse_bytes(text):
    """A size in bytes: '4 KiB' -> 4096, '4,096' -> 4096."""
    if isinstance(text, str):
        m = re.match(r'^\s*(.*?)\s*([KMGTPE]iB|B)\s*$', text)
        if m and m.group(1) not in ('', 'min', 'max'):
            return _whole(_number(m.group(1)) * _SIZE_UNITS[m.group(2)])
    return parse_nr(text)


def parse_time(text, base='ns'):
    """A duration in `base` units ('ns' or 'us'): '1 m 2.5 s' ->
    62500000000 with base 'ns'; a bare count is already in `base`."""
    div = _BASE_NS[base]
    try:
        return parse_nr(text)
    except ValueError:
        pass
    if not isinstance(text, str):
        raise ValueError('%r is not a time' % (text,))
    pos, total, pairs = 0, 0, 0
    for m in _PAIR.finditer(text):
        if m.start() != pos or m.group(2) not in _TIME_NS:
            break
        total += float(m.group(1).replace(',', '')) * _TIME_NS[m.group(2)]
        pos = m.end()
        pairs += 1
    if not pairs or text[pos:].strip():
        raise ValueError('%r is not a time (e.g. "100 ms", "1 m 2 s")'
                         % text)
    return int(round(total / div))
