package hooks

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/records"
)

// CodeSensitiveWithoutConsent refuses sensitive needs of a person who has no
// granted, not withdrawn sensitive_data consent.
const CodeSensitiveWithoutConsent = "sensitive_without_consent"

// bindSensitiveNeeds keeps a person's sensitive needs (catalog.SensitiveNeeds:
// health, psychosocial support) only while the person consents to it
// (sensitive_data), on every write path (REST, batch, sync push, Go):
//
//   - a write of a returnee or a return whose needs hold a sensitive value is
//     refused unless the person has such a consent when the write is applied
//     (sensitive_without_consent on needs). A new person has no consent yet,
//     so a registration sends its sensitive needs after its consents
//     (docs/PRIVACY.md, "Sensitive data");
//   - a write of a consent that leaves the person without one (a withdrawal,
//     a deletion) removes the sensitive values from the person and from each
//     of their returns, in the consent's transaction and as its writer: the
//     audit log names who and which fields, and devices receive the records
//     without them through the change log; and from what the server keeps of
//     earlier states (the change log's before-images, sync_conflicts).
func bindSensitiveNeeds(app core.App) {
	app.OnRecordValidate(catalog.Returnees, catalog.Returns).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			if len(catalog.SensitiveOf(e.Record.GetStringSlice("needs"))) == 0 {
				return
			}
			person := e.Record.Id
			if e.Record.Collection().Name == catalog.Returns {
				person = e.Record.GetString("returnee")
			}
			if ok, err := records.HasConsent(e.App, person, catalog.ConsentSensitive); err != nil || !ok {
				c.add("needs", CodeSensitiveWithoutConsent,
					"Para registrar necesidades de salud o de apoyo psicosocial, la persona debe otorgar antes el consentimiento de datos sensibles.")
			}
		})
	})

	hookorder.Hook{ID: "retorno_sensitive_withdrawn", Priority: hookorder.SensitiveData,
		Func: func(e *core.RecordEvent) error {
			if e.Record.GetString("purpose") != catalog.ConsentSensitive &&
				e.Record.Original().GetString("purpose") != catalog.ConsentSensitive {
				return e.Next()
			}
			who := actor.Of(e.Context, e.Record)
			return inTransaction(e, func() error {
				if err := e.Next(); err != nil {
					return err
				}
				ids := []string{e.Record.GetString("returnee"), e.Record.Original().GetString("returnee")}
				for _, id := range slices.Compact(ids) {
					if err := clearSensitive(e.App, id, who); err != nil {
						return err
					}
				}
				return nil
			})
		}}.OnWrite(app, catalog.Consents)
}

// clearSensitive removes the sensitive needs of returnee id and of their
// returns, as who, unless the person has a sensitive_data consent.
func clearSensitive(app core.App, id string, who *core.Record) error {
	if id == "" {
		return nil
	}
	if ok, err := records.HasConsent(app, id, catalog.ConsentSensitive); err != nil || ok {
		return err
	}
	found, err := records.FindReturneeIfAny(app, id)
	if err != nil || found == nil {
		return err // deleted with its consents
	}
	person := found.ProxyRecord()
	returns, err := app.FindAllRecords(catalog.Returns, dbx.HashExp{"returnee": id})
	if err != nil {
		return err
	}
	for _, r := range append([]*core.Record{person}, returns...) {
		if kept, changed := withoutSensitive(r.GetStringSlice("needs")); changed {
			r.Set("needs", kept)
			actor.Set(r, who)
			// the server takes data out: no rule of the writer's role applies
			if err := app.SaveNoValidate(r); err != nil {
				return err
			}
		}
		// and out of what the server keeps of earlier states
		err := devicesync.RewriteBefore(app, r.Collection().Name, r.Id, func(before map[string]any) bool {
			kept, changed := withoutSensitive(before["needs"])
			before["needs"] = kept
			return changed
		})
		if err != nil {
			return err
		}
		if err := clearSensitiveConflicts(app, r); err != nil {
			return err
		}
	}
	return nil
}

// clearSensitiveConflicts takes the sensitive needs out of the values that
// sync_conflicts keeps of record: those a device sent or lost, of needs or
// among a record's fields.
func clearSensitiveConflicts(app core.App, record *core.Record) error {
	found, err := app.FindAllRecords(catalog.SyncConflicts,
		dbx.HashExp{"collection_name": record.Collection().Name, "record_id": record.Id})
	if err != nil {
		return err
	}
	for _, c := range found {
		changed := false
		for _, name := range []string{"yours", "kept", "lost"} {
			var v any
			if json.Unmarshal([]byte(c.GetString(name)), &v) != nil {
				continue
			}
			var did bool
			if fields, ok := v.(map[string]any); ok && c.GetString("field") != "needs" {
				if needs, has := fields["needs"]; has {
					fields["needs"], did = withoutSensitive(needs)
				}
			} else if c.GetString("field") == "needs" {
				v, did = withoutSensitive(v)
			}
			if did {
				c.Set(name, v)
				changed = true
			}
		}
		if changed {
			if err := app.SaveNoValidate(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// withoutSensitive returns needs (a list of needs as Go or JSON holds it, or
// its JSON text) without the sensitive ones, and whether any was there.
func withoutSensitive(needs any) (any, bool) {
	var list []string
	switch v := needs.(type) {
	case []string:
		list = v
	case []any:
		for _, x := range v {
			s, _ := x.(string)
			list = append(list, s)
		}
	case string:
		if json.Unmarshal([]byte(v), &list) != nil {
			return needs, false
		}
	default:
		return needs, false
	}
	kept := slices.DeleteFunc(slices.Clone(list), func(n string) bool { return slices.Contains(catalog.SensitiveNeeds, n) })
	if len(kept) == len(list) {
		return needs, false
	}
	if kept == nil {
		kept = []string{}
	}
	if _, ok := needs.(string); ok {
		raw, _ := json.Marshal(kept)
		return string(raw), true
	}
	return kept, true
}
