// English of ../common.ts (t("common.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../common";

export const en: typeof es = {
  app_name: "Retorno",
  skip_to_content: "Skip to content",
  main_nav: "Main navigation",
  home: "Home",
  language: "Language",
  switch_language: "Español",
  switch_language_label: "Switch the language to Spanish",
  sign_out: "Sign out",
  admin_panel: "Admin dashboard",
  loading: "Loading…",
  not_found: "We could not find this page.",
  back_home: "Back to home",
  cancel: "Cancel",
  close: "Close",
  save: "Save",
  coming_soon: "This section is under construction.",
  role_field_worker: "Field worker",
  role_nodess_staff: "NODESS staff",
  role_coordinator: "State coordination",
  role_returnee: "Returnee",
  role_superuser: "National administration",
  superuser_home: "Manage catalogs, accounts and sync conflicts in the PocketBase dashboard.",
  signed_in_as: "Signed in as {name}",
};
