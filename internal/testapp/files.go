package testapp

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"

	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// JPEG returns a photo of w×h pixels, as a phone's camera would give one
// (a real JPEG: PocketBase detects the type from the content and makes
// thumbnails of it).
func JPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 11), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PDF returns a small valid PDF of one empty page.
func PDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n" +
		"trailer<</Root 1 0 R>>\n%%EOF\n")
}

// File wraps content as an upload named name, for a record's file field.
func File(content []byte, name string) *filesystem.File {
	f, err := filesystem.NewFileFromBytes(content, name)
	if err != nil {
		panic(err)
	}
	return f
}
