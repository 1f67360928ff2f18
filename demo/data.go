package demo

// Static tables the demo draws from. Figures are from the paper in
// ../shared/seed (Lara-Escamilla et al., 2024); names, institutions and
// places are plausible but invented sample content.

// originWeights is Table 2 of the paper: the Mexican population in the
// United States by state of origin (2022 consular registrations), keyed by
// CURP state code. Returnees' birth states are drawn in these proportions.
var originWeights = map[string]int{
	"MN": 54279, "JC": 36239, "ZS": 18306, "CH": 13324, "QT": 6858, "TL": 4017, "QR": 506,
	"GR": 53116, "VZ": 32243, "HG": 17669, "MS": 11422, "NT": 6218, "TC": 3006, "BS": 283,
	"OC": 46551, "MC": 31063, "TS": 16007, "NL": 10212, "BC": 5874, "CM": 2691, "GT": 43856,
	"DF": 28324, "CS": 15366, "SL": 8908, "AS": 5494, "YN": 1675, "PL": 43750, "SP": 21338,
	"DG": 13415, "CL": 8130, "SR": 5298, "CC": 1109,
}

// pointWeights says how often each active reception point of Baja
// California, Sonora and Tamaulipas receives people, by point name.
var pointWeights = map[string]int{
	"Tijuana (El Chaparral)":    25,
	"Mexicali":                  10,
	"Nogales (DeConcini)":       20,
	"San Luis Río Colorado":     8,
	"Matamoros (Puerta México)": 12,
	"Reynosa":                   12,
	"Nuevo Laredo":              13,
}

// seededStates are the border states whose reception points get field
// workers and coordinators.
var seededStates = []string{"BC", "SR", "TS"}

// nodeTemplates are the sample NODESS: each covers every state of its
// region and has a home state, where its institution is and where its
// first course and savings group take place.
var nodeTemplates = []struct {
	Slug, Region, Home, Name, Institution string
}{
	{"unison", "frontera_norte", "SR", "NODESS Universidad de Sonora – Economía Social Fronteriza", "Universidad de Sonora"},
	{"uabc", "frontera_norte", "BC", "NODESS Tijuana – Red de Economía Solidaria del Noroeste", "Universidad Autónoma de Baja California"},
	{"uat", "norte", "TS", "NODESS Universidad Autónoma de Tamaulipas – Cooperativismo y Retorno", "Universidad Autónoma de Tamaulipas"},
	{"umsnh", "centro_occidente", "MN", "NODESS Universidad Michoacana – Economía Solidaria y Migración", "Universidad Michoacana de San Nicolás de Hidalgo"},
	{"udg", "centro_occidente", "JC", "NODESS Universidad de Guadalajara – Cooperativas del Occidente", "Universidad de Guadalajara"},
	{"uaz", "centro_occidente", "ZS", "NODESS Universidad Autónoma de Zacatecas – Remesas y Desarrollo Comunitario", "Universidad Autónoma de Zacatecas"},
	{"uagro", "centro", "GR", "NODESS Universidad Autónoma de Guerrero – Economía Solidaria", "Universidad Autónoma de Guerrero"},
	{"buap", "centro", "PL", "NODESS Benemérita Universidad Autónoma de Puebla – Finanzas Solidarias", "Benemérita Universidad Autónoma de Puebla"},
	{"uabjo", "sureste", "OC", "NODESS Universidad Autónoma Benito Juárez de Oaxaca – Comunalidad y Economía Social", "Universidad Autónoma Benito Juárez de Oaxaca"},
	{"unach", "sureste", "CS", "NODESS Universidad Autónoma de Chiapas – Economía Social del Sureste", "Universidad Autónoma de Chiapas"},
}

