package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Value is one value of an enumeration: its stored code and its labels in
// Spanish (es-MX, first) and English.
type Value struct {
	Code, ES, EN string
}

// Enum is the values of one choice field, in the order forms offer them.
// Migrations take the codes from here (never from a list of their own), and
// reports, exports, the demo and suggestions the labels: one label per value
// everywhere, the web app's included (its values catalog is generated from
// these, uilabels.go).
type Enum []Value

// Codes returns the enumeration's codes, in order.
func (e Enum) Codes() []string {
	out := make([]string, len(e))
	for i, v := range e {
		out[i] = v.Code
	}
	return out
}

// Label returns the Spanish label of code, or code itself if unknown.
func (e Enum) Label(code string) string { return e.LabelIn("es", code) }

// LabelIn returns the label of code in lang ("es" or "en"), or code itself
// if unknown.
func (e Enum) LabelIn(lang, code string) string {
	i := slices.IndexFunc(e, func(v Value) bool { return v.Code == code })
	switch {
	case i < 0:
		return code
	case lang == "en":
		return e[i].EN
	}
	return e[i].ES
}

// pick returns the values of e with the codes given, in that order; it
// panics, at start-up, on a code e does not have.
func (e Enum) pick(codes ...string) Enum {
	out := make(Enum, len(codes))
	for i, code := range codes {
		j := slices.IndexFunc(e, func(v Value) bool { return v.Code == code })
		if j < 0 {
			panic(fmt.Sprintf("catalog: no value %q to pick", code))
		}
		out[i] = e[j]
	}
	return out
}

// enum reads an enumeration from a table of one value a line, its code,
// Spanish label and English label separated by "|", in order. Blank lines
// are skipped; any other line without three cells panics, at start-up.
func enum(table string) Enum {
	var out Enum
	for line := range strings.Lines(table) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) != 3 {
			panic(fmt.Sprintf("catalog: enum line %q: want code | es | en", line))
		}
		out = append(out, Value{strings.TrimSpace(cells[0]), strings.TrimSpace(cells[1]), strings.TrimSpace(cells[2])})
	}
	return out
}

