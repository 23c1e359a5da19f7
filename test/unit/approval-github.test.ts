import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  checkGithubApproval,
  evaluateGithubReviews,
  nextPageUrl,
  readPullRequestContext,
  type GithubApprovalOutcome,
} from '../../src/approval/github.js';
import { startFakeGithub, unreachableUrl, type FakeGithub, type FakeGithubOptions, type ReviewSpec } from '../helpers/github-server.js';

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OLD = '0f9e8d7c6b5a49382716a5b4c3d2e1f098765432';
const TOKEN = 'ghs_testtoken0000000000000000000000000';

let dir = '';
let eventPath = '';
const servers: FakeGithub[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campaign-lint-github-'));
  eventPath = join(dir, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 42,
      pull_request: { number: 42, state: 'open', head: { sha: HEAD, ref: 'winter-sale' }, base: { sha: OLD, ref: 'main' }, user: { login: 'alice-author' } },
      repository: { full_name: 'example-org/campaigns' },
    }),
  );
});
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(reviews: ReviewSpec[], extra: Partial<FakeGithubOptions> = {}): Promise<FakeGithub> {
  const server = await startFakeGithub({ owner: 'example-org', repo: 'campaigns', pulls: { 42: reviews }, token: TOKEN, ...extra });
  servers.push(server);
  return server;
}

function env(apiUrl: string, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'example-org/campaigns',
    GITHUB_API_URL: apiUrl,
    GITHUB_TOKEN: TOKEN,
    ...overrides,
  };
}

