// Names of the synced collections, for problems and messages.
export const es = {
  states: "Estado",
  reception_points: "Punto de recepción",
  nodess: "NODESS",
  returnees: "Persona",
  consents: "Consentimiento",
  referrals: "Canalización",
  case_notes: "Nota",
  training_courses: "Curso",
  enrollments: "Inscripción",
  savings_groups: "Grupo de ahorro",
  group_members: "Integrante",
  ledger_entries: "Movimiento",
};

export const en: typeof es = {
  states: "State",
  reception_points: "Reception point",
  nodess: "NODESS",
  returnees: "Person",
  consents: "Consent",
  referrals: "Referral",
  case_notes: "Note",
  training_courses: "Course",
  enrollments: "Enrollment",
  savings_groups: "Savings group",
  group_members: "Member",
  ledger_entries: "Ledger entry",
};
