package screening

import (
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/screen"
)

const draft = "王建国，身份证号110105196803150011，联系电话13801234567。\n咨询电话：010-83930000。\n"

var (
	at       = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	reviewer = &review.User{Name: "lina", Roles: []review.Role{review.RoleConfidentiality}}
	clerk    = &review.User{Name: "zhang", Roles: []review.Role{review.RoleClerk}}
)

func rev(n int, text string) *review.Revision {
	meta := review.Metadata{Title: "决定", Kind: review.KindOther, Disclosure: review.DisclosureActive}
	return &review.Revision{DocumentID: 7, Number: n, Meta: meta, Text: text, Hash: review.RevisionHash(meta, text)}
}

// decided returns the decisions that give each finding of text (by its
// text) the status in want.
func decided(t *testing.T, text string, want map[string]Status) []Decision {
	t.Helper()
	var out []Decision
	for _, f := range screen.New(screen.Config{}).Scan(text) {
		st, ok := want[f.Text]
		if !ok {
			continue
		}
		out = append(out, Decision{ID: int64(len(out) + 1), DocumentID: 7, Fingerprint: f.Fingerprint, Status: st,
			Reason: "公开电话", Actor: "lina", Revision: 1, Kind: f.Kind, Text: f.Text})
	}
	return out
}

func statuses(st *State) string {
	var s []string
	for _, it := range st.Items {
		s = append(s, it.Text+"="+string(it.Status))
	}
	return strings.Join(s, " ")
}

