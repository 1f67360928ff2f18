// Names of the synced collections, for problems and messages.
export const es = {
  states: "Estado",
  reception_points: "Punto de recepción",
  nodess: "NODESS",
  returnees: "Persona",
  consents: "Consentimiento",
  referrals: "Canalización",
  case_notes: "Nota",
  returns: "Retorno",
  training_courses: "Curso",
  enrollments: "Inscripción",
  savings_groups: "Grupo de ahorro",
  group_members: "Integrante",
  ledger_entries: "Movimiento",
  outcomes: "Cómo va",
  cooperatives: "Cooperativa",
  cooperative_members: "Integrante de cooperativa",
};