// municipalities are a few municipalities of each state, by CURP code.
var municipalities = map[string][]string{
	"AS": {"Aguascalientes", "Calvillo", "Jesús María"},
	"BC": {"Tijuana", "Mexicali", "Ensenada"},
	"BS": {"La Paz", "Los Cabos", "Comondú"},
	"CC": {"Campeche", "Carmen", "Champotón"},
	"CL": {"Saltillo", "Torreón", "Piedras Negras"},
	"CM": {"Colima", "Manzanillo", "Tecomán"},
	"CS": {"Tuxtla Gutiérrez", "Tapachula", "San Cristóbal de las Casas", "Comitán de Domínguez"},
	"CH": {"Chihuahua", "Juárez", "Cuauhtémoc"},
	"DF": {"Iztapalapa", "Gustavo A. Madero", "Tlalpan"},
	"DG": {"Durango", "Gómez Palacio", "Santiago Papasquiaro"},
	"GT": {"León", "Irapuato", "Celaya", "Dolores Hidalgo"},
	"GR": {"Chilpancingo de los Bravo", "Acapulco de Juárez", "Iguala de la Independencia", "Tlapa de Comonfort"},
	"HG": {"Pachuca de Soto", "Ixmiquilpan", "Tulancingo de Bravo"},
	"JC": {"Guadalajara", "Zapopan", "Tepatitlán de Morelos", "Ameca"},
	"MC": {"Ecatepec de Morelos", "Toluca", "Tejupilco", "Nezahualcóyotl"},
	"MN": {"Morelia", "Uruapan", "Zamora", "Apatzingán", "Zitácuaro"},
	"MS": {"Cuernavaca", "Cuautla", "Jojutla"},
	"NT": {"Tepic", "Santiago Ixcuintla", "Compostela"},
	"NL": {"Monterrey", "Guadalupe", "Apodaca"},
	"OC": {"Oaxaca de Juárez", "Juchitán de Zaragoza", "Santiago Pinotepa Nacional", "Heroica Ciudad de Tlaxiaco"},
	"PL": {"Puebla", "Tehuacán", "Atlixco", "Izúcar de Matamoros"},
	"QT": {"Querétaro", "San Juan del Río", "Jalpan de Serra"},
	"QR": {"Benito Juárez", "Othón P. Blanco", "Felipe Carrillo Puerto"},
	"SP": {"San Luis Potosí", "Ciudad Valles", "Matehuala"},
	"SL": {"Culiacán", "Mazatlán", "Ahome"},
	"SR": {"Hermosillo", "Nogales", "Cajeme"},
	"TC": {"Centro", "Cárdenas", "Comalcalco"},
	"TS": {"Matamoros", "Reynosa", "Nuevo Laredo", "Victoria"},
	"TL": {"Tlaxcala", "Apizaco", "Huamantla"},
	"VZ": {"Xalapa", "Veracruz", "Papantla", "Córdoba"},
	"YN": {"Mérida", "Valladolid", "Tizimín"},
	"ZS": {"Zacatecas", "Fresnillo", "Jerez", "Guadalupe"},
}

// indigenousLanguages are languages spoken in a state besides Spanish
// (codes of catalog.Languages).
var indigenousLanguages = map[string][]string{
	"GR": {"nah", "mix"}, "OC": {"zap", "mix"}, "CS": {"tzo", "tze"},
	"PL": {"nah"}, "VZ": {"nah"}, "HG": {"nah", "oto"}, "SP": {"nah"},
	"YN": {"myn"}, "QR": {"myn"}, "CC": {"myn"}, "MC": {"oto"}, "QT": {"oto"},
}

