package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// it is read from the module's build information.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		if v != "" {
			return v
		}
	}
	return "(devel)"
}

// env is how commands read the environment (os.Getenv in production).
type env func(string) string

// cli is what every command gets.
type cli struct {
	ctx    context.Context
	env    env
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `renkei — supply-chain cybersecurity platform / サプライチェーン・セキュリティ基盤

Usage:
  renkei serve [--addr 127.0.0.1:8080] [--db DB] [--data DIR] [--demo]
  renkei migrate [--db DB]
  renkei org create --name NAME --slug SLUG
  renkei user create --org SLUG --email EMAIL --role ROLE [--name NAME]
  renkei token create --org SLUG --email EMAIL [--name NAME]
  renkei audit verify
  renkei backup FILE
  renkei vulndb import [--skip-invalid] PATH...
  renkei sbom import --org SLUG [--partner ID] --product NAME --version V FILE...
  renkei sbom affected --org SLUG (--advisory ID | --purl PURL)
  renkei sbom scan FILE...
  renkei version

DB is a file path, sqlite:PATH or postgres://… (default sqlite:renkei.db).
Every flag can also be set as RENKEI_<FLAG>, e.g. RENKEI_DB, RENKEI_SMTP_HOST.
Roles: admin, security, procurement, business, legal, viewer.
`

// run is the whole program: it returns the exit status.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, env: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	err := c.dispatch(args)
	var ue usageError
	var ce *renkei.Error
	var fe fileError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "renkei: %s\n", fe.Error())
		return 1
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "renkei: %s\n\n%s", ue.msg, usage)
		return 2
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "renkei: %s\n", describe(ce))
		return 1
	case errors.Is(err, errAuditBroken):
		return 1
	default:
		fmt.Fprintf(stderr, "renkei: %v\n", err)
		return 1
	}
}

// describe renders a coded error in English for the terminal, with the
// fields that are wrong.
func describe(e *renkei.Error) string {
	msg := i18n.T("en", e.Key, e.Args...)
	if len(e.Fields) == 0 {
		return msg
	}
	var names []string
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		msg += fmt.Sprintf("\n  --%s: %s", strings.ReplaceAll(f, "_", "-"), i18n.T("en", e.Fields[f]))
	}
	return msg
}

func (c *cli) dispatch(args []string) error {
	if len(args) == 0 {
		return usageError{"no command given"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return c.serve(rest)
	case "migrate":
		return c.migrate(rest)
	case "org":
		return c.sub("org", rest, map[string]func([]string) error{"create": c.orgCreate})
	case "user":
		return c.sub("user", rest, map[string]func([]string) error{"create": c.userCreate})
	case "token":
		return c.sub("token", rest, map[string]func([]string) error{"create": c.tokenCreate})
	case "audit":
		return c.sub("audit", rest, map[string]func([]string) error{"verify": c.auditVerify})
	case "backup":
		return c.backup(rest)
	case "vulndb":
		return c.sub("vulndb", rest, map[string]func([]string) error{"import": c.vulndbImport})
	case "sbom":
		return c.sub("sbom", rest, map[string]func([]string) error{
			"import": c.sbomImport, "affected": c.sbomAffected, "scan": c.sbomScan,
		})
	case "version", "--version", "-version":
		fmt.Fprintf(c.stdout, "renkei %s\n", versionString())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(c.stdout, usage)
		return nil
	default:
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

func (c *cli) sub(name string, args []string, cmds map[string]func([]string) error) error {
	if len(args) == 0 {
		return usageError{name + " needs a subcommand"}
	}
	fn, ok := cmds[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("unknown command %q %q", name, args[0])}
	}
	return fn(args[1:])
}

// flags makes a flag set whose flags fall back to RENKEI_<FLAG> from the
// environment; parse applies both.
type flags struct {
	*flag.FlagSet
	c *cli
}

func (c *cli) flags(name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return &flags{FlagSet: fs, c: c}
}

// parse reads the command line, then fills every flag not given there from
// its environment variable. Positional arguments are returned.
func (f *flags) parse(args []string) ([]string, error) {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err.Error()}
	}
	given := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var err error
	f.VisitAll(func(fl *flag.Flag) {
		if given[fl.Name] || err != nil {
			return
		}
		name := "RENKEI_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		if v := f.c.env(name); v != "" {
			if e := fl.Value.Set(v); e != nil {
				err = usageError{fmt.Sprintf("%s=%q: %v", name, v, e)}
			}
		}
	})
	return f.Args(), err
}

// dbFlag adds --db with its default.
func (f *flags) dbFlag() *string {
	return f.String("db", "sqlite:renkei.db", "database: a file path, sqlite:PATH or postgres://…")
}

// logger writes JSON when stderr is not a terminal (servers, CI) and text
// when a person is watching.
func (c *cli) logger(level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q: use debug, info, warn or error", level)}
	}
	opts := &slog.HandlerOptions{Level: lv}
	if f, ok := c.stderr.(*os.File); ok && isTerminal(f) {
		return slog.New(slog.NewTextHandler(c.stderr, opts)), nil
	}
	return slog.New(slog.NewJSONHandler(c.stderr, opts)), nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
