import { createHash } from 'node:crypto';

/**
 * Container names and labels never carry an LMS-sent id or an assignment slug raw: the name is a hash
 * of both, so no id can inject characters, clash, or reveal who the container belongs to.
 */
export const containerName = (userId: string, assignment: string) =>
  `labgate-ws-${createHash('sha256').update(`${userId}\0${assignment}`).digest('hex').slice(0, 20)}`;

export const labels = {
  managed: 'org.labgate.workspace',
  user: 'org.labgate.user',
  assignment: 'org.labgate.assignment',
};

/** A safe single path segment for the workspace folder on disk (the same hash as the container). */
export const workspaceFolder = (userId: string, assignment: string) =>
  containerName(userId, assignment).slice('labgate-ws-'.length);
