package catalog

// FieldLabels are the labels of the fields of Retorno's collections, by
// field name (a name means the same in every collection that has it): the
// column headers of exports (package exports), in Spanish and English. A
// test fails when a field of a collection people export has none.
var FieldLabels = enum(`
	id                       | Identificador                     | ID
	created                  | Creado                            | Created
	updated                  | Actualizado                       | Updated
	name                     | Nombre                            | Name
	email                    | Correo electrónico                | Email
	curp_code                | Clave CURP                        | CURP code
	inegi_code               | Clave INEGI                       | INEGI code
	nodess_region            | Región NODESS                     | NODESS region
	city                     | Ciudad                            | City
	state                    | Estado                            | State
	states                   | Estados                           | States
	active                   | Activo                            | Active
	opened_on                | Abierto desde                     | Open since
	closed_on                | Cerrado desde                     | Closed since
	notes                    | Notas                             | Notes
	institution              | Institución                       | Institution
	region                   | Región                            | Region
	website                  | Sitio web                         | Website
	contact                  | Contacto                          | Contact
	role                     | Rol                               | Role
	reception_point          | Punto de recepción                | Reception point
	previous_point           | Punto de recepción anterior       | Previous reception point
	nodess                   | NODESS                            | NODESS
	given_names              | Nombre(s)                         | Given names
	first_surname            | Primer apellido                   | First surname
	second_surname           | Segundo apellido                  | Second surname
	first_surname_key        | Clave fonética del primer apellido | Phonetic key of the first surname
	second_surname_key       | Clave fonética del segundo apellido | Phonetic key of the second surname
	birth_date               | Fecha de nacimiento               | Birth date
	sex                      | Sexo                              | Sex
	curp                     | CURP                              | CURP
	curp_confirmed           | CURP confirmada con su documento  | CURP confirmed from the document
	birth_state              | Estado de nacimiento              | Birth state
	destination_state        | Estado de destino                 | Destination state
	destination_municipality | Municipio de destino              | Destination municipality
	repatriation_date        | Fecha de repatriación             | Repatriation date
	registered_at            | Hora del registro                 | Registered at
	registered_by            | Registrado por                    | Registered by
	phone                    | Teléfono                          | Phone
	languages                | Idiomas                           | Languages
	sector_in_us             | Sector en Estados Unidos          | Sector in the US
	years_in_us              | Años en Estados Unidos            | Years in the US
	skills                   | Habilidades y oficios             | Skills and trades
	needs                    | Necesidades                       | Needs
	services                 | Servicios dados                   | Services given
	identity_confirmed       | Identidad confirmada              | Identity confirmed
	nodess_consent           | Comparte datos con NODESS         | Shares data with NODESS
	referred_nodess          | NODESS a los que se canalizó      | NODESS referred to
	claimed                  | Cuenta reclamada                  | Account claimed
	claim_expires            | Vence el código de reclamo        | Claim code expires
	returnee                 | Persona                           | Person
	login                    | Usuario                           | Login
	purpose                  | Finalidad                         | Purpose
	granted                  | Otorgado                          | Granted
	notice_version           | Versión del aviso de privacidad   | Privacy notice version
	method                   | Forma                             | Method
	collected_by             | Recabado por                      | Collected by
	withdrawn_at             | Retirado el                       | Withdrawn on
	service                  | Servicio                          | Service
	status                   | Situación                         | Status
	referred_by              | Canalizado por                    | Referred by
	author                   | Autor                             | Author
	text                     | Texto                             | Text
	title                    | Título                            | Title
	description              | Descripción                       | Description
	theme                    | Ecosistema                        | Ecosystem
	modality                 | Modalidad                         | Modality
	municipality             | Municipio                         | Municipality
	capacity                 | Cupo                              | Capacity
	starts_on                | Inicio                            | Starts on
	ends_on                  | Fin                               | Ends on
	course                   | Curso                             | Course
	request_order            | Orden de solicitud                | Request order
	methodology              | Metodología                       | Methodology
	meeting_place            | Lugar de reunión                  | Meeting place
	cycle_start              | Inicio del ciclo                  | Cycle start
	cycle_end                | Fin del ciclo                     | Cycle end
	share_value_cents        | Valor de la acción (centavos)     | Share value (cents)
	min_shares               | Mínimo de acciones                | Minimum shares
	max_shares               | Máximo de acciones                | Maximum shares
	monthly_interest_bp      | Interés mensual (puntos base)     | Monthly interest (basis points)
	accepting_members        | Acepta integrantes                | Accepting members
	active_members           | Integrantes activas               | Active members
	group                    | Grupo de ahorro                   | Savings group
	joined_on                | Se unió el                        | Joined on
	member                   | Integrante                        | Member
	type                     | Tipo                              | Type
	shares                   | Acciones                          | Shares
	amount_cents             | Monto (centavos)                  | Amount (cents)
	meeting_date             | Fecha de la reunión               | Meeting date
	reverses                 | Cancela el movimiento             | Reverses
	note                     | Nota                              | Note
	recorded_by              | Registrado por                    | Recorded by
	return_event             | Retorno                           | Return
	granted_by               | Registrado por                    | Registered by
	reviewed                 | Revisado                          | Reviewed
	review_note              | Nota de revisión                  | Review note
	reviewed_by              | Revisado por                      | Reviewed by
	action                   | Acción                            | Action
	actor_collection         | Tipo de cuenta                    | Account type
	actor_id                 | Cuenta                            | Account
	collection_name          | Colección                         | Collection
	record_id                | Registro                          | Record
	fields                   | Campos                            | Fields
	kind                     | Clase                             | Kind
	client_id                | Dispositivo                       | Device
	mutation_id              | Cambio                            | Change
	auth_collection          | Tipo de cuenta                    | Account type
	auth_id                  | Cuenta                            | Account
	op                       | Operación                         | Operation
	base_rev                 | Versión de partida                | Base revision
	field                    | Dato                              | Field
	yours                    | Valor del dispositivo             | Device's value
	kept                     | Valor que quedó                   | Kept value
	lost                     | Valor reemplazado                 | Replaced value
	policy                   | Regla                             | Policy
	code                     | Código                            | Code
	message                  | Mensaje                           | Message
	details                  | Detalles                          | Details
	resolved                 | Resuelto                          | Resolved
	resolution_note          | Nota de resolución                | Resolution note
	candidate                | Posible duplicado                 | Possible duplicate
	score                    | Puntaje                           | Score
	reasons                  | Motivos                           | Reasons
	merged_from              | Fusionado desde                   | Merged from
	key                      | Clave del intento                 | Attempt key
	due_on                   | Fecha límite                      | Due on
	closed_reason            | Motivo de cierre                  | Closing reason
	outcome                  | Resultado                         | Outcome
	referral                 | Canalización                      | Referral
	done_on                  | Hecho el                          | Done on
	months                   | Meses de seguimiento              | Follow-up months
	referral_due_days        | Días para atender canalizaciones  | Days to act on a referral
	field_window_days        | Días de retornos en los teléfonos del punto | Days of returns on the point's phones
	recorded_on              | Fecha del registro                | Recorded on
	employment               | Situación laboral                 | Employment
	income_band              | Ingreso mensual                   | Monthly income
	in_savings_group         | En un grupo de ahorro             | In a savings group
	in_cooperative           | En una cooperativa                | In a cooperative
	still_at_destination     | Sigue en su destino               | Still at destination
	intends_to_migrate_again | Piensa volver a migrar            | Intends to migrate again
	stage                    | Etapa                             | Stage
	savings_group            | Grupo de ahorro de origen         | Seed savings group
	products                 | Productos o servicios             | Products or services
	founded_on               | Fundada el                        | Founded on
	other_members            | Integrantes no retornadas         | Members who are not returnees
	stage_reason             | Motivo de la etapa                | Reason for the stage
	cooperative              | Cooperativa                       | Cooperative
	member_name              | Nombre de la persona integrante   | Member's name
	channel                  | Medio                             | Channel
	template                 | Plantilla                         | Template
	language                 | Idioma                            | Language
	params                   | Datos del mensaje                 | Message data
	attempts                 | Intentos                          | Attempts
	next_attempt_at          | Próximo intento                   | Next attempt
	sent_at                  | Enviado el                        | Sent at
	error                    | Error                             | Error
	body                     | Texto del mensaje                 | Message text
	subject                  | Asunto del correo                 | Email subject
	phone_channel            | Medio para teléfonos              | Phone channel
	whatsapp_sender          | Envío de WhatsApp                 | WhatsApp sender
	whatsapp_url             | Dirección de la API de WhatsApp   | WhatsApp API URL
	whatsapp_mode            | Forma de los mensajes de WhatsApp | WhatsApp message mode
	sms_sender               | Envío de SMS                      | SMS sender
	sms_url                  | Dirección de la pasarela de SMS   | SMS gateway URL
	email_sender             | Envío de correo                   | Email sender
	max_attempts             | Máximo de intentos                | Maximum attempts
	retry_seconds            | Segundos antes del primer reintento | Seconds before the first retry
	text_version             | Versión del texto del consentimiento | Consent wording version
	version                  | Versión                           | Version
	text_es                  | Texto en español                  | Text in Spanish
	text_en                  | Texto en inglés                   | Text in English
	published_at             | Publicado el                      | Published on
	current_value            | Valor actual                      | Current value
	requested_value          | Valor pedido                      | Requested value
	reason                   | Motivo                            | Reason
	decided_by               | Decidido por                      | Decided by
	decision_reason          | Motivo de la decisión             | Reason for the decision
	decided_at               | Decidido el                       | Decided on
	erased_at                | Datos borrados el                 | Data erased on
	file                     | Archivo                           | File
	captured_at              | Tomado el                         | Captured at
	captured_by              | Tomado por                        | Captured by
	certificate_code         | Código de verificación            | Verification code
	completed_on             | Terminó el                        | Completed on
`)

// enums are every enumeration, for EnumOf.
func enums() []Enum {
	out := []Enum{ConflictKinds, DuplicateStatuses}
	for _, u := range UIEnums {
		out = append(out, u.Enum)
	}
	return out
}

// EnumOf returns the enumeration whose codes are exactly values (a select
// field's), to label the field's values.
func EnumOf(values []string) (Enum, bool) {
	for _, e := range enums() {
		codes := e.Codes()
		if len(codes) != len(values) {
			continue
		}
		same := true
		for i := range codes {
			same = same && codes[i] == values[i]
		}
		if same {
			return e, true
		}
	}
	return nil, false
}
