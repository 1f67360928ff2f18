// Messages of the state coordinator's screens (src/routes/coordinator/): keys are t("coordinator.<key>").
export const es = {
  grants_title: "Personas abiertas por un nuevo retorno",
  grants_intro: "Un punto de tu estado registró un nuevo retorno de alguien que se había registrado en otro punto, y ahora ve su expediente. Revisa que cada caso tenga sentido.",
  grants_show_reviewed: "Mostrar también los revisados",
  grants_offline: "No se pudo cargar la lista: se necesita conexión.",
  grants_none: "No hay casos por revisar.",
  grants_by: "Registrado por {worker} en {point}, {when}",
  grants_confirmed: "Identidad confirmada con la persona",
  grants_at_sync: "Reconocida por su CURP al sincronizar",
  grants_reviewed: "Revisado",
  grants_note: "Nota de revisión (opcional)",
  grants_mark: "Marcar como revisado",
};
