# SPDX-License-Identifier: GPL-2.0
"""Memory footprints sampled while recording, in damo 3.x's
``<record>.mem_footprint`` layout: a JSON list, one entry per sample::

    {"time": <seconds since the epoch>,
     "footprints": [{"pid": <pid>, "footprint": {<statm fields>}}, ...,
                    {"pid": null, "footprint": {<meminfo fields>}}]}

A process's fields are those of /proc/<pid>/statm, in pages: size,
resident, shared, trs, lrs, drs, dt.  The system's (pid null) are from
/proc/meminfo, in KiB: total, free, available, buffers, cached.
"""

import json
import os
import time

from .errors import DamoError

STATM = ('size', 'resident', 'shared', 'trs', 'lrs', 'drs', 'dt')
MEMINFO = {'MemTotal': 'total', 'MemFree': 'free',
           'MemAvailable': 'available', 'Buffers': 'buffers',
           'Cached': 'cached'}
SUFFIX = '.mem_footprint'


def _statm(proc, pid):
    try:
        with open(os.path.join(proc, str(pid), 'statm')) as f:
            vals = [int(x) for x in f.read().split()]
    except (OSError, ValueError):
        return None
    return dict(zip(STATM, vals))


def _meminfo(proc):
    out = {}
    try:
        with open(os.path.join(proc, 'meminfo')) as f:
            for line in f:
                key, _, rest = line.partition(':')
                if key in MEMINFO and rest.split():
                    out[MEMINFO[key]] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return out


class Sampler:
    """Samples the footprints of pids (and the system) when asked."""

    def __init__(self, proc, pids, interval=1.0):
        self.proc = proc
        self.pids = [p for p in pids if p is not None]
        self.interval = interval
        self.samples = []
        self._last = None

    def poll(self, now=None):
        now = time.monotonic() if now is None else now
        if self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        fps = []
        for pid in self.pids:
            statm = _statm(self.proc, pid)
            if statm is not None:
                fps.append({'pid': pid, 'footprint': statm})
        fps.append({'pid': None, 'footprint': _meminfo(self.proc)})
        self.samples.append({'time': time.time(), 'footprints': fps})

    def save(self, path):
        try:
            with open(path, 'w') as f:
                json.dump(self.samples, f, indent=4)
        except OSError as e:
            raise DamoError('cannot write %s: %s' % (path, e.strerror)) \
                from e


def load(path):
    """[(time, {pid: footprint dict})] of a mem_footprint file."""
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as e:
        raise DamoError('cannot read %s: %s' % (path, e.strerror)) from e
    except ValueError as e:
        raise DamoError('%s: damaged or truncated footprint file (%s)' % (
            path, e)) from e
    out = []
    try:
        for entry in data:
            out.append((float(entry['time']),
                        {fp['pid']: fp['footprint']
                         for fp in entry['footprints']}))
    except (TypeError, KeyError, ValueError) as e:
        raise DamoError('%s: not a damo mem_footprint file (%s)' % (
            path, e)) from e
    if not out:
        raise DamoError('%s holds no footprint samples' % path)
    return out


def metric(sample, name, page_size):
    """Bytes of one metric ('vsz', 'rss', 'sys_used') in one sample."""
    fps = sample[1]
    if name == 'sys_used':
        sys_fp = fps.get(None, {})
        if 'total' not in sys_fp or 'free' not in sys_fp:
            return 0
        return (sys_fp['total'] - sys_fp['free']) * 1024
    field = 'size' if name == 'vsz' else 'resident'
    return sum(fp.get(field, 0) * page_size for pid, fp in fps.items()
               if pid is not None)
