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
        raise DamoError('cannot tell the picture format of %s: use a .png, '
                        '.svg, .pdf or .eps file name' % out_path)
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


def render(out_path, script):
    """Run `script` (gnuplot commands, without terminal/output lines) to
    draw out_path."""
    gnuplot = gnuplot_path()
    term = terminal_for(out_path, gnuplot)
    full = '%s\nset output %s\n%s\nunset output\n' % (
        term, quote(out_path), script)
    try:
        res = subprocess.run([gnuplot], input=full, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, check=False,
                             universal_newlines=True)
    except OSError as e:
        raise DamoError('cannot run %s: %s' % (gnuplot, e.strerror)) from e
    if res.returncode != 0:
        raise DamoError('gnuplot failed to draw %s:\n%s' % (
            out_path, res.stderr.strip()))
    if not os.path.exists(out_path) or os.path.getsize(out_path) == 0:
        raise DamoError('gnuplot wrote nothing to %s:\n%s' % (
            out_path, res.stderr.strip()))
