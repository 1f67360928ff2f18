package pb_migrations

import "github.com/retorno-mx/retorno/catalog"

// What a field worker's device holds of its point is a setting of the
// national administrators: field_window_days, in the one record of
// device_settings (superusers only, in the dashboard, like
// follow_up_settings), is the window of the point's returns its devices hold
// (docs/sync.md, "The device's window"); older people are found online.
// Changing it resets every field device once, which then pulls the new
// window.
func init() {
	settingsMigration(catalog.DeviceSettings, "pbc_device_settings",
		map[string]any{"field_window_days": catalog.FieldWindowDays},
		integer("field_window_days", false, 0, catalog.MaxFieldWindowDays,
			"Days of a reception point's returns that its field workers' phones hold (0: all of the point's people). Older people are found online."),
	)
}
