// After `npm install`, records in package-lock.json the platform-specific optional packages that
// the registry we install from does not serve (e.g. @unrs/resolver-binding-darwin-arm64), with the
// os/cpu they are for. npm install leaves them out when it cannot fetch them, and `npm ci` then
// refuses the lock file as out of sync; with the entries present it skips them as foreign.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM =
  /-(android|darwin|freebsd|linux|openharmony|win32|wasm32)-([a-z0-9]+)(?:-(gnu|musl|gnueabihf|musleabihf|eabi|msvc|wasi))?$/;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;

for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${path}/${key}`]) continue;
    const match = PLATFORM.exec(name);
    if (!match)
      throw new Error(
        `${name} (optional dependency of ${path || 'the root'}) is missing and names no platform`,
      );
    const [, os, cpu, abi] = match;
    lock.packages[key] =
      os === 'wasm32'
        ? { version, optional: true, cpu: ['wasm32'] }
        : {
            version,
            optional: true,
            os: [os],
            cpu: [cpu === 'eabi' ? 'arm' : cpu],
            ...(abi === 'musl' || abi === 'musleabihf' ? { libc: ['musl'] } : {}),
            ...(abi === 'gnu' || abi === 'gnueabihf' ? { libc: ['glibc'] } : {}),
          };
    added += 1;
  }
}

writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`recorded ${added} foreign optional package(s)`);
