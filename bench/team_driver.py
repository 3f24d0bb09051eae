#!/usr/bin/env python3
"""Two runsheet TUIs on one team run, each in its own pseudo-terminal (bench/measure/team.mjs).

Reads one JSON spec on stdin, prints one JSON result:

  spec = {
    "ann": {"argv": [...], "env": {...}, "cwd": "...", "cols": 80, "rows": 24},
    "bob": {... "argv" with "{run_id}" where the run's id goes},
    "runs_argv": [...],            lists the runs as JSON ([{"id": ...}]) once ann has opened hers
    "ready": {"marker": "q quit", "timeout_ms": 30000},
    "settle_ms": 500,              quiet time on both screens before the first action
    "actions": 20, "key": " ",     keys sent to ann, one action at a time
    "marks": ["[x] Item 1 confirm", "[ ] Item 1 confirm"],
                                   what the item's row shows after action 1, 2, 3, ... (cycling)
    "gap_ms": 100, "max_ms": 5000
  }

For each action: the key is written to ann's terminal; ann_ms is the time until ann's own screen
shows the new mark (drawn after the store acknowledged the event), bob_ms until bob's screen does
(his session heard of it and redrew). send_at is the key's time on the monotonic clock
(CLOCK_MONOTONIC, the clock Node's process.hrtime reads), so the caller can match it with the
database's notifications.
"""
import json
import os
import select
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_driver import Session, finish, now_ms, plain, settle, wait_ready  # noqa: E402


def settle_both(a, b, quiet_ms, max_ms=5000):
    end = now_ms() + max_ms
    last = now_ms()
    while now_ms() < end and now_ms() - last < quiet_ms:
        fds = [s.fd for s in (a, b) if s.fd is not None]
        r, _, _ = select.select(fds, [], [], quiet_ms / 1000.0)
        for s in (a, b):
            if s.fd is not None and s.fd in r:
                s.read_for(0)
                last = now_ms()


def action(ann, bob, key, mark, max_ms):
    bufs = {"ann": bytearray(), "bob": bytearray()}
    res = {}
    t_send = ann.send(key)
    res["send_at"] = t_send
    limit = t_send + max_ms
    while now_ms() < limit and ("ann_ms" not in res or "bob_ms" not in res):
        fds = [s.fd for s in (ann, bob) if s.fd is not None]
        if not fds:
            break
        r, _, _ = select.select(fds, [], [], max(0.0, limit - now_ms()) / 1000.0)
        for name, s in (("ann", ann), ("bob", bob)):
            if s.fd is None or s.fd not in r:
                continue
            got = s.read_for(0)
            if not got:
                continue
            t, data = got
            if not data:
                res[f"{name}_eof"] = True
                continue
            if f"{name}_ms" in res:
                continue
            bufs[name] += data
            if mark in plain(bufs[name][-65536:]):
                res[f"{name}_ms"] = t - t_send
    if "ann_ms" not in res or "bob_ms" not in res:
        res["timed_out"] = True
    return res


def main():
    spec = json.load(sys.stdin)
    out = {}
    ann = bob = None
    try:
        ann = Session(spec["ann"])
        r = wait_ready(ann, spec["ready"])
        if "error" in r:
            out.update(error=f"ann: {r['error']}", tail=r.get("tail"))
            return
        out["ann_ready_ms"] = r["ready_ms"]
        settle(ann, 200)
        listed = subprocess.run(spec["runs_argv"], env=spec["ann"]["env"], cwd=spec["ann"].get("cwd"), capture_output=True, text=True, timeout=30)
        try:
            run_id = json.loads(listed.stdout)[0]["id"]
        except (ValueError, IndexError, KeyError):
            out["error"] = f"could not list the run: {listed.stderr.strip()[-500:] or listed.stdout[-500:]}"
            return
        out["run_id"] = run_id
        bspec = dict(spec["bob"])
        bspec["argv"] = [a.replace("{run_id}", run_id) for a in bspec["argv"]]
        bob = Session(bspec)
        # ann's screen keeps drawing (presence) while bob starts: read it, or its writes would block.
        r = wait_ready_both(bob, ann, spec["ready"])
        if "error" in r:
            out.update(error=f"bob: {r['error']}", tail=r.get("tail"))
            return
        out["bob_ready_ms"] = r["ready_ms"]
        settle_both(ann, bob, spec.get("settle_ms", 500))
        marks = spec["marks"]
        out["actions"] = []
        for i in range(spec["actions"]):
            res = action(ann, bob, spec.get("key", " "), marks[i % len(marks)], spec.get("max_ms", 5000))
            out["actions"].append(res)
            if res.get("timed_out"):
                out["tail_ann"] = plain(ann.tail)[-1500:]
                out["tail_bob"] = plain(bob.tail)[-1500:]
                break
            settle_both(ann, bob, spec.get("gap_ms", 100), 2000)
    finally:
        for name, s in (("ann", ann), ("bob", bob)):
            if s is not None:
                finish(s, {"send": "q", "timeout_ms": 3000})
                out[f"{name}_exit"] = s.exit_status
        json.dump(out, sys.stdout)


def wait_ready_both(s, other, ready):
    """wait_ready for s, reading the other terminal meanwhile."""
    marker = ready["marker"]
    deadline = s.t0 + ready.get("timeout_ms", 30000)
    buf = bytearray()
    while now_ms() < deadline:
        fds = [x.fd for x in (s, other) if x.fd is not None]
        r, _, _ = select.select(fds, [], [], 0.05)
        if other.fd is not None and other.fd in r:
            other.read_for(0)
        if s.fd is not None and s.fd in r:
            got = s.read_for(0)
            if got and got[1]:
                buf += got[1]
                if marker in plain(buf[-65536:]):
                    return {"ready_ms": got[0] - s.t0}
            elif got:
                return {"error": "exited before its first frame", "tail": plain(s.tail)[-2000:]}
    return {"error": f"no {marker!r} within the deadline", "tail": plain(s.tail)[-2000:]}


if __name__ == "__main__":
    main()
