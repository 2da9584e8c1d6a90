# SPDX-License-Identifier: GPL-2.0
"""Recording through the damon:damon_aggregated tracepoint.

Used when the kernel's debugfs has no ``record`` file: damo enables the
event, reads ``trace_pipe``, and writes the record file itself (binary
format version 2, see recfile.py), one snapshot as soon as it is complete.

To leave the system's own trace buffer alone, damo first tries a private
tracing instance (``instances/damo.<pid>``, removed afterwards) and falls
back to the top-level buffer when instances are not available.  Every
tracefs setting changed is put back in finish().
"""

import errno
import os
import time

from . import recfile, tracetext
from .errors import DamoError

EVENT = os.path.join('events', 'damon', 'damon_aggregated', 'enable')


def _read(path):
    with open(path) as f:
        return f.read().strip()


def _write(path, value):
    with open(path, 'w') as f:
        f.write(value + '\n')


class TraceRecorder:
    """Turns trace_pipe text into a record file while monitoring runs."""

    def __init__(self, tracefs, out_path, keep=False):
        self.tracefs = tracefs
        self.out_path = out_path
        self.kept = [] if keep else None     # the snapshots, with ages
        self.snapshots = 0
        self.nbytes = 0
        self._asm = tracetext.Assembler()
        self._partial = b''
        self._fd = None
        self._out = None
        self._instance = None
        self._restore = []      # (path, value), put back in reverse order
        self._base = None

    def _make_instance(self):
        inst_root = os.path.join(self.tracefs, 'instances')
        if not os.path.isdir(inst_root):
            return None
        path = os.path.join(inst_root, 'damo.%d' % os.getpid())
        try:
            os.mkdir(path)
        except OSError:
            return None
        if os.path.exists(os.path.join(path, EVENT)):
            return path
        try:
            os.rmdir(path)
        except OSError:
            pass
        return None

    def setup(self):
        if not os.path.isdir(self.tracefs):
            raise DamoError('tracefs not found at %s (mount it with "mount '
                            '-t tracefs nodev /sys/kernel/tracing")'
                            % self.tracefs)
        self._instance = self._make_instance()
        self._base = self._instance or self.tracefs
        enable = os.path.join(self._base, EVENT)
        if not os.path.exists(enable):
            raise DamoError('tracepoint damon:damon_aggregated not found '
                            '(%s does not exist)' % enable)
        try:
            for name, value in ((EVENT, '1'), ('tracing_on', '1')):
                path = os.path.join(self._base, name)
                if not os.path.exists(path):
                    continue
                old = _read(path)
                if old != value:
                    self._restore.append((path, old))
                    _write(path, value)
            pipe = os.path.join(self._base, 'trace_pipe')
            self._fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
            self._out = open(self.out_path, 'wb')
            self._emit(recfile.encode_header())
        except OSError as e:
            self._cleanup()
            raise DamoError('cannot set up tracing under %s: %s' % (
                self._base, e.strerror or e)) from e

    def _emit(self, data):
        self._out.write(data)
        self._out.flush()
        self.nbytes += len(data)

    def _take(self, snap):
        if snap is not None:
            self._emit(recfile.encode_snapshot(snap))
            self.snapshots += 1
            if self.kept is not None:
                self.kept.append(snap)

    def poll(self):
        """Consume what trace_pipe has now; returns True if it had data."""
        got = False
        while True:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EINTR):
                    break
                raise DamoError('reading trace_pipe: %s' % e.strerror) \
                    from e
            if not chunk:
                break
            got = True
            lines = (self._partial + chunk).split(b'\n')
            self._partial = lines.pop()
            for line in lines:
                self._take(self._asm.feed(line.decode(errors='replace')))
        return got

    def finish(self, drain=0.3):
        """Read what is left (until trace_pipe is quiet for `drain`
        seconds), write the last snapshot and undo the tracefs changes.
        Returns a list of warnings."""
        warnings = []
        try:
            if self._fd is not None:
                quiet_since = time.monotonic()
                while time.monotonic() - quiet_since < drain:
                    if self.poll():
                        quiet_since = time.monotonic()
                    else:
                        time.sleep(0.05)
                if self._partial:
                    self._take(self._asm.feed(
                        self._partial.decode(errors='replace')))
                    self._partial = b''
                self._take(self._asm.finish())
            if self._asm.dropped:
                warnings.append('%d incomplete aggregations were left out '
                                '(trace events lost?)' % self._asm.dropped)
        finally:
            warnings.extend(self._cleanup())
        return warnings

    def _cleanup(self):
        warnings = []
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._out is not None:
            self._out.close()
            self._out = None
        for path, value in reversed(self._restore):
            try:
                _write(path, value)
            except OSError as e:
                warnings.append('could not restore %s: %s' % (
                    path, e.strerror))
        self._restore = []
        if self._instance:
            try:
                os.rmdir(self._instance)
            except OSError as e:
                warnings.append('could not remove tracing instance %s: %s'
                                % (self._instance, e.strerror))
            self._instance = None
        return warnings
