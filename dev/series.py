#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the repository into a patch series against the pristine base.

  series.py make     build/series/0000-cover-letter.patch, 0001-*.patch, ...
  series.py verify   git am the series onto the base in a scratch tree, prove
                     that tree byte-equal to dev/assemble.sh's, checkpatch
                     every patch and kernel-doc our sources
  series.py list     the patches with their line counts

The split is described by dev/series/split.txt (see its header); the cover
letter's text is dev/series/cover.txt.  The history is built with git
fast-import in build/series/git, on a commit of the untouched base tree
(tag "base"), so no kernel tree is checked out to make the series.

Exit status: 0 when all is well; 1 with every problem named otherwise.
"""

import bisect
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
BUILD = os.path.join(REPO, 'build')
PRISTINE = os.path.join(BUILD, 'pristine', 'linux-source-6.12')
OUT = os.path.join(BUILD, 'series')
GIT_DIR = os.path.join(OUT, 'git')
SPLIT = os.path.join(REPO, 'dev', 'series', 'split.txt')
COVER = os.path.join(REPO, 'dev', 'series', 'cover.txt')
AUTHOR = 'DAMON team <damon@example.org>'
DATE = '1767225600 +0000'	# 2026-01-01, so that the same tree gives the same series
OVERLAY_ROOTS = ('include', 'mm', 'tools', 'Documentation', 'samples')
# checkpatch warns about every added or deleted file unless the patch also
# edits MAINTAINERS; "verify" proves instead that MAINTAINERS covers them.
CHECKPATCH_IGNORE = 'FILE_PATH_CHANGES'


class SplitError(Exception):
    pass


def die(msgs):
    for m in msgs:
        print('series: ' + m, file=sys.stderr)
    sys.exit(1)


def run(cmd, **kw):
    kw.setdefault('check', True)
    return subprocess.run(cmd, **kw)


def git(*args, input=None, env=None, capture=True, cwd=None):
    e = dict(os.environ, GIT_DIR=GIT_DIR)
    if env:
        e.update(env)
    r = subprocess.run(['git', *args], input=input, env=e, cwd=cwd,
                       capture_output=capture, check=False)
    if r.returncode:
        err = r.stderr.decode(errors='replace') if capture else ''
        raise SystemExit(f'series: git {" ".join(args[:3])} failed: {err}')
    return r.stdout.decode() if capture else ''


# ---------------------------------------------------------------- the split

class Patch:
    def __init__(self, idx, subject, line):
        self.idx = idx
        self.subject = subject
        self.line = line
        self.files = []		# patterns
        self.parts = []		# (file, selector, optional)
        self.edits = []		# patches/*.patch
        self.body = []
        self.matched = []	# our files introduced here
        self.missing = False	# an "== edit" whose patch does not exist


def read_split(path):
    patches = []
    cur = None
    in_body = False
    last = None
    with open(path) as f:
        lines = f.read().split('\n')
    for n, line in enumerate(lines, 1):
        if line.startswith('== '):
            cur = Patch(len(patches) + 1, line[3:].strip(), n)
            patches.append(cur)
            in_body = False
            last = None
            continue
        if cur is None:
            continue		# the header comment
        if in_body:
            cur.body.append(line)
            continue
        if not line.strip():
            in_body = True	# the first blank line starts the message
            continue
        if line.startswith('#'):
            continue
        if line[0] in ' \t':
            words = line.split()
            if last == 'files':
                cur.files += words
            elif last == 'part':
                f = cur.parts[-1][0]
                cur.parts += [(f, w.rstrip('?'), w.endswith('?'))
                              for w in words]
            else:
                raise SplitError(f'{path}:{n}: continuation of nothing')
            continue
        words = line.split()
        key, args = words[0], words[1:]
        if key == 'files':
            cur.files += args
        elif key == 'part':
            if len(args) < 2:
                raise SplitError(f'{path}:{n}: part FILE SELECTOR...')
            cur.parts += [(args[0], w.rstrip('?'), w.endswith('?'))
                          for w in args[1:]]
        elif key == 'edit':
            cur.edits += args
        else:
            raise SplitError(f'{path}:{n}: unknown directive {key}')
        last = key
    for p in patches:
        if p.subject.startswith('edit '):
            # "== edit patches/X.patch": the message is the patch's own;
            # left out while the edit does not exist (a topic not merged)
            if not os.path.exists(os.path.join(REPO, p.subject.split()[1])):
                p.missing = True
                continue
            p.edits.append(p.subject.split()[1])
            p.subject, body, _ = edit_header(p.edits[-1])
            if not any(l.strip() for l in p.body):
                p.body = body
        while p.body and not p.body[-1].strip():
            p.body.pop()
        while p.body and not p.body[0].strip():
            p.body.pop(0)
    return patches


def specificity(pattern):
    """Exact paths first, then globs by the length of their literal
    prefix: mm/damon/dbgfs-schemes* beats mm/damon/dbgfs*."""
    if not any(c in pattern for c in '*?['):
        return (1, len(pattern))
    return (0, len(re.split(r'[*?\[]', pattern, maxsplit=1)[0]))


def glob_match(path, pattern):
    if pattern.endswith('/**'):
        return path.startswith(pattern[:-2])
    return fnmatch.fnmatchcase(path, pattern)


# ------------------------------------------------------- parts of a file

C_KEYWORDS = {'if', 'for', 'while', 'switch', 'return', 'sizeof', 'else',
              'do', 'case', 'goto', 'typeof', '__typeof__'}


def kind_of(path):
    base = os.path.basename(path)
    if base.startswith('Kconfig'):
        return 'kconfig'
    if base == 'Makefile' or base.endswith('.mk') or base == 'Kbuild':
        return 'make'
    if path.endswith(('.c', '.h')):
        return 'c'
    return 'text'


def c_clean(line, state):
    """A line with comments and strings blanked; state carries /* */."""
    out = []
    i = 0
    in_c = state[0]
    while i < len(line):
        if in_c:
            j = line.find('*/', i)
            if j < 0:
                i = len(line)
                break
            in_c = False
            i = j + 2
            continue
        ch = line[i]
        if line.startswith('/*', i):
            in_c = True
            i += 2
            continue
        if line.startswith('//', i):
            break
        if ch in '"\'':
            j = i + 1
            while j < len(line) and line[j] != ch:
                j += 2 if line[j] == '\\' else 1
            out.append(ch + ch)
            i = j + 1
            continue
        out.append(ch)
        i += 1
    state[0] = in_c
    return ''.join(out)


class CFile:
    """Just enough of C to find top-level items and statements."""

    def __init__(self, lines):
        self.lines = lines
        state = [False]
        self.code = [c_clean(l, state) for l in lines]
        # brace depth at the start of each line
        self.depth = []
        d = 0
        for c in self.code:
            self.depth.append(d)
            d += c.count('{') - c.count('}')
        self.items = self._items()

    def _end_of_statement(self, i, stop=None):
        """Last line of the statement (or item) that starts at line i."""
        n = len(self.lines)
        paren = brace = 0
        j = i
        while j < n:
            c = self.code[j]
            paren += c.count('(') - c.count(')')
            brace += c.count('{') - c.count('}')
            s = c.strip()
            if paren <= 0 and brace <= 0:
                if brace < 0:
                    return j - 1
                if s.endswith((';', '}', ',', ':')) or s.startswith('#'):
                    # "} else {" style continues through brace counting
                    return j
                if re.match(r'(if|for|while|else)\b', s) or \
                        s.endswith(')') or s == 'else':
                    # a control statement without braces: take the next
                    j = self._end_of_statement(j + 1)
                    return j
            j += 1
        return n - 1

    def _items(self):
        """Top-level items: (first line, last line, names)."""
        items = []
        n = len(self.lines)
        i = 0
        while i < n:
            c = self.code[i]
            s = c.strip()
            if self.depth[i] != 0 or not s or c[0] in ' \t':
                i += 1
                continue
            if s.startswith('#'):
                if re.match(r'#\s*define\s+(\w+)', s):
                    name = re.match(r'#\s*define\s+(\w+)', s).group(1)
                    j = i
                    while self.lines[j].rstrip().endswith('\\') and j + 1 < n:
                        j += 1
                    items.append((i, j, {name}))
                    i = j + 1
                    continue
                i += 1
                continue
            j = self._item_end(i)
            items.append((i, j, self._names(' '.join(self.code[i:j + 1]))))
            i = j + 1
        return items

    def _item_end(self, i):
        n = len(self.lines)
        paren = brace = 0
        j = i
        while j < n:
            c = self.code[j]
            paren += c.count('(') - c.count(')')
            brace += c.count('{') - c.count('}')
            s = c.strip()
            if paren <= 0 and brace <= 0 and (s.endswith((';', '}')) or
                                              (brace == 0 and '{' in ''.join(self.code[i:j + 1]) and s.endswith('}'))):
                return j
            j += 1
        return n - 1

    @staticmethod
    def _names(text):
        head = text.split('{', 1)[0] if '{' in text else text
        names = set()
        m = re.match(r'\s*(?:typedef\s+)?(struct|union|enum)\s+(\w+)\s*(\{|$)',
                     text)
        if m:
            names.add(m.group(2))
        m = re.match(r'\s*(?:static\s+)?([A-Z_][A-Z0-9_]*)\s*\(\s*(\w+)',
                     head)
        if m:			# DEFINE_MUTEX(name); LIST_HEAD(name); ...
            names.add(m.group(2))
            names.add(m.group(1))
        m = re.search(r'(\w+)\s*\(', head)
        if m and m.group(1) not in C_KEYWORDS:
            names.add(m.group(1))
        m = re.search(r'(\w+)\s*(\[[^\]]*\])?\s*(=|;|$)', head.strip())
        if m and '(' not in head.split('=')[0]:
            names.add(m.group(1))
        m = re.search(r'EXPORT_SYMBOL(?:_GPL)?\s*\(\s*(\w+)', text)
        if m:
            names.add(m.group(1))
        return names

    def comment_above(self, i):
        """First line of the comment block that ends right above line i."""
        j = i - 1
        if j < 0 or not self.lines[j].strip().endswith('*/'):
            return i
        while j >= 0 and '/*' not in self.lines[j]:
            j -= 1
        return j if j >= 0 else i

    def select_item(self, name):
        ranges = []
        for k, (a, b, names) in enumerate(self.items):
            if any(fnmatch.fnmatchcase(x, name) for x in names):
                start = self.comment_above(a)
                end = b
                # its EXPORT_SYMBOL line, right after
                if end + 1 < len(self.lines) and re.match(
                        r'EXPORT_SYMBOL(_GPL)?\(', self.lines[end + 1]):
                    end += 1
                ranges.append((start, end))
        return ranges

    def item_span(self, name):
        """Lines of the item called name, with its comment (for FUNC:)."""
        spans = []
        for a, b, names in self.items:
            if name in names:
                spans.append((self.comment_above(a), b))
        return spans

    def select_line(self, i):
        s = self.code[i].strip()
        raw = self.lines[i].strip()
        if re.match(r'#\s*if', raw):
            depth = 0
            j = i
            while j < len(self.lines):
                t = self.lines[j].strip()
                if re.match(r'#\s*if', t):
                    depth += 1
                elif re.match(r'#\s*endif', t):
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            return (self.comment_above(i), j)
        if raw.startswith('#'):
            j = i
            while self.lines[j].rstrip().endswith('\\'):
                j += 1
            return (self.comment_above(i), j)
        if raw.startswith(('*', '/*')) or not s:
            return (i, i)	# a line of a comment
        return (self.comment_above(i), self._end_of_statement(i))


def text_select_line(kind, lines, i):
    """Extent of the construct at line i of a Kconfig, Makefile or text."""
    n = len(lines)
    if kind == 'make':
        s = lines[i].strip()
        j = i
        if re.match(r'(ifdef|ifndef|ifeq|ifneq)\b', s):
            depth = 0
            while j < n:
                t = lines[j].strip()
                if re.match(r'(ifdef|ifndef|ifeq|ifneq)\b', t):
                    depth += 1
                elif t == 'endif' or t.startswith('endif '):
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
        else:
            while lines[j].rstrip().endswith('\\') and j + 1 < n:
                j += 1
        start = i
        while start > 0 and lines[start - 1].startswith('#'):
            start -= 1
        return (start, j)
    if kind == 'kconfig':
        s = lines[i]
        if re.match(r'(config|menuconfig)\s', s):
            j = i + 1
            while j < n and not re.match(
                    r'(config|menuconfig|menu|endmenu|if|endif|source|'
                    r'comment|choice|endchoice)\b', lines[j]):
                j += 1
            j -= 1
            while j > i and not lines[j].strip():
                j -= 1
            return (i, j)
        return (i, i)
    return (i, i)


def select(path, lines, selector):
    """Line ranges (inclusive) of lines that selector picks in a file."""
    kind = kind_of(path)
    scope = None
    exact = False
    m = re.match(r'^(\w+):(=?/.*/)$', selector)
    if m:
        scope, selector = m.group(1), m.group(2)
    if selector.startswith('=/'):
        exact, selector = True, selector[1:]
    if selector.startswith('/') and selector.endswith('/') and len(selector) > 1:
        rx = re.compile(selector[1:-1], re.M)
        cf = CFile(lines) if kind == 'c' else None
        spans = [(0, len(lines) - 1)]
        if scope:
            if not cf:
                raise SplitError(f'{path}: {scope}: scopes need a C file')
            spans = cf.item_span(scope)
        ranges = []
        for a, b in spans:
            # the regex may span lines (\n); each match selects the
            # construct at the line where it starts
            text = '\n'.join(lines[a:b + 1])
            starts = [0]
            for ln in lines[a:b + 1]:
                starts.append(starts[-1] + len(ln) + 1)
            hit = set()
            for m in rx.finditer(text):
                i = a + bisect.bisect_right(starts, m.start()) - 1
                if i in hit:
                    continue
                hit.add(i)
                if exact:
                    last = a + bisect.bisect_right(
                        starts, max(m.end() - 1, m.start())) - 1
                    r = (i, last)
                elif cf:
                    r = cf.select_line(i)
                else:
                    r = text_select_line(kind, lines, i)
                ranges.append((max(r[0], a), min(r[1], b)))
        return ranges
    if not re.match(r'^[\w*?\[\]]+$', selector):
        raise SplitError(f'{path}: bad selector {selector}')
    if kind == 'c':
        return CFile(lines).select_item(selector)
    if kind == 'kconfig':
        ranges = []
        for i, l in enumerate(lines):
            m = re.match(r'(config|menuconfig)\s+(\w+)\s*$', l)
            if m and fnmatch.fnmatchcase(m.group(2), selector):
                ranges.append(text_select_line(kind, lines, i))
        return ranges
    raise SplitError(f'{path}: a name selector needs a C file or Kconfig')


def remove_lines(lines, drop):
    """lines without the indexes in drop, and without the blank line that
    would be left doubled (or at an end) where a run was cut out."""
    n = len(lines)
    drop = set(drop)
    extra = set()
    i = 0
    while i < n:
        if i not in drop:
            i += 1
            continue
        a = i
        while i < n and i in drop:
            i += 1
        b = i			# run is [a, b)
        before = a - 1
        while before >= 0 and (before in extra or before in drop):
            before -= 1
        blank_before = before < 0 or not lines[before].strip()
        blank_after = b < n and not lines[b].strip()
        if blank_before and blank_after:
            extra.add(b)
        elif b >= n and before >= 0 and not lines[before].strip():
            extra.add(before)
    drop |= extra
    return [l for k, l in enumerate(lines) if k not in drop]


# ------------------------------------------------------------ the trees

def our_files():
    out = run(['git', 'ls-files', '--cached', '--others', '--exclude-standard',
               '--', *OVERLAY_ROOTS], cwd=REPO, capture_output=True,
              text=True).stdout.split('\n')
    return sorted(f for f in out if f and os.path.isfile(os.path.join(REPO, f)))


def upstream_paths():
    with open(os.path.join(REPO, 'dev', 'upstream-damon-paths')) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]


def edit_series():
    path = os.path.join(REPO, 'patches', 'series')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return ['patches/' + l.strip() for l in f
                if l.strip() and not l.startswith('#')]


def edit_header(patch):
    """Subject and body of a patches/*.patch, and its diff."""
    with open(os.path.join(REPO, patch)) as f:
        text = f.read()
    head, sep, diff = text.partition('\n--- a/')
    if not sep:
        raise SplitError(f'{patch}: no diff')
    diff = '--- a/' + diff
    subject = ''
    body = []
    lines = head.split('\n')
    k = 0
    while k < len(lines) and lines[k].strip():
        m = re.match(r'Subject:\s*(?:\[PATCH[^\]]*\]\s*)?(.*)', lines[k])
        if m:
            subject = m.group(1)
        k += 1
    body = [l for l in lines[k:] if not l.startswith('Signed-off-by:')]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    if not subject:
        raise SplitError(f'{patch}: no Subject: line')
    return subject, body, diff


def files_of_diff(diff):
    return re.findall(r'(?m)^\+\+\+ b/(\S+)', diff)


def apply_edits(contents, diffs):
    """Apply unified diffs to {path: bytes} with patch(1), like assemble."""
    with tempfile.TemporaryDirectory() as d:
        paths = set()
        for diff in diffs:
            paths |= set(files_of_diff(diff))
        for p in paths:
            os.makedirs(os.path.join(d, os.path.dirname(p)), exist_ok=True)
            with open(os.path.join(d, p), 'wb') as f:
                f.write(contents[p])
        for diff in diffs:
            r = subprocess.run(['patch', '-s', '-p1', '--no-backup-if-mismatch',
                                '-d', d], input=diff.encode(),
                               capture_output=True)
            if r.returncode:
                raise SplitError('an edit does not apply: ' +
                                 r.stdout.decode() + r.stderr.decode())
        out = {}
        for p in paths:
            with open(os.path.join(d, p), 'rb') as f:
                out[p] = f.read()
        return out


def pristine_bytes(path):
    p = os.path.join(PRISTINE, path)
    if not os.path.isfile(p):
        return None
    with open(p, 'rb') as f:
        return f.read()


def build_states(patches):
    """For every patch, the content of each file the series touches.

    Returns (states, problems): states[k] maps path -> (mode, bytes) or
    None (absent) after patch k (k = 1..N); states[0] is the base."""
    problems = []
    ours = our_files()
    edits_all = edit_series()
    upstream = upstream_paths()

    active = []
    for p in patches:
        if p.missing:
            continue
        # a patch whose files are all still to come, and that edits nothing,
        # waits for them (a topic not merged yet)
        if p.idx == 1 or p.edits or any(
                any(glob_match(f, pat) for f in ours) for pat in p.files) or \
                (not p.files and p.parts):
            active.append(p)
    for k, p in enumerate(active, 1):
        p.idx = k

    # an exact path that names no file of ours has gone stale
    for p in active:
        for pat in p.files:
            if specificity(pat)[0] == 1 and pat not in ours:
                problems.append(f'{pat}: no such file of ours, but "{p.subject}" '
                                f'claims it (dev/series/split.txt)')

    # which patch introduces each file of ours
    intro = {}
    for f in ours:
        best = []
        for p in active:
            for pat in p.files:
                if glob_match(f, pat):
                    best.append((specificity(pat), p))
        if not best:
            problems.append(f'{f}: belongs to no patch (dev/series/split.txt)')
            continue
        best.sort(key=lambda x: x[0], reverse=True)
        if len(best) > 1 and best[0][0] == best[1][0] and \
                best[0][1] is not best[1][1]:
            problems.append(f'{f}: claimed alike by "{best[0][1].subject}" '
                            f'and "{best[1][1].subject}"')
        intro[f] = best[0][1].idx
        best[0][1].matched.append(f)

    # edits
    edit_owner = {}
    for p in active:
        for e in p.edits:
            if e not in edits_all:
                problems.append(f'{e}: not in patches/series')
            edit_owner[e] = p.idx
    for e in edits_all:
        if e not in edit_owner:
            problems.append(f'{e}: belongs to no patch (dev/series/split.txt)')
    if problems:
        return None, problems, active

    # final contents
    final = {}
    for f in ours:
        full = os.path.join(REPO, f)
        with open(full, 'rb') as fh:
            data = fh.read()
        mode = '100755' if os.access(full, os.X_OK) else '100644'
        final[f] = (mode, data)
    diffs = []
    for e in edits_all:
        diffs.append(edit_header(e)[2])
    edited = set()
    for d in diffs:
        edited |= set(files_of_diff(d))
    base_edited = {}
    for f in edited:
        b = pristine_bytes(f)
        if b is None:
            problems.append(f'{f}: edited by patches/ but not in the base')
            continue
        base_edited[f] = b

    # the base tree's files that the series changes
    upstream_files = []
    for u in upstream:
        full = os.path.join(PRISTINE, u)
        if os.path.isfile(full):
            upstream_files.append(u)
        elif os.path.isdir(full):
            for root, _, names in os.walk(full):
                for nm in names:
                    upstream_files.append(os.path.relpath(
                        os.path.join(root, nm), PRISTINE))

    def is_upstream(f):
        return any(f == u or f.startswith(u + '/') for u in upstream)

    def base_mode(f):
        full = os.path.join(PRISTINE, f)
        return '100755' if os.access(full, os.X_OK) else '100644'

    parts_by_file = {}
    for p in active:
        for f, sel, opt in p.parts:
            parts_by_file.setdefault(f, []).append((p.idx, sel, opt))

    paths = set(final) | edited | set(upstream_files) | set(parts_by_file)
    n = len(active)
    states = [dict() for _ in range(n + 1)]
    for f in paths:
        b = pristine_bytes(f)
        states[0][f] = (base_mode(f), b) if b is not None else None

    # content of edited files after patch k: base + edits owned <= k
    for k in range(1, n + 1):
        own = [edit_header(e)[2] for e in edits_all if edit_owner[e] <= k]
        contents = dict(base_edited)
        if own:
            try:
                contents.update(apply_edits(base_edited, own))
            except SplitError as ex:
                problems.append(str(ex))
                return None, problems, active
        for f in edited:
            if f in contents:
                states[k][f] = (base_mode(f), contents[f])

    for f in paths:
        if f in final:
            mode, data = final[f]
            start = intro[f]
        elif f in edited:
            continue
        elif os.path.isfile(os.path.join(PRISTINE, f)) and \
                not is_upstream(f):
            mode, data = base_mode(f), pristine_bytes(f)
            start = 1
        else:
            for k in range(1, n + 1):
                states[k][f] = None
            continue
        for k in range(1, start):
            # before its patch: absent, or the base's own file where the
            # base has one that is not part of the kernel's DAMON
            states[k][f] = None if is_upstream(f) else states[0][f]
        parts = parts_by_file.get(f, [])
        if parts and f in edited:
            problems.append(f'{f}: has both parts and edits')
            continue
        lines = data.decode(errors='surrogateescape').split('\n')
        owner = {}
        span = {}	# line -> the range that claimed it
        for idx, sel, opt in parts:
            if idx <= start and f in final:
                problems.append(f'{f}: part {sel} is claimed by patch {idx}, '
                                f'not after the patch that adds the file '
                                f'({start})')
                continue
            try:
                ranges = select(f, lines, sel)
            except SplitError as ex:
                problems.append(str(ex))
                continue
            if not ranges:
                if not opt:
                    problems.append(f'{f}: part {sel} (patch {idx}) matches '
                                    f'nothing')
                continue
            for a, b in ranges:
                for i in range(a, b + 1):
                    if owner.get(i, idx) != idx:
                        # A later patch may claim lines inside what an
                        # earlier one claims (a call in its function).
                        oa, ob = span[i]
                        inner = (a, b) != (oa, ob)
                        if owner[i] < idx and inner and oa <= a and b <= ob:
                            pass
                        elif owner[i] > idx and inner and \
                                a <= oa and ob <= b:
                            continue
                        else:
                            problems.append(f'{f}:{i + 1}: claimed by '
                                            f'patches {owner[i]} and {idx}')
                    owner[i] = idx
                    span[i] = (a, b)
        for k in range(start, n + 1):
            drop = [i for i, o in owner.items() if o > k]
            text = '\n'.join(remove_lines(lines, drop)) if drop else \
                '\n'.join(lines)
            states[k][f] = (mode, text.encode(errors='surrogateescape'))
    return states, problems, active


# ---------------------------------------------------------- git history

def pristine_version():
    with open(os.path.join(BUILD, 'pristine', '.version')) as f:
        return f.read().strip()


def ensure_base():
    """build/series/git with tag "base": the untouched base tree."""
    version = pristine_version()
    stamp = os.path.join(GIT_DIR, 'damon-base-version')
    if os.path.exists(stamp) and open(stamp).read().strip() == version:
        return
    shutil.rmtree(GIT_DIR, ignore_errors=True)
    os.makedirs(GIT_DIR)
    run(['git', 'init', '-q', '--bare', GIT_DIR])
    t0 = time.time()
    env = {'GIT_WORK_TREE': PRISTINE, 'GIT_INDEX_FILE':
           os.path.join(GIT_DIR, 'base.index')}
    # Debian's tarball ignores everything at the top level: add by force.
    git('add', '-A', '-f', '.', env=env, cwd=PRISTINE)
    tree = git('write-tree', env=env).strip()
    commit = git('commit-tree', tree, '-m',
                 f'Linux {version} (Debian linux-source-6.12)',
                 env=ident_env()).strip()
    git('tag', '-f', 'base', commit)
    git('config', 'gc.auto', '0')
    with open(stamp, 'w') as f:
        f.write(version + '\n')
    print(f'series: base tree committed in {time.time() - t0:.0f} s')


def ident_env():
    name, mail = re.match(r'(.*) <(.*)>', AUTHOR).groups()
    return {'GIT_AUTHOR_NAME': name, 'GIT_AUTHOR_EMAIL': mail,
            'GIT_COMMITTER_NAME': name, 'GIT_COMMITTER_EMAIL': mail,
            'GIT_AUTHOR_DATE': DATE, 'GIT_COMMITTER_DATE': DATE}


def message(p):
    body = '\n'.join(p.body).rstrip()
    msg = p.subject + '\n\n'
    if body:
        msg += body + '\n\n'
    return msg + f'Signed-off-by: {AUTHOR}\n'


def write_history(states, active):
    """Commit each state on top of base with git fast-import."""
    base = git('rev-parse', 'base^{commit}').strip()
    chunks = []
    name, mail = re.match(r'(.*) <(.*)>', AUTHOR).groups()
    for k, p in enumerate(active, 1):
        msg = message(p).encode()
        head = (f'commit refs/heads/series\nmark :{k}\n'
                f'author {name} <{mail}> {DATE}\n'
                f'committer {name} <{mail}> {DATE}\n'
                f'data {len(msg)}\n').encode() + msg + b'\n'
        if k == 1:
            head += f'from {base}\n'.encode()
        changes = []
        for f in sorted(states[k]):
            now, before = states[k][f], states[k - 1][f]
            if now == before:
                continue
            if now is None:
                changes.append(f'D {f}\n'.encode())
            else:
                changes.append(f'M {now[0]} inline {f}\n'.encode() +
                               f'data {len(now[1])}\n'.encode() + now[1] +
                               b'\n')
        if not changes:
            raise SplitError(f'patch {k} ({p.subject}) changes nothing')
        chunks.append(head + b''.join(changes) + b'\n')
    stream = b''.join(chunks)
    git('fast-import', '--quiet', '--force', input=stream)
    return git('rev-parse', 'refs/heads/series').strip()


def xfail_entries(name):
    """(finding, reason) of each entry of dev/series/NAME."""
    out = []
    with open(os.path.join(REPO, 'dev', 'series', name)) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            what, _, why = line.partition('#')
            out.append((' '.join(what.split()), why.strip()))
    return out


def known_findings():
    """The cover letter's list of the findings that stay, with why."""
    parts = []
    for name, title in (('checkpatch.xfail', 'checkpatch --strict'),
                        ('build.xfail', 'W=1 with sparse')):
        entries = xfail_entries(name)
        if not entries:
            continue
        text = f'What {title} still reports, and why it stays:\n'
        for what, why in entries:
            item = textwrap.fill(f'{what}: {why}', 72,
                                 initial_indent=' - ',
                                 subsequent_indent='   ',
                                 break_long_words=False,
                                 break_on_hyphens=False)
            text += item + '\n'
        parts.append(text.rstrip('\n'))
    return ''.join('\n\n' + p for p in parts)


def format_patches():
    for f in os.listdir(OUT):
        if f.endswith('.patch'):
            os.remove(os.path.join(OUT, f))
    git('format-patch', '-q', '--cover-letter', '--no-signature',
        '--subject-prefix=PATCH', '-o', OUT, 'base..series')
    with open(COVER) as f:
        cover = f.read().strip('\n').split('\n')
    subject = cover[0]
    blurb = '\n'.join(cover[1:]).strip('\n') + known_findings()
    path = os.path.join(OUT, '0000-cover-letter.patch')
    with open(path) as f:
        text = f.read()
    text = text.replace('*** SUBJECT HERE ***', subject)
    text = text.replace('*** BLURB HERE ***', blurb)
    with open(path, 'w') as f:
        f.write(text)


def patch_files():
    return sorted(os.path.join(OUT, f) for f in os.listdir(OUT)
                  if re.match(r'\d{4}-.*\.patch$', f))


def cmd_make():
    if not os.path.isdir(PRISTINE):
        die(['build/pristine missing: run make assemble first'])
    try:
        patches = read_split(SPLIT)
        states, problems, active = build_states(patches)
    except SplitError as ex:
        die([str(ex)])
    if problems:
        die(problems)
    os.makedirs(OUT, exist_ok=True)
    ensure_base()
    try:
        write_history(states, active)
    except SplitError as ex:
        die([str(ex)])
    format_patches()
    files = patch_files()
    print(f'series: {len(files) - 1} patches and a cover letter in '
          f'{os.path.relpath(OUT, REPO)}/')
    return 0


def cmd_list():
    for f in patch_files():
        with open(f) as fh:
            n = sum(1 for _ in fh)
        print(f'{n:7d}  {os.path.basename(f)}')
    return 0


# ------------------------------------------------------------- verify

AM = os.path.join(OUT, 'am')
LINUX = os.path.join(BUILD, 'linux')
LINUX_INDEX = os.path.join(OUT, 'linux.index')
ASSEMBLE_META = ('.damon-overlay-manifest', '.damon-base-version')


def am_tree():
    """A worktree at base, kept between runs: only what changed is
    rewritten, so the second run costs seconds."""
    if not os.path.isdir(os.path.join(AM, '.git')):
        # A clone sharing the objects, not a worktree of the bare history:
        # checkpatch's spdxcheck.py wants a repository that is not bare.
        shutil.rmtree(AM, ignore_errors=True)
        run(['git', 'clone', '-q', '--shared', '--no-checkout', GIT_DIR, AM])
        run(['git', '-C', AM, 'checkout', '-q', '--detach', 'base'])
        return
    subprocess.run(['git', '-C', AM, 'am', '--abort'], capture_output=True)
    run(['git', '-C', AM, 'checkout', '-q', '-f', '--detach', 'base'],
        capture_output=True)
    run(['git', '-C', AM, 'clean', '-q', '-f', '-d', '-x'],
        capture_output=True)


def tree_of_dir(path, index):
    """The git tree of a directory, with a stat cache kept in index."""
    env = {'GIT_WORK_TREE': path, 'GIT_INDEX_FILE': index}
    if not os.path.exists(index):
        git('read-tree', 'base', env=env)
    git('add', '-A', '-f', '.', env=env, cwd=path)
    git('rm', '-q', '--cached', '--ignore-unmatch', '--', *ASSEMBLE_META,
        env=env, cwd=path)
    return git('write-tree', env=env).strip()


def maintainers_patterns(path):
    pats = []
    section = None
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line and not re.match(r'[A-Z]:\t', line) and \
                    not line.startswith('\t'):
                section = line
            m = re.match(r'F:\s+(\S+)', line)
            if m and section:
                pats.append((section, m.group(1)))
    return pats


def maintained_by(f, pats):
    out = set()
    for section, p in pats:
        if p.endswith('/'):
            if f.startswith(p):
                out.add(section)
            continue
        rx = '^' + re.escape(p).replace('\\*', '[^/]*').replace(
            '\\?', '[^/]') + '(/.*)?$'
        if re.match(rx, f):
            out.add(section)
    return out


def debian_env():
    """Debian's python3 first: checkpatch runs scripts/spdxcheck.py, which
    needs python3-ply, on every new file."""
    return dict(os.environ, PATH='/usr/bin:' + os.environ.get('PATH', ''))


def checkpatch(patch):
    r = subprocess.run(['perl', 'scripts/checkpatch.pl', '--strict',
                        '--show-types', '--ignore', CHECKPATCH_IGNORE,
                        patch], cwd=AM, capture_output=True, text=True,
                       env=debian_env())
    out = r.stdout
    m = re.search(r'total: (\d+) errors, (\d+) warnings, (\d+) checks', out)
    if not m:
        return (1, 0, 0, out + r.stderr)
    if r.stderr.strip():	# spdxcheck.py failing, say
        return (1, 0, 0, out + r.stderr)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), out)


def read_xfail():
    path = os.path.join(REPO, 'dev', 'series', 'checkpatch.xfail')
    out = set()
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.split('#', 1)[0].split()
                if len(line) >= 2:
                    out.add((line[0], line[1]))
    return out


def checkpatch_findings(out):
    """(type, file) of each finding in checkpatch --show-types output."""
    found = []
    lines = out.split('\n')
    for i, l in enumerate(lines):
        m = re.match(r'(ERROR|WARNING|CHECK):(\w+):', l)
        if not m:
            continue
        f = ''
        for nxt in lines[i + 1:i + 3]:
            fm = re.match(r'#\d+: FILE: ([^:\s]+)', nxt)
            if fm:
                f = fm.group(1)
                break
        found.append((m.group(2), f))
    return found


def cmd_verify():
    from concurrent.futures import ThreadPoolExecutor
    results = []

    def result(name, ok, detail=''):
        results.append((name, ok))
        print(f'{"ok  " if ok else "FAIL"} {name}' +
              (f': {detail}' if detail else ''))
        sys.stdout.flush()

    files = patch_files()
    series = [f for f in files if not os.path.basename(f).startswith('0000')]
    if not series:
        die(['no series: run make series first'])
    t0 = time.time()
    am_tree()
    env = dict(os.environ, **ident_env())
    env.pop('GIT_DIR', None)
    r = subprocess.run(['git', '-C', AM, 'am', '-q', '--no-3way', *series],
                       env=env, capture_output=True, text=True)
    result(f'git am of {len(series)} patches onto the base', r.returncode == 0,
           (r.stdout + r.stderr).strip()[-2000:] if r.returncode else
           f'{time.time() - t0:.0f} s')
    if r.returncode:
        subprocess.run(['git', '-C', AM, 'am', '--abort'], capture_output=True)
        print(f'{sum(ok for _, ok in results)} {sum(not ok for _, ok in results)} 0')
        return 1
    am = run(['git', '-C', AM, 'rev-parse', 'HEAD^{tree}'], capture_output=True,
             text=True).stdout.strip()
    made = git('rev-parse', 'series^{tree}').strip()
    result('the applied series equals the history it was made from',
           am == made)

    t1 = time.time()
    if os.path.isdir(LINUX):
        asm = tree_of_dir(LINUX, LINUX_INDEX)
        detail = f'{time.time() - t1:.0f} s'
        if asm != am:
            detail = 'differences (applied series -> assembled tree):\n' + \
                git('diff', '--stat=120', am, asm)
        result('the applied series is byte-equal to the assembled tree '
               '(dev/assemble.sh)', asm == am, detail)
    else:
        result('the assembled tree (build/linux) exists', False,
               'run make assemble')

    pats = maintainers_patterns(os.path.join(AM, 'MAINTAINERS'))
    added = git('diff', '--name-only', '--diff-filter=A', 'base',
                'series').split()
    orphans = [f for f in added if not maintained_by(f, pats)]
    result(f'MAINTAINERS covers the {len(added)} files the series adds',
           not orphans, ', '.join(orphans))

    t2 = time.time()
    xfail = read_xfail()
    seen = set()
    known = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        outs = list(ex.map(checkpatch, series))
    for p, (e, w, c, out) in zip(series, outs):
        name = os.path.basename(p)
        findings = checkpatch_findings(out)
        new = [x for x in findings if (x[1], x[0]) not in xfail]
        for x in findings:
            if (x[1], x[0]) in xfail:
                seen.add((x[1], x[0]))
                known += 1
        ok = not new and (e + w + c == len(findings))
        detail = f'{e} errors, {w} warnings, {c} checks'
        if findings and not new:
            detail += ' (all in checkpatch.xfail)'
        if not ok:
            detail += '\n' + '\n'.join(
                l for l in out.split('\n')
                if re.match(r'(ERROR|WARNING|CHECK|#|\+)', l))[:3000]
        result(f'checkpatch --strict {name}', ok, detail)
    stale = [f'{f} {t}' for f, t in xfail if (f, t) not in seen]
    if stale:
        result('every entry of dev/series/checkpatch.xfail still found',
               False, 'fixed, remove: ' + '; '.join(stale))
    print(f'(checkpatch: {time.time() - t2:.0f} s, {known} known findings)')

    ours = [f for f in our_files() if f.endswith(('.c', '.h'))]
    r = subprocess.run(['perl', 'scripts/kernel-doc', '-none', '-Wall', *ours],
                       cwd=AM, capture_output=True, text=True)
    msgs = [l for l in (r.stdout + r.stderr).split('\n') if l.strip()]
    result(f'kernel-doc -none -Wall on our {len(ours)} C files', not msgs,
           '\n'.join(msgs[:50]))

    print(f'(verify: {time.time() - t0:.0f} s)')
    p = sum(ok for _, ok in results)
    f = sum(not ok for _, ok in results)
    print(f'{p} {f} {known}')
    return 1 if f else 0


if __name__ == '__main__':
    cmd = sys.argv[1] if len(sys.argv) > 1 else 'make'
    if cmd == 'make':
        sys.exit(cmd_make())
    if cmd == 'list':
        sys.exit(cmd_list())
    if cmd == 'items':		# debugging the selectors: series.py items F
        with open(sys.argv[2]) as fh:
            cf = CFile(fh.read().split('\n'))
        for a, b, names in cf.items:
            print(f'{a + 1}-{b + 1}: {" ".join(sorted(names))}')
        sys.exit(0)
    if cmd == 'select':		# series.py select FILE SELECTOR
        with open(sys.argv[2]) as fh:
            lines = fh.read().split('\n')
        for a, b in select(sys.argv[2], lines, sys.argv[3]):
            print(f'--- {a + 1}-{b + 1}')
            print('\n'.join(lines[a:b + 1]))
        sys.exit(0)
    if cmd == 'verify':
        sys.exit(cmd_verify())
    die([f'unknown command {cmd}'])
