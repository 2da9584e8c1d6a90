#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check which of our C files use which, against the layers of dev/layers.txt.

A file uses another when it calls a function or names a variable that the
other defines (non-static), or includes the other's header ("X.h" counts as
part of X.c when X.c exists).  The rules are in dev/layers.txt.  Prints the
edges with -v; exits non-zero, naming every offending use, when a file uses
a higher layer, a file of another component in an "apart" layer, or files
use each other in a circle, or when a C file of ours has no layer.

The parser is a sketch of C, enough for kernel style: function definitions
start at column 0 with their return type, and file-scope variables are
declared at column 0.

Usage: dev/layers.py [-v] [REPO]
"""

import fnmatch
import os
import re
import subprocess
import sys

ROOTS = ('mm/damon', 'include/linux/damon.h', 'include/trace/events/damon.h')


def read_layers(path):
    layers = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].split()
            if not line:
                continue
            name, apart, globs = line[0], line[1] == 'apart', line[2:]
            layers.append((name, apart, globs))
    return layers


def our_files(repo):
    out = subprocess.run(['git', 'ls-files', '--cached', '--others',
                          '--exclude-standard', '--', *ROOTS], cwd=repo,
                         check=True, capture_output=True, text=True).stdout
    return sorted(f for f in out.split()
                  if f.endswith(('.c', '.h')) and
                  os.path.isfile(os.path.join(repo, f)))


def strip_c(text):
    """Blank out comments, strings and character constants, keep lines."""
    def blank(m):
        return re.sub(r'[^\n]', ' ', m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'
                  r"'(?:\\.|[^'\\\n])*'", blank, text, flags=re.S)


FUNC_DEF = re.compile(r'^(?!static\b|typedef\b|extern\b|#)[A-Za-z_][\w \t*]*?'
                      r'\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*\{', re.M)
VAR_DEF = re.compile(r'^(?!static\b|typedef\b|extern\b|return\b|#)'
                     r'(?:const\s+)?(?:(?:struct|enum|union)\s+\w+|\w+)'
                     r'[\s*]+(?:const\s+)?([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?'
                     r'\s*(?:=|;)', re.M)
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
IDENT = re.compile(r'\b[A-Za-z_]\w*\b')


def header_code(code):
    """The parts of a header that use other code: the bodies of its inline
    functions and its macros.  Prototypes only declare, and use nothing."""
    kept = []
    for m in re.finditer(r'^[ \t]*#[ \t]*define\b(?:[^\n]*\\\n)*[^\n]*',
                         code, re.M):
        kept.append(m.group(0))
    depth = 0
    body = None
    for i, ch in enumerate(code):
        if ch == '{':
            if depth == 0 and re.search(r'\)\s*$', code[:i]):
                body = i
            depth += 1
        elif ch == '}':
            depth -= 1
            if depth == 0 and body is not None:
                kept.append(code[body:i + 1])
                body = None
    return '\n'.join(kept)


def main():
    args = sys.argv[1:]
    verbose = '-v' in args
    args = [a for a in args if a != '-v']
    repo = os.path.abspath(args[0] if args else
                           os.path.join(os.path.dirname(__file__), '..'))
    layers = read_layers(os.path.join(repo, 'dev/layers.txt'))
    files = our_files(repo)
    errors = []

    def owner(f):
        """The node a file counts as: X.h is part of X.c."""
        if f.endswith('.h') and f[:-2] + '.c' in files:
            return f[:-2] + '.c'
        return f

    def layer_of(f):
        for i, (name, apart, globs) in enumerate(layers):
            if any(fnmatch.fnmatch(f, g) for g in globs):
                return i
        return None

    def component(f):
        return re.split(r'[-_.]', os.path.basename(f), maxsplit=1)[0]

    for f in files:
        if layer_of(f) is None:
            errors.append(f'{f}: no layer in dev/layers.txt')

    text = {}
    defs = {}
    for f in files:
        with open(os.path.join(repo, f), errors='replace') as fh:
            raw = fh.read()
        text[f] = (raw, strip_c(raw))
        if f.endswith('.c'):
            code = text[f][1]
            for m in FUNC_DEF.finditer(code):
                defs.setdefault(m.group(1), set()).add(f)
            for m in VAR_DEF.finditer(code):
                defs.setdefault(m.group(1), set()).add(f)

    # edges[(a, b)] = reasons: node a uses node b.
    edges = {}
    for f in files:
        raw, code = text[f]
        a = owner(f)
        for m in INCLUDE.finditer(raw):
            kind, inc = m.groups()
            if kind == '"':
                target = os.path.normpath(os.path.join(os.path.dirname(f),
                                                       inc))
            else:
                target = os.path.join('include', inc)
            if target in files and owner(target) != a:
                close = '"' if kind == '"' else '>'
                edges.setdefault((a, owner(target)), set()).add(
                    f'#include {kind}{inc}{close}')
        code = INCLUDE.sub('', code)
        if f.endswith('.h'):
            code = header_code(code)
        for name in set(IDENT.findall(code)):
            for d in defs.get(name, ()):
                if owner(d) != a:
                    edges.setdefault((a, owner(d)), set()).add(name + '()'
                                                              if d.endswith('.c') else name)

    def why(a, b):
        reasons = sorted(edges[(a, b)])
        more = f' (+{len(reasons) - 3} more)' if len(reasons) > 3 else ''
        return ', '.join(reasons[:3]) + more

    for (a, b) in sorted(edges):
        la, lb = layer_of(a), layer_of(b)
        if verbose:
            print(f'{a} -> {b}: {why(a, b)}')
        if la is None or lb is None:
            continue
        if lb < la:
            errors.append(f'{a} (layer {layers[la][0]}) uses {b} of the '
                          f'higher layer {layers[lb][0]}: {why(a, b)}')
        elif la == lb and layers[la][1] and component(a) != component(b):
            errors.append(f'{a} uses {b}, another component of the layer '
                          f'{layers[la][0]}: {why(a, b)}')

    # Circles: strongly connected components of more than one node.
    graph = {}
    for (a, b) in edges:
        graph.setdefault(a, set()).add(b)
    index, low, stack, on, sccs = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                sccs.append(sorted(scc))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    # Name each circle by its shortest loops, one through every file of it.
    for scc in sccs:
        loops = set()
        for v in scc:
            prev, todo = {v: None}, [v]
            while todo:
                u = todo.pop(0)
                for w in sorted(graph.get(u, ())):
                    if w == v:
                        loop = [u]
                        while prev[loop[-1]] is not None:
                            loop.append(prev[loop[-1]])
                        loop.reverse()
                        i = loop.index(min(loop))
                        loops.add(tuple(loop[i:] + loop[:i]))
                        todo = []
                        break
                    if w in scc and w not in prev:
                        prev[w] = u
                        todo.append(w)
        for loop in sorted(loops):
            hops = [f'{a} -> {b} ({why(a, b)})'
                    for a, b in zip(loop, loop[1:] + loop[:1])]
            errors.append('circle: ' + '; '.join(hops))

    for e in errors:
        print('layers: ' + e, file=sys.stderr)
    print(f'layers: {len(files)} files, {len(edges)} uses between them, '
          f'{len(errors)} problem(s)')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
