import type { Assignment, RosterRow, Submission } from '../courses/index.ts';
import { fallbackFolder, isSafeFolderName } from './collect-paths.ts';

/** One learner to collect: who they are, their folder, and what was recorded at their deadline. */
export interface PlannedLearner {
  userId: string;
  /** Their folder under `submitted/`: the GitLab username, or a hash of the user id when unsafe. */
  folder: string;
  name: string;
  lmsId: string;
  gitlabUsername: string;
  /** Their deadline (an extension's, else the assignment's). */
  deadline: number | undefined;
  submission: Submission | undefined;
}

/** One line of the manifest: a learner, what was collected of theirs, and what was left out. */
export interface ManifestRow {
  folder: string;
  name: string;
  lmsId: string;
  gitlabUsername: string;
  commit: string;
  pushedAt: string;
  deadline: string;
  late: 'yes' | 'no';
  lateDelay: string;
  lateCommit: string;
  tag: string;
  /** `submitted`, `nothing submitted` or `failed: <reason>`. */
  status: string;
  files: number;
  /** Entries not written, each as `<name> (<why>)`, names with control characters escaped. */
  skipped: string[];
}

/**
 * Every learner of the roster, plus anyone with a recorded submission who left it, each with a folder
 * name no other learner has (compared case-insensitively: the teacher may unpack on macOS or Windows).
 */
export function planLearners(
  assignment: Assignment,
  roster: RosterRow[],
  submissions: Submission[],
): PlannedLearner[] {
  const byUser = new Map(submissions.map((s) => [s.userId, s]));
  type Person = Pick<RosterRow, 'userId' | 'name' | 'lmsId' | 'gitlabUsername'>;
  const people = new Map<string, Person>(roster.map((r) => [r.userId, r]));
  for (const s of submissions)
    if (!people.has(s.userId))
      people.set(s.userId, { userId: s.userId, name: '', lmsId: '', gitlabUsername: '' });
  const taken = new Set<string>();
  const claim = (wanted: string) => {
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  };
  const ordered = [...people.values()].sort((a, b) =>
    (a.gitlabUsername || a.userId).localeCompare(b.gitlabUsername || b.userId),
  );
  return ordered.map((r) => {
    const submission = byUser.get(r.userId);
    const username = r.gitlabUsername;
    const safe = isSafeFolderName(username) && !taken.has(username.toLowerCase());
    return {
      userId: r.userId,
      folder: claim(safe ? username : fallbackFolder(r.userId)),
      name: r.name,
      lmsId: r.lmsId,
      gitlabUsername: username,
      deadline: submission?.deadline ?? assignment.deadline,
      submission,
    };
  });
}
