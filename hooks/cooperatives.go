package hooks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/records"
)

// proposalFields are what a returnee sets when proposing a cooperative.
var proposalFields = []string{"name", "kind", "state", "municipality", "theme", "products", "other_members", "stage"}

// bindCooperatives holds the rules of migrant cooperatives on every write
// path (docs/DESIGN.md, "Migrant cooperatives"):
//   - the stage rule: a cooperative's stage needs its members
//     (catalog.MinMembers: active returnee members plus other_members); a
//     write that sets a stage they do not reach is refused (too_few_members),
//     and one that leaves too few for the stage kept (a member leaves,
//     other_members is lowered) steps the stage back, with the reason in
//     stage_reason, so that nobody is ever kept in a cooperative by a rule;
//   - a returnee proposes a cooperative as an idea and becomes its founder
//     (an active membership, in the proposal's transaction); a returnee asks
//     to join one that is not inactive;
//   - the derived fields: cooperatives.active_members (hidden, for the
//     members' read rule) and cooperative_members.member_name, the person's
//     given names and first surname, which is all fellow members read of
//     each other (kept in step when the person's names change).
//
// Who runs a cooperative (a NODESS covering its state) is the catalog's
// Node entry (hooks/programs.go).
func bindCooperatives(app core.App) {
	app.OnRecordCreate(catalog.Cooperatives).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("stage") == "" {
			e.Record.Set("stage", "idea")
		}
		e.Record.Set("active_members", []string{}) // no memberships yet
		return e.Next()
	})
	app.OnRecordUpdate(catalog.Cooperatives).BindFunc(func(e *core.RecordEvent) error {
		changed := changedFields(e.Record)
		if slices.Contains(changed, "stage") && !slices.Contains(changed, "stage_reason") {
			e.Record.Set("stage_reason", "") // the reason was the old stage's
		}
		stepBack(e.Record)
		return e.Next()
	})
	app.OnRecordValidate(catalog.Cooperatives).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) { checkCooperative(c, e.Record, actor.Of(e.Context, e.Record)) })
	})
	hookorder.Hook{ID: "retorno_cooperative_founder", Priority: hookorder.ActiveMembers, Func: addFounder}.OnCreate(app, catalog.Cooperatives)

	app.OnRecordValidate(catalog.CooperativeMembers).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			changed := changedFields(e.Record)
			if e.Record.GetString("status") == "left" || (!e.Record.IsNew() && !slices.Contains(changed, "status") && !slices.Contains(changed, "cooperative")) {
				return
			}
			coop, err := e.App.FindRecordById(catalog.Cooperatives, e.Record.GetString("cooperative"))
			if err == nil && coop.GetString("stage") == "inactive" {
				c.add("cooperative", "cooperative_inactive", "La cooperativa está inactiva: no recibe integrantes.")
			}
		})
	})
	// saving a cooperative whose active members changed steps its stage
	// back if they are now too few (its OnRecordUpdate, above)
	refresh := afterWrite("cooperative", refreshActiveMembers(catalog.Cooperatives, catalog.CooperativeMembers, "cooperative"))
	hookorder.Hook{ID: "retorno_cooperative_members", Priority: hookorder.ActiveMembers,
		Func: func(e *core.RecordEvent) error {
			if e.Type != core.ModelEventTypeDelete {
				if err := fillMembership(e.App, e.Record); err != nil {
					return err
				}
			}
			return refresh(e)
		}}.OnWrite(app, catalog.CooperativeMembers)

	renamed := afterWrite("id", refreshMemberNames)
	hookorder.Hook{
		ID: "retorno_cooperative_member_names", Priority: hookorder.ActiveMembers,
		Func: func(e *core.RecordEvent) error {
			changed := changedFields(e.Record)
			if !slices.Contains(changed, "given_names") && !slices.Contains(changed, "first_surname") {
				return e.Next()
			}
			return renamed(e)
		}}.OnUpdate(app, catalog.Returnees)
}

