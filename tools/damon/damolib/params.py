# SPDX-License-Identifier: GPL-2.0
"""What to monitor and how: the parameters record, start and tune give
DAMON, whichever interface (sysfs or debugfs) takes them."""

DEFAULTS = {'sample': 5000, 'aggr': 100000, 'updr': 1000000,
            'minr': 10, 'maxr': 1000}


# The operations sets that monitor physical memory.
PHYSICAL_OPS = ('paddr', 'paddr_fault')


class MonitorParams:
    """Monitoring attributes (us, region counts), the operations set
    ('vaddr', 'fvaddr', 'paddr' or 'paddr_fault'), the target pids
    (vaddr, fvaddr), the initial regions ([(start, end)], or None to let
    the kernel pick them for vaddr), the access report filters of
    paddr_fault: write_only, and cpus (a CPU list such as '0-1,3', or None
    for every CPU), and the DAMOS schemes (damos.Scheme)."""

    def __init__(self, ops, pids=None, regions=None, sample=None,
                 aggr=None, updr=None, minr=None, maxr=None,
                 write_only=False, cpus=None, schemes=()):
        self.ops = ops
        self.write_only = write_only
        self.cpus = cpus
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
        if self.physical():
            return [(None, list(self.regions or []))]
        return [(pid, list(self.regions or [])) for pid in self.pids]

    def physical(self):
        """Whether the target is the physical address space."""
        return self.ops in PHYSICAL_OPS

    def has_report_filters(self):
        return self.write_only or self.cpus is not None

    def describe(self):
        what = 'physical memory' if self.ops == 'paddr' else \
            'physical memory (paddr_fault)' if self.ops == 'paddr_fault' \
            else '%s of pid %s' % (self.ops, ', '.join(str(p)
                                                      for p in self.pids))
        if self.write_only:
            what += ', writes only'
        if self.cpus is not None:
            what += ', CPUs %s' % self.cpus
        text = '%s; sample %d us, aggr %d us, update %d us, regions %d-%d' \
            % (what, self.sample, self.aggr, self.updr, self.minr,
               self.maxr)
        if self.schemes:
            text += '; %d DAMOS scheme(s)' % len(self.schemes)
        return text
