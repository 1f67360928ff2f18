// The key of the device's copy (docs/DESIGN.md, "Threat model": lost and
// shared devices). Every personal value the app keeps in IndexedDB is
// encrypted with AES-GCM under a random 256-bit data key, one per user and
// device (sealed.ts). The data key never reaches the disk in clear: it is
// wrapped (AES-KW) by a key derived with PBKDF2-SHA256 from the user's
// password, and optionally by one derived from a 6-digit PIN together with a
// device secret the server hands out (GET /api/device-secret) and the app
// keeps in session storage only. Unlocked, the data key lives in memory;
// lock() drops it.
//
// Why the PIN needs the server's secret: a 6-digit PIN is a million guesses,
// which a stolen disk would try in minutes whatever the iteration count. With
// the secret, the wrapped key on the disk alone cannot be tried; the secret
// comes from the live session, or from the server to a valid token of an
// active account: a deactivated account gets none, and then only the
// password opens the copy. The app also forgets the PIN after MAX_PIN_TRIES
// wrong ones.

/** MAX_PIN_TRIES wrong PINs in a row forget the PIN: the password unlocks then. */
export const MAX_PIN_TRIES = 5;
/** The PBKDF2 iterations are measured on the device to take about TARGET_MS, and never fewer than MIN_ITERATIONS. */
export const TARGET_MS = 400;
export const MIN_ITERATIONS = 200_000;
const MAX_ITERATIONS = 2_000_000;

/** LockedError is a read or write of sealed data while the data key is not in memory. */
export class LockedError extends Error {
  constructor() {
    super("the device's data is locked");
    this.name = "LockedError";
  }
}

/** A data key wrapped by a key derived from a secret. */
interface Wrap {
  salt: Uint8Array;
  iterations: number;
  wrapped: ArrayBuffer;
}

interface PinWrap extends Wrap {
  /** a digest of the device secret the PIN was set with: a new secret (the server's token key changed) retires the PIN */
  tag: string;
  /** wrong PINs in a row */
  failures: number;
}

/** Keyring is what the device stores of the data key, wrapped: never the key itself. */
export interface Keyring {
  user: string;
  password: Wrap;
  pin?: PinWrap;
}

/** KeyringStore keeps the keyring (in the device's database, beside what it protects). */
export interface KeyringStore {
  load(): Promise<Keyring | undefined>;
  save(k: Keyring): Promise<void>;
}

export type PinResult = "ok" | "wrong" | "forgotten" | "stale" | "none";

const subtle = () => globalThis.crypto.subtle;
const utf8 = new TextEncoder();

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** fromBase64url reads the server's device secret. */
export function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function kek(secret: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey("raw", secret, "PBKDF2", false, ["deriveKey"]);
  return subtle().deriveKey({ name: "PBKDF2", salt, iterations, hash: "SHA-256" }, base, { name: "AES-KW", length: 256 }, false, [
    "wrapKey",
    "unwrapKey",
  ]);
}

