/**
 * One identity model for every approval mode (docs/approval.md).
 *
 * An approver is a PERSON listed once in `approval.approvers`, with an optional email,
 * GitHub login and SSH signing keys. A plain string entry is a person too: an email when
 * it contains `@`, a GitHub login otherwise.
 *
 * Everything that can name a person is a token: `e:<email>` (lower case, plus-tag cut:
 * `Alice+x@Example.com` is `e:alice@example.com`), `g:<login>` (lower case), `k:<key
 * fingerprint>`, `p:<entry index>`. Tokens that are known to belong together are joined
 * (a union-find): a config entry joins its email, login and keys; an allowed_signers line
 * joins its key with each of its literal principals (one key under two names is one
 * person; one name with two keys is one person); a verified signature joins the approval's
 * `by` with the key that signed it. Joining only ever makes two names one person, so it
 * can only lower a count, never raise it.
 *
 * Approvals count once per group; an approval whose group is the author's is a
 * self-approval.
 */

import { extractAddress } from '../core/address.js';

export interface ApproverPerson {
  /** Display name; never used to match. */
  name?: string;
  email?: string;
  github?: string;
  /** `key-type base64` public keys, as in an allowed_signers line without principals. */
  keys: string[];
}

/**
 * Trimmed, lower case, without a `+tag` in the local part; `Name <addr>` and `mailto:addr`
 * are the address. Not an email: trimmed and lower case.
 */
