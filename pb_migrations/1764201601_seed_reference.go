package pb_migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// States are the 32 federal entities: INEGI code, CURP code, name and the
// NODESS region the paper places them in.
var States = []struct{ INEGI, CURP, Name, Region string }{
	{"01", "AS", "Aguascalientes", "centro_occidente"},
	{"02", "BC", "Baja California", "frontera_norte"},
	{"03", "BS", "Baja California Sur", "frontera_norte"},
	{"04", "CC", "Campeche", "sureste"},
	{"05", "CL", "Coahuila de Zaragoza", "norte"},
	{"06", "CM", "Colima", "centro_occidente"},
	{"07", "CS", "Chiapas", "sureste"},
	{"08", "CH", "Chihuahua", "frontera_norte"},
	{"09", "DF", "Ciudad de México", "centro"},
	{"10", "DG", "Durango", "norte"},
	{"11", "GT", "Guanajuato", "centro_occidente"},
	{"12", "GR", "Guerrero", "centro"},
	{"13", "HG", "Hidalgo", "centro"},
	{"14", "JC", "Jalisco", "centro_occidente"},
	{"15", "MC", "México", "centro"},
	{"16", "MN", "Michoacán de Ocampo", "centro_occidente"},
	{"17", "MS", "Morelos", "centro"},
	{"18", "NT", "Nayarit", "centro_occidente"},
	{"19", "NL", "Nuevo León", "norte"},
	{"20", "OC", "Oaxaca", "sureste"},
	{"21", "PL", "Puebla", "centro"},
	{"22", "QT", "Querétaro", "centro_occidente"},
	{"23", "QR", "Quintana Roo", "sureste"},
	{"24", "SP", "San Luis Potosí", "norte"},
	{"25", "SL", "Sinaloa", "frontera_norte"},
	{"26", "SR", "Sonora", "frontera_norte"},
	{"27", "TC", "Tabasco", "sureste"},
	{"28", "TS", "Tamaulipas", "norte"},
	{"29", "TL", "Tlaxcala", "centro"},
	{"30", "VZ", "Veracruz de Ignacio de la Llave", "sureste"},
	{"31", "YN", "Yucatán", "sureste"},
	{"32", "ZS", "Zacatecas", "centro_occidente"},
}

// ReceptionPoints are the places where Mexico receives people returned from
// the United States (public reporting, 2014-2025). Points open and close, so
// each has active and dates; State is the CURP code of its state.
var ReceptionPoints = []struct {
	Name, City, State string
	Active            bool
	Notes             string
}{
	{"Tijuana (El Chaparral)", "Tijuana", "BC", true, ""},
	{"Mexicali", "Mexicali", "BC", true, ""},
	{"Nogales (DeConcini)", "Nogales", "SR", true, ""},
	{"San Luis Río Colorado", "San Luis Río Colorado", "SR", true, ""},
	{"Sonoyta", "Sonoyta", "SR", false, "Ocasional."},
	{"Sásabe", "Sásabe", "SR", false, "Ocasional."},
	{"Matamoros (Puerta México)", "Matamoros", "TS", true, ""},
	{"Reynosa", "Reynosa", "TS", true, ""},
	{"Nuevo Laredo", "Nuevo Laredo", "TS", true, ""},
	{"Ciudad Juárez", "Ciudad Juárez", "CH", true, ""},
	{"Piedras Negras", "Piedras Negras", "CL", true, ""},
	{"Ciudad Acuña", "Ciudad Acuña", "CL", true, ""},
	{"Aeropuerto Internacional de la Ciudad de México", "Ciudad de México", "DF", true, "Vuelos de repatriación."},
}

func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, "states", "reception_points")
		if err != nil {
			return err
		}
		states, points := found[0], found[1]
		ids := make(map[string]string, len(States))
		for _, s := range States {
			r := core.NewRecord(states)
			r.Load(map[string]any{"inegi_code": s.INEGI, "curp_code": s.CURP, "name": s.Name, "nodess_region": s.Region, "rev": 1})
			if err := app.Save(r); err != nil {
				return fmt.Errorf("state %s: %w", s.CURP, err)
			}
			ids[s.CURP] = r.Id
		}
		for _, p := range ReceptionPoints {
			r := core.NewRecord(points)
			r.Load(map[string]any{"name": p.Name, "city": p.City, "state": ids[p.State], "active": p.Active, "notes": p.Notes, "rev": 1})
			if err := app.Save(r); err != nil {
				return fmt.Errorf("reception point %s: %w", p.Name, err)
			}
		}
		return nil
	}, nil)
}
