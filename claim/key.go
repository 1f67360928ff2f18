package claim

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"
)

// KeyFile is the file, in the data directory beside data.db, that holds the
// server's claim key: the secret of the verifiers of claim codes. It is not
// in the database, so that a copy of data.db alone (a stolen backup, a
// leaked replica) does not let anyone test codes against the verifiers.
// Back it up with the database (docs/OPERATIONS.md): without it, the codes
// not yet claimed stop working (field workers hand out new ones).
const KeyFile = "claim.key"

// verifierPrefix marks a verifier that is an HMAC under the server's key;
// older ones are bcrypt hashes ("$2a$…"), still checked until they expire.
const verifierPrefix = "hmac-sha256:"

const storeKey = "retorno.claimKey"

// compared counts the verifiers compared, for the test that every refused
// claim costs the same.
var compared atomic.Int64

// serverKey returns app's claim key, read from KeyFile, which it creates
// (32 random bytes, hex, mode 0600) on first use.
func serverKey(app core.App) ([]byte, error) {
	if key, ok := app.Store().GetOk(storeKey); ok {
		return key.([]byte), nil
	}
	path := filepath.Join(app.DataDir(), KeyFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		raw = []byte(hex.EncodeToString(randomBytes(32)))
		f, createErr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case errors.Is(createErr, fs.ErrExist):
			raw, err = os.ReadFile(path) // created meanwhile
		case createErr != nil:
			return nil, fmt.Errorf("claim key: %w", createErr)
		default:
			_, err = f.Write(raw)
			err = errors.Join(err, f.Sync(), f.Close())
		}
	}
	if err != nil {
		return nil, fmt.Errorf("claim key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("claim key: %s must hold 64 hexadecimal characters", path)
	}
	app.Store().Set(storeKey, key)
	return key, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}

// verifierOf is the stored verifier of a device's claim hash.
func verifierOf(key []byte, hash string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(hash))
	return verifierPrefix + hex.EncodeToString(mac.Sum(nil))
}

// matches reports whether hash is the one verifier was made of: an HMAC
// under key, or (a code stored before the key existed) a bcrypt hash.
func matches(key []byte, verifier, hash string) bool {
	compared.Add(1)
	if strings.HasPrefix(verifier, "$2") {
		return bcrypt.CompareHashAndPassword([]byte(verifier), []byte(hash)) == nil
	}
	return hmac.Equal([]byte(verifier), []byte(verifierOf(key, hash)))
}