// Enumerations of reference data and people.
var (
	NodessRegions = enum(`
		frontera_norte   | Frontera norte   | Northern border
		norte            | Norte            | North
		centro_occidente | Centro-occidente | Center-west
		centro           | Centro           | Center
		sureste          | Sur-sureste      | South-southeast
	`)
	StaffRoles = enum(`
		field_worker | Personal de campo    | Field worker
		nodess_staff | Personal NODESS      | NODESS staff
		coordinator  | Coordinación estatal | State coordination
	`)
	Sexes = enum(`
		H | Hombre                         | Man
		M | Mujer                          | Woman
		X | No binario / prefiere no decir | Non-binary / prefers not to say
	`)
	ConsentPurposes = enum(`
		registration     | Registro y seguimiento        | Registration and follow-up
		share_nodess     | Compartir datos con un NODESS | Share data with a NODESS
		contact_whatsapp | Contacto por WhatsApp         | Contact by WhatsApp
		sensitive_data   | Datos sensibles               | Sensitive data
		contact_email    | Contacto por correo           | Contact by email
	`)
	ConsentMethods = enum(`
		verbal  | De palabra     | Verbally
		written | Por escrito    | In writing
		digital | En el teléfono | On the phone
	`)
	ReferralStatuses = enum(`
		pending  | Pendiente | Pending
		accepted | Aceptada  | Accepted
		rejected | Rechazada | Rejected
		attended | Atendida  | Attended
		closed   | Cerrada   | Closed
	`)
	ReferralServices = enum(`
		training      | Capacitación      | Training
		savings_group | Grupo de ahorro   | Savings group
		cooperative   | Cooperativa       | Cooperative
		employment    | Empleo            | Employment
		health        | Salud             | Health
		legal         | Asesoría legal    | Legal advice
		housing       | Vivienda          | Housing
		psychosocial  | Apoyo psicosocial | Psychosocial support
		documents     | Documentos        | Documents
		other         | Otro              | Other
	`)
	SectorsInUS = enum(`
		agriculture          | Agricultura              | Agriculture
		food_services        | Preparación de alimentos | Food services
		lodging              | Hotelería                | Lodging
		construction         | Construcción             | Construction
		gardening            | Jardinería               | Gardening
		health_personal_care | Salud y cuidado personal | Health and personal care
		manufacturing        | Manufactura              | Manufacturing
		transport            | Transporte               | Transport
		domestic_work        | Trabajo del hogar        | Domestic work
		commerce             | Comercio                 | Commerce
		other                | Otro                     | Other
	`)
	Needs = enum(`
		documents      | Documentos           | Documents
		shelter        | Albergue             | Shelter
		transport      | Transporte           | Transport
		employment     | Empleo               | Employment
		training       | Capacitación         | Training
		health         | Salud                | Health
		psychosocial   | Apoyo psicosocial    | Psychosocial support
		legal          | Asesoría legal       | Legal advice
		family_contact | Contacto con familia | Family contact
		financial      | Apoyo económico      | Financial support
	`)
	// ReceptionServices are the services a reception point delivers to a
	// person at one return (returns.services).
	ReceptionServices = enum(`
		constancia_repatriacion | Constancia de repatriación | Repatriation certificate
		curp                    | CURP                       | CURP
		birth_certificate       | Acta de nacimiento         | Birth certificate
		bienestar_card          | Tarjeta del Bienestar      | Bienestar card
		imss                    | Afiliación al IMSS         | IMSS enrollment
		transport               | Transporte                 | Transport
		shelter                 | Albergue                   | Shelter
		food                    | Alimentación               | Food
		medical_care            | Atención médica            | Medical care
		phone_call              | Llamada telefónica         | Phone call
		legal_advice            | Asesoría legal             | Legal advice
		consulate               | Consulado                  | Consulate
		job_placement           | Bolsa de trabajo           | Job placement
		other                   | Otro                       | Other
	`)
	Languages = enum(`
		es    | Español  | Spanish
		en    | Inglés   | English
		nah   | Náhuatl  | Nahuatl
		myn   | Maya     | Maya
		mix   | Mixteco  | Mixtec
		zap   | Zapoteco | Zapotec
		tzo   | Tsotsil  | Tsotsil
		tze   | Tseltal  | Tseltal
		oto   | Otomí    | Otomi
		other | Otro     | Other
	`)
)

// Enumerations of the rights of the person (package privacy).
var (
	// RectifiableFields are the fields of a person that they may ask to
	// rectify: those they cannot edit themselves and that describe them
	// (their phone, destination and skills they edit in the app; the
	// reception point and dates follow their returns).
	RectifiableFields = FieldLabels.pick("given_names", "first_surname", "second_surname",
		"birth_date", "sex", "curp", "birth_state", "sector_in_us", "years_in_us")
	RectificationStatuses = enum(`
		requested | Pedida    | Requested
		approved  | Aprobada  | Approved
		declined  | Rechazada | Declined
	`)
)

