// English of ../sync.ts (t("sync.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../sync";

export const en: typeof es = {
  bar_label: "Sync status",
  offline: "Offline",
  online: "Online",
  pending: { one: "{count} pending change", other: "{count} pending changes" },
  all_synced: "All synced",
  downloading: { one: "Downloading: {count} record received", other: "Downloading: {count} records received" },
  last_sync: "Last sync: {when}",
  never: "Not synced yet",
  sync_now: "Sync",
  syncing: "Syncing…",
  problems_link: { one: "{count} problem", other: "{count} problems" },
  error_network: "Could not reach the server. Will retry.",
  error_server: "The server failed. Will retry.",
  error_unauthorized: "The session expired.",
  error_bad_request: "The server did not accept the upload.",
  error_unknown: "Sync failed.",
};
