package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/syncclient"
)

// Registered is one registration as the field app's register screen sends
// it (ui/src/routes/field/Register.svelte, save): the person, with the hash
// of the claim code handed to them; their return, with the person's id;
// and a consent for each purpose they granted (before the return, which
// carries sensitive needs only with their consent). The benchmark pushes these,
// so that it measures what field devices send.
type Registered struct {
	ID       string   // the person's id, drawn by the device; also their return's
	Code     string   // the claim code the person takes away
	Records  []Create // in the order the app creates them
	Consents int      // how many of Records are consents
}

// Create is one record a registration creates.
type Create struct {
	Collection string
	ID         string
	Fields     map[string]any
}

// Person is the returnee record's fields.
func (r Registered) Person() map[string]any { return r.Records[0].Fields }

// WithoutClaimCode is r without the claim code: the same records, the
// person without claim_hash (as registrations made before claim codes).
func (r Registered) WithoutClaimCode() Registered {
	out := r
	out.Code = ""
	out.Records = slices.Clone(r.Records)
	person := make(map[string]any, len(r.Person()))
	for k, v := range r.Person() {
		if k != "claim_hash" {
			person[k] = v
		}
	}
	out.Records[0].Fields = person
	return out
}

// Register draws one registration as the field app sends it: the person
// from Registration, with needs; a claim code (claim.NewCode) and its hash;
// the return at spec.Point on the repatriation date, registered now, with
// the services delivered; and the consents, granted verbally or in
// writing, in the demo seeder's proportions: registration and follow-up
// 95%, sharing data with a NODESS 53%, WhatsApp contact 40% of those with a
// phone. Ids are drawn as a device draws them.
func Register(rng *rand.Rand, spec RegistrationSpec) Registered {
	id := syncclient.NewID()
	person := Registration(rng, spec)
	needs := drawSet(rng, weightedKeys(tables.NeedWeights), rng.IntN(3), catalog.Needs.Codes())
	// as the app sends them: sensitive needs only after their consent, so
	// the person is created with the others and the return, made after the
	// consents, carries them all when the consent was given
	sensitive := rng.Float64() < 0.5
	plain := slices.DeleteFunc(slices.Clone(needs), func(n string) bool { return slices.Contains(catalog.SensitiveNeeds, n) })
	if len(plain) > 0 {
		person["needs"] = plain
	}
	if !sensitive {
		needs = plain
	}
	code := claim.NewCode()
	person["claim_hash"] = claim.Hash(id, code)
	ret := map[string]any{
		"returnee": id, "reception_point": spec.Point, "repatriation_date": person["repatriation_date"],
		"registered_at": time.Now().UTC().Format("2006-01-02 15:04:05.000Z"), "needs": needs,
		"services":           drawSet(rng, weightedKeys(tables.ReceptionWeights), 1+rng.IntN(3), catalog.ReceptionServices.Codes()),
		"identity_confirmed": false,
	}
	reg := Registered{ID: id, Code: code, Records: []Create{{catalog.Returnees, id, person}}}
	consent := func(purpose string) {
		reg.Records = append(reg.Records, Create{catalog.Consents, syncclient.NewID(), map[string]any{
			"returnee": id, "purpose": purpose, "granted": true, "notice_version": "2026-01",
			"method": []string{"verbal", "verbal", "verbal", "written", "written", "digital"}[rng.IntN(6)],
		}})
		reg.Consents++
	}
	if rng.Float64() < 0.95 {
		consent("registration")
		if rng.Float64() < 0.53 {
			consent("share_nodess")
		}
		if person["phone"] != nil && rng.Float64() < 0.4 {
			consent("contact_whatsapp")
		}
		if sensitive {
			consent(catalog.ConsentSensitive)
		}
	} else {
		ret["needs"] = plain
	}
	reg.Records = append(reg.Records, Create{catalog.Returns, id, ret})
	return reg
}

// drawSet draws n items of w (fewer if some repeat), in the order of codes.
func drawSet(rng *rand.Rand, w *weighted[string], n int, codes []string) []string {
	want := map[string]bool{}
	for range n {
		want[w.drawWith(rng)] = true
	}
	return slices.DeleteFunc(slices.Clone(codes), func(c string) bool { return !want[c] })
}
