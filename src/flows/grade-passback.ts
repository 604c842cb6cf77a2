import type {
  AssignmentStore,
  ClaimedGrade,
  GradeOutbox,
  GradeTarget,
  GradeTargetStore,
  OutboxGrade,
} from '../courses/index.ts';
import { outcomeScore, type AgsClient, type DeliveryAnswer, type OutcomeSender } from '../lti/index.ts';
import { passbackErrors } from './passback-errors.ts';

export interface GradePassbackDeps {
  targets: Pick<GradeTargetStore, 'findTarget' | 'linkedLearners'>;
  outbox: Pick<
    GradeOutbox,
    'queue' | 'claimDue' | 'markSent' | 'markRetry' | 'markFailed' | 'sendAgain' | 'statusOf'
  >;
  assignments: Pick<AssignmentStore, 'findAssignmentById'>;
  outcomes: Pick<OutcomeSender, 'send'>;
  ags: Pick<AgsClient, 'sendScore'>;
  /** This process's name on the leases it takes. */
  owner: string;
  /** How long a grade stays leased to one sender: longer than a send can last (a few 10 s calls). */
  leaseMs?: number;
  /** Grades on their way at once (each is a few calls to an LMS). */
  concurrency?: number;
  /** Told of every attempt's end (the app logs refusals and retries). */
  onAnswer?: (grade: ClaimedGrade, answer: DeliveryAnswer) => void;
}

/** One learner's grade for an assignment, as a grader or the automatic grading decided it. */
export interface LearnerGrade {
  userId: string;
  score: number;
  maxScore: number;
  comment?: string | undefined;
  /** When it was decided (ms); now by default. */
  scoredAt?: number | undefined;
}

export interface QueueOutcome {
  queued: string[];
  /** Already pending or sent with the same score and comment. */
  unchanged: string[];
  /** Learners whose launches never said where their grade goes back (the roster says "no LMS link"). */
  noLmsLink: string[];
}

export interface DeliveryRound {
  sent: number;
  retrying: number;
  failed: number;
  /** Sends that ended after a newer grade was queued: that one goes out next. */
  superseded: number;
}

const prefixed = (key: string, prefix: string) =>
  key.startsWith(prefix) ? key.slice(prefix.length) : undefined;

/**
 * Grades back to the LMS, durably: queued in the outbox, then delivered by whichever labgate process
 * leases them, through LTI 1.1 Basic Outcomes or LTI 1.3 AGS as the learner's newest launch said.
 */
export function createGradePassback(d: GradePassbackDeps) {
  const leaseMs = d.leaseMs ?? 180_000;
  const concurrency = d.concurrency ?? 4;

  async function queueGrades(assignmentId: string, grades: LearnerGrade[]): Promise<QueueOutcome> {
    const linked = await d.targets.linkedLearners(assignmentId);
    const outcome: QueueOutcome = { queued: [], unchanged: [], noLmsLink: [] };
    for (const g of grades) {
      if (!linked.has(g.userId)) {
        outcome.noLmsLink.push(g.userId);
        continue;
      }
      const done = await d.outbox.queue({ assignmentId, ...g });
      outcome[done].push(g.userId);
    }
    return outcome;
  }

  async function sendAgain(assignmentId: string, userId: string): Promise<void> {
    if (!(await d.outbox.sendAgain(assignmentId, userId))) throw passbackErrors.nothingToSend();
  }

  async function sendOne(g: ClaimedGrade, target: GradeTarget | undefined): Promise<DeliveryAnswer> {
    if (!target)
      return { outcome: 'failed', text: 'no LMS link: no launch of this learner said where grades go' };
    if (target.version === '1.1') {
      const consumerKey = prefixed(target.lmsKey, 'lti11:');
      if (!consumerKey) return { outcome: 'failed', text: `no LTI 1.1 consumer behind ${target.lmsKey}` };
      return d.outcomes.send({
        consumerKey,
        serviceUrl: target.outcomeUrl,
        sourcedId: target.sourcedId,
        score: outcomeScore(g.score, g.maxScore),
      });
    }
    const issuer = prefixed(target.lmsKey, 'lti13:');
    const assignment = await d.assignments.findAssignmentById(g.assignmentId);
    if (!issuer) return { outcome: 'failed', text: `no LTI 1.3 platform behind ${target.lmsKey}` };
    if (!assignment) return { outcome: 'failed', text: 'the assignment no longer exists in labgate' };
    return d.ags.sendScore({
      issuer,
      clientId: target.clientId,
      scopes: target.scopes,
      lineitems: target.lineitems,
      lineitem: target.lineitem,
      resourceLinkId: target.resourceLinkId,
      ltiUserId: target.ltiUserId,
      assignment: { id: assignment.id, slug: assignment.slug, title: assignment.title },
      score: g.score,
      maxScore: g.maxScore,
      comment: g.comment,
      timestamp: g.scoredAt,
    });
  }

  /** One attempt at one grade, its answer recorded; nothing it meets stops the other learners'. */
  async function deliver(g: ClaimedGrade): Promise<keyof DeliveryRound> {
    let answer: DeliveryAnswer;
    try {
      answer = await sendOne(g, await d.targets.findTarget(g.assignmentId, g.userId));
    } catch (err) {
      answer = { outcome: 'retry', text: `labgate could not send it: ${(err as Error)?.message ?? err}` };
    }
    d.onAnswer?.(g, answer);
    const mark =
      answer.outcome === 'sent'
        ? await d.outbox.markSent(g, answer.text)
        : answer.outcome === 'retry'
          ? await d.outbox.markRetry(g, answer.text, answer.retryAfterMs)
          : await d.outbox.markFailed(g, answer.text);
    if (mark === 'stale') return 'superseded';
    return answer.outcome === 'sent' ? 'sent' : answer.outcome === 'retry' ? 'retrying' : 'failed';
  }

  /**
   * Delivers every grade due now, `concurrency` at a time: each round leases only what it sends at
   * once, so no lease runs out while its grade waits. Stops when nothing is due, or when asked to.
   */
  async function deliverDue(o: { signal?: AbortSignal; maxRounds?: number } = {}): Promise<DeliveryRound> {
    const total: DeliveryRound = { sent: 0, retrying: 0, failed: 0, superseded: 0 };
    for (let round = 0; round < (o.maxRounds ?? 250) && !o.signal?.aborted; round++) {
      const claimed = await d.outbox.claimDue(concurrency, d.owner, leaseMs);
      if (claimed.length === 0) break;
      for (const result of await Promise.all(claimed.map(deliver))) total[result]++;
    }
    return total;
  }

  /** Where each learner's grade for the assignment stands in the outbox, by learner id. */
  const statusOf = (assignmentId: string): Promise<Map<string, OutboxGrade>> =>
    d.outbox.statusOf(assignmentId);

  return { queueGrades, sendAgain, deliverDue, statusOf };
}

export type GradePassback = ReturnType<typeof createGradePassback>;
