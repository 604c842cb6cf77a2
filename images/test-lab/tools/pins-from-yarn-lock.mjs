/* global process, console */
// Prints exact npm `overrides` for the runtime dependency closure of a JupyterLab release, read from
// that release's jupyterlab/staging/yarn.lock (the npm mirror has holes and mixed patch versions break
// the UI: /work/shared/notes/jupyter.md §1.5, §2.2).
// Usage: node tools/pins-from-yarn-lock.mjs <yarn.lock> <core.package.json> [name,name…] > pins.json
// The optional last argument lists names left to npm because the build tools (rspack, css-loader…)
// need another major of them; `npm ls --all` after an install shows those as invalid.
import { readFileSync } from 'node:fs';

const [lockPath, corePackagePath, leftToNpm = ''] = process.argv.slice(2);
const unpinned = new Set(leftToNpm.split(',').filter(Boolean));
const lockText = readFileSync(lockPath, 'utf8');
const corePackage = JSON.parse(readFileSync(corePackagePath, 'utf8'));

/** descriptor ("name@npm:range") → { version, dependencies } */
function parseYarnBerryLock(text) {
  const entries = new Map();
  let current = null;
  let section = null;
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line) && !line.startsWith('__metadata')) {
      current = { version: '', dependencies: {} };
      section = null;
      const keys = line.slice(0, -1).replace(/^"|"$/g, '').split(', ');
      for (const key of keys) entries.set(key.replace(/^"|"$/g, ''), current);
    } else if (current && /^ {2}\S/.test(line)) {
      const [, field, value] = line.match(/^ {2}(\w+):\s*(.*)$/) ?? [];
      section = value === '' ? field : null;
      if (field === 'version') current.version = value.replace(/^"|"$/g, '');
    } else if (current && /^ {4}\S/.test(line)) {
      if (section !== 'dependencies' && section !== 'optionalDependencies') continue;
      const match = line.trim().match(/^"?(.+?)"?: "?(.+?)"?$/);
      if (match) current.dependencies[match[1]] = match[2];
    }
  }
  return entries;
}

const entries = parseYarnBerryLock(lockText);
const versionsByName = new Map();
const queue = Object.entries({ ...corePackage.dependencies, ...corePackage.resolutions });
const seen = new Set();
while (queue.length > 0) {
  const [name, range] = queue.pop();
  // Yarn rewrites a dependency range to the package.json `resolutions` range before locking it.
  const lockedRange = corePackage.resolutions[name] ?? range;
  const descriptor = `${name}@${lockedRange.startsWith('npm:') ? lockedRange : `npm:${lockedRange}`}`;
  if (seen.has(descriptor)) continue;
  seen.add(descriptor);
  const entry = entries.get(descriptor);
  if (!entry) {
    console.error(`not in lock: ${descriptor}`);
    continue;
  }
  if (!versionsByName.has(name)) versionsByName.set(name, new Set());
  versionsByName.get(name).add(entry.version);
  queue.push(...Object.entries(entry.dependencies));
}

const pins = {};
const multiple = [];
for (const [name, versions] of [...versionsByName].sort(([a], [b]) => a.localeCompare(b))) {
  if (unpinned.has(name)) continue;
  if (versions.size === 1) pins[name] = [...versions][0];
  else multiple.push(`${name}: ${[...versions].join(' ')}`);
}
console.error(`${Object.keys(pins).length} pinned; left to npm (several versions): ${multiple.length}`);
for (const line of multiple) console.error(`  ${line}`);
console.log(JSON.stringify(pins, null, 2));
