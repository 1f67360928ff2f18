package pb_migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
)

// DocumentMaxBytes is the most a document's file may weigh: the web app
// sends photos of about 300 KB (compressed on the phone) and PDFs as they
// are, so 2 MB leaves room for a scanned PDF and refuses what a phone on
// prepaid data should never send.
const DocumentMaxBytes = 2 << 20

// DocumentMimeTypes are the types a document's file may have, as
// PocketBase detects them from the content (not from the name or the
// sender's word): photos and PDFs.
var DocumentMimeTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}

// DocumentThumb is the thumbnail size PocketBase makes of a document's
// image on request (?thumb=200x200), for the lists of the web app.
const DocumentThumb = "200x200"

// sharedDocument is true of a document a NODESS may read: one of the kinds
// the catalog shares, never an identity document.
func sharedDocument() string {
	kinds := make([]string, len(catalog.SharedDocumentKinds))
	for i, k := range catalog.SharedDocumentKinds {
		kinds[i] = `kind = "` + k + `"`
	}
	return "(" + strings.Join(kinds, " || ") + ")"
}

// Documents (docs/DESIGN.md, "Documents"): a photo or PDF of one of a
// person's papers, taken by a field worker. The record syncs like the
// person's other records; its file is a protected PocketBase file (a
// download needs a file token, and the token's user must pass the view
// rule), uploaded with the record's create (multipart REST, never the sync
// push) and fetched online.
//
// Read: the person's own account, the field workers of either of the
// person's last two points, the coordinator of the state, and a NODESS that
// reaches the person (share_nodess consent) only for the shared kinds: an
// identity document never reaches a NODESS. Create: field workers, about a
// person they see (hooks/relations.go). Update: the kind, by the person's
// field workers. Delete: the field worker who took it, while the person is
// theirs. captured_by and captured_at are set by the server
// (hooks/documents.go).
func init() {
	m.Register(func(app core.App) error {
		docs, err := aboutPerson(app, catalog.Documents, "pbc_documents", "captured_by",
			choice("kind", true, catalog.DocumentKinds.Codes()...),
			&core.FileField{Name: "file", Required: true, MaxSelect: 1, MaxSize: DocumentMaxBytes,
				MimeTypes: DocumentMimeTypes, Thumbs: []string{DocumentThumb}, Protected: true,
				Help: "A photo (JPEG, PNG, WebP) or a PDF, at most 2 MB; downloads need a file token."},
			&core.DateField{Name: "captured_at", Help: "When the server received the document; set by the server."},
		)
		if err != nil {
			return err
		}
		docs.AddIndex("idx_documents_returnee", false, "returnee, kind", "")
		fieldWorkers := widenScope(fieldWorkerScope("returnee."), false)
		readWrite(docs,
			widenScope(or(fieldWorkerScope("returnee."), coordinatorScope("returnee."),
				nodessScope("returnee.")+` && `+sharedDocument(), ownReturnee), false),
			// whom a field worker may file a document about is the relation
			// scope's check: a person out of reach reads as missing
			isFieldWorker,
			fieldWorkers,
		)
		docs.DeleteRule = types.Pointer(fieldWorkers + ` && captured_by = @request.auth.id`)
		return app.Save(docs)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.Documents)
	})
}
