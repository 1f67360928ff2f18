// Server error codes: sync result codes (docs/sync.md), PocketBase's field
// validation codes, and the domain hooks' codes. Unknown codes fall back to
// the server's own message (the domain hooks already write Spanish).
export const es = {
  validation_failed: "Algunos datos no son válidos.",
  forbidden: "No tienes permiso para hacer este cambio.",
  not_found: "El registro no existe o ya no tienes acceso.",
  immutable: "Los movimientos del libro no se pueden cambiar: registra un movimiento de corrección.",
  unknown_collection: "Este tipo de registro no se sincroniza.",
  too_large: "El cambio es demasiado grande para enviarlo.",
  bad_request: "El servidor no entendió el cambio.",
  validation_required: "Este dato es obligatorio.",
  validation_invalid_email: "El correo no es válido.",
  validation_invalid_value: "El valor no es válido.",
  validation_invalid_format: "El formato no es válido.",
  validation_length_out_of_range: "La longitud no es válida.",
  validation_min_greater_equal_than_required: "El valor es demasiado pequeño.",
  validation_max_less_equal_than_required: "El valor es demasiado grande.",
  validation_not_unique: "Ese valor ya está registrado.",
  validation_values_mismatch: "Los valores no coinciden.",
  validation_missing_rel_records: "El registro relacionado no existe o no tienes acceso.",
  validation_invalid_curp: "La CURP no es válida.",
  outside_scope: "Solo puedes registrar personas en tu propio punto de recepción.",
  unknown: "Ocurrió un error.",
};
