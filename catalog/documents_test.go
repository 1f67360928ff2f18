package catalog_test

import (
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
)

// TestDocumentKinds_Split: every kind of document is either an identity
// document (never to a NODESS) or shared, never both, never neither (a
// kind added to DocumentKinds must be placed on purpose).
func TestDocumentKinds_Split(t *testing.T) {
	for _, kind := range catalog.DocumentKinds.Codes() {
		identity := slices.Contains(catalog.IdentityDocumentKinds, kind)
		shared := slices.Contains(catalog.SharedDocumentKinds, kind)
		if identity == shared {
			t.Errorf("document kind %s: identity %v, shared %v: want exactly one", kind, identity, shared)
		}
	}
	for _, kind := range append(slices.Clone(catalog.IdentityDocumentKinds), catalog.SharedDocumentKinds...) {
		if !slices.Contains(catalog.DocumentKinds.Codes(), kind) {
			t.Errorf("%s is not a kind of catalog.DocumentKinds", kind)
		}
	}
}
