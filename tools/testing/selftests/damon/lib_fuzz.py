# SPDX-License-Identifier: GPL-2.0
"""Helpers of DAMON's fuzz, stress and fault injection tests: hostile
values for the debugfs files, short-lived target processes, writes with
an allocation failed, and the kernel's counts (struct pid objects,
unreclaimable slab, kmemleak) that must not grow."""

import os
import random
import re
import time

from lib_damon import fail

KMEMLEAK = '/sys/kernel/debug/kmemleak'
FAULTS = ('/sys/kernel/debug/failslab', '/sys/kernel/debug/fail_page_alloc')
FAIL_NTH = '/proc/thread-self/fail-nth'
FUZZ_DIR = '/tmp/damon-fuzz'


def env_count(name, default):
    """A count from the environment, so that CI and check-debug differ."""
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def kdamonds():
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % pid) as f:
                if f.read().startswith('kdamond'):
                    found.append(int(pid))
        except OSError:
            pass
    return found


class ShortLived:
    """Child processes that exit on their own after a random short time."""

    def __init__(self):
        self.alive = []

    def spawn(self, max_ms=20):
        delay = random.random() * max_ms / 1000
        pid = os.fork()
        if pid == 0:
            time.sleep(delay)
            os._exit(0)
        self.alive.append(pid)
        return pid

    def reap(self, block=False):
        for pid in list(self.alive):
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
            if done:
                self.alive.remove(pid)

    def pick(self):
        return random.choice(self.alive) if self.alive else os.getpid()


def rand_num():
    return random.choice([
        '0', '1', '3', '10', '1000', '-1', '-5', '4096', '0x1000',
        '1048576', '1048577', str(2 ** 31), str(2 ** 63), str(2 ** 64),
        '99999999999999999999999', 'abc', '0x', '1e3', '+1', ' ', ''])


def rand_bytes(n):
    return bytes(random.getrandbits(8) for _ in range(n))


def hostile_value(name, pids, ram):
    """Something to write to debugfs file @name: valid or not."""
    r = random.random()
    if r < 0.08:
        return rand_bytes(random.randint(0, 300))
    if r < 0.10:
        return b'1 ' * random.choice([2100, 140000])	# too long
    if r < 0.13:
        return random.choice([b'', b'\n', b'\0', b'on\0off', b'\xff\xfe'])
    if name == 'attrs':
        if random.random() < 0.5:
            return ('%d %d %d %d %d' % (
                random.choice([1000, 5000]), random.choice([20000, 100000]),
                random.choice([100000, 1000000]), random.choice([3, 10]),
                random.choice([50, 1000]))).encode()
        return ' '.join(rand_num() for _ in range(random.randint(0, 7))
                        ).encode()
    if name in ('target_ids', 'pids'):
        if random.random() < 0.2:
            return random.choice([b'paddr', b'-1', b'paddr 1', b'abc'])
        words = [str(random.choice(pids)) if random.random() < 0.7 else
                 rand_num() for _ in range(random.randint(0, 4))]
        return ' '.join(words).encode()
    if name == 'init_regions':
        lines = []
        for _ in range(random.randint(0, 4)):
            if random.random() < 0.5 and ram:
                start = random.randrange(ram[0], ram[1], 4096)
                end = min(ram[1], start + random.choice([4096, 1 << 20,
                                                         1 << 30]))
                lines.append('-1 %d %d' % (start, end))
            else:
                lines.append('%s %s %s' % (rand_num(), rand_num(),
                                           rand_num()))
        return '\n'.join(lines).encode()
    if name == 'record':
        return random.choice([
            '0', '', '4096 %s/rec.data' % FUZZ_DIR, '1 %s/a' % FUZZ_DIR,
            '%s %s/b' % (rand_num(), FUZZ_DIR), '4096 relative',
            '4096 /proc/version', '4096 %s/link' % FUZZ_DIR,
            '4096 %s/missing/x' % FUZZ_DIR, '68719476736 /tmp/x']).encode()
    if name == 'monitor_on':
        return random.choice([b'on', b'off', b'On', b'1', b'on off'])
    if name in ('mk_contexts', 'rm_contexts'):
        return random.choice([b'c0', b'c1', b'c2', b'attrs', b'..', b'a/b',
                              b'x' * 300, b'', b'c0 c1'])
    return rand_bytes(16)


def pieces(value):
    """Cut a value into the write()s that deliver it: mostly one, sometimes
    several ending at line ends or anywhere."""
    r = random.random()
    if r < 0.75 or len(value) < 2:
        return [value]
    if r < 0.9 and b'\n' in value:
        parts = value.split(b'\n')
        return [p + b'\n' for p in parts[:-1]] + ([parts[-1]]
                                                  if parts[-1] else [])
    cut = random.randrange(1, len(value))
    return [value[:cut], value[cut:]]


