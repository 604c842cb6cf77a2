import { describe, expect, it } from 'vitest';
import { publishErrors } from '../flows/index.ts';
import { frenchText } from './error-texts-fr.ts';

const every = [
  publishErrors.title(),
  publishErrors.slugInvalid('Ex 1'),
  publishErrors.slugTaken('ex1', 'Exercice 1'),
  publishErrors.templateInvalid('nope'),
  publishErrors.templateUnknown('teachers/x', 'https://gitlab.example.org'),
  publishErrors.templateUnreadable('teachers/x', 'https://gitlab.example.org', 'prof'),
  publishErrors.templateEmpty('labgate/rr101/templates/ex1'),
  publishErrors.noForgeAccount(),
  publishErrors.imageNotAllowed('evil/miner', ['lab:1', 'lab-r:1']),
  publishErrors.imageNotAllowed('evil/miner', []),
  publishErrors.deadlineInvalid('demain'),
  publishErrors.timezoneUnknown('Mars/Olympus'),
  publishErrors.deadlinePast(Date.UTC(2020, 0, 1, 12)),
  publishErrors.latePolicy('maybe'),
  publishErrors.templateName(),
  publishErrors.notCourseTemplate('teachers/x', 'labgate/rr101/templates'),
  publishErrors.noFiles(),
  publishErrors.tooManyFiles(60, 50),
  publishErrors.tooBig(12.5 * 2 ** 20, 10 * 2 ** 20),
  publishErrors.fileName('..'),
  publishErrors.badNotebook('a.ipynb', 'cells/0: must have required property source'),
  publishErrors.noForge(),
];

describe('French texts for what the publish form refuses', () => {
  it('covers every refusal, with the values it names and what to do', () => {
    for (const e of every) {
      const fr = frenchText(e);
      expect(fr, e.code).toBeDefined();
      expect(fr!.message, e.code).not.toBe(e.message);
      expect(fr!.hint, e.code).toBeTruthy();
      for (const value of Object.values(e.details ?? {}).filter((v) => typeof v === 'string' && v))
        if (
          e.code !== 'PUBLISH_TOO_BIG' &&
          e.code !== 'PUBLISH_DEADLINE_PAST' &&
          e.code !== 'PUBLISH_IMAGE_NOT_ALLOWED'
        )
          expect(`${fr!.message} ${fr!.hint}`, e.code).toContain(String(value));
    }
  });

  it('writes sizes and times the French way', () => {
    expect(frenchText(publishErrors.tooBig(12.5 * 2 ** 20, 10 * 2 ** 20))?.message).toBe(
      'Ces fichiers pèsent 12,5 Mo ; un dépôt accepte 10,0 Mo au plus.',
    );
    expect(frenchText(publishErrors.deadlinePast(Date.UTC(2020, 0, 1, 12)))?.message).toBe(
      'L’échéance 2020-01-01 12:00 UTC est déjà passée.',
    );
    expect(frenchText(publishErrors.imageNotAllowed('x', ['lab:1']))?.hint).toBe('Choisissez parmi : lab:1.');
  });
});
