// The journey report's steps, in order: the server's reports.Steps (a Go
// test, reports/journey_ui_test.go, checks that they are the same).
export const STEPS = [
  "registered", "referred", "accepted", "attended", "enrolled", "completed_course", "savings_member", "cooperative_member", "employed",
] as const;
