import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A sealed secret cannot be opened: a different IPOCKET_SECRET_KEY, or tampered data. */
export class SecretBoxError extends Error {}

const VERSION = 'v1';
const AAD = Buffer.from('ipocket:connector-secrets:v1');

/** The 32-byte AES key for a configured secret (HKDF-SHA256, so the raw setting is never the key). */
function deriveKey(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.from('ipocket'), Buffer.from('connector-secrets'), 32));
}

/** Encrypts text with AES-256-GCM: `v1.<base64url(iv | tag | ciphertext)>`, a fresh random IV each time. */
export function sealSecret(secretKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secretKey), iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
}

/** Decrypts what sealSecret made with the same key; SecretBoxError otherwise. */
export function openSecret(secretKey: string, sealed: string): string {
  const [version, data] = sealed.split('.');
  if (version !== VERSION || !data) throw new SecretBoxError('Unknown secret format.');
  const raw = Buffer.from(data, 'base64url');
  if (raw.length < 28) throw new SecretBoxError('Secret is truncated.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secretKey), raw.subarray(0, 12));
    decipher.setAAD(AAD);
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('Secret cannot be decrypted (was IPOCKET_SECRET_KEY changed?).');
  }
}
