// Package commands holds the retorno binary's own commands, beside
// PocketBase's serve, superuser and migrate.
package commands

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/retorno-mx/retorno/demo"
)

// NewSeedCommand returns `retorno seed --demo`: apply the migrations (which
// load the reference data) and, on an empty database, write the demo data;
// then print the demo logins.
func NewSeedCommand(app core.App) *cobra.Command {
	opts := demo.Options{}
	var withDemo bool
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Apply migrations and load the demo data into an empty database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrations: %w", err)
			}
			out := cmd.OutOrStdout()
			if !withDemo {
				fmt.Fprintln(out, "Migrations applied; reference data loaded. Add --demo for demo data.")
				return nil
			}
			summary, err := demo.Seed(app, opts)
			if errors.Is(err, demo.ErrNotEmpty) {
				fmt.Fprintln(out, "The database already has data: demo data not loaded again.")
				return printAccounts(out, app)
			}
			if err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
			fmt.Fprintf(out, "Demo data loaded: %v\n\n", summary.Counts)
			if err := printLogins(out, summary.Logins); err != nil {
				return err
			}
			if len(summary.Showcase) > 0 {
				fmt.Fprintln(out, "\nTo try (claim codes for POST /api/returnee-accounts/claim, a duplicate to merge):")
				w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
				for _, l := range summary.Showcase {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", l.Role, l.Email, l.Password, l.Note)
				}
				return w.Flush()
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&withDemo, "demo", false, "load the demo data when the database is empty")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "random seed of the demo data (same seed, same data)")
	cmd.Flags().IntVar(&opts.Returnees, "returnees", demo.DefaultReturnees, "number of demo returnees")
	cmd.Flags().StringVar(&opts.Password, "password", demo.DefaultPassword, "password of every demo account")
	return cmd
}

func printLogins(out io.Writer, logins []demo.Login) error {
	fmt.Fprintln(out, "Demo logins (app: http://127.0.0.1:8090/, dashboard: http://127.0.0.1:8090/_/):")
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ROLE\tEMAIL\tPASSWORD\tNOTE")
	for _, l := range logins {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", l.Role, l.Email, l.Password, l.Note)
	}
	return w.Flush()
}

// printAccounts lists the accounts already in the database (their passwords
// are the demo password unless someone changed them).
func printAccounts(out io.Writer, app core.App) error {
	var logins []demo.Login
	for _, name := range []string{core.CollectionNameSuperusers, "staff", "returnee_accounts"} {
		records, err := app.FindAllRecords(name)
		if err != nil {
			return err
		}
		for _, r := range records {
			role := r.GetString("role")
			switch name {
			case core.CollectionNameSuperusers:
				role = "superuser"
			case "returnee_accounts":
				role = "returnee"
			}
			logins = append(logins, demo.Login{Role: role, Email: r.Email(), Password: "(demo password unless changed)", Note: r.GetString("name")})
		}
	}
	return printLogins(out, logins)
}