var (
	maleNames = []string{"José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Francisco", "Pedro",
		"Antonio", "Alejandro", "Fernando", "Ramón", "Rafael", "Sergio", "Óscar", "Raúl", "Héctor",
		"Víctor", "Jorge", "Arturo", "Manuel", "Ricardo", "Eduardo", "Martín", "Gerardo", "Alfredo",
		"Enrique", "Roberto", "Daniel", "Rubén", "Efraín", "Joaquín", "Adrián", "Iván", "Noé", "Abraham",
		"Ángel", "Julián", "Tomás", "Cuauhtémoc"}
	femaleNames = []string{"María", "Guadalupe", "Rosa", "Ana", "Juana", "Margarita", "Verónica",
		"Leticia", "Alejandra", "Patricia", "Elizabeth", "Gabriela", "Adriana", "Claudia", "Araceli",
		"Yolanda", "Silvia", "Sofía", "Itzel", "Xóchitl", "Daniela", "Fernanda", "Mónica", "Lucía",
		"Beatriz", "Isabel", "Teresa", "Martha", "Norma", "Brenda", "Karina", "Érika", "Inés", "Dulce",
		"Rocío", "Marisol", "Citlali"}
	neutralNames = []string{"Guadalupe", "Cruz", "Trinidad", "Refugio", "Rosario", "Alexis", "Ariel", "Sasha"}
	surnames     = []string{"Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
		"Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez",
		"Torres", "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo",
		"Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera",
		"Medina", "Castro", "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "Salazar", "Contreras",
		"Luna", "Ortega", "Santiago", "Bautista", "Estrada", "Cortés", "Ibáñez", "Núñez", "Ávila",
		"Xochihua", "Tepole", "Uc", "Pech"}
)

// sectorWeights are the sectors where returnees worked in the United
// States; the paper names the first six.
var sectorWeights = map[string]int{
	"agriculture": 25, "construction": 22, "food_services": 15, "gardening": 8, "lodging": 6,
	"health_personal_care": 4, "manufacturing": 8, "transport": 4, "domestic_work": 4,
	"commerce": 3, "other": 1,
}

// skillsBySector are skills people bring back, by sector in the US.
var skillsBySector = map[string][]string{
	"agriculture":          {"cosecha de fresa", "manejo de tractor", "riego por goteo", "empaque de hortalizas", "poda de árboles frutales"},
	"food_services":        {"cocina", "preparación de alimentos", "parrilla", "panadería", "atención en restaurante"},
	"lodging":              {"limpieza de habitaciones", "lavandería", "mantenimiento de hotel", "recepción de huéspedes"},
	"construction":         {"albañilería", "tablaroca (drywall)", "techado", "pintura", "plomería", "electricidad", "carpintería"},
	"gardening":            {"jardinería", "paisajismo", "manejo de podadora", "sistemas de riego"},
	"health_personal_care": {"cuidado de personas mayores", "estética y corte de cabello", "auxiliar de enfermería"},
	"manufacturing":        {"operación de montacargas", "soldadura", "ensamble", "control de calidad"},
	"transport":            {"licencia de chofer", "reparto", "mecánica automotriz"},
	"domestic_work":        {"limpieza del hogar", "cuidado de niños", "cocina"},
	"commerce":             {"ventas", "manejo de caja", "atención al cliente"},
	"other":                {"manejo de computadora", "fotografía"},
}

var needWeights = map[string]int{
	"documents": 30, "employment": 30, "transport": 20, "shelter": 12, "training": 15,
	"family_contact": 15, "health": 8, "psychosocial": 8, "legal": 5, "financial": 10,
}

var serviceWeights = map[string]int{
	"training": 25, "employment": 20, "savings_group": 15, "cooperative": 10, "documents": 8,
	"health": 6, "legal": 5, "psychosocial": 5, "housing": 4, "other": 2,
}

// serviceLabels name each referral service in Spanish, for notes.
var serviceLabels = map[string]string{
	"training": "capacitación", "employment": "empleo", "savings_group": "grupo de ahorro",
	"cooperative": "cooperativa", "documents": "trámite de documentos", "health": "atención de salud",
	"legal": "asesoría legal", "psychosocial": "apoyo psicosocial", "housing": "vivienda", "other": "orientación",
}

// sectorLabels name each sector in Spanish, for notes.
var sectorLabels = map[string]string{
	"agriculture": "el campo", "construction": "la construcción", "food_services": "restaurantes",
	"gardening": "jardinería", "lodging": "hotelería", "health_personal_care": "cuidados",
	"manufacturing": "fábricas", "transport": "transporte", "domestic_work": "trabajo del hogar",
	"commerce": "comercio", "other": "cualquier oficio",
}

