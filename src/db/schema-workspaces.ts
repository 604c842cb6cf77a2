/** A learner's workspace for one assignment: its container, its state, what its launch asked for. */
export interface WorkspaceRow {
  /** Hash of (user, assignment): also the container name's suffix and the /user/<id>/ path segment. */
  id: string;
  user_id: string;
  course_id: string;
  assignment_slug: string;
  provisioning_id: string;
  /** The Jupyter server's token; the proxy adds it, the browser never sees it. */
  token: string;
  status: string;
  step: string;
  error: string | null;
  target: string | null;
  /** What the last launch asked for (an allowed image, the person), to resume it after a restart. */
  image: string | null;
  person_name: string | null;
  person_email: string | null;
  /** The files the last launch asked to open, first found first, as a JSON array of paths. */
  open_asked: string | null;
  /** The file the learner lands in (the LMS link's choice, else the template's first notebook). */
  open_path: string | null;
  last_activity_at: number;
  created_at: number;
  updated_at: number;
}
