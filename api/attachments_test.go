package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

// testPDF is a small PDF: what mimetype recognises by its header.
var testPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

type attachmentOut struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	KindName    string `json:"kind_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Uploader    string `json:"uploader"`
	URL         string `json:"url"`
	MayDelete   bool   `json:"may_delete"`
}

type attachmentsOut struct {
	Attachments []attachmentOut `json:"attachments"`
	MayAdd      bool            `json:"may_add"`
	Kind        string          `json:"kind"`
	MaxBytes    int             `json:"max_bytes"`
	MaxCount    int             `json:"max_count"`
}

func (e *crEnv) attach(t testing.TB, who string, id int64, name string, data []byte, kind string) response {
	t.Helper()
	fields := map[string]string{}
	if kind != "" {
		fields["kind"] = kind
	}
	return postFile(t, e.h, fmt.Sprintf("/api/v1/change-requests/%d/attachments", id), e.token[who], name, data, fields)
}

func (e *crEnv) attachments(t testing.TB, who string, id int64) attachmentsOut {
	t.Helper()
	var out attachmentsOut
	e.must(t, http.StatusOK, who, "GET", fmt.Sprintf("/api/v1/change-requests/%d/attachments", id), nil).JSON(t, &out)
	return out
}

// TestAttachmentUploadDownloadAndAudit: a drafter attaches a 批复 with a
// Chinese name; it is listed with its hash, downloaded byte for byte as a
// download (never inline, nosniff), deleted; the upload, each download (who,
// which file) and the delete are audited.
func TestAttachmentUploadDownloadAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.create(t, "hsb-ybj", e.hsb)
		r := e.attach(t, "hsb-ybj", id, `C:\fakepath\关于调整权责清单的批复.pdf`, testPDF, "批复")
		if r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var a attachmentOut
		r.JSON(t, &a)
		sum := sha256.Sum256(testPDF)
		if a.Name != "关于调整权责清单的批复.pdf" || a.Kind != "approval" || a.KindName != "批复" || a.ContentType != "application/pdf" ||
			a.Size != int64(len(testPDF)) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Uploader == "" {
			t.Fatalf("uploaded: %+v", a)
		}
		list := e.attachments(t, "hsb-ybj", id)
		if len(list.Attachments) != 1 || list.Attachments[0] != a || !a.MayDelete || !list.MayAdd || list.Kind != "basis" ||
			list.MaxBytes != models.MaxAttachmentBytes || list.MaxCount != models.MaxAttachments {
			t.Fatalf("listed: %+v", list)
		}

		d := e.must(t, http.StatusOK, "hsb-ybj", "GET", a.URL, nil)
		cd := d.Header.Get("Content-Disposition")
		if !bytes.Equal(d.Body, testPDF) || d.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(cd, "attachment; ") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape(a.Name)) ||
			d.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(d.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("download: %v %q", d.Header, d.Body)
		}
		e.must(t, http.StatusOK, "hsb-ybj2", "GET", a.URL, nil)
		e.must(t, http.StatusNotFound, "yt-ybj", "GET", a.URL, nil) // refused: not a download

		e.must(t, http.StatusNoContent, "hsb-ybj", "DELETE", a.URL, nil)
		e.must(t, http.StatusNotFound, "hsb-ybj", "GET", a.URL, nil)
		e.must(t, http.StatusNotFound, "hsb-ybj", "DELETE", a.URL, nil)

		events, err := e.store.AuditEvents(context.Background(), models.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, ev := range events {
			if strings.HasPrefix(ev.Action, "attachment_") && ev.TargetID == fmt.Sprint(id) && ev.RegionCode == "640303" &&
				strings.Contains(ev.After+ev.Before, a.SHA256) && strings.Contains(ev.After+ev.Before, fmt.Sprintf(`"attachment_id":%d`, a.ID)) {
				seen[ev.Action+" by "+ev.Actor]++
			}
		}
		if want := map[string]int{"attachment_add by hsb-ybj": 1, "attachment_download by hsb-ybj": 1, "attachment_download by hsb-ybj2": 1,
			"attachment_delete by hsb-ybj": 1}; !maps.Equal(seen, want) {
			t.Fatalf("audit rows of the upload, each download and the delete: %v, want %v", seen, want)
		}

		// A draft with files can still be deleted: its files go with it.
		e.attach(t, "hsb-ybj", id, "依据.pdf", testPDF, "")
		e.must(t, http.StatusNoContent, "hsb-ybj", "DELETE", fmt.Sprintf("/api/v1/change-requests/%d", id), nil)
	})
}

// TestAttachmentLimitsAndTypes: the type is what the bytes are; the size and
// the number of files are capped; each refusal names what is wrong.
func TestAttachmentLimitsAndTypes(t *testing.T) {
	big := func(n int) []byte { return append(bytes.Clone(testPDF), make([]byte, n-len(testPDF))...) }
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.create(t, "hsb-ybj", e.hsb)
		for _, tc := range []struct {
			name, file, kind string
			data             []byte
			status           int
			msg              string
		}{
			{"HTML named .pdf", "批复.pdf", "", []byte("<!doctype html><html><script>alert(1)</script></html>"), 400, "只能上传"},
			{"SVG image", "图.svg", "", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 400, "只能上传"},
			{"a program", "纪要.doc", "", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...), 400, "只能上传"},
			{"a PDF named .docx", "纪要.docx", "", testPDF, 400, "扩展名 .docx 与文件内容（PDF）不符"},
			{"an empty file", "空.pdf", "", []byte{}, 400, "文件是空的"},
			{"an unknown kind", "批复.pdf", "通知", testPDF, 400, "附件类别只能是批复、会议纪要、调整依据、审查意见书、其他"},
			{"a name with a direction override", "批复\u202efdp.pdf", "", testPDF, 400, "改变文字方向"},
			{"one byte over the limit", "大.pdf", "", big(models.MaxAttachmentBytes + 1), 413, "不能超过 20 MB"},
			{"far over the limit", "大.pdf", "", big(models.MaxAttachmentBytes + 1<<20), 413, "不能超过 20 MB"},
		} {
			r := e.attach(t, "hsb-ybj", id, tc.file, tc.data, tc.kind)
			if r.Status != tc.status || !strings.Contains(r.ErrorMessage(t), tc.msg) {
				t.Errorf("%s: %d %s, want %d with %q", tc.name, r.Status, r.Body, tc.status, tc.msg)
			}
		}
		if r := postFile(t, e.h, fmt.Sprintf("/api/v1/change-requests/%d/attachments", id), e.token["hsb-ybj"], "", nil, nil); r.Status != 400 {
			t.Errorf("no file: %d %s", r.Status, r.Body)
		}
		if n := len(e.attachments(t, "hsb-ybj", id).Attachments); n != 0 {
			t.Fatalf("refused files were stored: %d", n)
		}

		// At the limit exactly, a name without an extension gets the type's.
		r := e.attach(t, "hsb-ybj", id, "会议纪要扫描件", big(models.MaxAttachmentBytes), "minutes")
		var a attachmentOut
		r.JSON(t, &a)
		if r.Status != 201 || a.Name != "会议纪要扫描件.pdf" || a.Size != models.MaxAttachmentBytes || a.Kind != "minutes" {
			t.Fatalf("a file of exactly the limit: %d %+v", r.Status, a)
		}
		for i := 1; i < models.MaxAttachments; i++ {
			if r := e.attach(t, "hsb-ybj", id, fmt.Sprintf("依据%d.pdf", i), testPDF, "basis"); r.Status != 201 {
				t.Fatalf("file %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		r = e.attach(t, "hsb-ybj", id, "再一个.pdf", testPDF, "")
		if r.Status != 409 || !strings.Contains(r.ErrorMessage(t), fmt.Sprintf("最多 %d 个附件", models.MaxAttachments)) {
			t.Fatalf("file %d: %d %s", models.MaxAttachments+1, r.Status, r.Body)
		}
	})
}

// TestAttachmentAccess: who may list, download, add and delete a request's
// files, per role and step, under a process with 编办 and 司法局 review in
// turn and a 会签: whoever sees the request reads them; whoever works on it
// in its current step adds them — its drafters while it is editable, the
// department asked for its 会签, the reviewer of the step, the approver in
// 审定 and before publication; a file is deleted by its side only; nobody
// else learns the request exists.
func TestAttachmentAccess(t *testing.T) {
	everyone := []string{"anonymous", "hsb-ybj", "hsb-ybj2", "yt-ybj", "hsb-wjj", "hsb-bb", "hsb-sfj", "hsb-sfj2", "yt-sfj",
		"hsb-gov", "yt-gov", "admin", "hsb-admin"}
	const ok, created, noContent, forbidden, notFound, conflict = 200, 201, 204, 403, 404, 409
	// want: who is not named gets 404 (anonymous 401).
	want := func(named map[string]int) map[string]int {
		out := map[string]int{}
		for _, who := range everyone {
			out[who] = notFound
		}
		out["anonymous"] = http.StatusUnauthorized
		for who, s := range named {
			out[who] = s
		}
		return out
	}
	drafters := func(s, admin int) map[string]int {
		return want(map[string]int{"hsb-ybj": s, "hsb-ybj2": s, "admin": admin})
	}
	// region: a submitted request, its drafters answered drafter, the
	// region's reviewers, approver and the admin others, but for those named.
	region := func(drafter, others int, but map[string]int) map[string]int {
		out := want(map[string]int{"hsb-ybj": drafter, "hsb-ybj2": drafter, "hsb-bb": others, "hsb-sfj": others, "hsb-sfj2": others,
			"hsb-gov": others, "admin": others})
		maps.Copy(out, but)
		return out
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := processEnv(t, db)
		e.setProcess(t, "admin", "640303", sequential)
		n := 0
		// request takes a new request of 红寺堡区 to the state with one file
		// its drafter attached while it was a draft; in 会签 it touches 卫健局's power.
		request := func(state string) (int64, string) {
			n++
			op := map[string]any{"op": "add", "item": map[string]any{"name": fmt.Sprintf("事项%d", n), "category": "行政检查", "basis": crBasis}}
			if state == "countersign" {
				op = map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险稽核"),
					"item": map[string]any{"department": fmt.Sprintf("红寺堡区医疗保障局、红寺堡区卫生健康局（%d）", n)}}
			}
			id := e.draftWith(t, op)
			r := e.attach(t, "hsb-ybj", id, "批复.pdf", testPDF, "批复")
			if r.Status != created {
				t.Fatalf("attach: %d %s", r.Status, r.Body)
			}
			var a attachmentOut
			r.JSON(t, &a)
			path := [][3]string{{"hsb-ybj", "submit", "staffing_review"}, {"hsb-bb", "pass", "legal_review"}, {"hsb-sfj", "pass", "approval"},
				{"hsb-gov", "approve", "approved"}, {"hsb-gov", "publish", "published"}}
			switch state {
			case "countersign":
				path = [][3]string{{"hsb-ybj", "submit", "countersign"}}
			case "returned":
				path = [][3]string{{"hsb-ybj", "submit", "staffing_review"}, {"hsb-bb", "return", "returned"}}
			}
			for _, s := range path {
				if state == "draft" {
					break
				}
				e.fire(t, s[0], id, s[1], "意见", s[2])
				if s[2] == state {
					break
				}
			}
			return id, a.URL
		}
		for _, row := range []struct {
			name, state, method string
			want                map[string]int
		}{
			{"list a draft's files", "draft", "GET", drafters(ok, ok)},
			{"download from a draft", "draft", "GET", drafters(ok, ok)},
			{"list a submitted request's files", "legal_review", "GET", region(ok, ok, nil)},
			{"download from a request in 会签", "countersign", "GET", region(ok, ok, map[string]int{"hsb-wjj": ok})},
			{"download from a published request", "published", "GET", region(ok, ok, nil)},
			{"add to a draft", "draft", "POST", drafters(created, forbidden)},
			{"add in 会签", "countersign", "POST", region(conflict, forbidden, map[string]int{"hsb-wjj": created})},
			{"add in 编办审核", "staffing_review", "POST", region(conflict, forbidden, map[string]int{"hsb-bb": created})},
			{"add in 合法性审查", "legal_review", "POST", region(conflict, forbidden, map[string]int{"hsb-sfj": created, "hsb-sfj2": created})},
			{"add in 审定", "approval", "POST", region(conflict, forbidden, map[string]int{"hsb-gov": created})},
			{"add before publication", "approved", "POST", region(conflict, forbidden, map[string]int{"hsb-gov": created})},
			{"add to a returned request", "returned", "POST", region(created, forbidden, nil)},
			{"add to a published request", "published", "POST", region(conflict, conflict, nil)},
			{"delete from a draft", "draft", "DELETE", drafters(noContent, forbidden)},
			{"delete the drafters' file in review", "legal_review", "DELETE", region(conflict, forbidden, nil)},
			{"delete from a published request", "published", "DELETE", region(conflict, conflict, nil)},
		} {
			t.Run(row.name, func(t *testing.T) {
				id, file := request(row.state)
				for _, who := range everyone {
					var r response
					switch {
					case row.method == "POST":
						r = e.attach(t, who, id, "会议纪要.pdf", testPDF, "")
					case strings.HasPrefix(row.name, "list"):
						r = e.as(t, who, "GET", fmt.Sprintf("/api/v1/change-requests/%d/attachments", id), nil)
					default:
						r = e.as(t, who, row.method, file, nil)
					}
					if r.Status != row.want[who] {
						t.Errorf("%s: %d, want %d: %.200s", who, r.Status, row.want[who], r.Body)
					}
					if row.method == "DELETE" && r.Status == noContent { // the next one deletes a file of its own
						id, file = request(row.state)
					}
					// What the list offers is what the server lets them do.
					if row.method == "POST" && r.Status != http.StatusUnauthorized && r.Status != notFound {
						if got := e.attachments(t, who, id).MayAdd; got != (r.Status == created) {
							t.Errorf("%s is offered may_add %v, but the upload answered %d", who, got, r.Status)
						}
					}
				}
			})
		}

		// A reviewer's 审查意见书: offered as such, added in their step and
		// deleted by them alone; it stays when the request goes back, and
		// its drafters cannot delete it.
		id, drafted := request("legal_review")
		if l := e.attachments(t, "hsb-sfj", id); !l.MayAdd || l.Kind != "opinion" || l.Attachments[0].MayDelete {
			t.Errorf("the reviewer's view: %+v", l)
		}
		if l := e.attachments(t, "hsb-gov", id); l.MayAdd || l.Kind != "approval" {
			t.Errorf("the approver's view in review: %+v", l)
		}
		r := e.attach(t, "hsb-sfj", id, "合法性审查意见书.pdf", testPDF, "opinion")
		var opinion attachmentOut
		r.JSON(t, &opinion)
		if r.Status != created || opinion.KindName != "审查意见书" || !opinion.MayDelete {
			t.Fatalf("the reviewer attaches: %d %s", r.Status, r.Body)
		}
		if l := e.attachments(t, "hsb-sfj2", id); len(l.Attachments) != 2 || l.Attachments[1].MayDelete {
			t.Errorf("another reviewer may delete the 审查意见书: %+v", l)
		}
		if r := e.as(t, "hsb-sfj2", "DELETE", opinion.URL, nil); r.Status != forbidden || !strings.Contains(r.ErrorMessage(t), "只有上传者可以删除") {
			t.Errorf("another reviewer deletes it: %d %s", r.Status, r.Body)
		}
		e.must(t, forbidden, "hsb-sfj", "DELETE", drafted, nil) // the drafters' file is theirs
		e.fire(t, "hsb-sfj", id, "return", "依据不足，见审查意见书", "returned")
		e.must(t, forbidden, "hsb-sfj", "DELETE", opinion.URL, nil) // the step is over
		if l := e.attachments(t, "hsb-ybj", id); !l.MayAdd || len(l.Attachments) != 2 || !l.Attachments[0].MayDelete || l.Attachments[1].MayDelete {
			t.Errorf("the drafter's view after the return: %+v", l)
		}
		e.must(t, forbidden, "hsb-ybj", "DELETE", opinion.URL, nil)
		e.must(t, noContent, "hsb-ybj2", "DELETE", drafted, nil) // a colleague's file
		e.must(t, ok, "hsb-ybj", "GET", opinion.URL, nil)
	})
}
