# SPDX-License-Identifier: GPL-2.0
"""Hostile values for the files of DAMOS: the schemes/ tree of the sysfs
interface (chosen by a file's name) and lines of the debugfs schemes file.

Values are mostly valid, so that schemes get built and run, with boundary
numbers (0, the largest of 32 and 64 bits, one past them), negative and
non-numeric ones, and wrong keywords mixed in.
"""

from lib_fuzz import rand_bytes, rand_num

U32 = (1 << 32) - 1
U64 = (1 << 64) - 1

ACTIONS = ('stat', 'pageout', 'cold', 'willneed', 'nohugepage', 'hugepage',
           'lru_deprio', 'lru_prio', 'migrate_cold', 'migrate_hot')
KEYWORDS = {
    'action': ACTIONS,
    'metric': ('none', 'free_mem_rate'),
    'target_metric': ('user_input', 'some_mem_psi_us'),
    'type': ('anon', 'memcg', 'young', 'addr', 'target'),
}
# Wrong spellings of keywords.
BAD_WORDS = ('STAT', 'stat stat', 'stat\n\n', 'migrate', 'none\0', '0', '1',
             'free_mem', 'user-input', 'addr ', '-1', 'anonymous')
# Numbers at the edges of every range these files have.
EDGES = (0, 1, 999, 1000, 1001, U32, U32 + 1, (1 << 63) - 1, 1 << 63, U64)
# apply_interval_us: a commit is cheap, but tried_regions waits one
# interval for each scheme, so days long ones stay rare.
INTERVALS = (0, 0, 0, 0, 1000, 1000, 5000, 5000, 20000, 20000, 100000,
             10 ** 12, U64)


def scheme_number(name, rnd):
    """A number (as text) for the scheme file called name."""
    if name == 'apply_interval_us':
        return str(rnd.choice(INTERVALS))
    if name == 'target_nid':
        return rnd.choice(('-1', '0', '1', '63', '64', '1024', '-2',
                           str(1 << 31), str(-(1 << 31) - 1), '0x1'))
    if name.endswith('_permil'):
        return str(rnd.choice((0, 1, 500, 1000, U32 // 2, U32 - 1, U32,
                               U32 + 1)))
    if name in ('high', 'mid', 'low'):
        return str(rnd.choice((0, 100, 500, 900, 1000, 1001, U64)))
    if name in ('min', 'max', 'bytes', 'target_value', 'current_value',
                'addr_start', 'addr_end'):
        r = rnd.random()
        if r < 0.5:
            return str(rnd.choice(EDGES))
        if r < 0.8:
            return str(rnd.randrange(0, 1 << rnd.choice((8, 20, 32, 48))))
    if name in ('ms', 'reset_interval_ms', 'interval_us'):
        return str(rnd.choice((0, 1, 10, 1000, 5000, U32, U64)))
    if name == 'damon_target_idx':
        return str(rnd.choice((0, 1, 2, 1023, U32, U32 + 1, U64)))
    return rand_num()


def memcg_path(rnd):
    return rnd.choice(('/', '', '/nonexistent', 'relative', '/a/../b',
                       '/' * 4095, 'x' * 4095, 'x' * 4096, 'x' * 5000,
                       '/\0/', '  /  ', '/init.scope'))


def scheme_value(name, rnd):
    """Something to write to the schemes/ file called name: valid or not."""
    r = rnd.random()
    if r < 0.05:
        return rand_bytes(rnd.randint(0, 80))
    if r < 0.08:
        return rnd.choice((b'', b'\n', b'\0', b'1\0', b'\xff', b' 1',
                           b'1 2', b'1\n\n', b'1' * 65))
    if name in KEYWORDS:
        if rnd.random() < 0.85:
            return rnd.choice(KEYWORDS[name]).encode()
        return rnd.choice(BAD_WORDS).encode()
    if name == 'matching':
        return rnd.choice(('Y', 'N', 'y', 'n', '1', '0', 'on', 'off',
                           'maybe', 'YES', '2')).encode()
    if name == 'memcg_path':
        return memcg_path(rnd).encode()
    if rnd.random() < 0.1:
        return rnd.choice(('-1', '-0', '+5', '0x', '1e3', '18446744073709551616',
                           '99999999999999999999999', '0x1p3', 'ten',
                           '010', '0xffffffffffffffff')).encode()
    return scheme_number(name, rnd).encode()


def dbgfs_scheme_line(rnd, ram=None):
    """A line of the debugfs schemes file: 18 numbers, mostly sane."""
    if rnd.random() < 0.15:
        # Too few or too many values, or garbage among them.
        n = rnd.choice((0, 1, 17, 19, 23, 40))
        return ' '.join(rand_num() for _ in range(n))
    nums = [0, U64, 0, U64, 0, U64,		# the pattern
            rnd.choice((5, 5, 0, 1, 2, 3, 4)),	# the action
            0, 0, 0,				# quota ms, bytes, reset
            0, 0, 0,				# weights
            0, 0, 0, 0, 0]			# watermarks
    for i in range(18):
        r = rnd.random()
        if r < 0.15:
            nums[i] = rnd.choice(EDGES)
        elif r < 0.2:
            nums[i] = rnd.randrange(0, 1 << 20)
    if rnd.random() < 0.1:
        nums[6] = rnd.choice((6, 7, 9, 255, 256, U32, U64))	# unknown
    if rnd.random() < 0.1:
        nums[13] = rnd.choice((1, 2, 3, U64))			# metric
    words = [str(n) for n in nums]
    if rnd.random() < 0.08:
        words[rnd.randrange(18)] = rnd.choice(
            ('-1', 'x', '18446744073709551616', '0x10', '1.5', ''))
    return ' '.join(words)


def dbgfs_schemes_value(rnd):
    """A value for the debugfs schemes file: zero or more lines."""
    r = rnd.random()
    if r < 0.05:
        return rand_bytes(rnd.randint(0, 200))
    if r < 0.08:
        return b'\n'.join(b'0 ' * 18 for _ in range(300))	# too long
    if r < 0.12:
        return rnd.choice((b'', b'\n', b' \n\t', b'\0'))
    lines = [dbgfs_scheme_line(rnd) for _ in range(rnd.randint(1, 4))]
    return ('\n'.join(lines) + rnd.choice(('', '\n'))).encode()
