package demo

import (
	"fmt"

	"github.com/retorno-mx/retorno/claim"
)

// seedShowcase leaves two things to try by hand (the twin is a record beyond
// Options.Returnees: one person, registered twice): people with a claim code
// who can claim their account (POST /api/returnee-accounts/claim), and a
// person registered twice, whom the duplicate detection has flagged for a
// field worker to merge (POST /api/returnees/{id}/merge).
func (s *seeder) seedShowcase() error {
	claims := 0
	for _, p := range s.people {
		if claims == 2 {
			break
		}
		curp := p.rec.GetString("curp")
		if curp == "" || p.rec.GetString("phone") == "" || s.hasAccount[p] {
			continue
		}
		code := fmt.Sprintf("%010d", s.rng.Int64N(1e10))
		p.rec.Set("claim_hash", claim.Hash(p.rec.Id, code))
		if err := s.update(p.rec); err != nil {
			return fmt.Errorf("demo: claim code: %w", err)
		}
		s.showcase = append(s.showcase, Login{Role: "claim", Email: "CURP " + curp, Password: code,
			Note: fmt.Sprintf("%s: reclamar la cuenta con la CURP o el teléfono %s y este código", p.name, p.rec.GetString("phone"))})
		claims++
	}

	// the same person registered again at another point, without CURP and
	// with an abbreviated first name
	for _, p := range s.people {
		if p.rec.GetString("curp") != "" || len(s.points) < 2 {
			continue
		}
		other := s.points[0]
		if other == p.point {
			other = s.points[1]
		}
		twin := s.newRecord("returnees")
		for _, f := range []string{"given_names", "first_surname", "second_surname", "birth_date", "sex",
			"birth_state", "destination_state", "destination_municipality", "sector_in_us"} {
			twin.Set(f, p.rec.Get(f))
		}
		twin.Set("given_names", abbreviate(p.rec.GetString("given_names")))
		twin.Set("reception_point", other.id)
		twin.Set("registered_by", other.worker.Id)
		if err := s.create(twin); err != nil {
			return fmt.Errorf("demo: duplicate: %w", err)
		}
		s.showcase = append(s.showcase, Login{Role: "duplicate", Email: other.worker.Email(), Password: s.opts.Password,
			Note: fmt.Sprintf("%s: registro repetido en %s; ver duplicate_candidates y fusionar", p.name, other.name)})
		return nil
	}
	return nil
}

// abbreviate writes a leading María or José as field forms often do.
func abbreviate(given string) string {
	for full, short := range map[string]string{"María ": "Ma. ", "José ": "J. "} {
		if len(given) > len(full) && given[:len(full)] == full {
			return short + given[len(full):]
		}
	}
	return given
}
