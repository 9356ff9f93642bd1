#!/usr/bin/env python3
"""Writes a wrk script of 60,000 searches drawn (Zipf, s=1) from 3,000 queries
cut from CCTV headlines: 15% filtered to section 国内, 15% to one year, 10%
sorted by date. Fixed seed, so the same corpus gives the same script.

    xz -dc cctv-xwlb-2022-2026.jsonl.xz > cctv.jsonl
    python3 wrk-zipf.py cctv.jsonl > zipf.lua
    wrk -t2 -c32 -d20s -s zipf.lua http://127.0.0.1:18090

With a base URL after the corpus, it writes the same 60,000 requests as
vegeta targets instead (GET URL, a line each), for a load at a fixed rate:

    python3 wrk-zipf.py cctv.jsonl http://127.0.0.1:18090 > targets.txt
"""
import json
import random
import re
import sys
from urllib.parse import quote

random.seed(11)
titles = [json.loads(line)["title"] for line in open(sys.argv[1], encoding="utf-8")]
cands = set()
for t in titles:
    for seg in re.split(r"[\s，。、：:“”‘’《》（）()！？!?·—【】\-]+", t):
        seg = seg.strip()
        if 2 <= len(seg) <= 6 and not re.search(r"[A-Za-z0-9]", seg):
            cands.add(seg[: random.choice([2, 3, 4, len(seg)])])
cands = sorted(cands)
random.shuffle(cands)
distinct = cands[:3000]
weights = [1 / (i + 1) for i in range(len(distinct))]
seq = []
for _ in range(60000):
    p = "q=" + quote(random.choices(distinct, weights)[0])
    r = random.random()
    if r < 0.15:
        p += "&section=" + quote("国内")
    elif r < 0.3:
        y = random.choice([2022, 2023, 2024, 2025])
        p += "&from=%d-01-01&to=%d-12-31" % (y, y)
    elif r < 0.4:
        p += "&sort=date"
    seq.append("/api/search?" + p)
if len(sys.argv) > 2:
    for s in seq:
        print("GET " + sys.argv[2].rstrip("/") + s)
    sys.exit(0)
print("local paths = {\n" + ",\n".join('  "%s"' % s for s in seq) + "\n}")
print("""local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d errors_status=%d errors_connect=%d errors_timeout=%d\\n", summary.requests, summary.errors.status, summary.errors.connect, summary.errors.timeout))
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%g=%.2fms\\n", p, latency:percentile(p) / 1000))
  end
end""")