export function normalizeEmail(value: string): string {
  // One reading of `Name <addr>` and `mailto:` for suppression lists and identities alike.
  // RFC 5322 comments (`alice@example.com (review)`) name no other mailbox; a domain's trailing
  // dot is the same domain; a quoted local part (`"alice"@`) is the same local part.
  const address = extractAddress(value.replace(/\([^()]*\)/g, ' ')).toLowerCase();
  let end = address.length;
  while (end > 0 && address.charCodeAt(end - 1) === 0x2e) end--;
  const trimmed = address.slice(0, end);
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  let local = trimmed.slice(0, at);
  if (local.length >= 2 && local.startsWith('"') && local.endsWith('"')) local = local.slice(1, -1).replace(/\\(.)/g, '$1');
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${trimmed.slice(at)}`;
}

/** GitHub logins are case-insensitive; a leading `@` (as in a mention) is not part of it. */
export function normalizeLogin(value: string): string {
  return value.trim().replace(/^@/, '').toLowerCase();
}

/** The token a free-form identity (`by:`, `author:`, `--by`) stands for. */
export function identityToken(value: string): string {
  return value.includes('@') ? `e:${normalizeEmail(value)}` : `g:${normalizeLogin(value)}`;
}

/** How a person is shown in messages: the email, else the login, else the name. */
export function describePerson(person: ApproverPerson): string {
  return person.email ?? (person.github !== undefined ? `@${person.github}` : (person.name ?? 'a person with keys only'));
}

/** A config entry as the config file allows it: a string, or `{ name, email, github, keys }`. */
export function toPerson(entry: unknown): ApproverPerson | undefined {
  if (typeof entry === 'string') {
    const value = entry.trim();
    if (value === '') return undefined;
    return value.includes('@') ? { email: value, keys: [] } : { github: value.replace(/^@/, ''), keys: [] };
  }
  if (entry === null || typeof entry !== 'object') return undefined;
  const record = entry as Record<string, unknown>;
  const person: ApproverPerson = { keys: [] };
  if (typeof record.name === 'string') person.name = record.name;
  if (typeof record.email === 'string') person.email = record.email.trim();
  if (typeof record.github === 'string') person.github = record.github.trim().replace(/^@/, '');
  if (Array.isArray(record.keys)) person.keys = record.keys.filter((key): key is string => typeof key === 'string');
  return person;
}

/** A pattern principal (`*@example.com`, `!x`) names no one in particular and joins nothing. */
export function isLiteralPrincipal(principal: string): boolean {
  return principal !== '' && !/[*?!]/.test(principal);
}

export class IdentityGraph {
  private readonly parent: Map<string, string>;

  constructor(parent: ReadonlyMap<string, string> = new Map()) {
    this.parent = new Map(parent);
  }

  clone(): IdentityGraph {
    return new IdentityGraph(this.parent);
  }

  find(token: string): string {
    let root = token;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root)) root = next;
    // Path compression keeps repeated look-ups flat.
    for (let node = token; node !== root; ) {
      const next = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  join(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootB, rootA);
  }

  same(a: string, b: string): boolean {
    return this.find(a) === this.find(b);
  }
}

export interface IdentityModelInput {
  approvers: readonly ApproverPerson[];
  /** Key fingerprint of each entry of `approvers[i].keys` that parsed, by entry. */
  personKeyFingerprints?: readonly (readonly string[])[];
  /** Key fingerprint and principals of each allowed_signers line. */
  signerLines?: readonly { fingerprint: string; principals: readonly string[] }[];
}

/** The people of the policy, with every name, login and key each one answers to. */
export class IdentityModel {
  readonly graph: IdentityGraph;
  readonly approvers: readonly ApproverPerson[];
  /** Root of each listed person's group → its index; rebuilt after a join, so look-ups stay O(1). */
  private listedRoots: Map<string, number> | undefined;

  constructor(input: IdentityModelInput, graph?: IdentityGraph) {
    this.approvers = input.approvers;
    this.graph = graph ?? new IdentityGraph();
    if (graph !== undefined) return;
    input.approvers.forEach((person, index) => {
      const self = `p:${index}`;
      this.graph.find(self);
      if (person.email !== undefined && person.email !== '') this.graph.join(self, `e:${normalizeEmail(person.email)}`);
      if (person.github !== undefined && person.github !== '') this.graph.join(self, `g:${normalizeLogin(person.github)}`);
      for (const fingerprint of input.personKeyFingerprints?.[index] ?? []) this.graph.join(self, `k:${fingerprint}`);
    });
    for (const line of input.signerLines ?? []) {
      for (const principal of line.principals) {
        if (isLiteralPrincipal(principal)) this.graph.join(`k:${line.fingerprint}`, identityToken(principal));
      }
    }
  }

  /** A copy that one evaluation may join keys into without touching the policy's model. */
  clone(): IdentityModel {
    return new IdentityModel({ approvers: this.approvers }, this.graph.clone());
  }

  /** True when the list is empty (anyone but the author) or `identity` is one of the listed people. */
  isApprover(identity: string): boolean {
    if (this.approvers.length === 0) return true;
    return this.listedPerson(identity) !== undefined;
  }

  /** Index of the listed person `identity` (an email, a login, or a `k:` token) belongs to. */
  listedPerson(identity: string): number | undefined {
    if (this.listedRoots === undefined) {
      this.listedRoots = new Map();
      for (let index = this.approvers.length - 1; index >= 0; index--) this.listedRoots.set(this.graph.find(`p:${index}`), index);
    }
    return this.listedRoots.get(this.graph.find(identity.startsWith('k:') ? identity : identityToken(identity)));
  }

  /** The group a free-form identity belongs to, for counting people once. */
  personOf(identity: string): string {
    return this.graph.find(identityToken(identity));
  }

  sameEntity(a: string, b: string): boolean {
    return this.graph.same(identityToken(a), identityToken(b));
  }

  /** Joins an approval's `by` with the key that verifiably signed it. */
  joinKey(identity: string, fingerprint: string): void {
    this.graph.join(identityToken(identity), `k:${fingerprint}`);
    this.listedRoots = undefined;
  }

  /** Listed people without a GitHub login: github mode cannot match their reviews. */
  withoutGithubLogin(): ApproverPerson[] {
    return this.approvers.filter((person) => person.github === undefined || person.github === '');
  }
}
