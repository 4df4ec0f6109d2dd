package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/totp"
)

// openDB opens and migrates the database named by --db.
func (c *cli) openDB(dsn string) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(c.ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(c.ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (c *cli) accounts(db *sqlstore.DB) *renkei.Accounts {
	return &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Default), TOTP: totp.TOTP{}, Issuer: "Renkei"}
}

// system is the context of CLI commands: they act as the operator.
func (c *cli) system() *renkei.Actor { return renkei.SystemActor("cli") }

func (c *cli) migrate(args []string) error {
	f := c.flags("migrate")
	dsn := f.dbFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := sqlstore.Open(c.ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(c.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "applied %d migration(s) to %s\n", n, db.Dialect())
	return nil
}

func (c *cli) orgCreate(args []string) error {
	f := c.flags("org create")
	dsn := f.dbFlag()
	name := f.String("name", "", "organization name")
	slug := f.String("slug", "", "short identifier: lower-case letters, digits, hyphens")
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := c.openDB(*dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	o := &renkei.Organization{Name: *name, Slug: *slug}
	if err := db.CreateOrganization(renkei.WithActor(c.ctx, c.system()), o); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created organization %s (%s)\n", o.Slug, o.ID)
	return nil
}

func (c *cli) userCreate(args []string) error {
	f := c.flags("user create")
	dsn := f.dbFlag()
	orgSlug := f.String("org", "", "organization slug")
	email := f.String("email", "", "email address")
	role := f.String("role", "", "admin, security, procurement, business, legal or viewer")
	name := f.String("name", "", "display name")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *orgSlug == "" {
		return usageError{"--org is required"}
	}
	db, org, err := c.openOrg(*dsn, *orgSlug)
	if err != nil {
		return err
	}
	defer db.Close()
	password, generated, err := c.readPassword()
	if err != nil {
		return err
	}
	u := &renkei.User{Email: *email, Name: *name}
	if err := c.accounts(db).CreateUser(renkei.WithActor(c.ctx, c.system()), org.ID, u, renkei.Role(*role), password); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created user %s with role %s in %s\n", u.Email, *role, org.Slug)
	if generated {
		fmt.Fprintf(c.stdout, "password (shown once): %s\n", password)
	}
	return nil
}

// readPassword takes the password from stdin when it is piped, otherwise
// generates one to print once.
func (c *cli) readPassword() (pw string, generated bool, err error) {
	if f, ok := c.stdin.(*os.File); !ok || !isTerminal(f) {
		if c.stdin != nil {
			line, err := bufio.NewReader(io.LimitReader(c.stdin, 4096)).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return "", false, err
			}
			if pw = strings.TrimRight(line, "\r\n"); pw != "" {
				return pw, false, nil
			}
		}
	}
	return strings.ToLower(renkei.NewSecret(15)), true, nil
}

func (c *cli) tokenCreate(args []string) error {
	f := c.flags("token create")
	dsn := f.dbFlag()
	orgSlug := f.String("org", "", "organization slug")
	email := f.String("email", "", "the user the token acts as")
	name := f.String("name", "cli", "a name to recognize the token by")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *orgSlug == "" || *email == "" {
		return usageError{"--org and --email are required"}
	}
	db, org, err := c.openOrg(*dsn, *orgSlug)
	if err != nil {
		return err
	}
	defer db.Close()
	addr, _ := renkei.NormalizeEmail(*email)
	u, err := db.UserByEmail(c.ctx, addr)
	if err != nil {
		return lookupErr(err, "user "+*email)
	}
	t, secret, err := c.accounts(db).CreateToken(renkei.WithActor(c.ctx, c.system()), org.ID, u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created API token %q (%s) for %s in %s; it is shown once:\n%s\n", t.Name, t.ID, u.Email, org.Slug, secret)
	return nil
}

var errAuditBroken = errors.New("audit chain broken")

func (c *cli) auditVerify(args []string) error {
	f := c.flags("audit verify")
	dsn := f.dbFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := sqlstore.Open(c.ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	brk, n, err := db.VerifyAudit(c.ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		what := map[string]string{
			"hash": "its content was altered",
			"prev": "its link to the entry before it does not match (an entry before it was altered or replaced)",
			"gap":  "one or more entries before it were removed",
		}[brk.Reason]
		fmt.Fprintf(c.stderr, "audit chain BROKEN at entry seq %d (id %s): %s\n", brk.Seq, brk.ID, what)
		return errAuditBroken
	}
	seq, head, err := db.AuditHead(c.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "audit chain intact: %d entries, last seq %d, head %s\n", n, seq, head)
	return nil
}

func (c *cli) backup(args []string) error {
	f := c.flags("backup")
	dsn := f.dbFlag()
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"backup needs exactly one FILE"}
	}
	db, err := sqlstore.Open(c.ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(c.ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "backed up to %s\n", rest[0])
	return nil
}

// lookupErr names what was not found, so the operator sees which flag to fix.
// openOrg opens the database and finds the organization by its slug; the
// caller closes the database.
func (c *cli) openOrg(dsn, slug string) (*sqlstore.DB, *renkei.Organization, error) {
	db, err := c.openDB(dsn)
	if err != nil {
		return nil, nil, err
	}
	org, err := db.OrganizationBySlug(c.ctx, slug)
	if err != nil {
		db.Close()
		return nil, nil, lookupErr(err, "organization "+slug)
	}
	return db, org, nil
}

func lookupErr(err error, what string) error {
	if renkei.ErrorCode(err) == renkei.ENOTFOUND {
		return renkei.ErrNotFound(what)
	}
	return err
}
