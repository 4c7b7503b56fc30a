#!/usr/bin/env python3
"""Writes OUT: the config SOURCE with its first N tenants, in LAYOUT (`single` or `cells`).

With CELL_SIZE, `cells` puts that many tenants in a cell instead of SOURCE's `size`.

SOURCE's `[[tenants]]` tables must come last (as in examples/scale/*.toml). `single` drops
`layout = "cells"` and the `[platform.cells]` table; `cells` keeps SOURCE's. OUT should sit
next to SOURCE, so relative paths in it (e.g. `jwks`) resolve the same.
"""
import re
import sys


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[3] not in ("single", "cells"):
        print("usage: scale_config.py SOURCE N single|cells OUT [CELL_SIZE]", file=sys.stderr)
        return 2
    source, count, layout, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    cell_size = sys.argv[5] if len(sys.argv) == 6 else None
    text = open(source).read()
    head, marker, rest = text.partition("\n[[tenants]]")
    tenants = (marker + rest).split("\n[[tenants]]")[1:]
    if len(tenants) < count:
        print(f"{source} has {len(tenants)} tenants, fewer than {count}", file=sys.stderr)
        return 2
    if layout == "single":
        head = re.sub(r'\nlayout = "cells"\n', "\n", head)
        head = re.sub(r"\n\[platform\.cells\]\n(?:[^\[\n].*\n|\n)*", "\n", head)
    elif 'layout = "cells"' not in head:
        print(f"{source} is not a cell-layout config", file=sys.stderr)
        return 2
    elif cell_size:
        head = re.sub(r"(\n\[platform\.cells\]\n(?:.*\n)*?)size = \d+", rf"\g<1>size = {cell_size}", head)
    body = "".join("\n[[tenants]]" + t.rstrip("\n") + "\n" for t in tenants[:count])
    with open(out, "w") as f:
        f.write(head.rstrip("\n") + "\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
