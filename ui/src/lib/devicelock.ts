// The lock of the device's copy (docs/DESIGN.md, "Threat model": lost and
// shared devices), part of the clients chunk: only a signed-in user needs it.
//
// - At a sign-in the password unlocks the copy's data key (sync/vault.ts),
//   or makes one; then the app offers a 6-digit PIN for the day-to-day unlock.
// - A restored session starts locked: the PIN (with the device secret of
//   this session, or fetched again with the token) or the password opens it,
//   offline too.
// - After LOCK_AFTER_MS without input the key is dropped and the lock screen
//   asks again; sync waits meanwhile (the sync bar says so).
// - When the server answers that the account was deactivated, the app says
//   so, with the unsent changes that are lost, and erases the device's
//   database, the device secret and the saved session.

import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import { ACCOUNT_DISABLED, type SyncClient } from "../sync/client";
import { fromBase64url, type PinResult } from "../sync/vault";

/**
 * LockMode is what the lock screen (routes/DeviceLock.svelte) asks instead of
 * any screen: "unlock" the device's copy (PIN or password), "protect" a copy
 * stored in clear by an older app (password), "pin_offer" to set a PIN after
 * a sign-in, or it tells that the account was "disabled" and the copy erased.
 */
export type LockMode = "unlock" | "protect" | "pin_offer" | "disabled";

/** LockState is the part of the session the lock writes (session.svelte.ts: not imported, so that this chunk shares no code with the main one). */
export interface LockState {
  /** what the lock screen asks; null while the app is open */
  lock: LockMode | null;
  /** "disabled": the unsent changes lost, and whether the erasure is done */
  lost: number;
  wiped: boolean;
}

/** LOCK_AFTER_MS without a touch, a key or a scroll locks the app. */
export const LOCK_AFTER_MS = 10 * 60_000;
// how often inactivity is checked (and when the page is shown again)
const CHECK_EVERY_MS = 15_000;
// session storage (gone when the app is closed): the device secret, base64url
const SECRET_KEY = "retorno_device_secret";
// local storage: the user said "not now" to the PIN on this device
const PIN_DECLINED = "retorno_pin_declined";

/** DeviceLock drives the vault of the app's sync client for the session. */
export class DeviceLock {
  /** lockAfterMs is LOCK_AFTER_MS; the console (or a test) may shorten it */
  lockAfterMs = LOCK_AFTER_MS;
  private lastInput = Date.now();
  private stopWatching: (() => void) | null = null;
  // the password of a sign-in that did not open the copy (changed on the server): it wraps the key once unlocked
  private newPassword: string | null = null;
  private wiping = false;

  constructor(
    private readonly pb: PocketBase,
    private readonly sync: SyncClient,
    private readonly session: LockState,
  ) {}

  private get vault() {
    return this.sync.vault!;
  }

  /**
   * open prepares the copy of record's user: with the password of a
   * sign-in, unlocked (made on the first sign-in, and whatever was stored in
   * clear encrypted), else locked (session.lock says what the screen asks).
   */
  async open(record: RecordModel, password?: string): Promise<void> {
    const mine = await this.vault.ownedBy(record.id);
    if (password === undefined) {
      this.session.lock = this.vault.unlocked && mine ? null : mine ? "unlock" : "protect";
      if (this.session.lock) void this.secret();
      return;
    }
    if (!mine) await this.vault.create(record.id, password);
    else if (this.vault.unlocked) {
      if (!(await this.vault.opensWith(password))) await this.vault.setPassword(password); // changed on the server
    } else if (!(await this.vault.unlockWithPassword(password))) {
      this.newPassword = password; // the PIN or the old password opens it, then this one wraps it
      this.session.lock = "unlock";
      return;
    }
    await this.unlocked();
    const offer = !(await this.vault.hasPin()) && localStorage.getItem(PIN_DECLINED) !== record.id && (await this.secret()) !== null;
    this.session.lock = offer ? "pin_offer" : null;
  }

  /** unlockWithPassword opens the copy with the account's password; false when it is not the one. */
  async unlockWithPassword(password: string): Promise<boolean> {
    if (!(await this.vault.unlockWithPassword(password))) return false;
    await this.unlocked();
    this.session.lock = null;
    return true;
  }

  /** unlockWithPin opens the copy with the PIN; "no_secret" when the device secret cannot be had (offline after a restart). */
  async unlockWithPin(pin: string): Promise<PinResult | "no_secret"> {
    const secret = await this.secret();
    if (!secret) return "no_secret";
    const result = await this.vault.unlockWithPin(pin, secret);
    if (result === "ok") {
      await this.unlocked();
      this.session.lock = null;
    }
    return result;
  }

