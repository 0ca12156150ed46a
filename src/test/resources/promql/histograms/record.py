#!/usr/bin/env python3
"""Writes data.txt (native histogram samples), pushes it to a Prometheus 2.42 started with
--enable-feature=native-histograms --web.enable-remote-write-receiver (remote write 1.0, integer
histograms, snappy in literal-only blocks), then records its answers to queries.txt in expected.txt.
Usage: record.py http://127.0.0.1:PORT"""
import json, struct, sys, urllib.parse, urllib.request

T0 = 1700000000
STALE = struct.unpack("<d", struct.pack("<Q", 0x7ff0000000000002))[0]

def gen():
    rows = []  # (ts_ms, labels dict, kind, payload)
    for k in range(11):
        ts = (T0 + 60 * k) * 1000
        j = k if k < 6 else k - 6  # counter reset at k=6
        rows.append((ts, {"__name__": "hm", "job": "a", "inst": "1"}, "h",
                     dict(schema=0, zt=0.001, zc=j, sum=10.5 * j + 3,
                          pos=[(-1, [1 + j, 2 + 2 * j, 3 * j]), (2, [j, 1 + j])],
                          neg=[(0, [j, 1])])))
        rows.append((ts, {"__name__": "hm", "job": "a", "inst": "2"}, "h",
                     dict(schema=1, zt=0.001, zc=0, sum=7.25 * k,
                          pos=[(0, [2 * k, k, 3 + k, k])], neg=[])))
        rows.append((ts, {"__name__": "hm", "job": "b", "inst": "3"}, "h",
                     dict(schema=0, zt=0.001, zc=1, sum=3 * k + 1,
                          pos=[(1, [k, 2 * k])], neg=[])))
        if k < 5:
            rows.append((ts, {"__name__": "mx", "job": "a"}, "f", 10.0 * k))
        else:
            rows.append((ts, {"__name__": "mx", "job": "a"}, "h",
                         dict(schema=0, zt=0.001, zc=0, sum=2.0 * k, pos=[(0, [k])], neg=[])))
        rows.append((ts, {"__name__": "hz", "job": "z"}, "h",
                     dict(schema=0, zt=1.5, zc=2 * k, sum=1.0 * k, pos=[(3, [k])], neg=[(2, [1])])))
        if k < 4:
            rows.append((ts, {"__name__": "hs", "job": "d"}, "h",
                         dict(schema=2, zt=0.001, zc=0, sum=1.0 * k, pos=[(3, [k, 1])], neg=[])))
        elif k == 4:
            rows.append((ts, {"__name__": "hs", "job": "d"}, "f", STALE))
        for le, m in (("1", 1), ("2", 2), ("+Inf", 3)):
            rows.append((ts, {"__name__": "cls_bucket", "job": "c", "le": le}, "f", float(m * k)))
        rows.append((ts, {"__name__": "cls_bucket", "job": "c"}, "h",
                     dict(schema=0, zt=0.001, zc=0, sum=1.5 * k, pos=[(0, [k, k])], neg=[])))
    return rows

def count(h):
    return h["zc"] + sum(c for _, cs in h["pos"] for c in cs) + sum(c for _, cs in h["neg"] for c in cs)

def fmt_side(side):
    return ";".join("%d:%s" % (o, ",".join(str(c) for c in cs)) for o, cs in side) or "-"

def write_data(rows):
    with open("data.txt", "w") as f:
        f.write("# ts_ms labels float <v> | hist schema zt zc count sum pos neg (abs counts)\n")
        for ts, l, kind, p in rows:
            ls = ",".join('%s="%s"' % (k, v) for k, v in l.items())
            if kind == "f":
                v = "stale" if struct.pack("<d", p) == struct.pack("<d", STALE) else repr(p)
                f.write("%d {%s} float %s\n" % (ts, ls, v))
            else:
                f.write("%d {%s} hist %d %r %d %d %r %s %s\n" % (ts, ls, p["schema"], p["zt"],
                        p["zc"], count(p), p["sum"], fmt_side(p["pos"]), fmt_side(p["neg"])))

def uv(n):
    out = b""
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])

def zz(n):
    return (n << 1) ^ (n >> 63)

def fld(num, wt, payload):
    key = uv((num << 3) | wt)
    if wt == 0:
        return key + uv(payload)
    if wt == 1:
        return key + struct.pack("<d", payload)
    return key + uv(len(payload)) + payload

def span(o, n):
    return fld(1, 0, zz(o) & 0xffffffff) + fld(2, 0, n)

def hist(ts, h):
    b = fld(1, 0, count(h)) + fld(3, 1, h["sum"]) + fld(4, 0, zz(h["schema"]) & 0xffffffff)
    b += fld(5, 1, h["zt"]) + fld(6, 0, h["zc"])
    for num_s, num_d, side in ((8, 9, h["neg"]), (11, 12, h["pos"])):
        for o, cs in side:
            b += fld(num_s, 2, span(o, len(cs)))
        prev, deltas = 0, b""
        for _, cs in side:
            for c in cs:
                deltas += uv(zz(c - prev) & 0xffffffffffffffff)
                prev = c
        if deltas:
            b += fld(num_d, 2, deltas)
    return b + fld(15, 0, ts)

def snappy(raw):
    out = uv(len(raw))
    for i in range(0, len(raw), 60000):
        chunk = raw[i:i + 60000]
        out += bytes([61 << 2]) + struct.pack("<H", len(chunk) - 1) + chunk
    return out

def push(url, rows):
    for ts, l, kind, p in rows:  # one request per sample keeps each series in time order
        lab = b"".join(fld(1, 2, fld(1, 2, k.encode()) + fld(2, 2, v.encode()))
                       for k, v in sorted(l.items()))
        if kind == "f":
            ser = lab + fld(2, 2, fld(1, 1, p) + fld(2, 0, ts))
        else:
            ser = lab + fld(4, 2, hist(ts, p))
        req = urllib.request.Request(url + "/api/v1/write", data=snappy(fld(1, 2, ser)),
                                     headers={"Content-Encoding": "snappy",
                                              "Content-Type": "application/x-protobuf",
                                              "X-Prometheus-Remote-Write-Version": "0.1.0"})
        urllib.request.urlopen(req).read()

def record(url):
    out = []
    for line in open("queries.txt"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        kind, rest = line.split(" ", 1)
        if kind == "instant":
            t, q = rest.split(" ", 1)
            params = {"query": q, "time": t}
            path = "/api/v1/query"
        else:
            s, e, st, q = rest.split(" ", 3)
            params = {"query": q, "start": s, "end": e, "step": st}
            path = "/api/v1/query_range"
        try:
            body = urllib.request.urlopen(url + path + "?" + urllib.parse.urlencode(params)).read()
        except urllib.error.HTTPError as err:
            body = err.read()
        out.append(line + "\n" + body.decode() + "\n")
    with open("expected.txt", "w") as f:
        f.write("".join(out))

if __name__ == "__main__":
    rows = gen()
    write_data(rows)
    if len(sys.argv) > 2 and sys.argv[2] == "push":
        push(sys.argv[1], rows)
    record(sys.argv[1])
