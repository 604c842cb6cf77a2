import type { GradeService } from './grade-service.ts';

/** A role inside one course; labgate-wide admin is never derived from an LMS. */
export type CourseRole = 'learner' | 'ta' | 'teacher';

export type Locale = 'fr' | 'en';

/** Who the LMS says is arriving, once a launch (1.1 or 1.3) has been verified. */
export interface VerifiedLaunch {
  version: '1.1' | '1.3';
  identity: { kind: 'lti11' | 'lti13'; issuer: string; clientId: string; subject: string };
  /** Key of the LMS the course lives in: `lti11:<consumer key>` or `lti13:<issuer>`. */
  lmsKey: string;
  /** What to call the LMS on pages: its product and instance names, else the registered name. */
  lmsName: string;
  person: { name: string | undefined; email: string | undefined };
  context: { id: string; title: string; label: string | undefined };
  /** The LMS link launched; absent in a deep-linking request, which comes to make one. */
  resourceLink?: { id: string; title: string | undefined };
  role: CourseRole;
  locale: Locale | undefined;
  /** Where "back to the course" may go: only set when its origin is the one registered for this LMS. */
  returnUrl: string | undefined;
  custom: Record<string, string>;
  /** Where a learner's grade goes back (LTI 1.1 outcomes or 1.3 AGS); read for learners only. */
  gradeService?: GradeService;
  /** Why the grade service the launch sent was ignored (logged as a warning; the launch goes on). */
  gradeServiceProblem?: string;
}
