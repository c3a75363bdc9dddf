package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"qingdan/apperr"
	"qingdan/models"
)

// Reviews a process may have.
const (
	ReviewStaffing = "staffing" // 编办审核, by the region's staffing reviewers
	ReviewLegal    = "legal"    // 合法性审查, by the region's legal reviewers
)

var reviewLabels = map[string]string{ReviewStaffing: "编办审核", ReviewLegal: "合法性审查"}

// reviewState is the state of each review when reviews follow one another.
var reviewState = map[string]string{ReviewStaffing: models.StateStaffingReview, ReviewLegal: models.StateLegalReview}

// reviewRole is the role that gives each review.
var reviewRole = map[string]string{ReviewStaffing: models.RoleStaffingReviewer, ReviewLegal: models.RoleLegalReviewer}

// Process is a region's process (流程设置): its reviews in order, or
// together when Parallel; the operation types that need the government's
// 审定 (a request with none of them is published after its reviews); and
// the working-day limits.
type Process struct {
	Reviews     []string `json:"reviews" ts:"Review"`
	Parallel    bool     `json:"parallel"`
	ApprovalOps []string `json:"approval_ops" ts:"OpType"`
	Limits      Limits   `json:"limits"`
}

// DefaultProcess is what a region gets until it, or a region above it,
// configures its own: legal review, then 审定 of every request.
func DefaultProcess() Process {
	return Process{Reviews: []string{ReviewLegal}, ApprovalOps: processOps(), Limits: DefaultLimits}
}

// DefaultApprovalOps are the operation types the local rules send to the
// government's 审定 (增加, 取消, 下放); the others are 按程序审核后即可调整.
var DefaultApprovalOps = []string{models.OpAdd, models.OpRemove, models.OpDelegate}

// processOps are the operation types a process can name, sorted.
func processOps() []string { return slices.Sorted(maps.Keys(models.OpLabels)) }

// ReviewLabel is the Chinese name of a review.
func ReviewLabel(r string) string { return reviewLabels[r] }

// ReviewLabels are the Chinese names of the reviews (for meta).
func ReviewLabels() map[string]string { return maps.Clone(reviewLabels) }

// storedProcess is a stored setting: keys it lacks take their defaults.
// Regions that set only their limits (before processes were configurable)
// keep today's single path.
type storedProcess struct {
	Reviews     []string  `json:"reviews"`
	Parallel    bool      `json:"parallel"`
	ApprovalOps *[]string `json:"approval_ops"`
	Limits      *Limits   `json:"limits"`
}

func parseProcess(doc string) (Process, error) {
	var sp storedProcess
	if err := json.Unmarshal([]byte(doc), &sp); err != nil {
		return Process{}, err
	}
	p := DefaultProcess()
	if len(sp.Reviews) > 0 {
		p.Reviews, p.Parallel = sp.Reviews, sp.Parallel && len(sp.Reviews) > 1
		p.ApprovalOps = slices.Clone(DefaultApprovalOps)
	}
	if sp.ApprovalOps != nil {
		p.ApprovalOps = *sp.ApprovalOps
	}
	if sp.Limits != nil {
		p.Limits = *sp.Limits
	}
	return p, nil
}

// Heavy says whether operations of these types need 审定 under the process.
func (p Process) Heavy(ops []string) bool {
	for _, op := range ops {
		if slices.Contains(p.ApprovalOps, op) {
			return true
		}
	}
	return false
}

// ProcessSetting is a region's effective process and where it comes from.
type ProcessSetting struct {
	Process Process
	// From is the region whose setting applies (the region itself or the
	// nearest region above it that has one); "" for the default.
	From string
}

// effectiveProcess reads the setting of the region or, failing that, of the
// nearest region above it that has one (a prefecture may set the process of
// all its counties); the default when none has.
func effectiveProcess(ctx context.Context, st *models.Store, region string) (ProcessSetting, error) {
	_, parents, err := st.RegionWithParents(ctx, region)
	if err != nil {
		return ProcessSetting{}, err
	}
	chain := []string{region}
	for i := len(parents) - 1; i >= 0; i-- {
		chain = append(chain, parents[i].Code)
	}
	rows, err := st.RegionProcesses(ctx, chain)
	if err != nil {
		return ProcessSetting{}, err
	}
	for _, code := range chain {
		for _, r := range rows {
			if r.RegionCode != code {
				continue
			}
			p, err := parseProcess(r.Setting)
			if err != nil {
				return ProcessSetting{}, fmt.Errorf("process setting of %s: %w", code, err)
			}
			return ProcessSetting{Process: p, From: code}, nil
		}
	}
	return ProcessSetting{Process: DefaultProcess()}, nil
}

// mayConfigure: administrators everywhere, a region administrator in the
// region they administer and the regions under it.
func (s *Service) mayConfigure(ctx context.Context, u *models.User, region string) error {
	switch {
	case u.Role == models.RoleAdmin:
		return nil
	case u.Role == models.RoleRegionAdmin && u.RegionCode != nil:
		ok, err := s.store.InRegion(ctx, region, *u.RegionCode)
		if err != nil || ok {
			return err
		}
	}
	return apperr.New(apperr.Forbidden, "只有系统管理员或本区域的区域管理员可以设置流程")
}

// RegionProcess returns a region's effective process; anyone logged in may read it.
func (s *Service) RegionProcess(ctx context.Context, region string) (ProcessSetting, error) {
	if err := s.checkRegion(ctx, region); err != nil {
		return ProcessSetting{}, err
	}
	return effectiveProcess(ctx, s.store, region)
}

