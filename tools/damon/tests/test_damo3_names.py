# SPDX-License-Identifier: GPL-2.0
"""damo 3.x's other names for our commands, and its commands that this
damo does not have: each named in "damo help" and refused with a reason."""

import support
from support import KNOWN, run_damo
from damolib import compat3, recfile, recload


class AliasTest(support.SysfsCase):
    def test_convert_record_format(self):
        src = self.path('r.data')
        recfile.write(src, KNOWN)
        status, _, err = run_damo(['convert_record_format', '-i', src, '-o',
                                   self.path('r.json'), '--output_type',
                                   'json'])
        self.assertEqual(status, 0, err)
        rec = recload.load(self.path('r.json'))
        self.assertEqual(rec.fmt, 'json')
        self.assertEqual(len(rec.snapshots), len(KNOWN))

    def test_pa_layout(self):
        ours, _ = self.damo('paddr_layout')
        theirs, _ = self.damo('pa_layout')
        self.assertEqual(theirs, ours)

    def test_report_damon_is_status(self):
        self.damo('start', 'paddr')
        ours, _ = self.damo('status')
        status, theirs, err = run_damo(['report', 'damon'] + self.opts)
        self.assertEqual(status, 0, err)
        self.assertEqual(theirs, ours)
        self.assertIn('state: on', theirs)
        self.damo('stop')


class MissingTest(support.TempDirTest):
    COMMANDS = (['record_info'], ['monitor'], ['features'],
                ['setup_cli_completion'], ['report', 'trace'],
                ['report', 'record_info'], ['report', 'pa_layout'])

    def test_refused_with_reason(self):
        for argv in self.COMMANDS:
            with self.subTest(argv):
                status, out, err = run_damo(argv + ['-i', 'x', 'y'])
                self.assertEqual(status, 1, err)
                self.assertEqual(out, '')
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertIn('damo %s: not here' % ' '.join(argv), err)

    def test_help_names_each(self):
        status, out, _ = run_damo(['help'])
        self.assertEqual(status, 0)
        for argv in self.COMMANDS:
            self.assertIn('\n  %s\n' % ' '.join(argv), out)
        for opt in ('--monitoring_intervals_goal', '--nr_targets',
                    '--nr_ctxs', '--nr_schemes'):
            self.assertIn('\n  %s\n' % opt, out)
        for name in ('convert_record_format', 'pa_layout', 'report damon'):
            self.assertIn('\n  %s\n' % name, out)
        status, out, _ = run_damo(['help', 'report', 'trace'])
        self.assertEqual(status, 0)
        self.assertIn(compat3.MISSING['report ']['trace'], out)

    def test_options_refused_with_reason(self):
        for argv in (['start', '--nr_targets', '1', 'paddr'],
                     ['record', 'paddr', '--nr_ctxs', '1'],
                     ['tune', '--nr_schemes', '2'],
                     ['start', 'paddr', '--monitoring_intervals_goal', '4',
                      '3', '5000', '10000']):
            with self.subTest(argv):
                status, _, err = run_damo(argv)
                self.assertEqual(status, 1, err)
                self.assertNotIn('Traceback', err)
                self.assertIn('damo: error: %s: ' % [
                    w for w in argv if w.startswith('--')][0], err)
