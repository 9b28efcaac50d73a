// Command carefit is the carefit staffing engine: the HTTP API, the
// background worker, migrations, and a private local stack for trying it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"carefit/internal/platform/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env env, args []string) error
	// help says more than the summary: subcommands and where their flags
	// are described.
	help string
}

// env is the process's surroundings, injected so commands can be tested.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"serve", "", "run the HTTP API (against CAREFIT_DATABASE_URL, CAREFIT_REDIS_URL, CAREFIT_MEILI_URL)", runServe, ""},
		{"worker", "", "run the background worker and, unless CAREFIT_SCHEDULER=false, the scheduler", runWorker, ""},
		{"migrate", "up|status", "apply or list database migrations", runMigrate, ""},
		{"keys", "create -role ROLE", "create an API key (printed once, stored hashed)", runKeys,
			"Subcommands:\n  create   make a key; 'carefit keys create -h' lists its flags (-role, -org, -profile, -label)"},
		{"import", "-kind profiles FILE", "bulk-load NDJSON profiles with a progress bar", runImport, ""},
		{"reindex", "[positions|profiles]", "rebuild search indexes from Postgres without downtime (both when none named)", runReindex, ""},
		{"rematch", "[-wait]", "rematch every open position now on the workers (-wait follows it with a progress bar)", runRematch, ""},
		{"load", "-plan FILE", "drive a running server at fixed rates from this process and report latency (make bench)", runLoad, ""},
		{"dev", "", "run the whole stack on this machine: private Postgres, Redis, Meilisearch, API and worker", runDev, ""},
		{"stack", "exec -- CMD [ARGS...]", "run CMD with a private, throw-away stack (used by make test)", runStack,
			"Subcommands:\n  exec     start private Postgres, Redis and Meilisearch, run CMD with CAREFIT_* pointing at them, then stop them"},
		{"version", "", "print the version", func(_ context.Context, e env, _ []string) error {
			fmt.Fprintln(e.stdout, "carefit", buildVersion())
			return nil
		}, ""},
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `carefit matches clinicians to positions on workplace fit.

Usage: carefit <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %-22s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, "\nRun 'carefit <command> -h' for a command's flags.\n\nEnvironment (defaults in brackets):\n")
	vars := config.Vars
	for _, v := range vars {
		def := v.Default
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-28s %s [%s]\n", v.Name, v.Help, def)
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, env{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		// Commands with subcommands (and those without flags) answer -h
		// here; the others' flag sets print their flags and return ErrHelp.
		if len(args) > 1 && isHelp(args[1]) && (c.help != "" || c.name == "version") {
			commandUsage(e.stdout, c)
			return 0
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(exitCode)):
			var ec exitCode
			errors.As(err, &ec)
			return ec.code
		case errors.As(err, new(usageError)):
			fmt.Fprintf(e.stderr, "carefit %s: %v\n", c.name, err)
			return 2
		case errors.As(err, new(*config.Error)):
			fmt.Fprintf(e.stderr, "carefit: invalid configuration: %v\n", err)
			return 2
		default:
			fmt.Fprintf(e.stderr, "carefit %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "carefit: unknown command %q (commands: %s)\n", args[0], commandNames())
	return 2
}

// isHelp reports whether arg asks for help, as -h, -help, --help or help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// commandUsage prints a command's usage line and summary. Commands with
// subcommands print their flags from the subcommand's own -h.
func commandUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: carefit %s %s\n\n%s\n", c.name, c.args, c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", c.help)
	}
	fmt.Fprintln(w, "\nSettings come from CAREFIT_* environment variables; see 'carefit help'.")
}

func commandNames() string {
	var n []string
	for _, c := range commands() {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}

// newFlags returns a flag set whose -h prints the command's usage.
func newFlags(e env, name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: carefit %s %s\n\n%s\n", name, args, summary)
		if hasFlags(fs) {
			fmt.Fprintln(e.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
		fmt.Fprintln(e.stderr, "\nSettings come from CAREFIT_* environment variables; see 'carefit help'.")
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}
