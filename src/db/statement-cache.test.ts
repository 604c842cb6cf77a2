import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './database.ts';

const open = (capacity?: number) => {
  const raw = new SqliteDatabase(':memory:');
  raw.exec('CREATE TABLE t (n INTEGER)');
  for (let n = 1; n <= 3; n++) raw.prepare('INSERT INTO t VALUES (?)').run(n);
  return withStatementCache(raw, capacity);
};

describe('SQLite statements compiled once', () => {
  it('gives the same SQL the same statement, with the answers of each run', () => {
    const db = open();
    const select = 'SELECT n FROM t WHERE n >= ? ORDER BY n';
    expect(db.prepare(select)).toBe(db.prepare(select));
    expect(db.prepare(select).all([2])).toEqual([{ n: 2 }, { n: 3 }]);
    db.prepare('INSERT INTO t VALUES (?)').run([4]);
    expect(db.prepare(select).all([3])).toEqual([{ n: 3 }, { n: 4 }]);
    db.close();
  });

  it('runs the same SQL again while a statement is still being read, which better-sqlite3 refuses on one statement', () => {
    const db = open();
    const select = 'SELECT n FROM t ORDER BY n';
    const seen: number[] = [];
    for (const row of db.prepare(select).iterate([]) as Iterable<{ n: number }>) {
      seen.push(row.n, (db.prepare(select).all([]) as Array<{ n: number }>).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
    db.close();
  });

  it('keeps the most recently used statements only', () => {
    const db = open(2);
    const [a, b] = [db.prepare('SELECT 1'), db.prepare('SELECT 2')];
    expect(db.prepare('SELECT 1')).toBe(a);
    db.prepare('SELECT 3');
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
    db.close();
  });
});
