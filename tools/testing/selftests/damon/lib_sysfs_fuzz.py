# SPDX-License-Identifier: GPL-2.0
"""Helpers of the fuzz and fault injection tests of DAMON's sysfs interface:
the tree under kdamonds/ as a whole (its files, a snapshot of what they
read) and hostile values chosen by a file's name.

Nothing here knows the full list of files: a file is fuzzed by the kind
its name tells (a nr_<children> file, a number, operations, state), and a
file of a kind not listed gets numbers and garbage, so that directories
added later (DAMOS's schemes/) are walked and written without changes
here; give their files a kind below to make the values sharper.
"""

import os

from lib_fuzz import rand_bytes, rand_num
from lib_sysfs import ADMIN

KDAMONDS = os.path.join(ADMIN, 'kdamonds')

# Files whose value changes without being written: not compared.
VOLATILE = ('pid', 'state')
# Read-only files: never written.
READ_ONLY = ('pid', 'avail_operations')
# The largest number of children each nr_ file takes.
NR_MAX = {'nr_kdamonds': 256, 'nr_contexts': 1, 'nr_targets': 1024,
          'nr_regions': 4096}
NUMBERS = ('sample_us', 'aggr_us', 'update_us', 'min', 'max', 'start',
           'end', 'pid_target')
# Not update_schemes_tried_regions nor update_schemes_tried_bytes: they
# wait for each scheme's next apply pass, days away for random values of
# apply_interval_us or aggr_us, with every file locked meanwhile;
# damos_sysfs_fuzz.py sends them from a process that it kills when they
# hold it up.
STATE_CMDS = ('on', 'off', 'commit', 'update_schemes_stats',
              'clear_schemes_tried_regions', 'update_schemes_effective_quotas',
              'update_tuned_intervals')


def walk(top=KDAMONDS):
    """Every file under top (sysfs has no symbolic links below it).  Files
    of directories removed meanwhile are simply missing."""
    found = []
    for root, _, files in os.walk(top):
        found.extend(os.path.join(root, f) for f in files)
    return found


def read_or_none(path):
    """What the file at path reads (memcg_path may hold any bytes), or
    None."""
    try:
        with open(path, errors='surrogateescape') as f:
            return f.read()
    except OSError:
        return None


def snapshot(top=KDAMONDS, volatile=True):
    """{path: what it reads} of every readable file under top."""
    return {p: read_or_none(p) for p in walk(top)
            if volatile or os.path.basename(p) not in VOLATILE}


def write_value(path, value):
    """Write value in one write(); return None or the errno."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return e.errno
    try:
        os.write(fd, value)
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)
    return None


def writable(path):
    return os.path.basename(path) not in READ_ONLY


def nr_value(name, rnd):
    """A value for a nr_<children> file: mostly a few children, now and
    then the largest number, one more, or garbage."""
    r = rnd.random()
    top = NR_MAX.get(name, 1)
    if r < 0.75:
        return str(rnd.randint(0, min(top, 3)))
    if r < 0.8:
        return str(rnd.choice([top + 1, 2 ** 32, 2 ** 64]))
    if r < 0.82 and top <= 1024:
        return str(min(top, 64))
    value = rand_num()
    try:
        # Thousands of directories would only slow the walks down.
        if 64 < int(value, 0) <= top:
            return str(top + 1)
    except ValueError:
        pass
    return value


def hostile_value(path, rnd, pids, ram):
    """Something to write to the file at path: valid or not."""
    name = os.path.basename(path)
    r = rnd.random()
    if r < 0.06:
        return rand_bytes(rnd.randint(0, 100))
    if r < 0.08:
        return b'1' * rnd.choice([64, 65, 4095, 4096, 5000])	# too long
    if r < 0.11:
        return rnd.choice([b'', b'\n', b'\0', b'1\0', b'\xff\xfe', b'1 2',
                           b'1\n\n', b' 1'])
    if name.startswith('nr_'):
        return nr_value(name, rnd).encode()
    if name == 'state':
        if rnd.random() < 0.8:
            return rnd.choice(STATE_CMDS).encode()
        return rnd.choice([b'On', b'on off', b'1', b'commit\0', b'offf'])
    if name == 'operations':
        return rnd.choice([b'vaddr', b'paddr', b'fvaddr', b'paddr_fault',
                           b'vaddr\n', b'VADDR', b'vaddr paddr', b'none'])
    if name == 'pid_target' and rnd.random() < 0.6:
        return str(rnd.choice(pids)).encode()
    if name in ('start', 'end') and ram and rnd.random() < 0.5:
        return str(rnd.randrange(ram[0], ram[1], 4096)).encode()
    if name in NUMBERS and rnd.random() < 0.3:
        return str(rnd.choice([1, 3, 5, 10, 1000, 5000, 20000, 100000,
                               1000000])).encode()
    return rand_num().encode()
