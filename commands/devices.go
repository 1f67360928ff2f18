package commands

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/syncclient"
)

// devicesOptions are the flags of `retorno devices`.
type devicesOptions struct {
	server    string
	devices   int
	perDevice int
	password  string
	seed      uint64
	emails    []string
	timeout   time.Duration
}

// NewDevicesCommand returns `retorno devices`: a load and convergence check of
// the offline sync against a running server with the demo data. It signs in
// as the demo field workers, simulates --n devices (round-robin over the
// workers) that each register --per-device people offline, syncs them all
// at once, has each device edit one of its records and syncs again, then
// checks that every device's copy of returnees equals the REST list of its
// user and that every registration is on the server exactly once. It prints
// a summary and fails unless everything converged.
func NewDevicesCommand() *cobra.Command {
	opts := devicesOptions{}
	cmd := &cobra.Command{
		Use:   "devices",
		Short: "Simulate field devices registering people offline and syncing with a running server",
		Long: "Simulate field devices registering people offline and syncing with a running server seeded\n" +
			"with `retorno seed --demo`, then check that every device converged. Exits non-zero if not.\n\n" +
			"--seed picks the people (names, places, who has a CURP); the birth dates of people with a\n" +
			"CURP also vary per run, so that runs against the same server do not collide on the unique CURP.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			if opts.devices < 1 || opts.perDevice < 1 {
				return errors.New("--n and --per-device must be at least 1")
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, cancel := context.WithTimeout(ctx, opts.timeout)
			defer cancel()
			return runDevices(ctx, cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.server, "server", "http://127.0.0.1:8090", "address of the running server")
	cmd.Flags().IntVar(&opts.devices, "n", 20, "number of simulated devices")
	cmd.Flags().IntVar(&opts.perDevice, "per-device", 10, "people each device registers offline")
	cmd.Flags().StringVar(&opts.password, "password", demo.DefaultPassword, "password of the demo field workers")
	cmd.Flags().Uint64Var(&opts.seed, "seed", 1, "random seed of the simulated registrations")
	cmd.Flags().StringSliceVar(&opts.emails, "emails", nil, "field worker emails to sign in as (default: campo.<city>@retorno.test of every active reception point)")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", 10*time.Minute, "give up after this long")
	return cmd
}

// worker is a signed-in field worker.
type worker struct {
	email, token, point string
}

// simDevice is one simulated device and what happened to it.
type simDevice struct {
	n       int
	worker  *worker
	client  *syncclient.Client
	created []string // ids of its registrations
	edited  string   // id of the record it edited in round two
	reports []syncclient.SyncReport
	errs    []error
}

// roundStats sums the sync reports of one round over all devices.
type roundStats struct {
	name     string
	push     syncclient.PushReport
	pull     syncclient.PullReport
	retries  int
	resets   int
	failures int
	elapsed  time.Duration
}

func runDevices(ctx context.Context, out io.Writer, opts devicesOptions) error {
	base := strings.TrimRight(opts.server, "/")
	hc := &http.Client{
		Timeout:   2 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: opts.devices + 4, Proxy: http.ProxyFromEnvironment},
	}

	states, err := listRecords(ctx, hc, base, "", "states", "id,curp_code")
	if err != nil {
		return fmt.Errorf("states: %w", err)
	}
	if len(states) == 0 {
		return fmt.Errorf("the server at %s has no states: run `retorno seed --demo` first", base)
	}
	workers, err := signInWorkers(ctx, hc, base, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Signed in as %d field workers; %d devices, %d registrations each.\n", len(workers), opts.devices, opts.perDevice)

	nonce := make([]byte, 8)
	_, _ = crand.Read(nonce)
	runRand := rand.New(rand.NewPCG(opts.seed, binary.LittleEndian.Uint64(nonce)))
	curps := map[string]bool{}
	refs := make([]demo.StateRef, len(states))
	for i, st := range states {
		refs[i] = demo.StateRef{ID: fmt.Sprint(st["id"]), CURPCode: fmt.Sprint(st["curp_code"])}
	}
	devices := make([]*simDevice, opts.devices)
	for i := range devices {
		w := workers[i%len(workers)]
		d := &simDevice{n: i + 1, worker: w, client: &syncclient.Client{
			BaseURL: base, Token: w.token, HTTPClient: hc,
			ClientID: fmt.Sprintf("sim-%x-%03d", nonce[:4], i+1),
		}}
		rng := rand.New(rand.NewPCG(opts.seed, uint64(i+1)))
		for range opts.perDevice {
			id := syncclient.NewID()
			// one in three with a CURP, whose birth date comes from runRand
			// so that reruns against one server do not repeat CURPs
			person := demo.Registration(rng, demo.RegistrationSpec{Point: w.point, States: refs,
				CURPOneIn: 3, CURPRand: runRand, UsedCURPs: curps})
			if err := d.client.Create("returnees", id, person); err != nil {
				return fmt.Errorf("device %d: %w", d.n, err)
			}
			d.created = append(d.created, id)
		}
		devices[i] = d
	}

	start := time.Now()
	rounds := []roundStats{syncAll(ctx, "register + sync", devices, func(d *simDevice) error {
		rep, err := d.client.Sync(ctx)
		d.reports = append(d.reports, rep)
		return err
	})}
	rounds = append(rounds, syncAll(ctx, "edit + sync", devices, func(d *simDevice) error {
		d.edited = d.created[len(d.created)/2]
		err := d.client.Update("returnees", d.edited, map[string]any{"skills": fmt.Sprintf("Editado en el dispositivo %d", d.n)})
		if err != nil {
			return err
		}
		rep, err := d.client.Sync(ctx)
		d.reports = append(d.reports, rep)
		return err
	}))
	// the devices that synced first have not seen the others' edits yet
	rounds = append(rounds, syncAll(ctx, "final sync", devices, func(d *simDevice) error {
		rep, err := d.client.Sync(ctx)
		d.reports = append(d.reports, rep)
		return err
	}))
	total := time.Since(start)

	check, err := verify(ctx, hc, base, devices)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	printDevicesSummary(out, devices, rounds, check, total)
	if !check.ok() {
		return errors.New("the devices did not converge")
	}
	return nil
}

// syncAll runs step on every device at once and sums what they did.
func syncAll(ctx context.Context, name string, devices []*simDevice, step func(*simDevice) error) roundStats {
	stats := roundStats{name: name}
	reports := make([]int, len(devices))
	failed := make([]bool, len(devices))
	for i, d := range devices {
		reports[i] = len(d.reports)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, d := range devices {
		wg.Go(func() {
			if err := step(d); err != nil {
				d.errs = append(d.errs, fmt.Errorf("%s: %w", name, err))
				failed[i] = true
			}
		})
	}
	wg.Wait()
	stats.elapsed = time.Since(start)
	for i, d := range devices {
		for _, rep := range d.reports[reports[i]:] {
			stats.push.Add(rep.Push)
			stats.pull.Add(rep.Pull)
			stats.retries += max(rep.Attempts-1, 0)
			if rep.Pull.Reset {
				stats.resets++
			}
		}
		if failed[i] {
			stats.failures++
		}
	}
	return stats
}

// signInWorkers signs in as the given emails or, by default, as the demo
// field worker of every active reception point (campo.<city>@retorno.test),
// keeping those that exist. Each worker's point comes from its auth record.
func signInWorkers(ctx context.Context, hc *http.Client, base string, opts devicesOptions) ([]*worker, error) {
	emails := opts.emails
	if len(emails) == 0 {
		points, err := listRecords(ctx, hc, base, "", "reception_points", "id,city,active")
		if err != nil {
			return nil, fmt.Errorf("reception points: %w", err)
		}
		for _, p := range points {
			if active, _ := p["active"].(bool); active {
				emails = append(emails, demo.FieldWorkerEmail(fmt.Sprint(p["city"])))
			}
		}
		slices.Sort(emails)
		emails = slices.Compact(emails)
	}
	found := make([]*worker, len(emails))
	errs := make([]error, len(emails))
	var wg sync.WaitGroup
	for i, email := range emails {
		wg.Go(func() {
			token, record, err := syncclient.SignIn(ctx, hc, base, "staff", email, opts.password)
			if err != nil {
				errs[i] = err
				return
			}
			point, _ := record["reception_point"].(string)
			if record["role"] != "field_worker" || point == "" {
				errs[i] = fmt.Errorf("%s is not a field worker with a reception point", email)
				return
			}
			found[i] = &worker{email: email, token: token, point: point}
		})
	}
	wg.Wait()
	var workers []*worker
	for i, w := range found {
		if w != nil {
			workers = append(workers, w)
		} else if len(opts.emails) > 0 {
			return nil, errs[i] // asked for by name: every one must work
		}
	}
	if len(workers) == 0 {
		return nil, fmt.Errorf("no demo field worker could sign in at %s (is it seeded with `retorno seed --demo`? is --password right?): %w",
			base, errors.Join(errs...))
	}
	return workers, nil
}

// verification is what verify found.
type verification struct {
	devices, convergedDevices int
	registrations, onceOnly   int
	minRecords, maxRecords    int
	problems                  []string
}

func (v verification) ok() bool {
	return v.convergedDevices == v.devices && v.onceOnly == v.registrations && len(v.problems) == 0
}

// verify compares every device's copy of returnees with the REST list of its
// user (ids and revs), and checks that each registration is on the server
// once: visible to its worker, at rev 1, or 2 for the edited one, with the
// edit in place.
func verify(ctx context.Context, hc *http.Client, base string, devices []*simDevice) (verification, error) {
	v := verification{devices: len(devices), minRecords: -1}
	lists := map[*worker]map[string]map[string]any{}
	for _, d := range devices {
		if lists[d.worker] != nil {
			continue
		}
		items, err := listRecords(ctx, hc, base, d.worker.token, "returnees", "id,rev,skills")
		if err != nil {
			return v, fmt.Errorf("returnees of %s: %w", d.worker.email, err)
		}
		byID := map[string]map[string]any{}
		for _, it := range items {
			byID[fmt.Sprint(it["id"])] = it
		}
		lists[d.worker] = byID
	}

	for _, d := range devices {
		for _, err := range d.errs {
			v.problems = append(v.problems, fmt.Sprintf("device %d: %v", d.n, err))
		}
		problems, err := d.client.Problems()
		if err != nil {
			return v, err
		}
		for _, p := range problems {
			msg := p.Result.Status
			if p.Result.Error != nil {
				msg += ": " + p.Result.Error.Message
				if len(p.Result.Error.Fields) > 0 {
					raw, _ := json.Marshal(p.Result.Error.Fields)
					msg += " " + string(raw)
				}
			}
			v.problems = append(v.problems, fmt.Sprintf("device %d: %s %s/%s %s", d.n, p.Mutation.Op, p.Mutation.Collection, p.Mutation.RecordID, msg))
		}

		want := lists[d.worker]
		items, err := d.client.List("returnees")
		if err != nil {
			return v, err
		}
		if v.minRecords < 0 || len(items) < v.minRecords {
			v.minRecords = len(items)
		}
		v.maxRecords = max(v.maxRecords, len(items))
		same := len(items) == len(want)
		for _, it := range items {
			rest, ok := want[it.ID]
			if !ok || it.Pending || fmt.Sprint(rest["rev"]) != strconv.Itoa(it.Rev) {
				same = false
				break
			}
		}
		if same {
			v.convergedDevices++
		}

		for _, id := range d.created {
			v.registrations++
			rest, ok := want[id]
			wantRev, wantSkills := "1", ""
			if id == d.edited {
				wantRev, wantSkills = "2", fmt.Sprintf("Editado en el dispositivo %d", d.n)
			}
			switch {
			case !ok:
				v.problems = append(v.problems, fmt.Sprintf("device %d: registration %s is not on the server", d.n, id))
			case fmt.Sprint(rest["rev"]) != wantRev:
				v.problems = append(v.problems, fmt.Sprintf("device %d: registration %s is at rev %v, want %s", d.n, id, rest["rev"], wantRev))
			case wantSkills != "" && rest["skills"] != wantSkills:
				v.problems = append(v.problems, fmt.Sprintf("device %d: the edit of %s was lost", d.n, id))
			default:
				v.onceOnly++
			}
		}
	}
	return v, nil
}

func printDevicesSummary(out io.Writer, devices []*simDevice, rounds []roundStats, v verification, total time.Duration) {
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ROUND\tDEVICES\tPUSHED\tAPPLIED\tDUPLICATE\tMERGED\tCONFLICT\tREJECTED\tPULLED\tRESETS\tRETRIES\tFAILED\tELAPSED")
	for _, r := range rounds {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.name, len(devices),
			r.push.Sent, r.push.Applied, r.push.Duplicate, r.push.Merged, r.push.Conflict, r.push.Rejected,
			r.pull.Puts+r.pull.Deletes+r.pull.Evicts, r.resets, r.retries, r.failures, r.elapsed.Round(time.Millisecond))
	}
	_ = w.Flush()
	fmt.Fprintln(out)
	fmt.Fprintf(out, "Returnees per device:   %d to %d\n", v.minRecords, v.maxRecords)
	fmt.Fprintf(out, "Registrations:          %d of %d on the server exactly once\n", v.onceOnly, v.registrations)
	fmt.Fprintf(out, "Devices converged:      %d of %d (local copy = REST list: ids and revs)\n", v.convergedDevices, v.devices)
	fmt.Fprintf(out, "Elapsed:                %s\n", total.Round(time.Millisecond))
	const shown = 20
	for i, p := range v.problems {
		if i == shown {
			fmt.Fprintf(out, "  ... and %d more\n", len(v.problems)-shown)
			break
		}
		fmt.Fprintln(out, "  "+p)
	}
	verdict := "yes"
	if !v.ok() {
		verdict = "no"
	}
	fmt.Fprintf(out, "Converged:              %s\n", verdict)
}

// listRecords returns every record of a collection that token's user may
// list (token "" for public collections), with only the given fields.
func listRecords(ctx context.Context, hc *http.Client, base, token, collection, fields string) ([]map[string]any, error) {
	var all []map[string]any
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "perPage": {"500"}, "skipTotal": {"1"}, "fields": {fields}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/collections/"+collection+"/records?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		var res struct {
			Items []map[string]any `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("list %s: %s", collection, resp.Status)
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", collection, err)
		}
		all = append(all, res.Items...)
		if len(res.Items) < 500 {
			return all, nil
		}
	}
}