// caseNoteTemplates are case notes; {destino} is where the person is going,
// {sector} where they worked in the US.
var caseNoteTemplates = []string{
	"Llegó sin identificación; se le orientó para tramitar su acta de nacimiento y su CURP en línea.",
	"Se comunicó con su familia en {destino}; le esperan esta semana.",
	"Recibió kit de higiene y alimento; pasó la noche en el albergue.",
	"Se le entregó la constancia de recepción. Busca trabajo en {sector}.",
	"Expresa interés en formar una cooperativa con otras personas retornadas en {destino}.",
	"Requiere atención médica por una lesión en el pie; se canalizó al centro de salud.",
	"Tiene hijos en Estados Unidos; se le informó sobre la protección consular.",
	"Se le dio boleto de autobús a {destino}.",
	"Pregunta cómo recuperar sus ahorros de una cuenta en Estados Unidos; se le explicó el trámite.",
	"Trae certificados de trabajo en {sector}; quiere que se los reconozcan.",
}

var referralNotes = map[string]string{
	"pending":  "Canalización para %s.",
	"accepted": "El NODESS confirmó que puede recibir a la persona.",
	"rejected": "Sin cupo por ahora; se sugirió otra opción.",
	"attended": "Asistió a la primera sesión.",
	"closed":   "Concluyó el acompañamiento.",
}

// referralOutcomes weight how far a referral has moved.
var referralOutcomes = map[string]int{"pending": 30, "accepted": 20, "rejected": 10, "attended": 20, "closed": 20}

// courseTitles are course titles per theme (catalog.Themes).
var courseTitles = map[string][]string{
	"agro_livestock_fishing":     {"Producción de hortalizas de traspatio", "Cooperativas agrícolas: organización y venta", "Apicultura para principiantes", "Acuacultura de tilapia a pequeña escala"},
	"industry_energy_technology": {"Instalación de paneles solares comunitarios", "Carpintería: taller cooperativo", "Reparación de celulares y computadoras", "Herrería y soldadura"},
	"capabilities_innovation":    {"Cómo formar una cooperativa", "Plan de negocios para emprendimientos sociales", "Inglés para el trabajo: certificación de competencias", "Habilidades digitales para el empleo"},
	"solidarity_finance":         {"Educación financiera y remesas", "Cómo funciona un grupo de ahorro", "Contabilidad básica para cooperativas"},
	"tourism":                    {"Turismo comunitario y guías locales", "Gastronomía tradicional para el turismo", "Hospedaje rural: atención al visitante"},
	"health_care":                {"Cuidado de personas mayores", "Primeros auxilios comunitarios", "Cooperativas de cuidados"},
	"art_culture":                {"Artesanía textil y comercialización", "Alfarería tradicional", "Gestión cultural comunitaria"},
	"environment_sustainability": {"Agroecología y composta", "Captación de agua de lluvia", "Construcción con adobe y materiales locales", "Manejo de residuos y reciclaje"},
}

var modalityWeights = map[string]int{"in_person": 60, "hybrid": 25, "online": 15}

var groupNames = []string{"Raíces", "Nuevo Comienzo", "Regreso a Casa", "Manos Unidas", "Sembrando Futuro",
	"Mujeres que Regresan", "El Retorno", "Tequio", "La Esperanza", "Juntos Avanzamos", "Tierra Nuestra", "Mano Vuelta"}

var meetingPlaces = []string{"Salón de usos múltiples de %s", "Casa de la cultura de %s", "Auditorio ejidal de %s", "Parroquia de %s, salón anexo"}

var loanPurposes = []string{"capital para puesto de comida", "compra de herramienta", "semilla y fertilizante",
	"inventario para tienda", "gastos médicos", "pago de renta", "material para taller de costura"}

// receptionWeights: how often a reception point delivers each service.
var receptionWeights = map[string]int{
	"constancia_repatriacion": 60, "phone_call": 45, "food": 40, "transport": 25, "medical_care": 12,
	"curp": 15, "birth_certificate": 8, "bienestar_card": 6, "imss": 5, "shelter": 10,
	"legal_advice": 4, "consulate": 3, "job_placement": 8, "other": 2,
}