// Enumerations of training courses and savings groups.
var (
	// Themes are the paper's eight NODESS ecosystems.
	Themes = enum(`
		agro_livestock_fishing     | Agropecuario, pesca y extracción natural | Agriculture, fishing and natural extraction
		industry_energy_technology | Industria, energía y tecnología          | Industry, energy and technology
		capabilities_innovation    | Capacidades e innovación social          | Capabilities and social innovation
		solidarity_finance         | Finanzas solidarias                      | Solidarity finance
		tourism                    | Turismo                                  | Tourism
		health_care                | Salud y cuidados                         | Health and care
		art_culture                | Arte y cultura                           | Art and culture
		environment_sustainability | Medio ambiente y sustentabilidad         | Environment and sustainability
	`)
	Modalities = enum(`
		in_person | Presencial | In person
		online    | En línea   | Online
		hybrid    | Híbrido    | Hybrid
	`)
	CourseStatuses = enum(`
		draft     | Borrador               | Draft
		open      | Inscripciones abiertas | Open for enrollment
		closed    | Inscripciones cerradas | Enrollment closed
		cancelled | Cancelado              | Cancelled
	`)
	EnrollmentStatuses = enum(`
		requested  | Solicitud          | Request
		enrolled   | Inscrita           | Enrolled
		waitlisted | En lista de espera | Waitlisted
		completed  | Terminó            | Completed
		dropped    | Baja               | Dropped
	`)
	Methodologies = enum(`
		vsla | VSLA (ahorro y préstamo) | VSLA (savings and loans)
		silc | SILC (ahorro y préstamo) | SILC (savings and loans)
		caja | Caja de ahorro           | Savings bank
	`)
	GroupStatuses = enum(`
		forming | En formación | Forming
		active  | Activo       | Active
		closed  | Cerrado      | Closed
	`)
	MemberRoles = enum(`
		member        | Integrante       | Member
		president     | Presidencia      | President
		secretary     | Secretaría       | Secretary
		treasurer     | Tesorería        | Treasurer
		key_holder    | Guarda llaves    | Key holder
		money_counter | Cuenta el dinero | Money counter
	`)
	MemberStatuses = enum(`
		requested | Solicitud | Request
		active    | Activa    | Active
		left      | Salió     | Left
	`)
	EntryTypes = enum(`
		share_purchase     | Compra de acciones      | Share purchase
		social_fund        | Fondo social            | Social fund
		loan_disbursement  | Préstamo entregado      | Loan disbursement
		loan_repayment     | Pago de préstamo        | Loan repayment
		interest           | Interés                 | Interest
		fine               | Multa                   | Fine
		social_fund_payout | Apoyo del fondo social  | Social fund payout
		share_out          | Reparto de fin de ciclo | End-of-cycle share-out
		reversal           | Corrección              | Reversal
	`)
)

// Enumerations of the documents of a person.
var (
	// DocumentKinds are the kinds of the papers field workers photograph
	// (documents.kind). The identity documents among them never reach a
	// NODESS (IdentityDocumentKinds).
	DocumentKinds = enum(`
		constancia_repatriacion | Constancia de repatriación           | Repatriation certificate
		ine                     | Credencial para votar (INE)          | Voter ID card (INE)
		acta_nacimiento         | Acta de nacimiento                   | Birth certificate
		curp                    | CURP                                 | CURP
		certificate             | Certificado o constancia de estudios | Certificate of studies or training
		other                   | Otro documento                       | Other document
	`)
	// IdentityDocumentKinds are the kinds of DocumentKinds that identify
	// the person: read by the person, their field workers and coordinator,
	// never by a NODESS (whatever the person's consent).
	IdentityDocumentKinds = []string{"constancia_repatriacion", "ine", "acta_nacimiento", "curp"}
	// SharedDocumentKinds are the other kinds, which a NODESS the person
	// shares their data with (share_nodess) reads: an allow-list, so that a
	// kind added later stays with the person's own scope until it is named
	// here (a test checks that the two lists split DocumentKinds).
	SharedDocumentKinds = []string{"certificate", "other"}
)

// Enumerations of the server's own records.
var (
	AuditActions = enum(`
		create          | Alta                    | Create
		update          | Cambio                  | Update
		delete          | Baja                    | Delete
		merge           | Fusión                  | Merge
		check_duplicate | Búsqueda de duplicados  | Duplicate check
		export          | Descarga de datos       | Data export
		erase           | Borrado de la persona   | Erasure of the person
		rectify         | Rectificación           | Rectification
		view            | Consulta                | View
		deactivate      | Desactivación de cuenta | Account deactivated
		reactivate      | Reactivación de cuenta  | Account reactivated
	`)
	ConflictKinds = enum(`
		field_conflict    | Cambio de otra persona en el mismo dato | Same field changed by someone else
		deleted_on_server | Borrado en el servidor                  | Deleted on the server
		rejected          | Rechazado                               | Rejected
	`)
	DuplicateStatuses = enum(`
		open      | Por revisar             | To review
		merged    | Fusionados              | Merged
		dismissed | No son la misma persona | Not the same person
	`)
)