func TestEvaluate_LatestDecisionPerFingerprintCountsOnAnyRevision(t *testing.T) {
	sc := screen.New(screen.Config{})
	ds := decided(t, draft, map[string]Status{"13801234567": StatusConfirmed, "010-83930000": StatusConfirmed})
	// A later dismissal of the landline supersedes its confirmation.
	later := ds[1]
	later.ID, later.Status = 3, StatusDismissed
	ds = append(ds, later)
	tests := []struct {
		name string
		text string
		want string
	}{
		{"same revision", draft, "110105196803150011=待处理 13801234567=已确认 010-83930000=已排除"},
		{"paragraph inserted above", "新增一段。\n\n" + draft, "110105196803150011=待处理 13801234567=已确认 010-83930000=已排除"},
		{"number in other words is asked about again", "申请人电话13801234567。\n", "13801234567=待处理"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := statuses(Evaluate(sc, rev(2, tc.text), ds)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestCheckDecide(t *testing.T) {
	sc := screen.New(screen.Config{})
	st := Evaluate(sc, rev(1, draft), nil)
	id := st.Items[0].Fingerprint
	dismissedSt := Evaluate(sc, rev(1, draft), decided(t, draft, map[string]Status{"110105196803150011": StatusDismissed}))
	tests := []struct {
		name   string
		user   *review.User
		st     *State
		fp     string
		status Status
		reason string
		code   string
	}{
		{"reviewer confirms", reviewer, st, id, StatusConfirmed, "", ""},
		{"reviewer dismisses with a reason", reviewer, st, id, StatusDismissed, "系虚构示例", ""},
		{"dismissal needs a reason", reviewer, st, id, StatusDismissed, "  ", review.EINVALID},
		{"clerk may not decide", clerk, st, id, StatusConfirmed, "", review.EFORBIDDEN},
		{"unknown fingerprint", reviewer, st, "ffff", StatusConfirmed, "", review.ENOTFOUND},
		{"deciding the same again is refused", reviewer, dismissedSt, id, StatusDismissed, "公开电话", review.ECONFLICT},
		{"a dismissal may become a confirmation", reviewer, dismissedSt, id, StatusConfirmed, "", ""},
		{"open is not a decision", reviewer, st, id, StatusOpen, "", review.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := CheckDecide(tc.user, tc.st, tc.fp, tc.status, tc.reason, at)
			if review.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if err == nil && (d.Text != "110105196803150011" || d.Kind != screen.KindIDCard || d.Revision != 1 || d.Actor != "lina") {
				t.Errorf("decision = %+v", d)
			}
		})
	}
}

func TestCheckApproval(t *testing.T) {
	sc := screen.New(screen.Config{})
	all := func(s Status) map[string]Status {
		return map[string]Status{"110105196803150011": s, "13801234567": s, "010-83930000": s}
	}
	confirmed := decided(t, draft, all(StatusConfirmed))
	redacted, _, err := Redaction(Evaluate(sc, rev(1, draft), confirmed))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		text string
		ds   []Decision
		want string // "" when approval may proceed
	}{
		{"open findings refuse", draft, nil, "3 项筛查结果待处理"},
		{"one open finding refuses", draft, decided(t, draft, map[string]Status{"110105196803150011": StatusDismissed, "13801234567": StatusDismissed}), "1 项"},
		{"confirmed but unredacted refuses", draft, confirmed, "未遮盖"},
		{"all dismissed approves", draft, decided(t, draft, all(StatusDismissed)), ""},
		{"redacted text approves", redacted, confirmed, ""},
		{"text without findings approves", "各有关单位：现将有关事项通知如下。\n", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckApproval(Evaluate(sc, rev(1, tc.text), tc.ds))
			if tc.want == "" && err != nil || tc.want != "" && !strings.Contains(review.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRedaction_BlacksOutConfirmedOnlyAndExportCheckAgrees(t *testing.T) {
	sc := screen.New(screen.Config{})
	text := draft + "再次核对：身份证号 1101 0519 6803 1500 11。\n"
	ds := decided(t, text, map[string]Status{"110105196803150011": StatusConfirmed, "010-83930000": StatusDismissed})
	st := Evaluate(sc, rev(1, text), ds)
	if _, _, err := Redaction(Evaluate(sc, rev(1, text), nil)); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("redaction with nothing confirmed: %v", err)
	}
	out, items, err := Redaction(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || strings.Contains(out, "110105196803150011") || strings.Contains(out, "1101 0519") {
		t.Errorf("redacted = %q (items %d)", out, len(items))
	}
	if !strings.Contains(out, "13801234567") || !strings.Contains(out, "010-83930000") {
		t.Error("redaction touched findings that were not confirmed")
	}
	if len([]rune(out)) != len([]rune(text)) || !IsRedactionOf(text, out) {
		t.Error("redaction changed more than the confirmed characters")
	}
	tests := []struct {
		name string
		text string
		ok   bool
	}{
		{"redacted revision passes", out, true},
		{"unredacted revision fails", text, false},
		{"full-width digits fail", "身份证号１１０１０５１９６８０３１５００１１。", false},
		{"spaced digits fail", "号码 110105 19680315 0011", false},
		{"dismissed text passes", "咨询电话：010-83930000。", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckExport(sc, tc.text, ds)
			if (err == nil) != tc.ok {
				t.Errorf("CheckExport = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	// A confirmation later dismissed is no longer a reason to refuse.
	undo := ds[0]
	undo.ID, undo.Status, undo.Reason = 9, StatusDismissed, "当事人同意公开"
	if err := CheckExport(sc, text, append(ds, undo)); err != nil {
		t.Errorf("export refused a text whose confirmation was withdrawn: %v", err)
	}
}

func TestIsRedactionOf(t *testing.T) {
	tests := []struct {
		before, after string
		want          bool
	}{
		{"电话13801234567。", "电话■■■■■■■■■■■。", true},
		{"电话13801234567。", "电话13801234567。", false},
		{"电话13801234567。", "电话■■■■■■■■■■。", false},
		{"电话13801234567。", "手机■■■■■■■■■■■。", false},
		{"电话13801234567。", "电话■■■■■■■■■■■。附", false},
	}
	for _, tc := range tests {
		if got := IsRedactionOf(tc.before, tc.after); got != tc.want {
			t.Errorf("IsRedactionOf(%q, %q) = %v", tc.before, tc.after, got)
		}
	}
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]Status{"confirm": StatusConfirmed, "已确认": StatusConfirmed, "Dismiss": StatusDismissed, "排除": StatusDismissed} {
		if got, err := ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %s, %v", in, got, err)
		}
	}
	if _, err := ParseStatus("open"); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("ParseStatus(open) = %v", err)
	}
}

func TestDecisionValidate_ReasonBound(t *testing.T) {
	d := Decision{DocumentID: 1, Fingerprint: "f", Status: StatusDismissed, Reason: strings.Repeat("理", MaxReasonRunes+1), Actor: "lina", Revision: 1}
	if err := d.Validate(); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("overlong reason accepted: %v", err)
	}
}
