package accounts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
)

// deviceSecretLabel separates the device secret's HMAC from any other use of
// the token key.
const deviceSecretLabel = "retorno device secret v1\x00"

// deviceSecret handles GET /api/device-secret?client_id=...: the secret that
// a device's PIN unlock needs besides the PIN (see the package
// documentation).
func deviceSecret(e *core.RequestEvent) error {
	clientID := e.Request.URL.Query().Get("client_id")
	if !devicesync.ValidClientID(clientID) {
		return e.BadRequestError("client_id must be 8-64 characters [A-Za-z0-9_-].", nil)
	}
	return e.JSON(http.StatusOK, map[string]string{"secret": DeviceSecret(e.Auth, clientID)})
}

// DeviceSecret is the secret of the device clientID of the account r: the
// base64url HMAC-SHA256, under r's token key, of the account and the device.
func DeviceSecret(r *core.Record, clientID string) string {
	mac := hmac.New(sha256.New, []byte(r.TokenKey()))
	mac.Write([]byte(deviceSecretLabel + r.Collection().Id + "\x00" + r.Id + "\x00" + clientID))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
