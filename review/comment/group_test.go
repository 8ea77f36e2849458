package comment_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"qianfa/review/comment"
)

func TestNormalize_FoldsWidthSpacesAndPunctuation(t *testing.T) {
	tests := []struct{ in, want string }{
		{"同意！", "同意"},
		{"同 意!", "同意"},
		{"建议：第五条“收费”删除。", "建议第五条收费删除"},
		{"ＡＢＣ１２３", "abc123"},
		{"a\u3000b\u200bc", "abc"},
	}
	for _, tt := range tests {
		if got := comment.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGroup_NearDuplicatesTogetherDistinctApart(t *testing.T) {
	campaign := "强烈建议删除第五条关于收取检测服务费的规定，该项收费没有法律依据，加重了企业负担。"
	texts := []string{
		campaign, // 0
		"建议在第三条中明确举报受理的时限，便于群众监督。",                   // 1
		strings.ReplaceAll(campaign, "，", ","),       // 2 punctuation only
		"强烈建议删除第五条关于收取检测服务费的规定，该项收费没有法律依据，加重了企业的负担！", // 3 one character added
		"建议修改第五条中的收费标准。",                             // 4 same topic, different comment
		"同意。", // 5
		"同意",  // 6
		"建议在第三条中明确举报受理的时限，便于群众监督。", // 7 exact copy of 1
	}
	got := comment.Group(texts)
	want := []int{0, 1, 0, 0, 4, 5, 5, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("text %d in group %d, want %d (similarity to lead %.2f)", i, got[i], want[i],
				comment.Similarity(texts[i], texts[want[i]]))
		}
	}
}

func TestAssign_JoinsExistingGroupsWithoutMovingThem(t *testing.T) {
	existing := []string{"建议提高举报奖励标准，最高奖励不低于十万元。", "建议缩短受理时限。"}
	incoming := []string{"建议缩短受理时限！", "请明确奖励资金的来源。", "请明确奖励资金的来源"}
	got := comment.Assign(existing, incoming)
	want := []int{1, -1, 3} // joins existing 1; starts a group; joins incoming 1 (index 2+1)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("incoming %d → %d, want %d", i, got[i], want[i])
		}
	}
}

// TestAssign_MatchesBruteForce checks the prefix-filtered index against
// comparing every pair, on texts built to sit near the threshold.
func TestAssign_MatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	base := []rune("为进一步规范举报奖励工作，建议将奖励标准与案件查处金额挂钩，并明确兑付时限和程序，保护举报人合法权益。")
	pool := commonHan
	var texts []string
	for i := 0; i < 400; i++ {
		s := append([]rune(nil), base[rng.IntN(10):]...)
		for k := rng.IntN(6); k > 0; k-- {
			s[rng.IntN(len(s))] = pool[rng.IntN(len(pool))]
		}
		texts = append(texts, string(s))
	}
	got := comment.Assign(nil, texts)
	for i := range texts {
		best, bestSim := -1, 0.0
		for j := 0; j < i; j++ {
			if s := comment.Similarity(texts[i], texts[j]); s >= comment.Threshold-1e-9 && s > bestSim {
				best, bestSim = j, s
			}
		}
		if (best < 0) != (got[i] < 0) {
			t.Fatalf("text %d: index says %d, brute force %d (%.3f)", i, got[i], best, bestSim)
		}
		if best >= 0 && comment.Similarity(texts[i], texts[got[i]]) < bestSim-1e-9 {
			t.Fatalf("text %d: index chose %d, brute force found a closer %d", i, got[i], best)
		}
	}
}

// TestAssign_ThousandsOfCommentsAreFast guards the complexity: a campaign
// of 3000 comments (half copies of a few letters, half distinct) must
// group in well under a second even on a shared machine.
func TestAssign_ThousandsOfCommentsAreFast(t *testing.T) {
	texts := campaignTexts(3000)
	start := time.Now()
	groups := comment.Group(texts)
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("grouping 3000 comments took %v", el)
	}
	leads := map[int]bool{}
	for _, g := range groups {
		leads[g] = true
	}
	if len(leads) < 1500 || len(leads) > 1510 {
		t.Errorf("%d groups, want the 1500 distinct comments plus the few campaign letters", len(leads))
	}
}

func BenchmarkGroup3000(b *testing.B) {
	texts := campaignTexts(3000)
	for b.Loop() {
		comment.Group(texts)
	}
}

func campaignTexts(n int) []string {
	letters := []string{
		"强烈建议删除第五条关于收取检测服务费的规定，该项收费没有法律依据，加重了企业负担。",
		"我们是本市的小型加工企业，建议把第九条规定的整改期限由十五日延长到三十日。",
		"建议第十二条增加对举报人信息保密的具体措施，并明确泄露信息的责任。",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var out []string
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			out = append(out, letters[i%3]+strings.Repeat("！", i%4))
			continue
		}
		// A distinct comment: a common opening, then words drawn at
		// random, as real comments share phrases but not whole sentences.
		var b strings.Builder
		fmt.Fprintf(&b, "关于第%d条，建议", i%40+1)
		for k := 0; k < 30; k++ {
			b.WriteRune(commonHan[rng.IntN(len(commonHan))])
		}
		out = append(out, b.String())
	}
	return out
}

var commonHan = []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