def slab_counts():
    """(struct pid objects or None, unreclaimable slab KiB)."""
    pids = None
    try:
        with open('/proc/slabinfo') as f:
            for line in f:
                if line.startswith('pid '):
                    pids = int(line.split()[1])
    except OSError:
        pass
    with open('/proc/meminfo') as f:
        sunreclaim = int(re.search(r'SUnreclaim:\s+(\d+)', f.read()).group(1))
    return pids, sunreclaim


def settle():
    """Let RCU and the workqueues free what they hold, and have every slab
    cache give back its free objects (on KASAN kernels, shrinking a cache
    also empties its part of the quarantine, which keeps freed objects
    counted as allocated)."""
    slab = '/sys/kernel/slab'
    caches = os.listdir(slab) if os.path.isdir(slab) else []
    for _ in range(3):
        with open('/proc/sys/vm/drop_caches', 'w') as f:
            f.write('3')
        time.sleep(0.5)
        for cache in caches:
            try:
                with open(os.path.join(slab, cache, 'shrink'), 'w') as f:
                    f.write('1')
            except OSError:
                pass


def kmemleak_start():
    """Forget earlier reports; return whether kmemleak is there."""
    if not os.path.exists(KMEMLEAK):
        return False
    try:
        with open(KMEMLEAK, 'w') as f:
            f.write('clear')
    except OSError:
        return False
    return True


def kmemleak_new():
    """Scan and return the number of new unreferenced objects."""
    with open(KMEMLEAK, 'w') as f:
        f.write('scan')
    time.sleep(1)
    with open(KMEMLEAK, 'w') as f:
        f.write('scan')
    with open(KMEMLEAK) as f:
        return len(re.findall(r'^unreferenced object', f.read(), re.M))


def no_kdamond_left(secs=10):
    """Fail unless every kdamond is gone within secs (a stopped kdamond
    takes a moment to exit)."""
    deadline = time.monotonic() + secs
    while kdamonds() and time.monotonic() < deadline:
        time.sleep(0.1)
    if kdamonds():
        fail('kdamonds left: %s' % kdamonds())


class LeakWatch:
    """The kernel's counts before a stress, compared with them afterwards:
    struct pid objects (a target's pid reference kept), unreclaimable slab
    (anything else kept) and, where the kernel has it, kmemleak."""

    def __init__(self):
        self.kmemleak = kmemleak_start()
        settle()
        self.pids, self.slab = slab_counts()

    def check(self, prefix='', pids=True):
        """Fail on growth; pids=False where the stress itself leaves
        struct pid objects that RCU frees later."""
        settle()
        pids1, slab1 = slab_counts()
        print('%sstruct pid objects %s -> %s, unreclaimable slab %d -> %d '
              'KiB' % (prefix, self.pids, pids1, self.slab, slab1))
        if pids and self.pids is not None and pids1 > self.pids + 8:
            fail('struct pid objects grew by %d' % (pids1 - self.pids))
        if slab1 > self.slab + 2048:
            fail('unreclaimable slab grew by %d KiB' % (slab1 - self.slab))
        if self.kmemleak:
            leaks = kmemleak_new()
            if leaks:
                fail('kmemleak reports %d new leaks' % leaks)
            print('kmemleak: no new leak')


def faults_ready():
    """Whether failslab, fail_page_alloc and fail-nth are there."""
    return all(os.path.exists(f) for f in FAULTS + (FAIL_NTH,))


def set_fault_attr(name, value):
    """Set a knob of failslab and fail_page_alloc; return the old values
    for restore_faults()."""
    old = {}
    for d in FAULTS:
        path = os.path.join(d, name)
        if os.path.exists(path):
            with open(path) as f:
                old[path] = f.read().strip()
            with open(path, 'w') as f:
                f.write(value)
    return old


def restore_faults(old):
    for path, value in old.items():
        with open(path, 'w') as f:
            f.write(value)


def write_with_fault(path, value, nth):
    """Write value (a str) in one write() with the nth allocation of this
    thread failed; return (errno or None, whether a failure was injected)."""
    fd = os.open(path, os.O_WRONLY)
    tf = os.open(FAIL_NTH, os.O_RDWR)
    err = None
    try:
        os.pwrite(tf, str(nth).encode(), 0)
        try:
            os.write(fd, value.encode())
        except OSError as e:
            err = e.errno
        left = int(os.pread(tf, 32, 0) or b'0')
        os.pwrite(tf, b'0', 0)
    finally:
        os.close(tf)
        os.close(fd)
    return err, left == 0
