package devicesync

// Exported for the external tests of package devicesync_test.
var (
	DecodePush = decodePush
	CheckShape = checkShape
)