// Enumerations of what became of a referral, and of follow-ups.
var (
	// ReferralClosedReasons say why a referral was closed or rejected.
	ReferralClosedReasons = enum(`
		completed          | Se completó                 | Completed
		attended_elsewhere | La atendieron en otro lugar | Attended elsewhere
		not_reachable      | No se le pudo localizar     | Could not be reached
		declined           | La persona no quiso         | The person declined
		not_eligible       | No cumple los requisitos    | Not eligible
		other              | Otro                        | Other
	`)
	// ReferralOutcomes are what the person got from a referral.
	ReferralOutcomes = enum(`
		enrolled_course      | Se inscribió a un curso      | Enrolled in a course
		joined_savings_group | Se unió a un grupo de ahorro | Joined a savings group
		joined_cooperative   | Se unió a una cooperativa    | Joined a cooperative
		employed             | Consiguió empleo             | Found employment
		service_received     | Recibió el servicio          | Received the service
		no_show              | No se presentó               | Did not show up
		other                | Otro                         | Other
	`)
	// FollowUpKinds are how a NODESS follows a person up.
	FollowUpKinds = enum(`
		call    | Llamada | Call
		visit   | Visita  | Visit
		message | Mensaje | Message
		meeting | Reunión | Meeting
	`)
	// FollowUpStatuses: a follow-up is scheduled, then done, missed or
	// cancelled (a withdrawn share_nodess consent cancels it).
	FollowUpStatuses = enum(`
		scheduled | Programado  | Scheduled
		done      | Hecho       | Done
		missed    | No se logró | Missed
		cancelled | Cancelado   | Cancelled
	`)
)

// Enumerations of outcomes and migrant cooperatives.
var (
	// Employments are what a person lives on now (outcomes.employment).
	Employments = enum(`
		employed      | Con empleo         | Employed
		self_employed | Por su cuenta      | Self-employed
		cooperative   | En una cooperativa | In a cooperative
		unemployed    | Sin trabajo        | Unemployed
		studying      | Estudiando         | Studying
		other         | Otra situación     | Other
	`)
	// IncomeBands are monthly income bands in Mexican pesos, coarse on
	// purpose (a person answers them without papers); a person may leave
	// the band empty (prefers not to say).
	IncomeBands = enum(`
		none        | Sin ingresos         | No income
		under_5000  | Menos de $5,000      | Under $5,000
		5000_9999   | De $5,000 a $9,999   | $5,000 to $9,999
		10000_14999 | De $10,000 a $14,999 | $10,000 to $14,999
		15000_24999 | De $15,000 a $24,999 | $15,000 to $24,999
		25000_plus  | $25,000 o más        | $25,000 or more
	`)
	// OsseKinds are the forms of the social sector of the economy that the
	// Ley de la Economía Social y Solidaria lists (article 4: ejidos,
	// communities, workers' organisations, cooperative societies, companies
	// owned by their workers, and other forms of social organisation for
	// production, distribution and consumption), with the forms of the last
	// kind that INAES supports most (the paper's list).
	OsseKinds = enum(`
		social_group              | Grupo social                                | Social group
		producers_cooperative     | Sociedad cooperativa de producción          | Producers' cooperative society
		consumers_cooperative     | Sociedad cooperativa de consumo             | Consumers' cooperative society
		savings_loan_cooperative  | Sociedad cooperativa de ahorro y préstamo   | Savings and loan cooperative society
		ejido                     | Ejido                                       | Ejido
		community                 | Comunidad                                   | Agrarian community
		workers_organization      | Organización de trabajadores                | Workers' organisation
		workers_company           | Empresa de sus trabajadores                 | Worker-owned company
		rural_production_society  | Sociedad de producción rural                | Rural production society
		social_solidarity_society | Sociedad de solidaridad social              | Social solidarity society
		rural_interest_assoc      | Asociación rural de interés colectivo       | Rural association of collective interest
		ejido_union               | Unión de ejidos                             | Union of ejidos
		other                     | Otra forma de organización social           | Other form of social organisation
	`)
	// CooperativeStages are how far a cooperative has come, in order. A
	// social group has at least three members and a legally constituted
	// organisation at least five (MinMembers).
	CooperativeStages = enum(`
		idea                | Idea                         | Idea
		social_group        | Grupo social                 | Social group
		legally_constituted | Constituida legalmente       | Legally constituted
		inaes_requested     | Apoyo del INAES solicitado   | INAES support requested
		inaes_supported     | Con apoyo del INAES          | Supported by INAES
		inactive            | Inactiva                     | Inactive
	`)
	// CooperativeRoles are the roles of a cooperative's members: its
	// founder (who proposed the idea) and its councils' offices.
	CooperativeRoles = enum(`
		member     | Integrante              | Member
		founder    | Persona fundadora       | Founder
		president  | Presidencia             | President
		secretary  | Secretaría              | Secretary
		treasurer  | Tesorería               | Treasurer
		oversight  | Consejo de vigilancia   | Oversight council
	`)
)

