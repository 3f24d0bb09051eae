#!/usr/bin/env python3
"""Drive a program in a real pseudo-terminal and time what it writes.

node-pty needs native install scripts, which this project does not run, so the benchmark uses
Python's standard `pty` module instead. Reads one JSON spec on stdin, prints one JSON result:

  spec = {
    "argv": [...], "env": {...}, "cwd": "...", "cols": 80, "rows": 24,
    "ready": {"marker": "quit", "timeout_ms": 20000} | null   (null: wait for the program to exit)
    "settle_ms": 300,             quiet time after the first frame before the first step
    "steps": [{
      "label": "down", "send": "\\u001b[B",
      "quiet_ms": 100,            the step ends when output has been quiet this long ...
      "marker": "ZQ0042",         ... or (if given) once this text appears after the keystroke
      "watch": [{"path": "/p", "kind": "grow" | "replace", "name": "log"}],
                                  also time until each file grows (an append) or is replaced
                                  (an atomic rewrite): reported as <name>_ms
      "then_quiet": false,        after the marker, keep reading until quiet (to count bytes)
      "expect_output": false,     the quiet time starts only once the program has answered
      "max_ms": 5000,
      "pause_ms": 0               wait (still reading) before sending
    } | {"loop": [step, ...], "until": "text", "max_ms": 60000}],
                                  repeat the steps until the text has appeared (e.g. a command's
                                  result) — keystrokes timed while something else is going on
    "quit": {"send": "q" | ["q", "x"], "timeout_ms": 3000}
  }

Every byte the program writes is read as it arrives (a program writing to a full pty blocks, which
would distort the figures). Times are from time.monotonic(), in milliseconds.
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]")


def now_ms():
    return time.monotonic() * 1000.0


class Session:
    def __init__(self, spec):
        self.spec = spec
        self.total = 0
        self.tail = bytearray()
        self.exit_status = None
        self.watch = None
        t0 = now_ms()
        pid, fd = pty.fork()
        if pid == 0:
            # Child: size the terminal before the program can ask for it.
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", spec["rows"], spec["cols"], 0, 0))
            os.chdir(spec.get("cwd") or os.getcwd())
            os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
        self.pid, self.fd, self.t0 = pid, fd, t0

    def read_for(self, timeout_ms):
        """Reads whatever arrives within timeout_ms; returns (time, bytes) or None."""
        if self.fd is None:
            return None
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout_ms) / 1000.0)
        if not r:
            return None
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        t = now_ms()
        if not data:
            self.close_fd()
            return (t, b"")
        self.total += len(data)
        if self.watch is not None:
            self.watch += data
        self.tail += data
        if len(self.tail) > 8192:
            del self.tail[:-8192]
        return (t, data)

    def close_fd(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def alive(self):
        if self.exit_status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.exit_status = os.waitstatus_to_exitcode(status)
        return False

    def send(self, text):
        os.write(self.fd, text.encode("utf-8"))
        return now_ms()

    def proc_status(self):
        out = {}
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    k, _, v = line.partition(":")
                    if k in ("VmHWM", "VmRSS"):
                        out[k] = int(v.split()[0])
        except OSError:
            pass
        try:
            # utime + stime (fields 14 and 15 of /proc/PID/stat): CPU the program used, which
            # unlike wall time does not depend much on what else the machine is doing.
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out["cpu_ms"] = (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
        return out


def plain(buf):
    return ANSI.sub(b"", bytes(buf)).decode("utf-8", "replace")


def wait_ready(s, ready):
    """Time from spawn to the first output containing the marker (or, with no marker, to exit)."""
    marker = ready["marker"] if ready else None
    timeout = ready.get("timeout_ms", 20000) if ready else 60000
    deadline = s.t0 + timeout
    buf = bytearray()
    while now_ms() < deadline:
        got = s.read_for(20)
        if got and got[1]:
            buf += got[1]
            if marker and marker in plain(buf[-65536:]):
                return {"ready_ms": got[0] - s.t0, "first_frame_bytes": len(buf)}
            continue
        if got or s.fd is None or not s.alive():
            # EOF: the program closed the terminal (exited).
            t_end = got[0] if got else now_ms()
            while s.alive() and now_ms() < deadline:
                time.sleep(0.001)
            out = {"ready_ms": t_end - s.t0, "first_frame_bytes": len(buf), "exited": s.exit_status}
            if marker:
                out["error"] = "exited before the marker appeared"
                out["tail"] = plain(s.tail)[-2000:]
            return out
    return {"error": f"no {marker!r} within {timeout} ms", "tail": plain(s.tail)[-2000:]}


def settle(s, quiet_ms, max_ms=10000):
    end = now_ms() + max_ms
    while now_ms() < end:
        if s.read_for(quiet_ms) is None:
            return


def run_loop(s, loop):
    """Repeats loop["loop"] until loop["until"] shows up in the output (checked between steps)."""
    start = now_ms()
    until = loop["until"]
    seen = bytearray()
    results = []
    s.watch = seen
    try:
        while now_ms() - start < loop.get("max_ms", 60000):
            for st in loop["loop"]:
                r = run_step(s, st)
                r["t_ms"] = now_ms() - s.t0
                results.append(r)
            if until in plain(seen[-(1 << 20):]):
                return {"label": loop.get("label", "loop"), "loop": results, "until_ms": now_ms() - start}
            if len(seen) > (2 << 20):
                del seen[: -(1 << 20)]
        return {"label": loop.get("label", "loop"), "loop": results, "timed_out": True}
    finally:
        s.watch = None


class Inotify:
    """Linux inotify through ctypes: file changes become readable events on a descriptor that is
    select()ed with the terminal, so write times are exact and nothing polls (a polling loop
    would take a CPU away from the program being measured)."""

    IN_MODIFY = 0x2
    IN_MOVED_TO = 0x80
    IN_CREATE = 0x100
    IN_NONBLOCK = 0x800

    def __init__(self):
        import ctypes
        import ctypes.util

        self.libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = self.libc.inotify_init1(self.IN_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.dirs = {}

    def watch_dir(self, path):
        if path in self.dirs.values():
            return
        mask = self.IN_MODIFY | self.IN_MOVED_TO | self.IN_CREATE
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(path), mask)
        if wd < 0:
            raise OSError(f"inotify_add_watch({path}) failed")
        self.dirs[wd] = path

    def read(self):
        """[(path, mask)] of the events queued now."""
        out = []
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return out
        i = 0
        while i + 16 <= len(data):
            wd, mask, _cookie, length = struct.unpack_from("iIII", data, i)
            name = data[i + 16 : i + 16 + length].split(b"\0", 1)[0].decode()
            i += 16 + length
            if wd in self.dirs:
                out.append((os.path.join(self.dirs[wd], name), mask))
        return out

    def close(self):
        os.close(self.fd)


_inotify = None


def inotify():
    global _inotify
    if _inotify is None:
        _inotify = Inotify()
    return _inotify


def watch_hit(w, path, mask):
    """A "grow" watch fires on a write to the file; "replace" when a new file is renamed over it."""
    if path != w["path"]:
        return False
    if w["kind"] == "grow":
        return bool(mask & Inotify.IN_MODIFY)
    return bool(mask & (Inotify.IN_MOVED_TO | Inotify.IN_CREATE))


def run_step(s, step):
    if "loop" in step:
        return run_loop(s, step)
    if step.get("pause_ms"):
        end = now_ms() + step["pause_ms"]
        while now_ms() < end:
            s.read_for(end - now_ms())
    marker = step.get("marker")
    watches = list(step.get("watch", []))
    if step.get("watch_file"):
        watches.append({"path": step["watch_file"], "kind": "grow", "name": "file"})
    ino = None
    if watches:
        ino = inotify()
        for w in watches:
            ino.watch_dir(os.path.dirname(w["path"]))
        ino.read()  # drop events from before this keystroke
    quiet = step.get("quiet_ms", 100)
    t_send = s.send(step["send"])
    limit = t_send + step.get("max_ms", 5000)
    res = {"label": step.get("label", ""), "bytes": 0}
    buf = bytearray()
    last_out = t_send
    while True:
        t = now_ms()
        if t >= limit:
            res["timed_out"] = True
            break
        pending = [w for w in watches if f"{w['name']}_ms" not in res]
        marker_pending = bool(marker) and "marker_ms" not in res
        wait = limit - t if (pending or marker_pending) else min(quiet, limit - t)
        fds = [s.fd] + ([ino.fd] if pending else [])
        r, _, _ = select.select(fds, [], [], max(0.0, wait) / 1000.0)
        if ino is not None and ino.fd in r:
            tf = now_ms()
            for path, mask in ino.read():
                for w in pending:
                    if f"{w['name']}_ms" not in res and watch_hit(w, path, mask):
                        res[f"{w['name']}_ms"] = tf - t_send
            pending = [w for w in watches if f"{w['name']}_ms" not in res]
        if s.fd in r:
            got = s.read_for(0)
            if got is not None:
                tg, data = got
                if not data:
                    res["eof"] = True
                    break
                last_out = tg
                res["bytes"] += len(data)
                res.setdefault("first_byte_ms", tg - t_send)
                if marker_pending:
                    buf += data
                    if marker in plain(buf[-65536:]):
                        res["marker_ms"] = tg - t_send
                        marker_pending = False
        if pending or marker_pending:
            continue
        if step.get("expect_output") and "first_byte_ms" not in res:
            continue
        if marker and not step.get("then_quiet"):
            break
        if now_ms() - last_out >= quiet:
            break
    return res


def finish(s, quit_spec):
    status = s.proc_status()
    if quit_spec and s.fd is not None and s.alive():
        # A list of keys is sent one at a time while the program lives (e.g. "q", then "x" to
        # answer "kill it, then quit" when a command is still running).
        keys = quit_spec.get("send", "q")
        keys = [keys] if isinstance(keys, str) else keys
        for i, key in enumerate(keys):
            if s.fd is None or not s.alive():
                break
            try:
                s.send(key)
            except OSError:
                break
            wait = quit_spec.get("timeout_ms", 3000) if i == len(keys) - 1 else 400
            end = now_ms() + wait
            while now_ms() < end and s.alive() and s.fd is not None:
                s.read_for(20)
    for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 1.0)):
        if not s.alive():
            break
        try:
            os.killpg(s.pid, sig)
        except OSError:
            pass
        end = time.monotonic() + grace
        while time.monotonic() < end and s.alive():
            s.read_for(20)
    s.close_fd()
    return status


def main():
    spec = json.load(sys.stdin)
    s = Session(spec)
    out = {}
    try:
        out.update(wait_ready(s, spec.get("ready")))
        if "error" not in out and spec.get("ready"):
            settle(s, spec.get("settle_ms", 300))
            out["steps"] = [run_step(s, st) for st in spec.get("steps", [])]
    finally:
        st = finish(s, spec.get("quit"))
        out["vmhwm_kb"] = st.get("VmHWM")
        out["vmrss_kb"] = st.get("VmRSS")
        out["cpu_ms"] = st.get("cpu_ms")
        out["total_bytes"] = s.total
        out["exit"] = s.exit_status
        if spec.get("keep_tail") or "error" in out:
            out["tail"] = plain(s.tail)[-3000:]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