async function check(apiUrl: string, options: { required?: number; approvers?: string[]; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<GithubApprovalOutcome> {
  return checkGithubApproval({
    required: options.required ?? 2,
    ...(options.approvers === undefined ? {} : { approvers: options.approvers }),
    env: env(apiUrl, options.env),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

function evaluated(outcome: GithubApprovalOutcome): Extract<GithubApprovalOutcome, { kind: 'evaluated' }> {
  if (outcome.kind !== 'evaluated') assert.fail(`expected an evaluation, got the error: ${outcome.message}`);
  return outcome;
}

function errorOf(outcome: GithubApprovalOutcome): string {
  if (outcome.kind !== 'error') assert.fail(`expected an error, got: ${outcome.message}`);
  return outcome.message;
}

void describe('checkGithubApproval against a local GitHub API', () => {
  void it('passes with two approvals on the head commit and sends the documented headers', async () => {
    const server = await serve([
      { id: 1, login: 'bob', state: 'APPROVED', commitId: HEAD },
      { id: 2, login: 'carol', state: 'APPROVED', commitId: HEAD },
    ]);
    const outcome = evaluated(await check(server.url));
    assert.equal(outcome.satisfied, true);
    assert.deepEqual(outcome.validApprovers, ['bob', 'carol']);
    assert.equal(outcome.message, '2 of 2 required pull request approvals on the head commit a1b2c3d: bob, carol');
    assert.equal(server.requests.length, 1);
    const request = server.requests[0];
    assert.ok(request);
    assert.equal(request.method, 'GET');
    assert.equal(request.url, '/repos/example-org/campaigns/pulls/42/reviews?per_page=100');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request.headers.accept, 'application/vnd.github+json');
    assert.equal(request.headers['x-github-api-version'], '2022-11-28');
    assert.equal(request.headers['user-agent'], 'campaign-lint');
  });

  void it('does not count an approval given on an older commit', async () => {
    const server = await serve([
      { id: 1, login: 'bob', state: 'APPROVED', commitId: HEAD },
      { id: 2, login: 'carol', state: 'APPROVED', commitId: OLD },
    ]);
    const outcome = evaluated(await check(server.url));
    assert.equal(outcome.satisfied, false);
    assert.equal(
      outcome.message,
      '1 of 2 required pull request approvals on the head commit a1b2c3d: carol approved an older commit (0f9e8d7) and must approve again',
    );
  });

  void it('does not count the pull request author approving', async () => {
    const server = await serve([
      { id: 1, login: 'Alice-Author', state: 'APPROVED', commitId: HEAD },
      { id: 2, login: 'carol', state: 'APPROVED', commitId: HEAD },
    ]);
    const outcome = evaluated(await check(server.url));
    assert.equal(outcome.satisfied, false);
    assert.deepEqual(outcome.validApprovers, ['carol']);
    assert.equal(
      outcome.message,
      '1 of 2 required pull request approvals on the head commit a1b2c3d: Alice-Author is the pull request author and cannot approve it',
    );
  });

  void it('fails when a reviewer later requests changes, even with enough approvals', async () => {
    const server = await serve([
      { id: 1, login: 'bob', state: 'APPROVED', commitId: HEAD },
      { id: 2, login: 'carol', state: 'APPROVED', commitId: HEAD },
      { id: 3, login: 'dave', state: 'APPROVED', commitId: HEAD },
      { id: 4, login: 'dave', state: 'CHANGES_REQUESTED', commitId: HEAD },
    ]);
    const outcome = evaluated(await check(server.url));
    assert.equal(outcome.satisfied, false);
    assert.deepEqual(outcome.validApprovers, ['bob', 'carol']);
    assert.deepEqual(outcome.changesRequestedBy, ['dave']);
    assert.equal(outcome.message, '2 of 2 required pull request approvals on the head commit a1b2c3d: dave requested changes');
  });

  void it('keeps an approval followed by a comment, and drops a dismissed one', async () => {
    const server = await serve([
      { id: 1, login: 'bob', state: 'APPROVED', commitId: HEAD },
      { id: 2, login: 'bob', state: 'COMMENTED', commitId: OLD },
      { id: 3, login: 'carol', state: 'APPROVED', commitId: HEAD },
      { id: 4, login: 'carol', state: 'DISMISSED', commitId: HEAD },
      { id: 5, login: 'erin', state: 'PENDING', commitId: HEAD },
    ]);
    const outcome = evaluated(await check(server.url));
    assert.deepEqual(outcome.validApprovers, ['bob']);
    assert.equal(outcome.message, "1 of 2 required pull request approvals on the head commit a1b2c3d: carol's review was dismissed");
  });

  void it('follows Link pagination over three pages', async () => {
    const server = await serve(
      [
        { id: 1, login: 'bob', state: 'APPROVED', commitId: OLD },
        { id: 2, login: 'erin', state: 'COMMENTED', commitId: OLD },
        { id: 3, login: 'frank', state: 'COMMENTED', commitId: HEAD },
        { id: 4, login: 'bob', state: 'APPROVED', commitId: HEAD },
        { id: 5, login: 'carol', state: 'APPROVED', commitId: HEAD },
      ],
      { pageSize: 2 },
    );
    const outcome = evaluated(await check(server.url));
    assert.deepEqual(
      server.requests.map((request) => request.url),
      [
        '/repos/example-org/campaigns/pulls/42/reviews?per_page=100',
        '/repos/example-org/campaigns/pulls/42/reviews?per_page=100&page=2',
        '/repos/example-org/campaigns/pulls/42/reviews?per_page=100&page=3',
      ],
    );
    assert.equal(outcome.satisfied, true);
    assert.deepEqual(outcome.validApprovers, ['bob', 'carol']);
  });

  void it('matches approvers case-insensitively and refuses others', async () => {
    const server = await serve([
      { id: 1, login: 'Bob', state: 'APPROVED', commitId: HEAD },
      { id: 2, login: 'mallory', state: 'APPROVED', commitId: HEAD },
    ]);
    const outcome = evaluated(await check(server.url, { approvers: ['bob', 'carol'] }));
    assert.deepEqual(outcome.validApprovers, ['Bob']);
    assert.equal(outcome.message, '1 of 2 required pull request approvals on the head commit a1b2c3d: mallory is not in approval.approvers');
  });

  void it('reports 401 when the token is refused', async () => {
    const server = await serve([]);
    assert.equal(
      errorOf(await check(server.url, { env: { GITHUB_TOKEN: 'ghs_wrong' } })),
      'GitHub API refused the token (401 Bad credentials) while listing reviews of pull request #42 of example-org/campaigns; check GITHUB_TOKEN or the github-token input',
    );
  });

  void it('reports 404 for an unknown pull request or repository', async () => {
    const server = await serve([]);
    assert.equal(
      errorOf(await check(server.url, { env: { GITHUB_REPOSITORY: 'example-org/other' } })),
      'GitHub API found no pull request #42 of example-org/other (404 Not Found); check GITHUB_REPOSITORY and that the token can read the repository',
    );
  });

  void it('reports 403, a rate limit and a server error', async () => {
    const denied = await serve([], { failWith: { status: 403, message: 'Resource not accessible by integration' } });
    assert.equal(
      errorOf(await check(denied.url)),
      'GitHub API denied access (403 Resource not accessible by integration) to the reviews of pull request #42 of example-org/campaigns; the token needs "pull-requests: read"',
    );
    const limited = await serve([], { failWith: { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0' } } });
    assert.match(errorOf(await check(limited.url)), /^GitHub API rate limit reached \(403 API rate limit exceeded\)/);
    const broken = await serve([], { failWith: { status: 502, message: 'Server Error' } });
    assert.equal(errorOf(await check(broken.url)), 'GitHub API answered 502 Server Error while listing reviews of pull request #42 of example-org/campaigns');
  });

  void it('does not follow redirects', async () => {
    const moved = await serve([], { failWith: { status: 301, message: 'Moved Permanently', headers: { location: 'https://elsewhere.example.test/x' } } });
    assert.equal(
      errorOf(await check(moved.url)),
      'GitHub API answered 301 Moved Permanently while listing reviews of pull request #42 of example-org/campaigns (redirect to https://elsewhere.example.test/x not followed)',
    );
  });

  void it('reports malformed JSON', async () => {
    const server = await serve([], { rawBody: '[{"id": 1, "state": ' });
    assert.match(errorOf(await check(server.url)), /^GitHub API returned malformed JSON for the reviews of pull request #42 of example-org\/campaigns \(/);
    const notAList = await serve([], { rawBody: '{"message":"hello"}' });
    assert.equal(errorOf(await check(notAList.url)), 'GitHub API returned something other than a list of reviews for pull request #42 of example-org/campaigns');
  });

  void it('reports an unreachable API', async () => {
    const url = await unreachableUrl();
    assert.equal(
      errorOf(await check(url)),
      `GitHub API at ${url} could not be reached (ECONNREFUSED) while listing reviews of pull request #42 of example-org/campaigns`,
    );
  });

  void it('reports a timeout', async () => {
    const server = await serve([], { hang: true });
    assert.equal(
      errorOf(await check(server.url, { timeoutMs: 200 })),
      `GitHub API at ${server.url} did not answer within 200 ms while listing reviews of pull request #42 of example-org/campaigns`,
    );
  });
});

void describe('pull request context', () => {
  void it('reads the pull request from the event file', async () => {
    assert.deepEqual(await readPullRequestContext(env('https://api.github.com/')), {
      ok: true,
      context: { owner: 'example-org', repo: 'campaigns', number: 42, headSha: HEAD, author: 'alice-author', apiUrl: 'https://api.github.com' },
    });
    const defaulted = await readPullRequestContext(env('', { GITHUB_API_URL: undefined }));
    assert.equal(defaulted.ok && defaulted.context.apiUrl, 'https://api.github.com');
  });

  void it('explains a missing event file, a push event, a bad repository and a missing token', async () => {
    const noEvent = await check('http://127.0.0.1:9', { env: { GITHUB_EVENT_PATH: undefined } });
    assert.equal(
      errorOf(noEvent),
      'GITHUB_EVENT_PATH is not set: the github approval mode reads the pull request from a GitHub Actions run of a pull_request workflow; use --approvals record or signature elsewhere',
    );
    const pushEvent = join(dir, 'push.json');
    await writeFile(pushEvent, JSON.stringify({ ref: 'refs/heads/main', after: HEAD }));
    assert.equal(
      errorOf(await check('http://127.0.0.1:9', { env: { GITHUB_EVENT_PATH: pushEvent, GITHUB_EVENT_NAME: 'push' } })),
      'the workflow event (push) is not about a pull request: the github approval mode reads the pull request from a GitHub Actions run of a pull_request workflow; use --approvals record or signature elsewhere',
    );
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{not json');
    assert.match(errorOf(await check('http://127.0.0.1:9', { env: { GITHUB_EVENT_PATH: garbage } })), /^the event file GITHUB_EVENT_PATH=.*garbage\.json cannot be read as JSON \(/);
    assert.equal(
      errorOf(await check('http://127.0.0.1:9', { env: { GITHUB_REPOSITORY: 'campaigns' } })),
      'GITHUB_REPOSITORY must be "owner/repo" (got "campaigns")',
    );
    assert.equal(
      errorOf(await check('http://127.0.0.1:9', { env: { GITHUB_TOKEN: undefined } })),
      'no GitHub token: set GITHUB_TOKEN or the action\'s github-token input (the workflow needs "pull-requests: read")',
    );
  });
});

void describe('review evaluation details', () => {
  void it('parses Link headers', () => {
    const header =
      '<https://api.github.com/repositories/1/pulls/42/reviews?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/pulls/42/reviews?per_page=100&page=5>; rel="last"';
    assert.equal(nextPageUrl(header), 'https://api.github.com/repositories/1/pulls/42/reviews?per_page=100&page=2');
    assert.equal(nextPageUrl('<https://api.github.com/x?page=1>; rel="prev"'), undefined);
    assert.equal(nextPageUrl(null), undefined);
  });

  void it('ignores reviews by deleted users and says when there are none', () => {
    const result = evaluateGithubReviews([{ id: 1, user: null, state: 'APPROVED', commit_id: HEAD }], { headSha: HEAD, author: 'alice-author', required: 2 });
    assert.equal(result.satisfied, false);
    assert.equal(result.message, '0 of 2 required pull request approvals on the head commit a1b2c3d: no reviews yet');
  });
});