// Enumerations of the notification outbox (package notify).
var (
	// NotificationChannels are how a message reaches a person: WhatsApp and
	// SMS go to their phone, email to their account's address.
	NotificationChannels = enum(`
		whatsapp | WhatsApp                 | WhatsApp
		sms      | SMS (mensaje de texto)   | SMS (text message)
		email    | Correo electrónico       | Email
	`)
	// NotificationStatuses: a notification is queued, then sending while a
	// worker holds it, then sent, failed (attempts spent, or the outcome of
	// an attempt unknown) or cancelled (the consent was withdrawn).
	NotificationStatuses = enum(`
		queued    | En cola            | Queued
		sending   | Enviándose         | Sending
		sent      | Enviado            | Sent
		failed    | No se pudo enviar  | Failed
		cancelled | Cancelado          | Cancelled
	`)
	// NotificationEvents are the events that send a person a message,
	// one template each (notification_templates holds their texts).
	NotificationEvents = enum(`
		referral_accepted  | Canalización aceptada          | Referral accepted
		seat_confirmed     | Lugar confirmado en un curso   | Course seat confirmed
		seat_promoted      | Lugar desde la lista de espera | Seat from the waitlist
		savings_receipt    | Recibo de la reunión de ahorro | Savings meeting receipt
		follow_up_reminder | Aviso de seguimiento           | Follow-up reminder
		claim_code         | Código para abrir tu cuenta    | Account claim code
	`)
	// MessageLanguages are the languages of the templates; a person gets
	// Spanish unless they speak English and not Spanish.
	MessageLanguages = enum(`
		es | Español | Spanish
		en | Inglés  | English
	`)
	// NotificationSenders are what hands a channel's messages on: the
	// server's log (no message leaves it), an HTTP gateway (WhatsApp Cloud
	// API, an SMS gateway) or PocketBase's mail settings.
	NotificationSenders = enum(`
		log  | Solo el registro del servidor | Server log only
		http | Pasarela HTTP                 | HTTP gateway
		mail | Correo de PocketBase          | PocketBase mail
	`)
	// WhatsAppModes are how the WhatsApp Cloud API gets a message: free
	// text (only within 24 hours of the person's last message to the
	// number) or a template approved by Meta with the same name and
	// named parameters.
	WhatsAppModes = enum(`
		text     | Texto libre                 | Free text
		template | Plantilla aprobada por Meta | Meta-approved template
	`)
)

// MinMembers is the number of members (active returnee members plus
// members who are not returnees) a cooperative needs at each stage: an OSSE
// is a social group of at least three people or a legally constituted
// organisation of at least five (the paper, after INAES). Stages not named
// need none.
var MinMembers = map[string]int{
	"social_group":        3,
	"legally_constituted": 5,
	"inaes_requested":     5,
	"inaes_supported":     5,
}
