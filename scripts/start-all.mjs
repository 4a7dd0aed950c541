// Runs api, projector and worker side by side for a new user, each line prefixed with its name.
// Ctrl-C (or SIGTERM) stops all three cleanly; if one dies, the others are stopped too.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const apps = ['api', 'projector', 'worker'];
const children = new Map();
let stopping = false;

function stopAll(signal) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}

for (const name of apps) {
  const child = spawn(process.execPath, [`dist/apps/${name}/apps/${name}/src/main.js`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) =>
      console.log(`${name.padEnd(9)} | ${line}`),
    );
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    console.log(`${name.padEnd(9)} | exited (${signal ?? code})`);
    if (!stopping) {
      process.exitCode = 1;
      stopAll('SIGTERM');
    }
  });
}

process.on('SIGINT', () => stopAll('SIGTERM'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