  /**
   * protect encrypts a copy stored in clear by an older app, under the
   * password (typed twice); online, the server checks it first. False when
   * the server says it is not the account's password.
   */
  async protect(password: string): Promise<boolean> {
    const record = this.pb.authStore.record;
    if (!record) return false;
    if (navigator.onLine) {
      try {
        await this.pb.collection(record.collectionName).authWithPassword(String(record.email || record.login), password);
      } catch (err) {
        const e = err as { status?: number; response?: { code?: string } };
        if (e.response?.code === ACCOUNT_DISABLED) {
          await this.disabled();
          return false;
        }
        if (e.status === 400) return false; // offline or the server's trouble: the two typings decide
      }
    }
    await this.vault.create(record.id, password);
    await this.unlocked();
    this.session.lock = null;
    return true;
  }

  /** hasPin answers whether a PIN may unlock now: one is set, and the device secret is at hand or may be fetched. */
  async pinUsable(): Promise<boolean> {
    return (await this.vault.hasPin()) && (readSecret() !== null || navigator.onLine);
  }

  /** setPin makes pin unlock the copy (with this device's secret). */
  async setPin(pin: string): Promise<boolean> {
    const secret = await this.secret();
    if (!secret) return false;
    await this.vault.setPin(pin, secret);
    this.session.lock = null;
    return true;
  }

  /** declinePin leaves the password as the only unlock, and asks no more on this device. */
  declinePin(): void {
    const id = this.pb.authStore.record?.id;
    if (id) localStorage.setItem(PIN_DECLINED, id);
    this.session.lock = null;
  }

  /** lock drops the data key: the lock screen asks for the PIN or the password. */
  lock(): void {
    if (!this.vault.unlocked) return;
    this.vault.lock();
    this.session.lock = "unlock";
  }

  /** stop ends the inactivity watch (sign-out). */
  stop(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.vault.lock();
    this.session.lock = null;
  }

  // after every unlock: what was stored in clear is sealed, a new password wraps the key, the watch starts, sync resumes
  private async unlocked(): Promise<void> {
    await this.sync.sealAll();
    if (this.newPassword) {
      await this.vault.setPassword(this.newPassword);
      this.newPassword = null;
    }
    this.lastInput = Date.now();
    this.watch();
    void this.sync.syncNow();
  }

  private watch(): void {
    if (this.stopWatching || typeof window === "undefined") return;
    const input = () => (this.lastInput = Date.now());
    const check = () => {
      if (Date.now() - this.lastInput >= this.lockAfterMs) this.lock();
    };
    const events = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"];
    for (const e of events) window.addEventListener(e, input, { capture: true, passive: true });
    document.addEventListener("visibilitychange", check);
    const timer = setInterval(check, CHECK_EVERY_MS);
    this.stopWatching = () => {
      for (const e of events) window.removeEventListener(e, input, { capture: true });
      document.removeEventListener("visibilitychange", check);
      clearInterval(timer);
    };
  }

  /** secret is the device secret: this session's, or fetched with the token (online, active account). */
  private async secret(): Promise<Uint8Array<ArrayBuffer> | null> {
    const kept = readSecret();
    if (kept) return fromBase64url(kept);
    if (!navigator.onLine || !this.pb.authStore.token) return null;
    try {
      const answer = await this.pb.send<{ secret: string }>("/api/device-secret", { query: { client_id: await this.sync.clientId() } });
      sessionStorage.setItem(SECRET_KEY, answer.secret);
      return fromBase64url(answer.secret);
    } catch {
      return null; // offline, an expired token, a deactivated account (then afterSend erases the copy)
    }
  }

  /**
   * disabled handles the server's answer that the account was deactivated:
   * the lock screen says so with the changes that will never be sent, and
   * the device's database (records, queue, problems, kept claim codes, the
   * keyring), the device secret and the saved session are erased. A
   * deactivated account must not push: its unsent changes are lost.
   */
  async disabled(): Promise<void> {
    if (this.wiping) return;
    this.wiping = true;
    this.session.lost = await this.sync.unsentCount().catch(() => 0);
    this.session.lock = "disabled";
    this.stopWatching?.();
    this.stopWatching = null;
    this.pb.realtime.unsubscribe().catch(() => {});
    this.pb.authStore.clear();
    sessionStorage.removeItem(SECRET_KEY);
    localStorage.removeItem(PIN_DECLINED);
    await this.sync.destroy();
    this.session.wiped = true;
  }
}

function readSecret(): string | null {
  try {
    return sessionStorage.getItem(SECRET_KEY);
  } catch {
    return null;
  }
}