async function tagOf(deviceSecret: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await subtle().digest("SHA-256", concat(utf8.encode("retorno-device-secret-tag"), deviceSecret)));
  return Array.from(d.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** iterationsFor measures PBKDF2 on this device and scales it to take about TARGET_MS. */
export async function iterationsFor(targetMs = TARGET_MS): Promise<number> {
  const probe = 20_000;
  const base = await subtle().importKey("raw", randomBytes(16), "PBKDF2", false, ["deriveBits"]);
  const t0 = performance.now();
  await subtle().deriveBits({ name: "PBKDF2", salt: randomBytes(16), iterations: probe, hash: "SHA-256" }, base, 256);
  const ms = Math.max(performance.now() - t0, 1);
  return Math.min(MAX_ITERATIONS, Math.max(MIN_ITERATIONS, Math.round((probe * targetMs) / ms / 1000) * 1000));
}

export interface VaultOptions {
  /** fixed PBKDF2 iterations (tests); else measured once per keyring (iterationsFor) */
  iterations?: number;
}

/**
 * Vault holds the data key of the device's copy: created and wrapped at the
 * first sign-in, unlocked by the password or the PIN, dropped by lock().
 */
export class Vault {
  private key: CryptoKey | null = null;
  private listeners = new Set<(unlocked: boolean) => void>();

  constructor(
    private readonly store: KeyringStore,
    private readonly options: VaultOptions = {},
  ) {}

  /** unlocked: the data key is in memory. */
  get unlocked(): boolean {
    return this.key !== null;
  }

  /** onChange calls fn on every lock and unlock; it returns the unsubscribe. */
  onChange(fn: (unlocked: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private setKey(key: CryptoKey | null): void {
    this.key = key;
    for (const fn of this.listeners) fn(key !== null);
  }

  /** keyring is the stored keyring, if any. */
  keyring(): Promise<Keyring | undefined> {
    return this.store.load();
  }

  /** ownedBy answers whether the stored keyring is user's. */
  async ownedBy(user: string): Promise<boolean> {
    return (await this.store.load())?.user === user;
  }

  /** hasPin answers whether a PIN can unlock. */
  async hasPin(): Promise<boolean> {
    return !!(await this.store.load())?.pin;
  }

  private async wrapWith(secret: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<ArrayBuffer> {
    if (!this.key) throw new LockedError();
    return subtle().wrapKey("raw", this.key, await kek(secret, salt, iterations), "AES-KW");
  }

  private async unwrap(w: Wrap, secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey | null> {
    try {
      const k = await kek(secret, w.salt as Uint8Array<ArrayBuffer>, w.iterations);
      // extractable: the key is wrapped again for a PIN or a new password
      return await subtle().unwrapKey("raw", w.wrapped, k, "AES-KW", { name: "AES-GCM" }, true, ["encrypt", "decrypt"]);
    } catch {
      return null; // AES-KW's integrity check: a wrong password or PIN
    }
  }

  private async passwordWrap(password: string): Promise<Wrap> {
    const salt = randomBytes(16);
    const iterations = this.options.iterations ?? (await iterationsFor());
    return { salt, iterations, wrapped: await this.wrapWith(utf8.encode(password), salt, iterations) };
  }

  /** create draws a new data key for user, wraps it with password and keeps it unlocked; any PIN is gone. */
  async create(user: string, password: string): Promise<void> {
    this.key = await subtle().generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
    await this.store.save({ user, password: await this.passwordWrap(password) });
    this.setKey(this.key);
  }

  /** unlockWithPassword unlocks with the password the key was wrapped with; false when it is not that one. */
  async unlockWithPassword(password: string): Promise<boolean> {
    const ring = await this.store.load();
    const key = ring && (await this.unwrap(ring.password, utf8.encode(password)));
    if (!key) return false;
    if (ring.pin?.failures) await this.store.save({ ...ring, pin: { ...ring.pin, failures: 0 } });
    this.setKey(key);
    return true;
  }

  /** opensWith answers whether password unwraps the stored key (after a password change it does not). */
  async opensWith(password: string): Promise<boolean> {
    const ring = await this.store.load();
    return !!ring && (await this.unwrap(ring.password, utf8.encode(password))) !== null;
  }

  /** setPassword wraps the unlocked key with a new password (the account's password changed). */
  async setPassword(password: string): Promise<void> {
    const ring = await this.store.load();
    if (!ring) throw new LockedError();
    await this.store.save({ ...ring, password: await this.passwordWrap(password) });
  }

  /** setPin wraps the unlocked key with a 6-digit PIN and the server's device secret. */
  async setPin(pin: string, deviceSecret: Uint8Array<ArrayBuffer>): Promise<void> {
    const ring = await this.store.load();
    if (!ring) throw new LockedError();
    const salt = randomBytes(16);
    const iterations = ring.password.iterations;
    const wrapped = await this.wrapWith(utf8.encode(pin), concat(deviceSecret, salt), iterations);
    await this.store.save({ ...ring, pin: { salt, iterations, wrapped, tag: await tagOf(deviceSecret), failures: 0 } });
  }

  /** forgetPin removes the PIN: the password unlocks. */
  async forgetPin(): Promise<void> {
    const ring = await this.store.load();
    if (ring?.pin) await this.store.save({ user: ring.user, password: ring.password });
  }

  /**
   * unlockWithPin tries a PIN: "ok"; "wrong" (and after MAX_PIN_TRIES in a
   * row "forgotten": the PIN is removed); "stale" when deviceSecret is not
   * the one the PIN was set with (the PIN is removed); "none" without a PIN.
   */
  async unlockWithPin(pin: string, deviceSecret: Uint8Array<ArrayBuffer>): Promise<PinResult> {
    const ring = await this.store.load();
    const w = ring?.pin;
    if (!ring || !w) return "none";
    if ((await tagOf(deviceSecret)) !== w.tag) {
      await this.forgetPin();
      return "stale";
    }
    const key = await this.unwrap({ ...w, salt: concat(deviceSecret, w.salt) }, utf8.encode(pin));
    if (!key) {
      if (w.failures + 1 >= MAX_PIN_TRIES) {
        await this.forgetPin();
        return "forgotten";
      }
      await this.store.save({ ...ring, pin: { ...w, failures: w.failures + 1 } });
      return "wrong";
    }
    if (w.failures) await this.store.save({ ...ring, pin: { ...w, failures: 0 } });
    this.setKey(key);
    return "ok";
  }

  /** lock drops the data key from memory. */
  lock(): void {
    if (this.key) this.setKey(null);
  }

  /** encrypt seals plain with the data key; aad binds it to where it is stored. */
  async encrypt(plain: Uint8Array<ArrayBuffer>, aad: string): Promise<{ iv: Uint8Array<ArrayBuffer>; ct: ArrayBuffer }> {
    const key = this.key;
    if (!key) throw new LockedError();
    const iv = randomBytes(12);
    return { iv, ct: await subtle().encrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(aad) }, key, plain) };
  }

  /** decrypt opens what encrypt sealed under the same aad. */
  async decrypt(iv: Uint8Array<ArrayBuffer>, ct: ArrayBuffer, aad: string): Promise<ArrayBuffer> {
    const key = this.key;
    if (!key) throw new LockedError();
    return subtle().decrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(aad) }, key, ct);
  }
}