// ProcessInput is a process setting as a PUT sends it; keys left out take
// their defaults (limits: the limits the region has now).
type ProcessInput struct {
	Reviews     *[]string `json:"reviews"`
	Parallel    *bool     `json:"parallel"`
	ApprovalOps *[]string `json:"approval_ops"`
	Limits      *Limits   `json:"limits"`
}

// ProcessShape names the keys of a setting, for messages.
const ProcessShape = `{"reviews":["staffing","legal"],"parallel":false,"approval_ops":["add","remove","delegate"],"limits":{"apply","review","approval","publish"}}`

// Process checks the input, each error naming its key.
func (in ProcessInput) Process(current Limits) (Process, error) {
	if in.Reviews == nil || len(*in.Reviews) == 0 {
		return Process{}, fieldError("reviews", "请至少设置一项审查：staffing（编办审核）、legal（合法性审查）")
	}
	p := Process{Reviews: *in.Reviews, ApprovalOps: slices.Clone(DefaultApprovalOps), Limits: current}
	seen := map[string]bool{}
	for _, r := range p.Reviews {
		if _, ok := reviewLabels[r]; !ok {
			return Process{}, fieldError("reviews", "没有“%s”这项审查，可选：staffing（编办审核）、legal（合法性审查）", r)
		}
		if seen[r] {
			return Process{}, fieldError("reviews", "“%s”重复了", ReviewLabel(r))
		}
		seen[r] = true
	}
	if in.Parallel != nil {
		if *in.Parallel && len(p.Reviews) < 2 {
			return Process{}, fieldError("parallel", "只有一项审查，不能并行")
		}
		p.Parallel = *in.Parallel
	}
	if in.ApprovalOps != nil {
		p.ApprovalOps = *in.ApprovalOps
		seen := map[string]bool{}
		for _, op := range p.ApprovalOps {
			if _, ok := models.OpLabels[op]; !ok {
				return Process{}, fieldError("approval_ops", "没有“%s”这种修订操作，可选：%s", op, strings.Join(processOps(), "、"))
			}
			if seen[op] {
				return Process{}, fieldError("approval_ops", "“%s”重复了", OpLabel(op))
			}
			seen[op] = true
		}
		slices.Sort(p.ApprovalOps)
	}
	if in.Limits != nil {
		if err := checkLimits(*in.Limits); err != nil {
			return Process{}, err
		}
		p.Limits = *in.Limits
	}
	return p, nil
}

// SetRegionProcess stores a region's process, audited. Requests already
// submitted keep the process they were submitted under.
func (s *Service) SetRegionProcess(ctx context.Context, u *models.User, region string, p Process) error {
	if err := s.checkRegion(ctx, region); err != nil {
		return err
	}
	if region == "" {
		return fieldError("region", "请指定行政区划")
	}
	if err := s.mayConfigure(ctx, u, region); err != nil {
		return err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		before, err := effectiveProcess(ctx, tx, region)
		if err != nil {
			return err
		}
		if err := tx.SaveRegionProcess(ctx, models.RegionProcess{RegionCode: region, Setting: string(doc), UpdatedBy: &u.ID, UpdatedAt: s.Now()}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "process_set",
			TargetType: "region", TargetID: region, RegionCode: region,
			Before: map[string]any{"process": before.Process, "from": before.From}, After: p})
	})
}

// snapshotProcess is the process to record on a request at submission.
func snapshotProcess(p Process) (*string, error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("process snapshot: %w", err)
	}
	s := string(doc)
	return &s, nil
}

// requestProcess is the process a request runs under: the one it was
// submitted under; today's single path for one submitted before processes
// were configurable.
func requestProcess(cr models.ChangeRequest) (Process, error) {
	if cr.Process == nil {
		return DefaultProcess(), nil
	}
	var p Process
	if err := json.Unmarshal([]byte(*cr.Process), &p); err != nil {
		return p, fmt.Errorf("process of change request %d: %w", cr.ID, err)
	}
	return p, nil
}

// firstReview is the state review starts in.
func (p Process) firstReview() string {
	if p.Parallel {
		return models.StateJointReview
	}
	return reviewState[p.Reviews[0]]
}

// afterReview is where the last review sends a request: 审定, or straight
// to 待公布 when none of its operations needs 审定 (the light track).
func (p Process) afterReview(heavy bool) string {
	if heavy {
		return models.StateApproval
	}
	return models.StateApproved
}

// passTo is where a pass by the given review sends a request in a state;
// signed are the reviews that signed off a joint review before.
func (p Process) passTo(state, review string, heavy bool, signed map[string]bool) string {
	if state == models.StateJointReview {
		for _, r := range p.Reviews {
			if r != review && !signed[r] {
				return models.StateJointReview
			}
		}
		return p.afterReview(heavy)
	}
	for i, r := range p.Reviews {
		if reviewState[r] == state && i+1 < len(p.Reviews) {
			return reviewState[p.Reviews[i+1]]
		}
	}
	return p.afterReview(heavy)
}

// Track names a request's track under its process: "heavy" goes to 审定.
func Track(p Process, ops []models.Operation) string {
	if p.Heavy(opTypes(ops)) {
		return TrackHeavy
	}
	return TrackLight
}

// Tracks.
const (
	TrackHeavy = "heavy" // 审定 after review
	TrackLight = "light" // 按程序审核后即可调整: published after review
)

var trackLabels = map[string]string{TrackHeavy: "须经审定", TrackLight: "审核后即可公布"}

func opTypes(ops []models.Operation) []string {
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = op.Op
	}
	return out
}