// checkCooperative checks a cooperative written by who (nil for a system
// write): a returnee only proposes an idea, and a stage set by the write
// needs its members.
func checkCooperative(c checks, r *core.Record, who *core.Record) {
	if role(who) == "returnee" {
		onlyFields(c, r, proposalFields...)
		if r.GetString("stage") != "idea" {
			c.add("stage", "invalid_status", "Una cooperativa nueva empieza como idea.")
		}
	}
	if !r.IsNew() && !slices.Contains(changedFields(r), "stage") {
		return // a stage kept with too few members steps back (stepBack)
	}
	stage, have := r.GetString("stage"), memberCount(r)
	if need := catalog.MinMembers[stage]; have < need {
		c.add("stage", "too_few_members", fmt.Sprintf("La etapa «%s» necesita al menos %d integrantes activos; tiene %d.",
			catalog.CooperativeStages.Label(stage), need, have))
	}
}

// memberCount is the members a cooperative counts for its stage: its active
// returnee members and its members who are not returnees.
func memberCount(r *core.Record) int {
	return len(r.GetStringSlice("active_members")) + r.GetInt("other_members")
}

// stepBack moves a cooperative whose write keeps its stage but leaves it too
// few members for it back to the furthest stage they allow (social group or
// idea), and says why in stage_reason.
func stepBack(r *core.Record) {
	stage, have := r.GetString("stage"), memberCount(r)
	if stage != r.Original().GetString("stage") || have >= catalog.MinMembers[stage] {
		return
	}
	back := "idea"
	if have >= catalog.MinMembers["social_group"] {
		back = "social_group"
	}
	r.Set("stage", back)
	r.Set("stage_reason", fmt.Sprintf("Volvió de «%s» a «%s»: quedan %d integrantes y esa etapa necesita %d.",
		catalog.CooperativeStages.Label(stage), catalog.CooperativeStages.Label(back), have, catalog.MinMembers[stage]))
}

// addFounder makes a returnee who proposes a cooperative its founder: an
// active membership, written in the proposal's transaction with the same id
// as the cooperative (one founder a cooperative; a retried proposal cannot
// add another).
func addFounder(e *core.RecordEvent) error {
	who := actor.Of(e.Context, e.Record)
	if role(who) != "returnee" {
		return e.Next()
	}
	person := who.GetString("returnee")
	e.Record.Set("active_members", []string{person})
	return inTransaction(e, func() error {
		if err := e.Next(); err != nil {
			return err
		}
		col, err := e.App.FindCachedCollectionByNameOrId(catalog.CooperativeMembers)
		if err != nil {
			return err
		}
		founder := core.NewRecord(col)
		founder.Id = e.Record.Id
		founder.Load(map[string]any{"cooperative": e.Record.Id, "returnee": person, "role": "founder", "status": "active"})
		actor.Set(founder, who)
		return e.App.SaveNoValidate(founder)
	})
}

// fillMembership sets what the server derives on a membership: the member's
// name, and the day they joined when they become active.
func fillMembership(app core.App, m *core.Record) error {
	person, err := records.FindReturnee(app, m.GetString("returnee"))
	if err != nil {
		return err
	}
	m.Set("member_name", memberName(person))
	if m.GetString("status") == "active" && m.GetString("joined_on") == "" {
		m.Set("joined_on", time.Now().UTC().Format(time.DateOnly))
	}
	return nil
}

// memberName is what fellow members read of a person: given names and
// first surname.
func memberName(p *records.Returnee) string {
	return strings.TrimSpace(p.GivenNames() + " " + p.FirstSurname())
}

// refreshMemberNames saves again the memberships of returnee id, whose
// names changed (the save sets member_name).
func refreshMemberNames(app core.App, id string) error {
	memberships, err := app.FindAllRecords(catalog.CooperativeMembers, dbx.HashExp{"returnee": id})
	if err != nil || len(memberships) == 0 {
		return err
	}
	person, err := records.FindReturnee(app, id)
	if err != nil {
		return err
	}
	for _, m := range memberships {
		m.Set("member_name", memberName(person))
		if err := app.SaveNoValidate(m); err != nil {
			return err
		}
	}
	return nil
}
