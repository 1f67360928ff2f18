package catalog

// ReceptionServices are the services a reception point delivers to a person
// at one return (returns.services), in the order the form offers them.
var ReceptionServices = Enum{
	{"constancia_repatriacion", "Constancia de repatriación", "Repatriation certificate"},
	{"curp", "CURP", "CURP"},
	{"birth_certificate", "Acta de nacimiento", "Birth certificate"},
	{"bienestar_card", "Tarjeta del Bienestar", "Bienestar card"},
	{"imss", "Afiliación al IMSS", "IMSS enrollment"},
	{"transport", "Transporte", "Transport"},
	{"shelter", "Albergue", "Shelter"},
	{"food", "Alimentación", "Food"},
	{"medical_care", "Atención médica", "Medical care"},
	{"phone_call", "Llamada telefónica", "Phone call"},
	{"legal_advice", "Asesoría legal", "Legal advice"},
	{"consulate", "Consulado", "Consulate"},
	{"job_placement", "Bolsa de trabajo", "Job placement"},
	{"other", "Otro", "Other"},
}
