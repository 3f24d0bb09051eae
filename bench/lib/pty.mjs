// Runs bench/pty_driver.py (Python's pty module: node-pty needs native install scripts) with one
// JSON spec and returns its JSON result.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'pty_driver.py');

/** `driver`: another Python driver in bench/ (team_driver.py drives two terminals at once). */
export function runPty(spec, driver = DRIVER) {
  const name = driver.split('/').pop();
  return new Promise((resolve, reject) => {
    const p = spawn('python3', [driver], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`${name} failed (exit ${code}): ${err.slice(-2000) || out.slice(-2000)}`));
      }
    });
    p.stdin.end(JSON.stringify(spec));
  });
}
