/**
 * A local stand-in for the GitHub REST API's "List reviews for a pull request" endpoint,
 * answering with the documented response shapes (review objects, Link pagination, error
 * bodies), so that the real client code runs against it with only the base URL changed.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReviewSpec {
  id: number;
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  submittedAt?: string;
}

export interface FakeGithubOptions {
  owner: string;
  repo: string;
  /** Reviews by pull request number, in chronological order. */
  pulls: Record<number, ReviewSpec[]>;
  /** The token the server accepts; any other gets GitHub's 401 body. */
  token: string;
  /** Caps the page size below the client's per_page, to exercise pagination. */
  pageSize?: number;
  /** Answer every request with this status and GitHub-style error body instead. */
  failWith?: { status: number; message: string; headers?: Record<string, string> };
  /** Answer with this raw body (status 200), e.g. malformed JSON. */
  rawBody?: string;
  /** Never answer (for timeout tests). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface FakeGithub {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A review object with the fields GitHub documents for this endpoint. */
export function reviewObject(spec: ReviewSpec, apiUrl: string, owner: string, repo: string, pull: number): Record<string, unknown> {
  const htmlPull = `https://github.example.test/${owner}/${repo}/pull/${pull}`;
  return {
    id: spec.id,
    node_id: `PRR_${spec.id}`,
    user: {
      login: spec.login,
      id: 1000 + spec.id,
      node_id: `U_${spec.login}`,
      type: 'User',
      site_admin: false,
      url: `${apiUrl}/users/${spec.login}`,
    },
    body: spec.state === 'COMMENTED' ? 'A remark.' : '',
    state: spec.state,
    html_url: `${htmlPull}#pullrequestreview-${spec.id}`,
    pull_request_url: `${apiUrl}/repos/${owner}/${repo}/pulls/${pull}`,
    author_association: 'MEMBER',
    _links: { html: { href: `${htmlPull}#pullrequestreview-${spec.id}` }, pull_request: { href: `${apiUrl}/repos/${owner}/${repo}/pulls/${pull}` } },
    ...(spec.state === 'PENDING' ? {} : { submitted_at: spec.submittedAt ?? new Date(Date.UTC(2026, 10, 1, 9, 0, spec.id)).toISOString() }),
    commit_id: spec.commitId,
  };
}

function errorBody(status: number, message: string): string {
  return JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest', status: String(status) });
}

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const server: Server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    if (options.hang === true) return;
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(body);
    };
    if (options.failWith !== undefined) {
      send(options.failWith.status, errorBody(options.failWith.status, options.failWith.message), options.failWith.headers);
      return;
    }
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      send(401, errorBody(401, 'Bad credentials'));
      return;
    }
    const url = new URL(request.url ?? '/', baseUrl);
    const match = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/.exec(url.pathname);
    const reviews = match?.[1] === options.owner && match[2] === options.repo ? options.pulls[Number(match[3])] : undefined;
    if (request.method !== 'GET' || reviews === undefined) {
      send(404, errorBody(404, 'Not Found'));
      return;
    }
    if (options.rawBody !== undefined) {
      send(200, options.rawBody);
      return;
    }
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100, options.pageSize ?? 100);
    const page = Number(url.searchParams.get('page') ?? '1');
    const lastPage = Math.max(1, Math.ceil(reviews.length / perPage));
    const pageUrl = (n: number): string => {
      const link = new URL(url.pathname, baseUrl);
      link.searchParams.set('per_page', url.searchParams.get('per_page') ?? '30');
      link.searchParams.set('page', String(n));
      return link.toString();
    };
    const links: string[] = [];
    if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`);
    if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`, `<${pageUrl(1)}>; rel="first"`);
    const slice = reviews.slice((page - 1) * perPage, page * perPage);
    const pull = Number(match?.[3]);
    send(
      200,
      JSON.stringify(slice.map((spec) => reviewObject(spec, baseUrl, options.owner, options.repo, pull))),
      links.length > 0 ? { link: links.join(', ') } : {},
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A base URL on which nothing listens: a server is opened on port 0 and closed again. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => {
    resolve();
  }));
  return `http://127.0.0.1:${port}`;
}
