# SPDX-License-Identifier: GPL-2.0
"""A one-line progress display for recording, shown only on a terminal."""

import sys
import time

from . import recfile
from .fmt import size_str


class Progress:
    """Rewrites one status line at most every `interval` seconds."""

    def __init__(self, stream=None, enabled=None, interval=0.25):
        self.stream = stream or sys.stdout
        if enabled is None:
            try:
                enabled = self.stream.isatty()
            except (AttributeError, ValueError):
                enabled = False
        self.enabled = enabled
        self.interval = interval
        self._last = 0.0
        self._shown = False
        self._start = time.monotonic()

    def update(self, snapshots, nbytes, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self.stream.write('\rrecording: %.1f s elapsed, %d snapshots, %s'
                          '\x1b[K' % (now - self._start, snapshots,
                                      size_str(nbytes)))
        self.stream.flush()
        self._shown = True

    def done(self):
        if self._shown:
            self.stream.write('\n')
            self.stream.flush()
            self._shown = False


class FileWatcher:
    """Counts the complete snapshots of a record file another writer (the
    kernel) is appending to, reading only what is new each time."""

    def __init__(self, path):
        self.path = path
        self.snapshots = 0
        self.nbytes = 0
        self._buf = b''
        self._pos = 0           # bytes of the file already in _buf
        self._version = None

    def poll(self):
        try:
            with open(self.path, 'rb') as f:
                f.seek(self._pos)
                new = f.read()
        except OSError:
            return
        if not new:
            return
        self._pos += len(new)
        self.nbytes = self._pos
        self._buf += new
        if self._version is None:
            if len(self._buf) < len(recfile.MAGIC) + 4 and \
                    recfile.MAGIC.startswith(self._buf[:len(recfile.MAGIC)]):
                return
            try:
                self._version, start = recfile.header_version(self._buf)
            except Exception:   # garbage: stop counting, keep recording
                self._version, self._buf = -1, b''
                return
            self._version = self._version or 1
            self._buf = self._buf[start:]
        if self._version < 0:
            return
        snaps, stop, problem = recfile.parse(self._buf, 0, self._version)
        self.snapshots += len(snaps)
        self._buf = self._buf[stop:]
        if problem and not problem.startswith('incomplete'):
            self._version, self._buf = -1, b''
