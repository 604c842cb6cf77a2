import { describe, expect, it } from 'vitest';
import { forgeLinks } from './forge-links.ts';
import { provisionState } from './provisioning-model.ts';

describe('forgeLinks: stored forge addresses follow the forge', () => {
  it('rebases a fork and its group onto the forge’s URL now, paths kept', () => {
    const stored = provisionState.parse({
      group: { id: 5, fullPath: 'labgate/rr101', webUrl: 'http://127.0.0.1:35489/groups/labgate/rr101' },
      fork: {
        id: 2,
        pathWithNamespace: 'labgate/rr101/exercise-1-alice',
        webUrl: 'http://127.0.0.1:35489/labgate/rr101/exercise-1-alice',
        httpUrl: 'http://127.0.0.1:35489/labgate/rr101/exercise-1-alice.git',
        defaultBranch: 'main',
        requestedAt: 1,
      },
    });
    const now = forgeLinks('https://gitlab.example.org/gitlab/').state(stored);
    expect(now.group!.webUrl).toBe('https://gitlab.example.org/gitlab/groups/labgate/rr101');
    expect(now.fork).toMatchObject({
      id: 2,
      webUrl: 'https://gitlab.example.org/gitlab/labgate/rr101/exercise-1-alice',
      httpUrl: 'https://gitlab.example.org/gitlab/labgate/rr101/exercise-1-alice.git',
    });
  });

  it('leaves a job with no forge address yet as it is', () => {
    const empty = provisionState.parse({});
    expect(forgeLinks('http://127.0.0.1:1').state(empty)).toEqual(empty);
  });
});
