package catalog

// FieldWindowDays is how many days of a reception point's returns its field
// workers' devices hold by default (docs/sync.md, "The device's window"):
// superusers change it in the one record of device_settings; the migration
// that creates it writes this, and the sync engine uses it when the record
// is missing. 0 holds the point's whole scope.
const FieldWindowDays = 180

// MaxFieldWindowDays bounds the setting: ten years.
const MaxFieldWindowDays = 3650
