/**
 * `approval.verify: github` (docs/approval.md): approvals are the pull request's reviews, read
 * from the REST API with the workflow token, so nobody can write an approval into the
 * campaign file.
 *
 * How a reviewer's state is decided, following GitHub's own review summary: reviews come
 * back in chronological order; a reviewer's state is their latest APPROVED,
 * CHANGES_REQUESTED or DISMISSED review. COMMENTED reviews neither grant nor withdraw an
 * approval (a comment after approving leaves the approval standing), PENDING reviews are
 * unsubmitted drafts, and DISMISSED withdraws whatever came before. Stricter than GitHub's
 * default: an approval counts only when it was given on the pull request's current head
 * commit, because the approval must be for exactly the bytes that will be sent.
 *
 * Identities: a reviewer is matched by GitHub login to a person of approval.approvers (the
 * identity model, identity.ts); a person listed without a `github` login can never match a
 * review, and the message says so. Approvals count once per person. Both the pull request's
 * author and the person the campaign declares as `author:` are refused as approvers.
 *
 * Every failure (no pull request context, no token, HTTP errors, timeouts, malformed
 * answers) comes back as `{ kind: 'error', message }`; nothing here throws or passes by default.
 */
import { readFile } from 'node:fs/promises';
import { IdentityModel, describePerson, toPerson } from './identity.js';
import type { ApproverPerson } from './identity.js';

export interface PullRequestContext {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** Login of the pull request's author. */
  author: string;
  /** REST API base, without a trailing slash. */
  apiUrl: string;
}

/** The fields of GitHub's review object that the evaluation reads. */
export interface GithubReview {
  id: number;
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string;
}

export interface Failure {
  ok: false;
  reason: string;
}

export interface FetchOptions {
  token: string;
  /** Per request; defaults to 10 000 ms. */
  timeoutMs?: number;
  userAgent?: string;
  /** Upper bound on pages followed (100 reviews each); defaults to 50. */
  maxPages?: number;
}

export type ReviewerVerdict =
  | 'valid'
  | 'stale-commit'
  | 'pull-request-author'
  | 'campaign-author'
  | 'not-an-approver'
  | 'duplicate'
  | 'changes-requested'
  | 'dismissed';

export interface ReviewerState {
  login: string;
  /** Latest APPROVED / CHANGES_REQUESTED / DISMISSED state. */
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  commitId: string | null;
  verdict: ReviewerVerdict;
}

export interface GithubReviewEvaluation {
  satisfied: boolean;
  required: number;
  /** Logins whose approval counts, in review order. */
  validApprovers: string[];
  /** Logins whose latest state is CHANGES_REQUESTED. */
  changesRequestedBy: string[];
  reviewers: ReviewerState[];
  message: string;
}

export type GithubApprovalOutcome =
  | ({ kind: 'evaluated'; context: PullRequestContext } & GithubReviewEvaluation)
  | { kind: 'error'; message: string };

const DEFAULT_API_URL = 'https://api.github.com';
const USER_AGENT = 'campaign-lint';

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const NOT_IN_ACTIONS =
  'the github approval mode reads the pull request from a GitHub Actions run of a pull_request workflow; use --approvals record or signature elsewhere';

