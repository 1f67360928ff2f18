package commands

import (
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// NewHealthcheckCommand returns `retorno healthcheck`, which exits non-zero
// unless the server's health endpoint answers 200. The container image has
// no shell or curl, so its HEALTHCHECK runs this.
func NewHealthcheckCommand() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Check that a running server answers its health endpoint",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return checkHealth(url) },
	}
	cmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8090/api/health", "health endpoint to check")
	return cmd
}

// checkHealth fails unless url answers 200 within 5 seconds.
func checkHealth(url string) error {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	return nil
}
