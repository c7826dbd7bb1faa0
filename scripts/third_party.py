#!/usr/bin/env python3
"""Third-party licences of what the binary bundles: the Rust crates it is built from (from
`cargo metadata` for Linux on x86-64, with the committed lockfile) and the assets it serves (GOV.UK
Frontend). Writes THIRD-PARTY-LICENSES.md; with --check it writes nothing and fails when a
crate's licence is not one we accept, a crate comes from anywhere but crates.io, or the
committed file is out of date. (What `cargo deny check licenses sources` would check, with
only Python and cargo, so that it runs offline in CI.)"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "THIRD-PARTY-LICENSES.md"

# Licences compatible with distributing the whole under AGPL-3.0-or-later.
ACCEPTED = {
    "MIT", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause", "BSD-3-Clause",
    "ISC", "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "MPL-2.0", "CC0-1.0", "0BSD", "BSL-1.0",
    "Unlicense", "CDLA-Permissive-2.0", "bzip2-1.0.6", "AGPL-3.0-or-later",
}


def acceptable(expr: str) -> bool:
    """An SPDX expression is acceptable when every alternative of some OR-branch is."""
    expr = expr.replace("/", " OR ").replace("(", " ").replace(")", " ")
    for branch in expr.split(" OR "):
        parts = [p.strip() for p in branch.split(" AND ")]
        if all(p in ACCEPTED for p in parts if p):
            return True
    return False


def main() -> int:
    check = "--check" in sys.argv
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", "x86_64-unknown-linux-gnu"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )
    members = set(meta["workspace_members"])
    # Only what the binary links: the resolve graph from the binary's package, normal deps.
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next(p["id"] for p in meta["packages"] if p["name"] == "learning-zone")
    seen, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            if any(k["kind"] in (None, "normal") for k in dep["dep_kinds"]):
                todo.append(dep["pkg"])
    problems, rows = [], []
    for p in sorted(meta["packages"], key=lambda p: (p["name"], p["version"])):
        if p["id"] in members or p["id"] not in seen:
            continue
        lic = p.get("license") or ""
        if not lic:
            problems.append(f"{p['name']} {p['version']}: no licence declared")
        elif not acceptable(lic):
            problems.append(f"{p['name']} {p['version']}: licence {lic!r} is not accepted")
        source = p.get("source") or ""
        if not source.startswith("registry+https://github.com/rust-lang/crates.io-index"):
            problems.append(f"{p['name']} {p['version']}: comes from {source or 'a path'}, not crates.io")
        rows.append(f"| {p['name']} | {p['version']} | {lic} | {p.get('repository') or ''} |")
    govuk = (ROOT / "crates/web/assets/govuk/VERSION").read_text().strip()
    text = "\n".join([
        "# Third-party licences",
        "",
        "Learning Zone is licensed under AGPL-3.0-or-later (`LICENSE`). The binary bundles the",
        "works below, each under its own licence. Made by `scripts/third_party.py` from the",
        "lockfile; CI checks it is current and that every licence is one we accept.",
        "",
        "## Served assets",
        "",
        f"| GOV.UK Frontend | {govuk} | MIT | https://github.com/alphagov/govuk-frontend (`crates/web/assets/govuk/LICENSE.txt`) |",
        "",
        "## Rust crates linked into `learning-zone`",
        "",
        "| crate | version | licence | repository |",
        "|---|---|---|---|",
        *rows,
        "",
    ])
    if check:
        if not OUT.exists() or OUT.read_text() != text:
            problems.append("THIRD-PARTY-LICENSES.md is out of date: run scripts/third_party.py")
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(rows)} crates checked, {len(problems)} problem(s)")
        return 1 if problems else 0
    OUT.write_text(text)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"wrote {OUT.name}: {len(rows)} crates")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