/** Reads the pull request from the standard Actions environment (`GITHUB_EVENT_PATH`, `GITHUB_REPOSITORY`, `GITHUB_API_URL`). */
export async function readPullRequestContext(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: true; context: PullRequestContext } | Failure> {
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath === undefined || eventPath === '') {
    return { ok: false, reason: `GITHUB_EVENT_PATH is not set: ${NOT_IN_ACTIONS}` };
  }
  let event: unknown;
  try {
    event = JSON.parse(await readFile(eventPath, 'utf8'));
  } catch (error) {
    return { ok: false, reason: `the event file GITHUB_EVENT_PATH=${eventPath} cannot be read as JSON (${describeError(error)})` };
  }
  const pullRequest = isRecord(event) ? event.pull_request : undefined;
  if (!isRecord(pullRequest)) {
    const name = env.GITHUB_EVENT_NAME ?? 'unknown';
    return { ok: false, reason: `the workflow event (${name}) is not about a pull request: ${NOT_IN_ACTIONS}` };
  }
  const number = pullRequest.number;
  const head = pullRequest.head;
  const headSha = isRecord(head) ? head.sha : undefined;
  const user = pullRequest.user;
  const author = isRecord(user) ? user.login : undefined;
  if (typeof number !== 'number' || typeof headSha !== 'string' || typeof author !== 'string') {
    return {
      ok: false,
      reason: `the pull request in ${eventPath} lacks number, head.sha or user.login`,
    };
  }
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...extra] = repository.split('/');
  if (owner === undefined || owner === '' || repo === undefined || repo === '' || extra.length > 0) {
    return { ok: false, reason: `GITHUB_REPOSITORY must be "owner/repo" (got "${repository}")` };
  }
  const apiUrl = (env.GITHUB_API_URL === undefined || env.GITHUB_API_URL === '' ? DEFAULT_API_URL : env.GITHUB_API_URL).replace(/\/+$/, '');
  return { ok: true, context: { owner, repo, number, headSha, author, apiUrl } };
}

/** The `rel="next"` target of a Link header, if any. */
export function nextPageUrl(linkHeader: string | null): string | undefined {
  if (linkHeader === null) return undefined;
  for (const part of linkHeader.split(',')) {
    const match = /^<([^>]+)>(.*)$/.exec(part.trim());
    const rel = /;\s*rel="?([^";]*)"?/.exec(match?.[2] ?? '')?.[1];
    if (match?.[1] !== undefined && rel?.split(/\s+/).includes('next') === true) return match[1];
  }
  return undefined;
}

async function apiMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    return isRecord(body) && typeof body.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}

function toReview(value: unknown): GithubReview | undefined {
  if (!isRecord(value) || typeof value.state !== 'string' || typeof value.id !== 'number') return undefined;
  const user = isRecord(value.user) && typeof value.user.login === 'string' ? { login: value.user.login } : null;
  const review: GithubReview = {
    id: value.id,
    user,
    state: value.state,
    commit_id: typeof value.commit_id === 'string' ? value.commit_id : null,
  };
  if (typeof value.submitted_at === 'string') review.submitted_at = value.submitted_at;
  return review;
}

/** All reviews of the pull request, following `Link: rel="next"` pagination. */
export async function fetchPullRequestReviews(
  context: PullRequestContext,
  options: FetchOptions,
): Promise<{ ok: true; reviews: GithubReview[] } | Failure> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxPages = options.maxPages ?? 50;
  const where = `pull request #${context.number} of ${context.owner}/${context.repo}`;
  let url: string | undefined =
    `${context.apiUrl}/repos/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}/pulls/${context.number}/reviews?per_page=100`;
  const apiOrigin = new URL(url).origin;
  const reviews: GithubReview[] = [];

  for (let page = 1; url !== undefined; page++) {
    if (page > maxPages) return { ok: false, reason: `GitHub API returned more than ${maxPages} pages of reviews for ${where}; stopped` };
    if (new URL(url).origin !== apiOrigin) {
      // The token must never be sent anywhere but the configured API.
      return { ok: false, reason: `GitHub API pagination pointed to another host (${new URL(url).origin}); refused to follow it` };
    }
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': options.userAgent ?? USER_AGENT,
        },
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect could carry the token elsewhere; GITHUB_REPOSITORY is always current in Actions.
        redirect: 'manual',
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return { ok: false, reason: `GitHub API at ${apiOrigin} did not answer within ${timeoutMs} ms while listing reviews of ${where}` };
      }
      const cause = error instanceof Error && isRecord(error.cause) && typeof error.cause.code === 'string' ? error.cause.code : describeError(error);
      return { ok: false, reason: `GitHub API at ${apiOrigin} could not be reached (${cause}) while listing reviews of ${where}` };
    }

    if (!response.ok) {
      const message = await apiMessage(response);
      const detail = message === '' ? `${response.status}` : `${response.status} ${message}`;
      if (response.status === 401) {
        return { ok: false, reason: `GitHub API refused the token (${detail}) while listing reviews of ${where}; check GITHUB_TOKEN or the github-token input` };
      }
      if (response.status === 403 || response.status === 429) {
        const limited = response.headers.get('x-ratelimit-remaining') === '0' || response.status === 429;
        return {
          ok: false,
          reason: limited
            ? `GitHub API rate limit reached (${detail}) while listing reviews of ${where}; re-run the check later`
            : `GitHub API denied access (${detail}) to the reviews of ${where}; the token needs "pull-requests: read"`,
        };
      }
      if (response.status === 404) {
        return { ok: false, reason: `GitHub API found no ${where} (${detail}); check GITHUB_REPOSITORY and that the token can read the repository` };
      }
      const location = response.headers.get('location');
      const redirected = location === null ? '' : ` (redirect to ${location} not followed)`;
      return { ok: false, reason: `GitHub API answered ${detail} while listing reviews of ${where}${redirected}` };
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      return { ok: false, reason: `GitHub API returned malformed JSON for the reviews of ${where} (${describeError(error)})` };
    }
    if (!Array.isArray(body)) {
      return { ok: false, reason: `GitHub API returned something other than a list of reviews for ${where}` };
    }
    for (const item of body) {
      const review = toReview(item);
      if (review === undefined) return { ok: false, reason: `GitHub API returned a review without id or state for ${where}` };
      reviews.push(review);
    }
    const next = nextPageUrl(response.headers.get('link'));
    url = next === undefined ? undefined : new URL(next, url).toString();
  }
  return { ok: true, reviews };
}

