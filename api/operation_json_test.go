package api

import (
	"testing"

	"qingdan/models"
	"qingdan/workflow"
)

// TestOperationCodeProblem: an operation says when its item's 基本编码
// disagrees with its category (a code kept from an imported item), with the
// server's words, so the UI keeps no copy of the code rule.
func TestOperationCodeProblem(t *testing.T) {
	cases := []struct {
		name, op, code, category, want string
	}{
		{"a code of its type", models.OpModify, "0247001000", "行政处罚", ""},
		{"no code", models.OpAdd, "", "行政处罚", ""},
		{"an alias category", models.OpModify, "1047014000", "其他类", ""},
		{"a code of another type", models.OpModify, "0647009000", "行政处罚", "基本编码“0647009000”的类型位“06”表示“行政检查”，与权力类型“行政处罚”（应为“02”）不一致"},
		{"a malformed code", models.OpInclude, "02470", "行政处罚", "基本编码“02470”格式不正确：应为10位数字（现为5个字符）"},
		{"a removal has no item to check", models.OpRemove, "0647009000", "行政处罚", ""},
	}
	for _, tc := range cases {
		v := workflow.OperationView{Operation: models.Operation{Op: tc.op, Item: models.ItemFields{Code: tc.code, Category: tc.category}}}
		if got := toOperationJSON(v).CodeProblem; got != tc.want {
			t.Errorf("%s: code_problem %q, want %q", tc.name, got, tc.want)
		}
	}
}
