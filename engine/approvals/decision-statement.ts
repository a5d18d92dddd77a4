import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * What an approver signs: exactly one decision, about one gate (or manual step) of one run of one
 * version of a plan, at one time. Every field is inside the signature, so a decision cannot be
 * replayed onto another run, gate or plan version, and cannot be altered.
 */
export interface DecisionStatement {
  v: 1;
  runId: string;
  stepId: string;
  decision: 'approve' | 'reject' | 'done';
  principal: string;
  /** sha256 of the plan file the run started from. */
  planDigest: string;
  /** ISO-8601, when the decision was signed. */
  time: string;
  comment?: string;
}

export interface SignedDecision {
  statement: DecisionStatement;
  /** Ed25519 signature over `canonicalBytes(statement)`, base64. */
  signature: string;
}

/** The exact bytes signed: the statement's fields in a fixed order, as JSON. */
export function canonicalBytes(s: DecisionStatement): Buffer {
  const ordered: DecisionStatement = {
    v: 1,
    runId: s.runId,
    stepId: s.stepId,
    decision: s.decision,
    principal: s.principal,
    planDigest: s.planDigest,
    time: s.time,
    ...(s.comment === undefined ? {} : { comment: s.comment }),
  };
  return Buffer.from(JSON.stringify(ordered), 'utf8');
}

export function signDecision(statement: DecisionStatement, privateKeyPem: string): SignedDecision {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the private key is not an Ed25519 key (make one with `drplan keys generate <principal>`)');
  return { statement, signature: sign(null, canonicalBytes(statement), key).toString('base64') };
}

/** True only for a well-formed Ed25519 signature of this statement by this key. */
export function verifyDecision(signed: SignedDecision, publicKey: KeyObject): boolean {
  try {
    if (publicKey.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, canonicalBytes(signed.statement), publicKey, Buffer.from(signed.signature, 'base64'));
  } catch {
    return false;
  }
}

export function publicKeyFromPem(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** Shape check for decisions arriving from outside (inbox files, HTTP bodies). */
export function isSignedDecision(value: unknown): value is SignedDecision {
  const v = value as SignedDecision | null;
  const s = v?.statement;
  return (
    !!v &&
    typeof v.signature === 'string' &&
    !!s &&
    s.v === 1 &&
    typeof s.runId === 'string' &&
    typeof s.stepId === 'string' &&
    (s.decision === 'approve' || s.decision === 'reject' || s.decision === 'done') &&
    typeof s.principal === 'string' &&
    typeof s.planDigest === 'string' &&
    typeof s.time === 'string' &&
    (s.comment === undefined || typeof s.comment === 'string')
  );
}