const lower = (login: string): string => login.toLowerCase();
const shortSha = (sha: string | null): string => (sha === null ? 'an unknown commit' : sha.slice(0, 7));

/** Pure evaluation of the reviews against the github mode's rules (docs/approval.md). */
export interface GithubEvaluationOptions {
  headSha: string;
  /** Login of the pull request's author. */
  author: string;
  required: number;
  /** approval.approvers; ignored when `identity` is given. */
  approvers?: readonly (string | ApproverPerson)[];
  /** The policy's identity model; built from `approvers` when absent. */
  identity?: IdentityModel;
  /** The campaign's declared `author:`; its person cannot approve either. */
  declaredAuthor?: string;
}

function approversWithoutLogin(model: IdentityModel): string {
  const missing = model.withoutGithubLogin().map(describePerson);
  if (missing.length === 0) return '';
  const shown = missing.slice(0, 3).join(', ');
  return ` (github mode matches reviews by GitHub login; ${shown}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''} ha${missing.length === 1 ? 's' : 've'} no github login in approval.approvers)`;
}

export function evaluateGithubReviews(reviews: readonly GithubReview[], options: GithubEvaluationOptions): GithubReviewEvaluation {
  const model =
    options.identity ??
    new IdentityModel({ approvers: (options.approvers ?? []).map(toPerson).filter((person): person is ApproverPerson => person !== undefined) });
  const latest = new Map<string, ReviewerState>();
  for (const review of reviews) {
    if (review.user === null) continue;
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED' && review.state !== 'DISMISSED') continue;
    const key = lower(review.user.login);
    latest.delete(key); // re-insert so that the map keeps the order of each reviewer's latest decision
    latest.set(key, { login: review.user.login, state: review.state, commitId: review.commit_id, verdict: 'valid' });
  }
  const reviewers = [...latest.values()];
  // GitHub logins never contain `@`, so each one is read as a login token (g:), never as an email.
  const personOf = (value: string): string => model.personOf(value);
  const prAuthor = personOf(options.author);
  const declared = options.declaredAuthor === undefined || options.declaredAuthor.trim() === '' ? undefined : model.personOf(options.declaredAuthor);
  const counted = new Set<string>();
  const withoutLogin = approversWithoutLogin(model);
  for (const reviewer of reviewers) {
    const person = personOf(reviewer.login);
    if (reviewer.state === 'CHANGES_REQUESTED') reviewer.verdict = 'changes-requested';
    else if (reviewer.state === 'DISMISSED') reviewer.verdict = 'dismissed';
    else if (lower(reviewer.login) === lower(options.author) || person === prAuthor) reviewer.verdict = 'pull-request-author';
    else if (declared !== undefined && person === declared) reviewer.verdict = 'campaign-author';
    else if (!model.isApprover(reviewer.login)) reviewer.verdict = 'not-an-approver';
    else if (reviewer.commitId !== options.headSha) reviewer.verdict = 'stale-commit';
    else if (counted.has(person)) reviewer.verdict = 'duplicate';
    else counted.add(person);
  }
  const validApprovers = reviewers.filter((reviewer) => reviewer.verdict === 'valid').map((reviewer) => reviewer.login);
  const changesRequestedBy = reviewers.filter((reviewer) => reviewer.verdict === 'changes-requested').map((reviewer) => reviewer.login);
  const satisfied = validApprovers.length >= options.required && changesRequestedBy.length === 0;

  const head = shortSha(options.headSha);
  const headline = `${validApprovers.length} of ${options.required} required pull request approvals on the head commit ${head}`;
  const notes: string[] = [];
  for (const reviewer of reviewers) {
    switch (reviewer.verdict) {
      case 'valid':
        break;
      case 'stale-commit':
        notes.push(`${reviewer.login} approved an older commit (${shortSha(reviewer.commitId)}) and must approve again`);
        break;
      case 'pull-request-author':
        notes.push(`${reviewer.login} is the pull request author and cannot approve it`);
        break;
      case 'campaign-author':
        notes.push(`${reviewer.login} is the campaign's declared author (${options.declaredAuthor ?? ''}) and cannot approve it`);
        break;
      case 'not-an-approver':
        notes.push(`${reviewer.login} is not in approval.approvers${withoutLogin}`);
        break;
      case 'duplicate':
        notes.push(`${reviewer.login} is the same person as another approving reviewer (counted once)`);
        break;
      case 'changes-requested':
        notes.push(`${reviewer.login} requested changes`);
        break;
      case 'dismissed':
        notes.push(`${reviewer.login}'s review was dismissed`);
        break;
    }
  }
  if (!satisfied && reviewers.length === 0) notes.push('no reviews yet');
  const message = satisfied
    ? `${headline}: ${validApprovers.join(', ')}`
    : `${headline}${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`;
  return { satisfied, required: options.required, validApprovers, changesRequestedBy, reviewers, message };
}

