/**
 * The approval policy as the rule, `report` and `approve` use it: the identity model of
 * the listed people, and in signature mode the verifier over the trusted keys (the
 * allowed_signers file, read from the same place as the config, plus the keys written on
 * each person in approval.approvers). Built once per resolved config.
 */
import type { ResolvedConfig } from '../core/config.js';
import type { SignatureVerifier } from './evaluate.js';
import { IdentityModel } from './identity.js';
import type { ApproverPerson } from './identity.js';
import { createSshSignatureVerifier, loadAllowedSigners, parseAllowedSigners } from './ssh-signature.js';
import type { AllowedSigner, AllowedSigners } from './ssh-signature.js';

export interface ApprovalSetup {
  identity: IdentityModel;
  /** Signature mode: the verifier, or why there is none. */
  verifier: SignatureVerifier | undefined;
  verifierProblem: string | undefined;
}

export const PERSON_KEYS_LABEL = 'approval.approvers';

/** The `keys` of one person as allowed_signers lines for their email and login; problems name the key. */
export function personSigners(person: ApproverPerson, index: number): { signers: AllowedSigner[]; problems: string[] } {
  const principals = [person.email, person.github].filter((value): value is string => value !== undefined && value !== '');
  const signers: AllowedSigner[] = [];
  const problems: string[] = [];
  person.keys.forEach((key, keyIndex) => {
    const parsed = parseAllowedSigners(`${principals.length > 0 ? principals.join(',') : 'nobody'} ${key.trim()}`, PERSON_KEYS_LABEL);
    const problem = parsed.problems[0];
    if (problem !== undefined || parsed.signers.length !== 1) {
      problems.push(`approval.approvers[${index}].keys[${keyIndex}] is not an SSH public key "key-type base64" (${problem?.message ?? 'no key found'})`);
      return;
    }
    for (const signer of parsed.signers) signers.push({ ...signer, line: keyIndex + 1 });
  });
  return { signers, problems };
}

function personKeyProblems(approvers: readonly ApproverPerson[]): string[] {
  return approvers.flatMap((person, index) => personSigners(person, index).problems);
}

/** Config-time check: every key written on a person parses (one line per problem). */
export function checkPersonKeys(approvers: readonly ApproverPerson[]): string | undefined {
  return personKeyProblems(approvers)[0];
}

// Keyed by the approvers list, which the per-campaign configs overrides derive share with their base.
const setups = new WeakMap<object, Promise<ApprovalSetup>>();

/** The identity model and (signature mode) verifier of a config; allowed_signers is read once per config. */
export function approvalSetup(config: ResolvedConfig): Promise<ApprovalSetup> {
  let setup = setups.get(config.approval.approvers);
  if (setup === undefined) {
    setup = buildSetup(config);
    setups.set(config.approval.approvers, setup);
  }
  return setup;
}

async function buildSetup(config: ResolvedConfig): Promise<ApprovalSetup> {
  const { approvers, allowedSigners, verify } = config.approval;
  const fromPeople = approvers.map((person, index) => personSigners(person, index).signers);
  const personKeyFingerprints = fromPeople.map((signers) => signers.map((signer) => signer.fingerprint));
  if (verify !== 'signature') {
    return { identity: new IdentityModel({ approvers, personKeyFingerprints }), verifier: undefined, verifierProblem: undefined };
  }
  let file: AllowedSigners | undefined;
  let verifierProblem: string | undefined;
  if (allowedSigners !== undefined) {
    const loaded = await loadAllowedSigners(allowedSigners.path, allowedSigners.label, allowedSigners.text, config.rootDir);
    if (loaded.ok) file = loaded.allowedSigners;
    else verifierProblem = loaded.reason;
  }
  const personSignerList = fromPeople.flat();
  const identity = new IdentityModel({
    approvers,
    personKeyFingerprints,
    signerLines: (file?.signers ?? []).map((signer) => ({ fingerprint: signer.fingerprint, principals: signer.principals })),
  });
  if (verifierProblem !== undefined) return { identity, verifier: undefined, verifierProblem };
  if (file === undefined && personSignerList.length === 0) {
    return { identity, verifier: undefined, verifierProblem: 'signature mode needs approval.allowed_signers or keys on the people in approval.approvers' };
  }
  const labels = [file?.label, personSignerList.length > 0 ? `${PERSON_KEYS_LABEL} keys` : undefined].filter((label): label is string => label !== undefined);
  const combined: AllowedSigners = {
    label: labels.join(' or '),
    signers: [...(file?.signers ?? []), ...personSignerList],
    problems: file?.problems ?? [],
  };
  return { identity, verifier: createSshSignatureVerifier(combined), verifierProblem: undefined };
}
