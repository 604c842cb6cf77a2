import { describe, expect, it } from 'vitest';
import { courseRoleFromLti11, courseRoleFromLti13 } from './roles.ts';

describe('LTI 1.1 roles', () => {
  it.each([
    ['Student,Learner', 'learner'],
    ['Instructor', 'teacher'],
    ['urn:lti:role:ims/lis/Instructor', 'teacher'],
    ['urn:lti:role:ims/lis/ContentDeveloper', 'teacher'],
    ['urn:lti:role:ims/lis/TeachingAssistant', 'ta'],
    ['urn:lti:role:ims/lis/Instructor/TeachingAssistant', 'ta'],
    ['Administrator', 'teacher'],
    ['instructor,learner', 'teacher'],
    ['', 'learner'],
    ['Mentor', 'learner'],
  ])('%s → %s', (roles, expected) => expect(courseRoleFromLti11(roles)).toBe(expected));

  it('never grants anything from system or institution roles (Moodle site admin)', () => {
    expect(
      courseRoleFromLti11('urn:lti:sysrole:ims/lis/Administrator,urn:lti:instrole:ims/lis/Administrator'),
    ).toBe('learner');
    expect(courseRoleFromLti11('urn:lti:instrole:ims/lis/Instructor')).toBe('learner');
  });
});

describe('LTI 1.3 roles', () => {
  const m = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
  it.each([
    [[`${m}#Learner`], 'learner'],
    [[`${m}#Instructor`], 'teacher'],
    [[`${m}#Administrator`, `${m}#Instructor`], 'teacher'],
    [[`${m}/Instructor#TeachingAssistant`], 'ta'],
    [['Instructor'], 'teacher'],
    [[], 'learner'],
  ])('%j → %s', (roles, expected) => expect(courseRoleFromLti13(roles)).toBe(expected));

  it('ignores system and institution administrator roles', () => {
    expect(
      courseRoleFromLti13([
        'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
        'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
        `${m}#Learner`,
      ]),
    ).toBe('learner');
  });
});
