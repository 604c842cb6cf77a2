/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (CI logs).
 * Twenty lines, so no library: what cli-progress would add here is formatting we do not use.
 */
export function progressBar(label: string) {
  const tty = Boolean(process.stderr.isTTY);
  let lastTenth = -1;
  return {
    update(done: number, total: number, extra = '') {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const tenth = Math.floor(ratio * 10);
      const bar = `${'█'.repeat(Math.round(ratio * 30)).padEnd(30, '░')}`;
      const line = `${label} ${bar} ${done}/${total}${extra ? ` ${extra}` : ''}`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (tenth !== lastTenth) process.stderr.write(`${line}\n`);
      lastTenth = tenth;
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}