/**
 * The whole github mode: context from the environment, reviews from the API, evaluation.
 * `required` is the already raised count (2 at least for special-category).
 */
export async function checkGithubApproval(options: {
  required: number;
  approvers?: readonly (string | ApproverPerson)[];
  identity?: IdentityModel;
  declaredAuthor?: string;
  /** The action's github-token input; falls back to `GITHUB_TOKEN`. */
  token?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  userAgent?: string;
}): Promise<GithubApprovalOutcome> {
  const env = options.env ?? process.env;
  const found = await readPullRequestContext(env);
  if (!found.ok) return { kind: 'error', message: found.reason };
  const token = options.token !== undefined && options.token !== '' ? options.token : env.GITHUB_TOKEN;
  if (token === undefined || token === '') {
    return {
      kind: 'error',
      message: 'no GitHub token: set GITHUB_TOKEN or the action\'s github-token input (the workflow needs "pull-requests: read")',
    };
  }
  const fetched = await fetchPullRequestReviews(found.context, {
    token,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
  });
  if (!fetched.ok) return { kind: 'error', message: fetched.reason };
  const evaluation = evaluateGithubReviews(fetched.reviews, {
    headSha: found.context.headSha,
    author: found.context.author,
    required: options.required,
    ...(options.approvers === undefined ? {} : { approvers: options.approvers }),
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    ...(options.declaredAuthor === undefined ? {} : { declaredAuthor: options.declaredAuthor }),
  });
  return { kind: 'evaluated', context: found.context, ...evaluation };
}
