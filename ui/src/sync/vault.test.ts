import { describe, expect, it } from "vitest";
import { LockedError, MAX_PIN_TRIES, MIN_ITERATIONS, Vault, fromBase64url, iterationsFor, type Keyring } from "./vault";

/** memoryVault is a vault whose keyring lives in memory (the app's lives in IndexedDB). */
function memoryVault(): { vault: Vault; ring: () => Keyring | undefined } {
  let ring: Keyring | undefined;
  const vault = new Vault(
    { load: async () => ring && structuredClone(ring), save: async (k) => void (ring = structuredClone(k)) },
    { iterations: 1000 },
  );
  return { vault, ring: () => ring };
}

const secret = fromBase64url("q1uXoCZ7Yk4mNwHcJ0r3bq9dV8sTzE2pLfA6gH5iKjQ");
const otherSecret = fromBase64url("Z1uXoCZ7Yk4mNwHcJ0r3bq9dV8sTzE2pLfA6gH5iKjQ");

async function roundTrip(vault: Vault): Promise<string> {
  const { iv, ct } = await vault.encrypt(new TextEncoder().encode("María José Pérez"), "retorno/records");
  return new TextDecoder().decode(await vault.decrypt(iv, ct, "retorno/records"));
}

describe("vault", () => {
  it("wraps a new data key with the password and unlocks with it, not with another", async () => {
    const { vault, ring } = memoryVault();
    await vault.create("staffworkera001", "retorno-demo");
    expect(vault.unlocked).toBe(true);
    const sealed = await vault.encrypt(new TextEncoder().encode("SABC560626MDFLRN01"), "retorno/records");
    expect(ring()?.user).toBe("staffworkera001");
    expect(JSON.stringify(ring())).not.toContain("retorno-demo");

    vault.lock();
    expect(vault.unlocked).toBe(false);
    expect(await vault.unlockWithPassword("otra-contraseña")).toBe(false);
    expect(vault.unlocked).toBe(false);
    expect(await vault.unlockWithPassword("retorno-demo")).toBe(true);
    // the same key came back: what was sealed before opens
    expect(new TextDecoder().decode(await vault.decrypt(sealed.iv, sealed.ct, "retorno/records"))).toBe("SABC560626MDFLRN01");
    expect(await roundTrip(vault)).toBe("María José Pérez");
  });

  it("drops the key on lock: nothing is sealed or opened until the next unlock", async () => {
    const { vault } = memoryVault();
    await vault.create("u", "pw");
    const sealed = await vault.encrypt(new Uint8Array([1, 2, 3]), "retorno/queue");
    const seen: boolean[] = [];
    vault.onChange((unlocked) => seen.push(unlocked));
    vault.lock();
    await expect(vault.encrypt(new Uint8Array([1]), "retorno/queue")).rejects.toBeInstanceOf(LockedError);
    await expect(vault.decrypt(sealed.iv, sealed.ct, "retorno/queue")).rejects.toBeInstanceOf(LockedError);
    expect(seen).toEqual([false]);
  });

  it("binds a sealed value to where it is stored", async () => {
    const { vault } = memoryVault();
    await vault.create("u", "pw");
    const { iv, ct } = await vault.encrypt(new Uint8Array([1, 2, 3]), "retorno/records");
    await expect(vault.decrypt(iv, ct, "retorno/queue")).rejects.toThrow();
  });

  it("unlocks with the PIN and the device secret; a wrong PIN counts, and too many forget the PIN", async () => {
    const { vault, ring } = memoryVault();
    await vault.create("u", "retorno-demo");
    await vault.setPin("482913", secret);
    expect(await vault.hasPin()).toBe(true);
    vault.lock();

    expect(await vault.unlockWithPin("000000", secret)).toBe("wrong");
    expect(ring()?.pin?.failures).toBe(1);
    expect(await vault.unlockWithPin("482913", secret)).toBe("ok");
    expect(ring()?.pin?.failures).toBe(0);
    expect(await roundTrip(vault)).toBe("María José Pérez");

    vault.lock();
    for (let i = 1; i < MAX_PIN_TRIES; i++) expect(await vault.unlockWithPin(String(100000 + i), secret)).toBe("wrong");
    expect(await vault.unlockWithPin("999999", secret)).toBe("forgotten");
    expect(await vault.hasPin()).toBe(false);
    expect(await vault.unlockWithPin("482913", secret)).toBe("none");
    expect(vault.unlocked).toBe(false);
    // the password still unlocks
    expect(await vault.unlockWithPassword("retorno-demo")).toBe(true);
  });

  it("does not take the PIN without the device secret it was set with", async () => {
    const { vault } = memoryVault();
    await vault.create("u", "pw");
    await vault.setPin("482913", secret);
    vault.lock();
    expect(await vault.unlockWithPin("482913", otherSecret)).toBe("stale");
    expect(vault.unlocked).toBe(false);
    expect(await vault.hasPin()).toBe(false); // a new secret (token key rotated) retires the PIN
  });

  it("wraps the key again with a new password, keeping what was sealed", async () => {
    const { vault } = memoryVault();
    await vault.create("u", "vieja-contraseña");
    const sealed = await vault.encrypt(new Uint8Array([7]), "retorno/meta");
    expect(await vault.opensWith("nueva-contraseña")).toBe(false);
    await vault.setPassword("nueva-contraseña");
    vault.lock();
    expect(await vault.unlockWithPassword("vieja-contraseña")).toBe(false);
    expect(await vault.unlockWithPassword("nueva-contraseña")).toBe(true);
    expect(new Uint8Array(await vault.decrypt(sealed.iv, sealed.ct, "retorno/meta"))).toEqual(new Uint8Array([7]));
  });

  it("measures PBKDF2 iterations, never fewer than the floor", async () => {
    expect(await iterationsFor(1)).toBe(MIN_ITERATIONS);
  });
});
