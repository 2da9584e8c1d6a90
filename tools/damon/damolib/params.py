# SPDX-License-Identifier: GPL-2.0
"""What to monitor and how: the parameters record, start and tune give
DAMON, whichever interface (sysfs or debugfs) takes them."""

DEFAULTS = {'sample': 5000, 'aggr': 100000, 'updr': 1000000,
            'minr': 10, 'maxr': 1000}


class MonitorParams:
    """Monitoring attributes (us, region counts), the operations set
    ('vaddr', 'fvaddr' or 'paddr'), the target pids (vaddr, fvaddr) and
    the initial regions ([(start, end)], or None to let the kernel pick
    them for vaddr), and the DAMOS schemes (damos.Scheme)."""

    def __init__(self, ops, pids=None, regions=None, sample=None,
                 aggr=None, updr=None, minr=None, maxr=None, schemes=()):
        self.ops = ops
        self.schemes = list(schemes)
        self.pids = list(pids or [])
        self.regions = regions
        self.sample = DEFAULTS['sample'] if sample is None else sample
        self.aggr = DEFAULTS['aggr'] if aggr is None else aggr
        self.updr = DEFAULTS['updr'] if updr is None else updr
        self.minr = DEFAULTS['minr'] if minr is None else minr
        self.maxr = DEFAULTS['maxr'] if maxr is None else maxr

    def targets(self):
        """[(pid or None, [(start, end)])], one per monitoring target."""
        if self.ops == 'paddr':
            return [(None, list(self.regions or []))]
        return [(pid, list(self.regions or [])) for pid in self.pids]

    def describe(self):
        what = 'physical memory' if self.ops == 'paddr' else \
            '%s of pid %s' % (self.ops, ', '.join(str(p)
                                                 for p in self.pids))
        text = '%s; sample %d us, aggr %d us, update %d us, regions %d-%d' \
            % (what, self.sample, self.aggr, self.updr, self.minr,
               self.maxr)
        if self.schemes:
            text += '; %d DAMOS scheme(s)' % len(self.schemes)
        return text
