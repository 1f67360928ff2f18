package devicesync

// Exported for the external tests of package devicesync_test.
var (
	DecodePush = decodePush
	CheckShape = checkShape
)

// HasRecordHandler reports whether the push finds PocketBase's record
// handler for method and url, and with which path parameters.
func HasRecordHandler(method, url string) (map[string]string, bool) {
	_, params, ok := recordHandler(method, url)
	return params, ok
}
