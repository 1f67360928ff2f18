// Command bench measures the offline sync of Retorno against what a plain
// PocketBase client would do, side by side in one run on the real binary:
// pushes (sync vs REST creates vs the batch API vs in-process app.Save),
// the initial pull (sync vs list API paging), the cost of a pull as the
// database grows, an export of the largest list with the server's memory
// rise, pushes of registrations clustered on one birth date, and a
// reconnect storm of simulated devices. Every push sends registrations as
// the field app does (demo.Register: the person with a claim code, the
// return, the consents). It prints one table of figures with their
// targets (docs/BENCHMARKS.md says what each means).
//
//	go run ./bench [--quick] [--json] [--strict] [--phases growth,export,push,ceiling,cluster,storm,scopes]
//	go run ./bench grow --dir <pb_data> [--people N] [--point City] [--at N] [--spread days] [--window days]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// sizes of one run.
type sizes struct {
	Push         int   // registrations per push method
	Growth       []int // returnees in the database at each growth step
	Devices      int   // devices of the storm
	PerDevice    int   // registrations per storm device
	BadShare     int   // one bad request per BadShare devices
	SeedReturnee int   // demo returnees seeded first
	PullReps     int   // repetitions of a timed pull (median)
	SQLLoad      bool  // load growth steps of 10,000 rows or more by SQL (load_sql.go), not by pushes
	CompareAt    int   // the growth step (0-based) of the initial pull comparison; -1: none
	Cluster      int   // registrations of each timed push of the cluster phase
	ClusterDay   int   // people born on the cluster phase's day for its second figure
}

var (
	quickSizes = sizes{Push: 200, Growth: []int{1000, 2500}, Devices: 20, PerDevice: 50, BadShare: 5, SeedReturnee: 40, PullReps: 3, CompareAt: 1,
		Cluster: 200, ClusterDay: 2000}
	fullSizes = sizes{Push: 10000, Growth: []int{10000, 100000, 1000000}, Devices: 200, PerDevice: 50, BadShare: 5, SeedReturnee: 40, PullReps: 3, SQLLoad: true, CompareAt: 1,
		Cluster: 1000, ClusterDay: 10000}
)

// figure is one row of the table.
type figure struct {
	Section string  `json:"section"`
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	Target  string  `json:"target,omitempty"`
	Met     *bool   `json:"met,omitempty"`
	Note    string  `json:"note,omitempty"`
}

// report is the whole run.
type report struct {
	Mode    string   `json:"mode"`
	Date    string   `json:"date"`
	Sizes   sizes    `json:"sizes"`
	Phases  []string `json:"phases,omitempty"` // the phases run, if not all
	Figures []figure `json:"figures"`
	Elapsed string   `json:"elapsed"`
	Errors  []string `json:"errors,omitempty"`
}

func (r *report) add(f figure) { r.Figures = append(r.Figures, f) }

// check adds a figure with a target: met says whether it holds.
func (r *report) check(section, name string, value float64, unit, target string, met bool, note string) {
	r.add(figure{Section: section, Name: name, Value: value, Unit: unit, Target: target, Met: &met, Note: note})
}

