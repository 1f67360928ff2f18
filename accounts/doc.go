// Package accounts switches staff accounts off and on, and gives devices the
// secret their PIN unlock needs: the server's half of lost and shared devices
// (docs/DESIGN.md, "Threat model").
//
// # Deactivation
//
// A staff account has active (pb_migrations/1764201790_staff_active.go); every
// new account is created active, whatever the request says. A superuser
// switches any account off or on (the dashboard, REST, Go); a coordinator
// those their import could have created: field workers of their state's
// reception points and NODESS staff of nodes whose states are all theirs,
// never coordinators and never their own account (the staff update rule),
// and only that field (a model hook answers not_editable for any other, and
// own_account for their own). Each switch leaves an audit_log entry,
// deactivate or reactivate, in the write's transaction.
//
// While an account is off:
//   - every request that carries one of its tokens is answered 401 with
//     {"code": "account_disabled"}, before any handler: REST, batch, realtime
//     subscriptions, the sync push and pull, the custom routes and the static
//     files alike (a router middleware right after PocketBase loads the token);
//   - its realtime connections are closed at once (a connection's messages
//     were authorised when it subscribed);
//   - its sign-in with the right password is refused 403 with the same code
//     (a wrong password is refused as any other: whether an account exists or
//     is off is told only to who knows its password).
//
// The token stays valid while the account is off, on purpose: a device must
// tell "you were deactivated" (erase the copy, unsent changes included: a
// disabled account must not push) from "your session expired" (sign in again,
// keep everything), and a rotated token key would answer both alike. When the
// account is switched on again its token key is rotated, so that no token
// issued before (a lost phone's) works again: its owner signs in anew.
//
// # The device secret
//
// GET /api/device-secret?client_id=... answers the secret with which a
// device's PIN wraps its data key: an HMAC of the account's token key and the
// device's client_id, so the server stores nothing, the secret of a device
// is not that of another, and it changes when the token key does (a new
// password, a reactivation), which retires every PIN at once. A device keeps
// it in session storage only; after the app is closed it fetches it again
// with its token, which a disabled account's token cannot do: then only the
// password unlocks the copy on the phone.
package accounts
