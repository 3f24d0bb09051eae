#!/usr/bin/env python3
# Owns the master side of a real pseudo-terminal for a fault test (test/faults/pty.ts): starts a
# command as the session leader on the pty's slave (its controlling terminal, as under sshd),
# follows a script of steps, and can close the master under it — exactly what sshd does when an
# SSH client dies. Prints one JSON line: how the command ended and the last of its screen output.
#
# Spec (argv[1], JSON): {argv, env, cwd, cols, rows, stderr: "pty" | PATH, exitTimeout, steps}
# Steps: {"wait": TEXT, "timeout": S}      TEXT in the output so far (escape sequences stripped)
#        {"raw": true}                      the program has put the terminal in raw mode (reads keys)
#        {"mark": true}                     later waits look only at output from here on
#        {"send": TEXT}                     typed into the terminal
#        {"sleep": S}                       keeps reading meanwhile
#        {"waitFile": GLOB, "contains": T, "count": N, "timeout": S}   T found N times
#        {"close": true}                    closes the master (the terminal is gone)
import fcntl, glob, json, os, re, select, signal, struct, subprocess, sys, termios, time

spec = json.loads(sys.argv[1])
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', spec.get('rows', 24), spec.get('cols', 80), 0, 0))


def session_leader():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


err = subprocess.STDOUT
if spec.get('stderr', 'pty') == 'pty':
    err = slave
else:
    err = open(spec['stderr'], 'wb')
child = subprocess.Popen(spec['argv'], stdin=slave, stdout=slave, stderr=err, cwd=spec['cwd'], env=spec['env'], preexec_fn=session_leader, close_fds=True)
os.close(slave)

raw = b''
seen_from = 0
ANSI = re.compile(rb'\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]')
open_master = True


def pump(timeout):
    global raw, open_master
    if not open_master:
        time.sleep(timeout)
        return
    r, _, _ = select.select([master], [], [], timeout)
    if r:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b''
        raw += data


def text():
    return ANSI.sub(b'', raw[seen_from:]).decode('utf-8', 'replace')


def fail(why):
    print(json.dumps({'failed': why, 'screen': text()[-3000:]}))
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except OSError:
        pass
    sys.exit(0)


for step in spec['steps']:
    if 'wait' in step:
        end = time.time() + step.get('timeout', 15)
        while step['wait'] not in text():
            if time.time() > end:
                fail('timed out waiting for %r' % step['wait'])
            if child.poll() is not None:
                fail('exited (%s) while waiting for %r' % (child.returncode, step['wait']))
            pump(0.02)
    elif 'raw' in step:
        # On Linux the master reports the pair's modes: wait until canonical mode is off, so keys
        # sent next reach the program as keys (not as a line the tty is still editing).
        end = time.time() + step.get('timeout', 15)
        while termios.tcgetattr(master)[3] & termios.ICANON:
            if time.time() > end:
                fail('the terminal never went into raw mode')
            pump(0.01)
    elif 'mark' in step:
        seen_from = len(raw)
    elif 'send' in step:
        os.write(master, step['send'].encode())
    elif 'sleep' in step:
        end = time.time() + step['sleep']
        while time.time() < end:
            pump(max(0, min(0.02, end - time.time())))
    elif 'waitFile' in step:
        end = time.time() + step.get('timeout', 15)
        while True:
            n = 0
            for path in glob.glob(step['waitFile']):
                try:
                    with open(path, 'r', encoding='utf-8', errors='replace') as f:
                        n += f.read().count(step.get('contains', ''))
                except OSError:
                    pass
            if n >= step.get('count', 1):
                break
            if time.time() > end:
                fail('timed out waiting for %d x %r in %s' % (step.get('count', 1), step.get('contains'), step['waitFile']))
            pump(0.02)
    elif 'close' in step:
        os.close(master)
        open_master = False

deadline = time.time() + spec.get('exitTimeout', 30)
while child.poll() is None:
    if time.time() > deadline:
        fail('still running %ss after the last step' % spec.get('exitTimeout', 30))
    pump(0.02)
rc = child.returncode
print(json.dumps({'code': rc if rc >= 0 else None, 'signal': -rc if rc < 0 else None, 'screen': text()[-3000:]}))