// allMet is false if any target was missed or a phase failed.
func (r *report) allMet() bool {
	if len(r.Errors) > 0 {
		return false
	}
	for _, f := range r.Figures {
		if f.Met != nil && !*f.Met {
			return false
		}
	}
	return true
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "grow" {
		if err := grow(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	quick := flag.Bool("quick", false, "small sizes (well under a minute)")
	asJSON := flag.Bool("json", false, "print the report as JSON")
	growth := flag.String("growth", "", "comma-separated database sizes of the growth figure (overrides the mode's)")
	push := flag.Int("push", 0, "registrations per push method (overrides the mode's)")
	devices := flag.Int("devices", 0, "devices of the storm (overrides the mode's)")
	strict := flag.Bool("strict", false, "exit 3 if a target is missed")
	compareAt := flag.Int("compare-at", -2, "growth step (0-based) of the initial pull comparison, -1 for none (default: the second)")
	load := flag.String("load", "", "how growth rows are loaded: push (through the server) or sql (server stopped); default push in quick mode, sql in full mode")
	cluster := flag.Int("cluster", 0, "registrations of each timed push of the cluster phase (overrides the mode's)")
	clusterDay := flag.Int("cluster-day", 0, "people on the cluster phase's day for its second figure (overrides the mode's)")
	only := flag.String("phases", "", "comma-separated phases to run, in their usual order (default: all): "+strings.Join(phaseNames, ","))
	flag.Parse()

	sz := fullSizes
	mode := "full"
	if *quick {
		sz, mode = quickSizes, "quick"
	}
	if *growth != "" {
		sz.Growth = nil
		for f := range strings.SplitSeq(*growth, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				fmt.Fprintln(os.Stderr, "bad --growth:", *growth)
				os.Exit(2)
			}
			sz.Growth = append(sz.Growth, n)
		}
	}
	if *push > 0 {
		sz.Push = *push
	}
	if *compareAt > -2 {
		sz.CompareAt = *compareAt
	}
	switch *load {
	case "":
	case "push", "sql":
		sz.SQLLoad = *load == "sql"
	default:
		fmt.Fprintln(os.Stderr, "bad --load:", *load)
		os.Exit(2)
	}
	if *devices > 0 {
		sz.Devices = *devices
	}
	if *cluster > 0 {
		sz.Cluster = *cluster
	}
	if *clusterDay > 0 {
		sz.ClusterDay = *clusterDay
	}
	var phases []string
	if *only != "" {
		for name := range strings.SplitSeq(*only, ",") {
			if name = strings.TrimSpace(name); !slices.Contains(phaseNames, name) {
				fmt.Fprintln(os.Stderr, "bad --phases:", name)
				os.Exit(2)
			}
			phases = append(phases, name)
		}
	}
	rep, err := run(context.Background(), mode, sz, phases, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		printTable(os.Stdout, rep)
	}
	if len(rep.Errors) > 0 {
		os.Exit(1)
	}
	if *strict && !rep.allMet() {
		os.Exit(3)
	}
}

// phaseNames are the phases, in the order they run.
var phaseNames = []string{"growth", "export", "push", "ceiling", "cluster", "storm", "scopes"}

// run starts the server and measures the figures of the phases named in
// only (all if empty); progress goes to logw.
func run(ctx context.Context, mode string, sz sizes, only []string, logw io.Writer) (*report, error) {
	start := time.Now()
	rep := &report{Mode: mode, Date: start.UTC().Format(time.RFC3339), Sizes: sz, Phases: only}
	logf := func(format string, args ...any) {
		fmt.Fprintf(logw, "[%6.1fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}

	logf("building and seeding the real binary")
	srv, err := startServer(ctx, sz.SeedReturnee)
	if err != nil {
		return nil, err
	}
	defer srv.close()
	b, err := newBench(ctx, srv, sz, logf)
	if err != nil {
		return nil, err
	}

	phases := []struct {
		name string
		fn   func(context.Context, *report) error
	}{
		// growth first: its database sizes are then exactly those asked for
		{"growth", b.growthPhase},
		{"export", b.exportPhase}, // of the largest database
		{"push", b.pushPhase},
		{"ceiling", b.ceilingPhase},
		{"cluster", b.clusterPhase},
		{"storm", b.stormPhase},
		{"scopes", b.scopesPhase}, // last: it loads people at the Mexicali point
	}
	for _, p := range phases {
		if len(only) > 0 && !slices.Contains(only, p.name) {
			continue
		}
		logf("phase %s", p.name)
		if err := p.fn(ctx, rep); err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", p.name, err))
			logf("phase %s failed: %v", p.name, err)
			if srv.proc != nil {
				logs := srv.proc.Logs.String()
				logf("the server's last output:\n%s", logs[max(len(logs)-3000, 0):])
			}
		}
	}
	if hwm, err := srv.procStatus("VmHWM"); err == nil {
		rep.add(figure{Section: "server", Name: "peak RSS over the whole run (VmHWM)", Value: float64(hwm) / 1024, Unit: "MB",
			Note: "includes the bulk loading; the storm figure is measured after a reset"})
	}
	rep.Elapsed = time.Since(start).Round(time.Millisecond).String()
	return rep, nil
}

func printTable(out io.Writer, rep *report) {
	fmt.Fprintf(out, "Retorno sync benchmark, %s mode, %s (elapsed %s)\n", rep.Mode, rep.Date, rep.Elapsed)
	if len(rep.Phases) > 0 {
		fmt.Fprintf(out, "phases: %s\n", strings.Join(rep.Phases, ", "))
	}
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SECTION\tFIGURE\tVALUE\tTARGET\tMET\tNOTE")
	for _, f := range rep.Figures {
		met := ""
		if f.Met != nil {
			met = map[bool]string{true: "yes", false: "NO"}[*f.Met]
		}
		fmt.Fprintf(w, "%s\t%s\t%s %s\t%s\t%s\t%s\n", f.Section, f.Name, fmtValue(f.Value), f.Unit, f.Target, met, f.Note)
	}
	_ = w.Flush()
	for _, e := range rep.Errors {
		fmt.Fprintln(out, "ERROR:", e)
	}
	verdict := "every target met"
	if !rep.allMet() {
		verdict = "some targets missed or phases failed"
	}
	fmt.Fprintln(out, "\n"+verdict)
}

func fmtValue(v float64) string {
	switch {
	case v == float64(int64(v)) && v < 1e9:
		return strconv.FormatInt(int64(v), 10)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}
