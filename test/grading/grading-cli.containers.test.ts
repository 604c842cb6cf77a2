import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { podmanSocket } from '../support/containers.ts';
import { answers, gradingFolder, hiddenMarker, submission } from '../support/grading-fixture.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function labgate(args: string[]) {
  try {
    const r = await promisify(execFile)(process.execPath, [bin, 'grading', ...args], {
      env: { ...process.env, DOCKER_SOCKET: podmanSocket, LOG_LEVEL: 'silent' },
      maxBuffer: 16 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('labgate grading', () => {
  it('validate: exit 0 on a good folder; 1 with one located line per problem', async () => {
    const dir = gradingFolder();
    made.push(dir);
    expect(await labgate(['validate', dir])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/valid: 1 file\(s\), 5 question/),
    });
    const yml = readFileSync(path.join(dir, 'grading.yml'), 'utf8');
    writeFileSync(
      path.join(dir, 'grading.yml'),
      yml
        .replace('points: 3', 'points: -3')
        .replace(
          '{ cell_id: q2 }\n        checks:\n          - { type: value',
          '{ cell_id: nowhere }\n        checks:\n          - { type: value',
        )
        .replace('expect_error: ZeroDivisionError', 'expect_errors: ZeroDivisionError'),
    );
    const bad = await labgate(['validate', dir]);
    expect(bad.code).toBe(1);
    const lines = bad.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/grading\.yml:\d+:\d+ files\[0\]\.questions\[0\]\.points: .*>=0/),
      expect.stringMatching(
        /grading\.yml:\d+:\d+ files\[0\]\.questions\[2\]\.checks\[1\]: unknown key expect_errors/,
      ),
    ]);
    writeFileSync(
      path.join(dir, 'grading.yml'),
      yml.replace(
        '{ cell_id: q2 }\n        checks:\n          - { type: value',
        '{ cell_id: nowhere }\n        checks:\n          - { type: value',
      ),
    );
    const unresolved = await labgate(['validate', dir]);
    expect(unresolved).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /questions\[2\]\.locate: cell_id "nowhere" matches no block of ex\.ipynb/,
      ),
    });
  }, 60_000);

  it('run --json: the documented shape, hidden checks without their expected values', async () => {
    const dir = gradingFolder();
    const sub = submission({ ...answers, q1: 'def squares(n):\n    return [i * i for i in range(n)]' });
    made.push(dir, sub);
    const r = await labgate(['run', dir, sub, '--json', '--image', inject('notebookImage')]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['durationMs', 'maxScore', 'questions', 'score']);
    expect(result).toMatchObject({ score: 4, maxScore: 7 }); // squares 1, its locked test 0, mean 2, total 1
    expect((result['questions'] as Array<Record<string, unknown>>)[0]).toEqual({
      id: 'squares',
      file: 'ex.ipynb',
      score: 1,
      maxScore: 3,
      status: 'partial',
      hint: 'Start the range at 1.',
      checks: [
        {
          type: 'value',
          passed: false,
          points: 0,
          hidden: false,
          message: expect.stringMatching(/^squares\(4\) returned \[0, 1, 4, 9\]/),
        },
        { type: 'value', passed: true, points: 1, hidden: true, message: expect.any(String) },
        {
          type: 'test',
          passed: false,
          points: 0,
          hidden: false,
          message: expect.stringMatching(/AssertionError/),
          lowerAssurance: true,
        },
      ],
    });
    expect(r.stdout).not.toContain(hiddenMarker);
  }, 120_000);
});
