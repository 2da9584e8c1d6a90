#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count test results for dev/check.sh.

Usage:
  count.py kunit-json FILE            KUnit results as written by kunit.py --json
  count.py ksft FILE [XFAIL_FILE]     kselftest TAP output (run_tests); with
                                      XFAIL_FILE, every test not named there
                                      must pass (a skip is a failure)
  count.py ktap FILE                  flat TAP ("ok N - what") of a script
  count.py unittest FILE              python unittest's output

Prints one line "PASSED FAILED SKIPPED" and, on stderr, what deserves a
human's eye (failures, expected failures, unexpected passes).
"""

import json
import re
import sys


def kunit_json(path):
    with open(path) as f:
        root = json.load(f)
    counts = [0, 0, 0]

    def walk(group, prefix):
        for case in group.get('test_cases', []):
            status = case.get('status', 'FAIL')
            name = prefix + case.get('name', '?')
            if status == 'PASS':
                counts[0] += 1
            elif status == 'SKIP':
                counts[2] += 1
            else:
                counts[1] += 1
                print(f'  FAIL {name} ({status})', file=sys.stderr)
        for sub in group.get('sub_groups', []):
            walk(sub, prefix + sub.get('name', '?') + '.')

    walk(root, '')
    return counts


def read_xfail(path):
    names = set()
    if path:
        with open(path) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if line:
                    names.add(line)
    return names


TAP = re.compile(r'^(not ok|ok) \d+ selftests: \S+: (\S+)(.*)$')


def ksft(path, xfail_path=None):
    xfail = read_xfail(xfail_path)
    counts = [0, 0, 0]
    seen = set()
    with open(path, errors='replace') as f:
        for line in f:
            m = TAP.match(line.strip())
            if not m:
                continue
            verdict, name, rest = m.groups()
            seen.add(name)
            if '# SKIP' in rest and xfail_path and name not in xfail:
                # A compatibility test must run: skipping means a file
                # or feature it expects is missing.
                counts[1] += 1
                print(f'  FAIL  {name}: skipped, but expected to pass',
                      file=sys.stderr)
            elif '# SKIP' in rest:
                counts[2] += 1
                print(f'  SKIP  {name}', file=sys.stderr)
            elif verdict == 'ok':
                counts[0] += 1
                if name in xfail:
                    print(f'  XPASS {name}: passes now, remove it from '
                          f'{xfail_path}', file=sys.stderr)
                else:
                    print(f'  PASS  {name}', file=sys.stderr)
            elif name in xfail:
                counts[2] += 1
                print(f'  XFAIL {name}{rest}', file=sys.stderr)
            else:
                counts[1] += 1
                print(f'  FAIL  {name}{rest}', file=sys.stderr)
    if not seen:
        print('  no test result found', file=sys.stderr)
        counts[1] += 1
    return counts


KTAP = re.compile(r'^(not ok|ok) \d+ (?:- )?(.*)$')


def ktap(path):
    """Flat TAP of a test script: "ok N - what", "not ok N - what"."""
    counts = [0, 0, 0]
    with open(path, errors='replace') as f:
        for line in f:
            m = KTAP.match(line.strip())
            if not m:
                continue
            verdict, what = m.groups()
            if '# SKIP' in what:
                counts[2] += 1
            elif verdict == 'ok':
                counts[0] += 1
            else:
                counts[1] += 1
                print(f'  FAIL  {what}', file=sys.stderr)
    if sum(counts) == 0:
        print('  no test result found', file=sys.stderr)
        counts[1] += 1
    return counts


def unittest(path):
    text = open(path, errors='replace').read()
    ran = re.findall(r'^Ran (\d+) tests?', text, re.M)
    if not ran:
        print('  unittest did not run', file=sys.stderr)
        return [0, 1, 0]
    total = int(ran[-1])
    if total == 0:
        # "Ran 0 tests ... OK" is what discovery from the wrong directory
        # says: a run that found nothing has not passed.
        print('  unittest found no tests', file=sys.stderr)
        return [0, 1, 0]
    failed = sum(int(n) for n in
                 re.findall(r'(?:failures|errors)=(\d+)', text))
    skipped = sum(int(n) for n in re.findall(r'skipped=(\d+)', text))
    for m in re.finditer(r'^(FAIL|ERROR): (.*)$', text, re.M):
        print(f'  {m.group(1)} {m.group(2)}', file=sys.stderr)
    return [total - failed - skipped, failed, skipped]


def main():
    kind, args = sys.argv[1], sys.argv[2:]
    try:
        counts = {'kunit-json': kunit_json, 'ksft': ksft, 'ktap': ktap,
                  'unittest': unittest}[kind](*args)
    except (OSError, ValueError) as e:
        print(f'  cannot read results: {e}', file=sys.stderr)
        counts = [0, 1, 0]
    print(*counts)


if __name__ == '__main__':
    main()
