// Package notify sends people messages about what happened to them: the
// notification outbox (docs/DESIGN.md, "Messages to people"; configuration
// in docs/OPERATIONS.md, "Messages").
//
// # The outbox
//
// A notifications record is one message to one person by one channel
// (whatsapp, sms, email): the event's template and language, the values of
// its placeholders (params), its status (queued, sending, sent, failed,
// cancelled), attempts, the time of its next attempt, when it was sent, the
// last error and the text as it went out. Model hooks queue it in the
// transaction of the event that causes it, after the event's row is written
// (hookorder.Notifications), so REST, batch, a device's sync push, the
// dashboard and Go code queue alike, and a write that fails or a sync
// mutation that is refused queues nothing:
//
//   - referral_accepted: a referral moves to accepted;
//   - seat_confirmed: an enrollment becomes enrolled, from a request or on
//     creation; seat_promoted: from the waitlist (package seats gives the
//     freed seat in the same transaction); one of them per enrollment;
//   - savings_receipt: a ledger entry of a member; one per member and
//     meeting date, with their shares, savings and loan owed at the
//     meeting's close (savings.Ledger.AccountAt). It waits
//     Config.ReceiptDelay, and each later entry of that member and meeting
//     refreshes its values and time while it waits, so the receipt carries
//     the whole meeting;
//   - follow_up_reminder: a scheduled follow-up due within
//     Config.ReminderDays, queued by a daily cron job (RemindFollowUps);
//     a follow-up done, missed, cancelled or moved before its reminder left
//     cancels it;
//   - claim_code: a new claim code (claim_expires set by package claim), or
//     a contact consent of a person whose code is live (a device pushes a
//     registration before its consents).
//
// dedupe_key (hidden, unique) is the event and the channel: an event queues
// one message per channel, ever, however often it is written (a retried
// push, two devices accepting one referral offline).
//
// # Consent and channels
//
// A message goes only by a channel the person consented to and has an
// address for: their phone (by WhatsApp or SMS, whichever
// notification_settings names) with a granted, not withdrawn
// contact_whatsapp consent, whose notice is about being written to on the
// phone they gave; the email of their account with a contact_email consent
// (a purpose of its own: consent is per purpose, and agreeing to WhatsApp
// is not agreeing to mail). Without either, nothing is queued. A
// withdrawal, or a superuser's delete of the consent, cancels the queued
// messages of its channels in its transaction; a message already handed to
// its sender is not called back. The worker checks the consent again before
// each attempt. A superuser's message to a person without the consent, or
// without an address, is refused (no_consent, no_address on channel).
//
// # The claim code
//
// The server never has a claim code: the device draws it and sends a hash,
// which the server keeps only as an HMAC under a key outside the database
// (package claim). A message cannot carry the code without the server
// holding it, and a stored message with a code would let anyone with the
// database open every unclaimed account. So claim_code says that a code
// was given, until when it works and where to use it: a reminder to the
// person who holds it, a warning to one who did not ask for it.
//
// # Sending, at most once
//
// The worker (Deliver; started with the serve command, every
// Config.Interval and whenever a message is queued) takes at most
// Config.Batch due messages a round. It claims each with one UPDATE ...
// SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status =
// 'queued': SQLite's single writer lets one worker win, so two workers
// never send one message. The attempt's outcome is written at once: sent;
// queued again after retry_seconds × 2^(attempts−1) (at most a day); failed
// when attempts reach max_attempts, or at once when a retry would meet the
// same refusal (ErrRejected: a 4xx answer, no address) or when the outcome
// is unknown (ErrOutcomeUnknown: the gateway took the request and gave no
// answer); cancelled if the consent no longer holds.
//
// A crash between the send and the mark leaves a message sending. One
// found sending for longer than Config.Lease is marked failed, never sent
// again: it may have left, and a duplicate (a balance sent twice, a
// reminder twice) is worse than a message a superuser sees failed and may
// queue again in the dashboard. The HTTP sender retries only what surely
// did not leave: a connection that was never made, or a 408, 429 or 5xx
// answer.
//
// # Senders
//
// Each channel's sender is set in notification_settings: the log (the
// default: the message goes to the server's log and nowhere else),
// PocketBase's mailer for email, or an HTTP gateway for WhatsApp (the Cloud
// API, as free text or as Meta-approved templates named after the events,
// with named parameters) and SMS (a gateway that takes {"to", "text"}).
//
// # Templates
//
// notification_templates holds each event's text in Spanish (es-MX, tú)
// and English, seeded from catalog.MessageTemplates and edited by
// superusers. A person gets English if they speak it and not Spanish, else
// Spanish (the data model keeps the languages a person speaks, not a
// preferred one). Values are cut to their lengths in
// catalog.MessageParams; SMS sends accented vowels as plain ones (SMSText),
// so Spanish stays in GSM-7; and a template that would take more than two
// segments with every value at its longest (306 GSM-7 characters, 134 in
// UCS-2) is refused on save (sms_too_long).
//
// # Who reads them
//
// Notifications are not synced: the queue is the server's, no device
// writes or sends one, a copy on every device of the person's point would
// be more personal data on more phones for nothing the offline app needs,
// and the web app reads a person's messages online. The person reads their
// own; the field workers of the person's points and the coordinator of
// their state read what was sent, field workers no savings receipts (they
// do not read ledgers); NODESS staff none. Only superusers write them.
package notify
