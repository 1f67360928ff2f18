// Package catalog is what Retorno knows about its collections, in one place:
// their names, and for each one how devices sync it, whether it is
// immutable or audited, which field the server stamps with the writer, how a
// record reaches the NODESS that runs it, the status it starts in and the
// requests a returnee may make, and what a merge of two people does with it
// (collections.go). Hooks, the sync configuration and the merge read it, so
// that adding a collection is one entry here, one migration and its screens;
// a guard test fails when a collection that devices sync or that points at a
// person is not described here.
//
// The package is a leaf: it imports nothing of Retorno's, so migrations,
// hooks, reports, the demo and tests may all use it.
package catalog
