package workflow

import (
	"archive/zip"
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"
)

// docx builds a minimal Word 2007+ document: a zip holding word/.
func docx(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><x/>`))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encoded(t *testing.T, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAttachmentSniffing: the type comes from the bytes, the name must not
// say otherwise, and only documents and raster images are taken (no HTML,
// SVG, programs or other archives, whatever their name).
func TestAttachmentSniffing(t *testing.T) {
	// word97.doc is the Word 97 sample of github.com/gabriel-vasile/mimetype's tests (MIT).
	doc, err := os.ReadFile("testdata/attachments/word97.doc")
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.7\n%%EOF\n")
	pngData := encoded(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
	jpgData := encoded(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
	var plainZip bytes.Buffer
	z := zip.NewWriter(&plainZip)
	w, _ := z.Create("a.txt")
	w.Write([]byte("x"))
	z.Close()
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string // the stored name; "" when refused
		problem    string
	}{
		{"PDF", "批复.pdf", pdf, "批复.pdf", ""},
		{"PDF, capital extension", "批复.PDF", pdf, "批复.PDF", ""},
		{"PDF without an extension", "批复", pdf, "批复.pdf", ""},
		{"a browser's fake path", `C:\fakepath\会议纪要.pdf`, pdf, "会议纪要.pdf", ""},
		{"a Unix path", "../../etc/批复.pdf", pdf, "批复.pdf", ""},
		{"Word 97", "纪要.doc", doc, "纪要.doc", ""},
		{"Word 2007", "纪要.docx", docx(t), "纪要.docx", ""},
		{"PNG", "扫描件.png", pngData, "扫描件.png", ""},
		{"JPEG as .jpeg", "扫描件.jpeg", jpgData, "扫描件.jpeg", ""},
		{"JPEG as .jpg", "扫描件.jpg", jpgData, "扫描件.jpg", ""},
		{"Word 97 named .docx", "纪要.docx", doc, "", "与文件内容（Word 文档（.doc））不符"},
		{"PNG named .pdf", "批复.pdf", pngData, "", "扩展名 .pdf 与文件内容（PNG 图片）不符"},
		{"HTML named .pdf", "批复.pdf", []byte("<html><body onload=alert(1)>"), "", "这个文件实际是网页（HTML）"},
		{"SVG", "图.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", "这个文件实际是SVG 矢量图"},
		{"a zip named .docx", "纪要.docx", plainZip.Bytes(), "", "这个文件实际是ZIP 压缩包"},
		{"plain text", "依据.pdf", []byte("第一条 为了……"), "", "这个文件实际是纯文本"},
		{"only a path", `C:\fakepath\`, pdf, "", "文件没有名字"},
		{"a control character", "批复\x07.pdf", pdf, "", "控制字符"},
		{"too long", strings.Repeat("批", 200) + ".pdf", pdf, "", "不能超过 200 字"},
	} {
		var got string
		typ, err := sniff(tc.data)
		if err == nil {
			got, err = attachmentName(tc.file, typ)
		}
		switch {
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		case tc.want == "" && (err == nil || !strings.Contains(err.Error(), tc.problem)):
			t.Errorf("%s: %q, %v; want refused with %q", tc.name, got, err, tc.problem)
		}
	}
}
