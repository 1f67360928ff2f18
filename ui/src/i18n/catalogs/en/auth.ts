// English of ../auth.ts (t("auth.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../auth";

export const en: typeof es = {
  title: "Sign in",
  staff_tab: "Staff",
  returnee_tab: "Returnee",
  email: "Email",
  login: "CURP, phone or email",
  login_hint: "The one you used to activate your account.",
  password: "Password",
  submit: "Sign in",
  submitting: "Signing in…",
  failed: "The user or the password is wrong.",
  too_many: "Too many attempts from this network. Wait a minute and try again.",
  offline: "Offline: the first sign-in needs the internet.",
  claim_link: "Got a code? Activate your account",
  reauth: "Your session expired. Sign in again to sync; your changes are still saved on this phone.",
  reauth_link: "Sign in again",
  signout_title: "Sign out?",
  signout_unpushed: {
    one: "{count} change has not reached the server. Signing out now loses it. Go online and sync first.",
    other: "{count} changes have not reached the server. Signing out now loses them. Go online and sync first.",
  },
  signout_clean: "The data downloaded to this phone will be erased.",
  signout_anyway: "Sign out and lose the changes",
  signout_confirm: "Sign out",
};
