// Package privacy carries out the rights of the person over their data
// (ARCO, under Mexico's data-protection law), the retention of what Retorno
// keeps only for a while, and the wording of consents by version. What each
// right means for the people Retorno serves, and why each period is what it
// is, is docs/PRIVACY.md.
//
//   - Access: GET /api/me/export answers a returnee account with all the
//     data kept about its person (export.go), gathered from the catalog:
//     every collection whose catalog.Rights say its records are about a
//     person and go with their export; a collection added with a relation
//     to returnees and no Rights fails catalog's guard test.
//   - Rectification: a returnee asks to correct a field they cannot edit
//     (rectification_requests); the field workers of their point or the
//     coordinator of the state approve (the change is saved on the person,
//     through their hooks, in the same transaction) or decline with a
//     reason (rectification.go).
//   - Cancellation: POST /api/returnees/{id}/erase, superusers only, with a
//     reason: every record about the person is deleted, ended or kept as
//     catalog.Rights.Erase says, the person's record becomes a blank shell,
//     and the sync engine's copies of their values are forgotten; devices
//     that held them evict them at their next pull (erase.go).
//   - Opposition: withdrawing a consent (hooks/returnee_children.go).
//   - Consent wording: each consent keeps the version of its purpose's
//     wording (consent_texts) it was asked with (consent_texts.go).
//   - Retention: nightly jobs delete or clear what is kept past its period
//     (retention.go).
package privacy
