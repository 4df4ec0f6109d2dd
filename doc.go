// Package renkei is the domain core of Renkei (連携), a supply-chain
// cybersecurity platform: the types, their validation, the coded errors, the
// service interfaces, the actor carried in the context and the pure rules.
//
// It imports only the standard library. Adapters (sqlstore, web, smtpmail,
// fileblob, …) depend on it; it depends on none of them.
package renkei
