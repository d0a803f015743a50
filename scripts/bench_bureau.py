#!/usr/bin/env python3
"""Bureau benchmark: N consortia x M members x 36 months (2023-01..2025-12), one tidy CSV per
consortium, ingested with yilian; then times `bureau indicators` (all indicators, both scopes)
and `bureau report` with their peak memory (GNU time's maximum resident set size).

    python3 scripts/bench_bureau.py DIR [--yilian target/release/yilian] [--consortia 20] [--members 100] [--reuse]

Member 0 of every odd consortium is member 0 of the consortium before it (a shared hospital).
--reuse keeps the consortia DIR already holds (written and ingested by an earlier run of the same
size) and only times the two commands, e.g. to compare binaries. Wall time varies with other
load on the machine; CPU time (user + system) is the steadier figure.
"""
import argparse, os, random, subprocess, sys, time

METRICS = [
    ("门急诊人次", 2000), ("急诊人次", 200), ("入院人次", 100), ("出院人次", 100),
    ("实际开放总床日数", 3000), ("实际占用总床日数", 2400), ("出院者占用总床日数", 2300),
    ("住院手术例数", 30), ("三级手术例数", 10), ("四级手术例数", 3),
    ("上转人次", 6), ("下转人次", 4), ("远程影像诊断例数", 12), ("医疗收入", 500),
]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--yilian", default="target/release/yilian")
    ap.add_argument("--consortia", type=int, default=20)
    ap.add_argument("--members", type=int, default=100)
    ap.add_argument("--reuse", action="store_true")
    a = ap.parse_args()
    y = os.path.abspath(a.yilian)
    root = os.path.abspath(a.dir)
    os.makedirs(root, exist_ok=True)
    size = f"{a.consortia} {a.members}"
    done = os.path.join(root, ".complete")
    if not (a.reuse and os.path.exists(done) and open(done).read() == size):
        write_and_ingest(a, y, root)
        open(done, "w").write(size)
    else:
        print(f"reusing the ingested consortia in {root}", flush=True)
    time_commands(y, root)


def write_and_ingest(a, y, root):
    months = [f"{y_}-{m:02d}" for y_ in (2023, 2024, 2025) for m in range(1, 13)]
    bureau = ['name = "基准区域"\n']
    for c in range(a.consortia):
        cid = f"c{c:02d}"
        d = os.path.join(root, cid)
        os.makedirs(os.path.join(d, "inbox"), exist_ok=True)
        names = [f"基准{c:02d}成员{i:03d}" for i in range(a.members)]
        if c % 2 == 1:
            names[0] = f"基准{c - 1:02d}成员000"
        toml = [f'name = "基准医联体{c:02d}"\n']
        for i, n in enumerate(names):
            tier = "secondary" if i < 5 else "primary"
            toml.append(f'[[members]]\nid = "m{i:03d}"\nname = "{n}"\ntier = "{tier}"\njoined = "2019-01"\n')
        open(os.path.join(d, "consortium.toml"), "w").write("".join(toml))
        rows = ["单位名称,月份,指标,数值"]
        for i, n in enumerate(names):
            scale = 10 if i < 5 else 1
            for p in months:
                for item, base in METRICS:
                    # Seeded by the hospital's name: a shared one sends the same figures to both.
                    v = random.Random(f"{n}{p}{item}").uniform(0.8, 1.2)
                    rows.append(f"{n},{p},{item},{round(base * scale * v)}")
        open(os.path.join(d, "inbox", "data.csv"), "w").write("\n".join(rows) + "\n")
        bureau.append(f'[[consortia]]\nid = "{cid}"\nconfig = "{cid}"\n')
    open(os.path.join(root, "bureau.toml"), "w").write("".join(bureau))
    t = time.time()
    for c in range(a.consortia):
        d = os.path.join(root, f"c{c:02d}")
        subprocess.run([y, "ingest", "--config", os.path.join(d, "consortium.toml"), os.path.join(d, "inbox")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"ingest of {a.consortia} consortia: {time.time() - t:.1f}s", flush=True)


def time_commands(y, root):
    cfg = os.path.join(root, "bureau.toml")
    for name, args in [
        ("bureau indicators", ["bureau", "indicators", "--config", cfg, "--period", "2025-12", "--format", "csv",
                               "-o", os.path.join(root, "ind.csv")]),
        ("bureau report", ["bureau", "report", "--config", cfg, "--period", "2025-12", "--out", os.path.join(root, "rep")]),
    ]:
        t = time.time()
        r = subprocess.run(["/usr/bin/time", "-v", y] + args, capture_output=True, text=True)
        wall = time.time() - t
        if r.returncode != 0:
            sys.exit(r.stderr)
        field = lambda key: next(l for l in r.stderr.splitlines() if key in l).split(":")[-1].strip()
        rss = int(field("Maximum resident set size"))
        cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
        print(f"{name}: {wall:.2f}s wall, {cpu:.2f}s CPU, peak RSS {rss / 1024:.0f} MB", flush=True)

if __name__ == "__main__":
    main()
