import { randomBytes } from 'node:crypto';

export type LtiVersion = '1.1' | '1.3';

/** A column of the simulated LMS's gradebook: an LTI 1.1 resource link, or an AGS line item. */
export interface GradeColumn {
  /** 1.1: `lti11:<context>:<resource link>`; 1.3: the line item's URL, as AGS names it. */
  id: string;
  lti: LtiVersion;
  context: string;
  label: string;
  resourceLinkId?: string;
  scoreMaximum?: number;
  resourceId?: string;
  tag?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/** A learner's current grade in a column, and how many grade writes were accepted for it. */
export interface GradeEntry {
  column: string;
  context: string;
  userId: string;
  lti: LtiVersion;
  /** 0..1 (above 1 only if AGS's scoreGiven exceeds scoreMaximum); null when a score carried no scoreGiven. */
  score: number | null;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress?: string;
  gradingProgress?: string;
  comment?: string;
  timestamp?: string;
  receivedAt: string;
  writes: number;
}

export type GradeEndpoint = 'outcomes' | 'token' | 'lineitems' | 'lineitem' | 'scores' | 'results';

/** A grade call the simulated LMS turned down, kept so a test or a demo can see why. */
export interface GradeRefusal {
  at: string;
  lti: LtiVersion;
  endpoint: GradeEndpoint;
  status: number;
  error: string;
  reason: string;
  context?: string;
  column?: string;
  userId?: string;
}

const limits = { columns: 500, entries: 5000, refusals: 200 };
const bounded = <V>(map: Map<string, V>, max: number) => {
  while (map.size > max) map.delete(map.keys().next().value!);
};
const entryKey = (column: string, userId: string) => `${column}\n${userId}`;

/**
 * The simulated LMS's gradebook, in memory like its links and key: columns per course, the grades
 * labgate sent (each with its count of accepted writes), the people launched into each course (AGS
 * only takes scores for them) and the calls it refused.
 */
export function createGradebook(publicBaseUrl: URL, now: () => number = Date.now) {
  const base = publicBaseUrl.href.replace(/\/$/, '');
  const columns = new Map<string, GradeColumn>();
  const entries = new Map<string, GradeEntry>();
  const refusals: GradeRefusal[] = [];
  const people = new Map<string, string | undefined>(); // `${lti}\n${context}\n${userId}` → name
  const names = new Map<string, string>();
  const launchedLinks = new Set<string>(); // `${context}\n${linkId}` (LTI 1.3)

  const lineItemsUrl = (context: string) =>
    `${base}/simulator/lti13/ags/${encodeURIComponent(context)}/lineitems`;

  /** Someone the LMS launched into a course: AGS accepts their scores; LTI 1.1 gets the link's column. */
  function recordLaunch(o: {
    lti: LtiVersion;
    context: string;
    userId: string;
    name?: string | undefined;
    resourceLinkId?: string | undefined;
    resourceLinkTitle?: string | undefined;
  }) {
    people.set(`${o.lti}\n${o.context}\n${o.userId}`, o.name);
    if (o.name) names.set(o.userId, o.name);
    if (o.lti === '1.3' && o.resourceLinkId) launchedLinks.add(`${o.context}\n${o.resourceLinkId}`);
    if (o.lti === '1.1' && o.resourceLinkId)
      ensureLti11Column(o.context, o.resourceLinkId, o.resourceLinkTitle);
  }

  const knowsUser = (lti: LtiVersion, context: string, userId: string) =>
    people.has(`${lti}\n${context}\n${userId}`);
  const knowsLink = (context: string, linkId: string) => launchedLinks.has(`${context}\n${linkId}`);

  function ensureLti11Column(context: string, resourceLinkId: string, label?: string): GradeColumn {
    const id = `lti11:${context}:${resourceLinkId}`;
    const found = columns.get(id);
    if (found) return found;
    const column: GradeColumn = { id, lti: '1.1', context, label: label || resourceLinkId, resourceLinkId };
    columns.set(id, column);
    bounded(columns, limits.columns);
    return column;
  }

  /** A new AGS line item; its URL carries a query string, as Moodle's do. */
  function addLineItem(context: string, fields: Omit<GradeColumn, 'id' | 'lti' | 'context'>): GradeColumn {
    const key = randomBytes(6).toString('hex');
    const id = `${lineItemsUrl(context)}/${key}/lineitem?type_id=1`;
    const column: GradeColumn = { id, lti: '1.3', context, ...fields };
    columns.set(id, column);
    bounded(columns, limits.columns);
    return column;
  }

  /** The line item at `/simulator/lti13/ags/<context>/lineitems/<key>/lineitem`. */
  const findLineItem = (context: string, key: string) => {
    const column = columns.get(`${lineItemsUrl(context)}/${key}/lineitem?type_id=1`);
    return column?.context === context ? column : undefined;
  };

  const lineItems = (context: string) =>
    [...columns.values()].filter((c) => c.lti === '1.3' && c.context === context);

  /** The launch claim's `lineitem`: set when exactly one line item belongs to the launched link. */
  function lineItemOfLink(context: string, linkId: string): GradeColumn | undefined {
    const found = lineItems(context).filter((c) => c.resourceLinkId === linkId);
    return found.length === 1 ? found[0] : undefined;
  }

  const findEntry = (column: string, userId: string) => entries.get(entryKey(column, userId));

  /** Replaces the grade; `writes` counts every accepted write, so a test sees a grade sent twice. */
  function writeEntry(
    column: GradeColumn,
    userId: string,
    grade: Omit<GradeEntry, 'column' | 'context' | 'userId' | 'lti' | 'receivedAt' | 'writes'>,
  ): GradeEntry {
    const key = entryKey(column.id, userId);
    const writes = (entries.get(key)?.writes ?? 0) + 1;
    const entry: GradeEntry = {
      column: column.id,
      context: column.context,
      userId,
      lti: column.lti,
      ...grade,
      receivedAt: new Date(now()).toISOString(),
      writes,
    };
    entries.delete(key);
    entries.set(key, entry);
    bounded(entries, limits.entries);
    return entry;
  }

  const deleteEntry = (column: string, userId: string) => entries.delete(entryKey(column, userId));
  const entriesOf = (column: string) => [...entries.values()].filter((e) => e.column === column);

  function refuse(r: Omit<GradeRefusal, 'at'>) {
    refusals.push({ at: new Date(now()).toISOString(), ...r });
    if (refusals.length > limits.refusals) refusals.shift();
  }

  /** Everything, oldest first; entries carry the learner's name when a launch gave it. */
  const snapshot = () => ({
    columns: [...columns.values()],
    entries: [...entries.values()].map((e): GradeEntry & { name?: string } => {
      const name = names.get(e.userId);
      return name ? { ...e, name } : e;
    }),
    refusals: [...refusals],
  });

  return {
    lineItemsUrl,
    recordLaunch,
    knowsUser,
    knowsLink,
    nameOf: (userId: string) => names.get(userId),
    ensureLti11Column,
    addLineItem,
    findLineItem,
    lineItems,
    lineItemOfLink,
    findEntry,
    writeEntry,
    deleteEntry,
    entriesOf,
    refuse,
    snapshot,
  };
}

export type Gradebook = ReturnType<typeof createGradebook>;
