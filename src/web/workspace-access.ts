import type { Session } from '../identity/index.ts';
import type { Workspace } from '../workspaces/index.ts';

/** Its learner, and with WORKSPACE_TEACHER_ACCESS the teachers and TAs of its course, may open a workspace. */
export const mayOpenWorkspace = (session: Session, ws: Workspace, teachersSeeWorkspaces: boolean) =>
  ws.userId === session.userId ||
  (teachersSeeWorkspaces &&
    (session.role === 'teacher' || session.role === 'ta') &&
    session.courseId === ws.courseId);
