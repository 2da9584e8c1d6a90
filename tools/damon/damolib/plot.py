# SPDX-License-Identifier: GPL-2.0
"""Pictures through gnuplot (run as a subprocess; DAMO_GNUPLOT overrides
which program is run)."""

import os
import shutil
import subprocess

from .errors import DamoError

_TERMINALS = {
    '.png': ('pngcairo', 'png'),
    '.svg': ('svg',),
    '.pdf': ('pdfcairo',),
    '.eps': ('epscairo',),
}
# What the error message offers (jpeg is not in Debian's gnuplot-nox).
_SUFFIXES = '.png, .svg, .pdf or .eps'


def gnuplot_path():
    prog = os.environ.get('DAMO_GNUPLOT', 'gnuplot')
    found = shutil.which(prog)
    if found is None:
        raise DamoError('gnuplot not found (install it, e.g. "apt-get '
                        'install gnuplot-nox"), or print the data with '
                        '--stdout')
    return found


def terminal_for(out_path, gnuplot):
    """The gnuplot terminal line for an output file, by its suffix."""
    suffix = os.path.splitext(out_path)[1].lower()
    if suffix not in _TERMINALS:
        raise DamoError('cannot tell the picture format of %s: use a %s '
                        'file name' % (out_path, _SUFFIXES))
    cands = _TERMINALS[suffix]
    if len(cands) > 1:
        have = subprocess.run([gnuplot, '-e', 'set terminal'],
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, check=False,
                              universal_newlines=True).stdout
        avail = {line.split()[0] for line in have.splitlines()
                 if line.split()}
        cands = [c for c in cands if c in avail] or cands[-1:]
    opts = {'pngcairo': 'size 1200,800 font ",11"',
            'png': 'size 1200,800',
            'svg': 'size 1200,800 dynamic',
            'pdfcairo': 'size 8in,5.5in',
            'epscairo': 'size 8in,5.5in'}
    return 'set terminal %s %s' % (cands[0], opts[cands[0]])


def quote(text):
    """A gnuplot string literal."""
    return "'%s'" % text.replace("'", "''")


def check_writable(out_path):
    """Fail early, with a clear message, when out_path cannot be written
    (gnuplot would print the picture to its standard output instead).
    Reports call this before any work, so that nothing is printed first."""
    parent = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(parent):
        raise DamoError('cannot write %s: directory %s does not exist' % (
            out_path, parent))
    if os.path.isdir(out_path):
        raise DamoError('cannot write %s: it is a directory' % out_path)
    # A device or FIFO would block the open below or swallow the picture
    # (/dev/full fails only when gnuplot writes, after the report).
    existed = os.path.exists(out_path)
    if existed and not os.path.isfile(out_path):
        raise DamoError('cannot write %s: not a regular file' % out_path)
    try:
        with open(out_path, 'ab'):
            pass
    except OSError as e:
        raise DamoError('cannot write %s: %s' % (
            out_path, e.strerror or e)) from e
    if not existed:
        os.unlink(out_path)


def _last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else 'no message'


def render(out_path, script):
    """Run `script` (gnuplot commands, without terminal/output lines) to
    draw out_path."""
    check_writable(out_path)
    gnuplot = gnuplot_path()
    term = terminal_for(out_path, gnuplot)
    full = '%s\nset output %s\n%s\nunset output\n' % (
        term, quote(out_path), script)
    try:
        # Bytes, not text: should gnuplot fail to open the file after
        # all, it writes the picture to standard output.
        res = subprocess.run([gnuplot], input=full.encode(),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, check=False)
    except OSError as e:
        raise DamoError('cannot run %s: %s' % (gnuplot, e.strerror)) from e
    err = res.stderr.decode(errors='replace')
    if res.returncode != 0:
        raise DamoError('gnuplot failed to draw %s: %s' % (
            out_path, _last_line(err)))
    if not os.path.exists(out_path) or os.path.getsize(out_path) == 0:
        raise DamoError('gnuplot wrote nothing to %s: %s' % (
            out_path, _last_line(err)))
