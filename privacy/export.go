package privacy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
)

// Export is the answer of GET /api/me/export: everything Retorno keeps
// about the signed-in person (docs/PRIVACY.md, "Rights of the person").
type Export struct {
	ExportedAt string `json:"exported_at"`
	// Records are the person's records by collection, in the catalog's
	// order: every collection whose catalog Rights export them, with the
	// fields the REST API shows (never a hidden one); a relation to staff
	// holds the staff member's role, not who they are.
	Records map[string][]map[string]any `json:"records"`
	// Changes are the audit of the writes to those records: when, what,
	// which fields (never values) and who, as a role ("self" for the
	// person's own account, "system" for the server).
	Changes []Change `json:"changes"`
	// Names are the names of the reference records the records point at
	// (states, reception points, NODESS, courses, groups, cooperatives), by
	// id; nothing of another person.
	Names map[string]string `json:"names"`
	// ConsentTexts are the words of the consents the person gave, by
	// purpose and version.
	ConsentTexts []map[string]any `json:"consent_texts"`
}

// Change is one audit entry of a record of the person.
type Change struct {
	At         string   `json:"at"`
	Action     string   `json:"action"`
	Collection string   `json:"collection"`
	RecordID   string   `json:"record_id"`
	Fields     []string `json:"fields"`
	By         string   `json:"by"`
}

// export answers GET /api/me/export for a returnee account with their data.
func export(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != catalog.ReturneeAccounts {
		return e.ForbiddenError("Only a returnee's own account downloads their data.", nil)
	}
	out, err := BuildExport(e.App, e.Auth)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := hooks.WriteAuditEntry(e.App, e.Auth, "export", catalog.Returnees, e.Auth.GetString("returnee"), []string{}); err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="mis-datos.json"`)
	return e.JSON(http.StatusOK, out)
}

// BuildExport gathers the data of the person whose account is account.
func BuildExport(app core.App, account *core.Record) (*Export, error) {
	person := account.GetString("returnee")
	about, err := personRecords(app, person, func(r catalog.Rights) bool { return r.Export })
	if err != nil {
		return nil, err
	}
	out := &Export{
		ExportedAt: time.Now().UTC().Format("2006-01-02 15:04:05.000Z"),
		Records:    map[string][]map[string]any{},
		Changes:    []Change{},
		Names:      map[string]string{},
	}
	roles := map[string]string{}
	var audited []dbx.Expression
	texts := map[[2]string]bool{}
	for _, entry := range catalog.Collections {
		list := about[entry.Name]
		if len(list) == 0 {
			continue
		}
		ids := make([]any, 0, len(list))
		for _, r := range list {
			ids = append(ids, r.Id)
			if entry.Name == catalog.Consents && r.GetString("text_version") != "" {
				texts[[2]string{r.GetString("purpose"), r.GetString("text_version")}] = true
			}
			row, err := exportRecord(app, r, account, roles, out.Names)
			if err != nil {
				return nil, err
			}
			out.Records[entry.Name] = append(out.Records[entry.Name], row)
		}
		audited = append(audited, dbx.And(dbx.HashExp{"collection_name": entry.Name}, dbx.In("record_id", ids...)))
	}
	if err := addChanges(app, out, audited, account, roles); err != nil {
		return nil, err
	}
	for key := range texts {
		text, err := app.FindFirstRecordByFilter(catalog.ConsentTexts, "purpose = {:p} && version = {:v}", map[string]any{"p": key[0], "v": key[1]})
		if err == nil {
			out.ConsentTexts = append(out.ConsentTexts, map[string]any{
				"purpose": key[0], "version": key[1], "text_es": text.GetString("text_es"), "text_en": text.GetString("text_en")})
		}
	}
	slices.SortFunc(out.ConsentTexts, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["purpose"], a["version"]), fmt.Sprint(b["purpose"], b["version"]))
	})
	return out, nil
}

// exportRecord is r as its owner reads it: the fields the REST API shows,
// a relation to staff as the staff member's role, the names of the
// reference records it points at added to names.
func exportRecord(app core.App, r *core.Record, account *core.Record, roles, names map[string]string) (map[string]any, error) {
	if r.Collection().Name == catalog.ReturneeAccounts {
		r.IgnoreEmailVisibility(true)
	}
	row := r.PublicExport()
	delete(row, "claim_hash") // write-only, always empty
	for _, f := range r.Collection().Fields {
		rel, ok := f.(*core.RelationField)
		if !ok || f.GetHidden() {
			continue
		}
		target, err := app.FindCachedCollectionByNameOrId(rel.CollectionId)
		if err != nil {
			return nil, err
		}
		ids := r.GetStringSlice(rel.Name)
		switch {
		case target.Name == catalog.Staff:
			var out []string
			for _, id := range ids {
				out = append(out, roleOf(app, catalog.Staff, id, account, roles))
			}
			if rel.IsMultiple() {
				row[rel.Name] = out
			} else if len(out) > 0 {
				row[rel.Name] = out[0]
			}
		case isReference(target.Name):
			for _, id := range ids {
				if _, done := names[id]; !done {
					names[id] = nameOf(app, target, id)
				}
			}
		}
	}
	return row, nil
}

// isReference reports whether a collection holds no one's personal data or
// money: its records' names may go with anyone's export.
func isReference(name string) bool {
	entry, ok := catalog.Lookup(name)
	return ok && !entry.Audited && name != catalog.Staff && len(entry.Rights.About) == 0 ||
		name == catalog.SavingsGroups || name == catalog.Cooperatives
}

// nameOf is the name (or title, or city) of a reference record.
func nameOf(app core.App, col *core.Collection, id string) string {
	r, err := app.FindRecordById(col, id)
	if err != nil {
		return ""
	}
	for _, f := range []string{"name", "title", "city"} {
		if v := r.GetString(f); v != "" {
			return v
		}
	}
	return ""
}

// roleOf says who wrote, without saying who: a staff member's role, "self"
// for the person's own account, "superuser", "returnee" or "system".
func roleOf(app core.App, collection, id string, account *core.Record, roles map[string]string) string {
	switch {
	case collection == "" || id == "":
		return "system"
	case collection == core.CollectionNameSuperusers:
		return "superuser"
	case collection == catalog.ReturneeAccounts && id == account.Id:
		return "self"
	case collection == catalog.ReturneeAccounts:
		return "returnee"
	}
	if role, ok := roles[id]; ok {
		return role
	}
	role := "staff"
	if r, err := app.FindRecordById(catalog.Staff, id); err == nil {
		role = r.GetString("role")
	}
	roles[id] = role
	return role
}

// addChanges adds the audit of the records of audited to out.
func addChanges(app core.App, out *Export, audited []dbx.Expression, account *core.Record, roles map[string]string) error {
	if len(audited) == 0 {
		return nil
	}
	var entries []*core.Record
	err := app.RecordQuery(catalog.AuditLog).AndWhere(dbx.Or(audited...)).OrderBy("created", "id").All(&entries)
	if err != nil {
		return err
	}
	for _, a := range entries {
		out.Changes = append(out.Changes, Change{
			At: a.GetString("created"), Action: a.GetString("action"), Collection: a.GetString("collection_name"),
			RecordID: a.GetString("record_id"), Fields: fieldNames(a),
			By: roleOf(app, a.GetString("actor_collection"), a.GetString("actor_id"), account, roles),
		})
	}
	return nil
}

// fieldNames reads the names of the fields of an audit entry.
func fieldNames(a *core.Record) []string {
	names := []string{}
	_ = json.Unmarshal([]byte(a.GetString("fields")), &names)
	return names
}
