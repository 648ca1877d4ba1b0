#!/usr/bin/env python3
"""Fails when a lower layer of the library uses a higher one, or two files call each other.

    check-layers.py SRC_LIB INCLUDE_DIR base=libs75_base.a model=... store=... compute=... report=...

The layers, bottom to top, are the folders of src/lib (docs/architecture.md). Three checks:

1. Calls (nm of each layer's static library): every undefined symbol of an object that some
   layer defines must be defined in the same layer or a lower one.
2. Loops: the files of the library, joined by the calls between them, have no cycle (two
   files that call each other means one of them holds something that belongs lower down).
3. Includes (every #include "..." of src/lib/** and of the public headers): a private header
   belongs to the folder it lives in; a public header include/s75/X.h to the lowest layer
   that defines a function it declares (common.h and headers without functions to base;
   s75.h, which includes them all, to the top). A file may include only headers of its own
   layer or lower ones.
"""
import collections
import glob
import os
import re
import subprocess
import sys

DEFINED = set("TDBRVWGSC")  # text, data, bss, read-only, weak, small, common


def nm(archive):
    """{object: (defined symbols, undefined symbols)} of a static library."""
    out = subprocess.run(["nm", "-A", archive], capture_output=True, text=True, check=True).stdout
    objs = collections.defaultdict(lambda: (set(), set()))
    for line in out.splitlines():
        m = re.match(r"^[^:]*:([^:]+\.o):(.*)$", line)  # ARCHIVE:OBJECT.o:ADDR TYPE NAME
        if not m:
            continue
        obj, rest = re.sub(r"\.c\.o$|\.o$", "", m.group(1)), m.group(2)
        parts = rest.split()
        if len(parts) == 2 and parts[0] == "U":
            objs[obj][1].add(parts[1])
        elif len(parts) == 3 and parts[1] in DEFINED:
            objs[obj][0].add(parts[2])
    return objs


def cycles(edges):
    """The strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, inc = sys.argv[1], sys.argv[2]
    layers, archives = [], {}
    for arg in sys.argv[3:]:
        name, _, path = arg.partition("=")
        layers.append(name)
        archives[name] = path
    rank = {name: i for i, name in enumerate(layers)}
    problems = []

    # 1. calls
    where = {}  # symbol -> (layer, object)
    objects = {}
    for layer in layers:
        for name, (defs, undefs) in nm(archives[layer]).items():
            obj = f"{layer}/{name}"
            objects[(layer, obj)] = undefs
            for s in defs:
                where[s] = (layer, obj)
    edges = collections.defaultdict(set)
    calls = collections.defaultdict(set)
    for (layer, obj), undefs in sorted(objects.items()):
        for s in sorted(undefs):
            if s not in where:
                continue
            tl, tobj = where[s]
            if tobj != obj:
                edges[obj].add(tobj)
                calls[(obj, tobj)].add(s)
            if rank[tl] > rank[layer]:
                problems.append(f"{obj}.c calls {s} in {tobj}.c, a higher layer")

    # 2. loops
    for comp in cycles(edges):
        detail = "; ".join(
            f"{a} -> {b} ({', '.join(sorted(calls[(a, b)])[:3])})"
            for a in comp for b in comp if (a, b) in calls)
        problems.append(f"files that call each other in a loop: {', '.join(comp)}: {detail}")

    # 3. includes
    header_layer = {}
    private = {}
    for layer in layers:
        for h in glob.glob(os.path.join(src, layer, "*.h")):
            private[os.path.basename(h)] = layer
    for h in sorted(glob.glob(os.path.join(inc, "*.h"))):
        name = os.path.basename(h)
        text = open(h, encoding="utf-8").read()
        found = [where[f][0] for f in re.findall(r"S75_EXTERN\([^)]*\)\s*(s75_\w+)\s*\(", text) if f in where]
        if name == "s75.h":
            header_layer[name] = layers[-1]
        elif found:
            header_layer[name] = min(found, key=rank.get)
        else:
            header_layer[name] = layers[0]

    def check_includes(path, layer, what):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            target = m.group(1)
            base = os.path.basename(target)
            if target.startswith("s75/") or path.startswith(inc):
                tl = header_layer.get(base)
                kind = "public header"
            else:
                tl = private.get(base)
                kind = "private header"
            if tl is None:
                problems.append(f"{what}:{n}: includes '{target}', which no layer holds")
            elif rank[tl] > rank[layer]:
                problems.append(f"{what}:{n}: includes {kind} '{target}' of the {tl} layer, "
                                f"above {layer}")

    for layer in layers:
        for path in sorted(glob.glob(os.path.join(src, layer, "*.[ch]"))):
            check_includes(path, layer, os.path.relpath(path, os.path.dirname(os.path.dirname(src))))
    for h, layer in sorted(header_layer.items()):
        check_includes(os.path.join(inc, h), layer, f"include/s75/{h} ({layer})")
    stray = [p for p in glob.glob(os.path.join(src, "*.c"))]
    for p in stray:
        problems.append(f"{p}: a source file outside the layer folders")

    if os.environ.get("S75_LAYERS_VERBOSE"):
        for h, layer in sorted(header_layer.items()):
            print(f"include/s75/{h}: {layer}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s); see docs/architecture.md")
        return 1
    print(f"layers {' < '.join(layers)}: {len(objects)} files, no upward call or include, no loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
