// A replica that takes a job's lock and hangs in its round until killed (`kill -9` in the tests).
import { createDatabase, createJobLocks } from '../../src/db/index.ts';

const [url, name] = process.argv.slice(2) as [string, string];
const locks = createJobLocks(createDatabase(url));
const held = await locks.runOnce(name, async () => {
  process.stdout.write('holding\n');
  await new Promise(() => setInterval(() => {}, 60_000));
});
process.stdout.write(held.ran ? 'done\n' : 'skipped\n');
process.exit(held.ran ? 0 : 3);
